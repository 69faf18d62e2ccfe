"""A fourth held-out photo set for gesture screening: talking hands, held objects and everyday
hands, from sources no earlier set used.

Run: python benchmarks/screening/heldout4_photos.py [--mirror-root /work/.mirror] [--out DIR]

As `heldout3_photos.py`: the photos are not committed; this script rebuilds them under
`benchmarks/out/heldout4/raw/` (git-ignored) from pinned commits of public repositories (read from
the `fetch` tool's bare mirrors `<mirror-root>/<owner>+<name>/repo`, else raw.githubusercontent.com
at the commit), with a `manifest.csv` (repository, path, commit, crop, licence) and a `labels.csv`
for `photos.py --dir DIR`. Labels are committed beside this script in `heldout4_photos.csv`, in
their own commit, before any screener saw these photos; the screener was not run while building
the set.

Why a fourth set: the lead is changing the gesture screener and needs one clean measurement on
photos nobody has tuned on, weighted toward the hidden evaluation set's false alarms that the
earlier sets hold few of or none: an index raised while speaking, hands holding things, hands
talking, clapping, crossed arms, groups with relaxed hands.

None of these photos is in the shared set, the hard negatives or held-out sets 1 to 3: no
repository here is used by any of them (so no (repository, path) is shared), and each photo was
checked against those sets as built (and `shared/data/gestures`) by content sha256 and by a
perceptual hash (16 x 16 dHash, EXIF rotation applied). That check caught one photo, left out:
DWPose's copy of ControlNet's `test_imgs/demo.jpg` (a tennis player waving) is byte for byte set
2's `pto_demo.jpg`. Every other photo's nearest earlier photo is 68 or more bits of 256 away. No
HaGRID, no sign-language digit sets, no drawings, memes or watermarked stock.

Label rules: held-out set 3's, unchanged (a hand showing raised fingers a viewer reads as a
number is posing, whatever the reason; an index raised while speaking is not,
`none_speaking_index`), written before any screener ran on these photos; each photo looked at by
eye with its EXIF rotation applied (none of the photos carries a rotation); no label changed after.
Added for this set's scenes:
- Talking hands are not posing: an index (with or without the thumb) extended toward listeners
  in a meeting or an interview is `none_speaking_index`; index fingers pointing down at the press,
  a loosely open hand, a flat hand seen edge-on while speaking are `none_talking`.
- Waving a raised open hand is posing (5), also seen from behind or cut by the frame.
- Left out by eye before screening (ambiguous): a politician raising an open palm while speaking
  at a press conference (only a crop of the crossed-arms man beside him is kept), a speaker's hand
  raised loosely beside his head at a microphone (LFW `George_W_Bush_0003`), a hand at the frame's
  edge that may be waving (LFW `Hugo_Chavez_0006`), a woman giving a dog a high five (Qwen-VL's
  `demo.jpeg`), a boy high-fiving a passing cyclist (Detectron), a surf teacher's arms spread, two
  hands interlocked in a sign (HaMeR `test3.jpg`), a FreiHAND hand with thumb and little finger out
  and the others half bent, a girl group's poster with hands near chins; and photos with boxes
  drawn on them, the "World's Largest Selfie" again, thumbnails, AI-generated portraits and
  paintings.

What is in it (60 photos: 19 posing, 41 not; three crops cut from the original pixels):
- Talking and meetings: a White House meeting (whole, and a crop of the standing speaker pointing
  index and thumb at his listeners), a Pakistani politician raising an index in an interview,
  speaking to the press with fingers pointing down or forward, a journalist's open talking hand,
  a flat hand edge-on, a press-conference panel, a leader at his desk (`DeepFrame/VisionAI`,
  `hukkelas/DSFD-Pytorch-Inference` WIDER FACE photos).
- Held objects: a phone, a pen signing a bill, cutlery, a camera, scissors, a bottle, a can, a
  mouse, a trumpet, pruning shears, a cup, a coat hood, a corsage, cake, milking gear.
- Groups and everyday hands: families, a logo-backdrop group, a tennis team, friends on steps,
  people clapping at a stock exchange and a politician clapping, crossed arms, clasped hands, a
  hand on the head, hands in pockets, hands over the face, fists (a celebration, boxing gloves, a
  webcam fist), a coach pointing sideways.
- Posing: waving open palms (four LFW politicians, three small people waving at a ship, whole
  and cropped), a palm held to the camera, a V in each raised hand, an OK-three with a thumbs up,
  webcam close-ups (OK-three, flat palm, sideways V, thumbs up) and FreiHAND close-ups (L, finger
  gun, thumbs up, two fingers together, three, open palm).

Missing: no group photo with thumbs up, no V signs in a selfie or a crowd with small hands, no
horns (with or without the thumb), no L or OK-three in a group scene, no hand on the chest, no
waving goodbye held low: the repositories searched had none that were not HaGRID, stock with a
watermark, drawings or already in an earlier set.
"""

from __future__ import annotations

# beside this script (run as a script, its folder is on the path)
from photo_sets import NO_LICENCE, cli

COMMITS = {
    "DarrenBro/rock-paper-scissors-ai": "8da5966c33f5b20981aa6245aaccff7c8cb3c647",
    "DeepFrame/VisionAI": "aa17a0232b9cbc94b12daafd3fc798a245a445e3",
    "IDEA-Research/DWPose": "3dca5db79d9f9ffdd378753ddf6ec66535aace88",
    "SeanChenxy/HandMesh": "3c87e958d4855f890e3884ec94bcfc0f99422c3d",
    "WongKinYiu/yolov7": "a207844b1ce82d204ab36d87d496728d3d2348e7",
    "benckx/tensorflow-face-detection": "b7427077fd249e1195b0185e615397c30224da2b",
    "cansik/yolo-hand-detection": "42d038bbc5deed14b11b27a871ca4385b4d880a2",
    "danielgatis/rembg": "684f8e9f6c9162009b21ab637d8f2b0c05502470",
    "eriklindernoren/PyTorch-YOLOv3": "1d621c8489e22c76ceb93bb2397ac6c8dfb5ceb7",
    "facebookresearch/Detectron": "04155a01a6ea68f22ac27c79a822066457941ece",
    "geopavlakos/hamer": "3a01849f4148352e9260b69bf28b65d1671a4905",
    "hukkelas/DSFD-Pytorch-Inference": "382de8f715f9e4311e5d08241c1725e820cd8dce",
    "krasserm/face-recognition": "363e4ec0f700e74b2ea7abceba289390d29dd43f",
    "mks0601/Hand4Whole_RELEASE": "c94908654b8108f241f18f04b4a493c05137edf6",
    "openpifpaf/openpifpaf": "37aacead57597b25f027647fcade3755cd2769ee",
    "timesler/facenet-pytorch": "787da06156087cd6b616fe6608213722bddc30cd",
    "zjykzj/YOLO5Face": "de8e898ecb641bd03b767d571a09f8a15df9e15f",
}
# The repositories' licences cover their code; the photos are mostly web, press, stock and dataset
# photos with no licence of their own, so the whole set is for measurement only, never
# redistributed.
LICENCES = {
    "DarrenBro/rock-paper-scissors-ai": f"{NO_LICENCE}; webcam photos and a press photo",
    "DeepFrame/VisionAI": f"{NO_LICENCE}; the photos are press and web photos",
    "IDEA-Research/DWPose": "Apache-2.0 (repo LICENSE); the test photos are web and stock photos: measured only",
    "SeanChenxy/HandMesh": "MIT (repo LICENSE); the photos are FreiHAND crops (research-only dataset terms): measured only",
    "WongKinYiu/yolov7": "GPL-3.0 (repo LICENSE.md); the photos are COCO/press photos: measured only",
    "benckx/tensorflow-face-detection": "Apache-2.0 (repo LICENSE); the photos are Wikimedia and press photos: measured only",
    "cansik/yolo-hand-detection": "MIT (repo LICENSE); the photos are Unsplash photos (Unsplash licence): measured only",
    "danielgatis/rembg": "MIT (repo LICENSE.txt); the photo is a web photo: measured only",
    "eriklindernoren/PyTorch-YOLOv3": "GPL-3.0 (repo LICENSE); the photo is a press photo: measured only",
    "facebookresearch/Detectron": "Apache-2.0 (repo LICENSE); the demo photo is a Flickr photo (per-image terms): measured only",
    "geopavlakos/hamer": "MIT (repo LICENSE.md); the photos are stock photos: measured only",
    "hukkelas/DSFD-Pytorch-Inference": "Apache-2.0 (repo LICENSE); the photo is from WIDER FACE (press photo): measured only",
    "krasserm/face-recognition": "Apache-2.0 (repo LICENSE); the photos are from LFW (press photos): measured only",
    "mks0601/Hand4Whole_RELEASE": "MIT (repo LICENSE); the demo photo is a web photo: measured only",
    "openpifpaf/openpifpaf": "AGPL-3.0 (repo LICENSE); the photo is a COCO photo (Flickr, per-image terms): measured only",
    "timesler/facenet-pytorch": "MIT (repo LICENSE.md); the photo is a TV-series still: measured only",
    "zjykzj/YOLO5Face": "Apache-2.0 (repo LICENSE); the photos are from WIDER FACE (press photos): measured only",
}


if __name__ == "__main__":
    raise SystemExit(cli(__file__, __doc__, COMMITS, LICENCES))
