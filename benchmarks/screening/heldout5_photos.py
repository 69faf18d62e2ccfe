"""A fifth held-out photo set for gesture screening: V signs in selfies and groups, thumbs up in
group selfies, speakers' raised index fingers and everyday hands, from sources no earlier set used.

Run: python benchmarks/screening/heldout5_photos.py [--mirror-root /work/.mirror] [--out DIR]

As `heldout4_photos.py`: the photos are not committed; this script rebuilds them under
`benchmarks/out/heldout5/raw/` (git-ignored) from pinned commits of public repositories (read from
the `fetch` tool's bare mirrors `<mirror-root>/<owner>+<name>/repo`, else raw.githubusercontent.com
at the commit), with a `manifest.csv` (repository, path, commit, crop, licence) and a `labels.csv`
for `photos.py --dir DIR`. Labels are committed beside this script in `heldout5_photos.csv`, in
their own commit, before any screener saw these photos; the screener was not run while building
the set.

Why a fifth set: the lead is changing the gesture screener and needs one clean measurement on
photos nobody has tuned on. Set 4 held few posing photos, so this one looked for the posing
families the earlier sets lack (V signs in selfies and crowds with small hands, group photos with
a thumbs up) beside more everyday hands (phones, microphones, cups, clasped hands, groups).

None of these photos is in the shared set, the hard negatives or held-out sets 1 to 4: no
repository here is used by any of them (so no (repository, path) is shared), and each photo was
checked against those sets as built (and `shared/data/gestures`) by content sha256 and by a
perceptual hash (16 x 16 dHash, EXIF rotation applied). That check left out, before labelling,
the copies it caught: the "World's Largest Selfie" (set 3's `lz_17_selfie.jpg`) in DBFace,
DSFD, CenterFace, yolov5-face, YOLO11Face, InsightFace-REST, img2pose and face-detection-pytorch;
the Zidane photo (set 4's `y7_zidane.jpg`) in yolov5-face and YOLO11Face; insightface's `t1.jpg`
in LivePortrait; ControlNet's `boy.png` and `human.png` (set 4's DWPose copies); darknet's
`kite.jpg` (a hard negative). Every kept photo's nearest earlier photo is 68 or more bits of 256
away, and no two kept photos are within 60 bits of each other. No HaGRID, no sign-language digit
sets, no drawings, memes, AI-generated portraits or watermarked stock.

Label rules: held-out set 4's, unchanged (a hand showing raised fingers a viewer reads as a
number is posing, whatever the reason; an index raised while speaking is not,
`none_speaking_index`; a loosely open hand while talking is `none_talking`; waving or holding up
a raised open hand is posing, 5), written before any screener ran on these photos; each photo
looked at by eye with its EXIF rotation applied (one, GPEN's `20200320.101220.jpg`, carries a
90-degree rotation); no label changed after. `per_hand` lists the clearly posing hands only.
Left out by eye before screening (ambiguous): baseball fans cheering with fists, claps and raised
open hands (Pytorch_Retinaface `curve/test.jpg`), a football team celebrating a trophy with
raised open hands (MiniGPT-4 `2000x1372_wmkn_*.jpg`), a crowd of business people cheering with
fists and raised index fingers (Paddle-Lite-Demo `face.jpg`), a girl group with hands near their
chins (DBFace `12_Group_*_728.jpg`, also watermarked; libfacedetection `test2.jpg`), a basketball
defender's raised open hand (mPLUG-Owl `16.jpg`), a woman pointing an index up as if struck by an
idea (PIXIE `GettyImages-545880635.jpg`), index fingers pressed into cheeks (PIXIE
`woman-in-yellow-*`), a conductor's raised open hand (PIXIE `mtc_09.png`), a raised arm cut by
the frame (face-alignment `aflw-test.jpg`), a dancer's hand raised beside her face (magic-animate
`multi1_source.png`), a selfie with a thumb and index spread low in the frame (ZQCNN
`CascadeOnet.jpg`), two Oscar group photos too small to read hands in; and photos with boxes or
landmarks drawn on them (MTCNN-Tensorflow `picture/`, CenterFace `results/`, cpuimage MTCNN
`result.jpg`, PaddleDetection's WIDER crowd), GPEN's restored outputs (only its input selfies are
kept), AI-generated and painted portraits, TV stills carrying a channel logo.

What is in it (62 photos: 11 posing, 51 not; four crops cut from the original pixels):
- Posing: a woman holding a V sign over each eye, a winking selfie with a V sign, schoolgirls
  around a table of watermelon with seven V signs (whole and cropped), a class of young women
  with small V signs and a thumbs up (whole and two crops), a group selfie of costumed actors with
  a thumbs up and a social-media watermark in the corner (whole and cropped), a selfie with a
  thumb raised at the frame's edge, a webcam hand raised in a Vulcan salute (five fingers).
- Talking: two politicians raising an index finger at a microphone, a president's loosely open
  hand at a press briefing, a TV-series office scene.
- Held objects: phones (one on a call), a microphone and a presenter remote, a wine glass, a mug,
  a bottle, a coconut, an ice cream, a video camera, a rice dumpling, a dog bowl, a football,
  shopping bags, a baby, bicycles, market food.
- Groups and everyday hands: girl groups seated, friends and families, a research group at a
  table, graduates on steps, TV-series casts, an exhibition booth, a car-show crowd, a sumo
  wrestler clapping, clasped hands, crossed arms, hands on hips, in pockets, on the chin and
  cheeks, a hug, a greeting kiss with a hand on the shoulder, a hat being tipped.

Missing: no horns (with or without the thumb), no OK-with-three-up, no L of thumb and index, no
raised open palm in an oath or a wave, no clapping crowd without raised hands, no document
signing or handshake: the repositories searched had none that were not HaGRID, drawings,
watermarked stock, already in an earlier set or too ambiguous to label. Posing photos stay a
minority (11 of 62): V signs and thumbs up in real group photos were rare in the repositories
searched.
"""

from __future__ import annotations

# beside this script (run as a script, its folder is on the path)
from photo_sets import NO_LICENCE, cli

COMMITS = {
    "AITTSMD/MTCNN-Tensorflow": "3b3934d38f8d34287cc933a581537a1acfd0bb60",
    "Arthur151/ROMP": "a8558aed480af850756f84e2a7c787e359bddbd0",
    "Charrin/RetinaFace-Cpp": "67cddfd7fa24311edcd317d1d56b6ee72e7287b6",
    "DuinoDu/mtcnn": "a4c6746106c544307a7f3a816c3bd01ff08eeb10",
    "EricThomson/practical_python": "ad338c7a2eca70d44f4a7965628d58b91c58ec97",
    "KwaiVGI/LivePortrait": "1986663be3b6902605d32200c01f4bfd36cda83d",
    "PaddlePaddle/Paddle-Lite-Demo": "82f329f38f2c8066c89149a88588d24b8185536b",
    "PaddlePaddle/PaddleDetection": "666f597fd00d3157e84dd9fb2dd3f40bf9918ebc",
    "PaddlePaddle/PaddleGAN": "094a2eb926d451ad9ad56c92c6f23e2c7199df73",
    "PaddlePaddle/PaddleHub": "b402610a6f0b382a978e82473b541ea1fc6cf09a",
    "PaddlePaddle/PaddleSeg": "d7975e7cb3b9102eae4eabcef5afb81b878473aa",
    "Seanlinx/mtcnn": "feacb3b6ae1bf177664f2a0b676ed4cfd3f5ca55",
    "SthPhoenix/InsightFace-REST": "fb854d8029c880dc5a244595e491c1293c218bff",
    "Tencent/TNN": "f0cb08129a05c5b60f08e4ef66042a54a883a56a",
    "TropComplique/mtcnn-pytorch": "45b34462fc995e6b8dbd17545b799e8c8a30026b",
    "Vision-CAIR/MiniGPT-4": "d94738a7626ec43eba6c2cddf3cd2043f1a9689a",
    "X-PLUG/mPLUG-Owl": "0f3068fdb47b77aedc71fc39f5735cd7aa35e8f9",
    "YadiraF/DECA": "f5b6b4236986b7d3d65ca24bfd69f8fd7467896b",
    "bubbliiiing/retinaface-pytorch": "e28a11c31bbc596983576378230cb4d0988162d8",
    "foreverYoungGitHub/MTCNN": "6c4f19fbe29cd1d34803377e66aefa3c56a76d90",
    "hpc203/10kinds-light-face-detector-align-recognition": "e8b2be69759ba743fd06a45db08e450a43a9d724",
    "imistyrain/MTCNN": "1a28eb3b93d73d496d411977ea5520810609d376",
    "ipazc/mtcnn": "14c9b0590ad7b663318c09e1590e87b733a290e1",
    "justadudewhohacks/face-api.js": "a86f011d72124e5fb93e59d5c4ab98f699dd5c9c",
    "kuaikuaikim/DFace": "4531f291abb839a3aed6fc36a83be1a5a6412969",
    "microsoft/Cognitive-Face-Windows": "a8e0448d1ee7e8c464f1b95b2ff8cbf84099a731",
    "ml5js/ml5-library": "f80f95aa6b31191ab7e79ff466e8506f5e48a172",
    "pangyupo/mxnet_mtcnn_face_detection": "b56065418b63a971fcf4f8f35d058513b0ce6cbf",
    "vladmandic/face-api": "189226d63aabb48cb40776fd1c453ebc0fa722f1",
    "yangxy/GPEN": "2c736702983368847fb544d234a22ac7cff25802",
    "yeyupiaoling/Pytorch-MTCNN": "6040287afd624841f893926ac1d7ae832bc17c10",
    "yfeng95/PIXIE": "5c8879b828fc78e69b8d457029b27e825eae0d1c",
    "yxlijun/S3FD.pytorch": "bccf1d99fa36f4140c42731e99e1627d76a8eb56",
    "zuoqing1988/ZQCNN": "9c89e94debaa9a241d2ac0cbc7d32c7bb8436490",
}
# The repositories' licences cover their code; the photos are mostly web, press, stock and dataset
# photos with no licence of their own, so the whole set is for measurement only, never
# redistributed.
_WEB = "the photos are web photos: measured only"
LICENCES = {
    "AITTSMD/MTCNN-Tensorflow": f"{NO_LICENCE}; a press photo",
    "Arthur151/ROMP": "Apache-2.0 (repo LICENSE.md); the photo is a 3DPW video frame (research-only dataset terms): measured only",
    "Charrin/RetinaFace-Cpp": f"{NO_LICENCE}; a web photo",
    "DuinoDu/mtcnn": "MIT (repo LICENSE); the photo is a press photo: measured only",
    "EricThomson/practical_python": f"{NO_LICENCE}; a web photo",
    "KwaiVGI/LivePortrait": "MIT (repo LICENSE); the photo is a stock photo: measured only",
    "PaddlePaddle/Paddle-Lite-Demo": f"Apache-2.0 (repo LICENSE); {_WEB}",
    "PaddlePaddle/PaddleDetection": "Apache-2.0 (repo LICENSE); the photos are web and press photos: measured only",
    "PaddlePaddle/PaddleGAN": f"Apache-2.0 (repo LICENSE); {_WEB}",
    "PaddlePaddle/PaddleHub": "Apache-2.0 (repo LICENSE); the photos are web and stock photos: measured only",
    "PaddlePaddle/PaddleSeg": "Apache-2.0 (repo LICENSE); the photos are stock photos: measured only",
    "Seanlinx/mtcnn": f"{NO_LICENCE}; a web photo",
    "SthPhoenix/InsightFace-REST": "Apache-2.0 (repo LICENSE); the photo is a press photo: measured only",
    "Tencent/TNN": f"BSD-3-Clause (repo LICENSE); {_WEB}",
    "TropComplique/mtcnn-pytorch": "MIT (repo LICENSE); the photos are TV-series stills: measured only",
    "Vision-CAIR/MiniGPT-4": f"BSD-3-Clause (repo LICENSE.md); {_WEB}",
    "X-PLUG/mPLUG-Owl": "MIT (repo LICENSE); the photo is a press photo: measured only",
    "YadiraF/DECA": "non-commercial research licence (repo LICENSE); the photo is from AFLW (research-only dataset terms): measured only",
    "bubbliiiing/retinaface-pytorch": f"MIT (repo LICENSE); {_WEB}",
    "foreverYoungGitHub/MTCNN": f"{NO_LICENCE}; a press photo",
    "hpc203/10kinds-light-face-detector-align-recognition": f"{NO_LICENCE}; a film still",
    "imistyrain/MTCNN": "MIT (repo LICENSE); the photo is a press photo: measured only",
    "ipazc/mtcnn": "MIT (repo LICENSE); the photo is an event photo: measured only",
    "justadudewhohacks/face-api.js": "MIT (repo LICENSE); the photo is a press photo: measured only",
    "kuaikuaikim/DFace": "Apache-2.0 (repo LICENSE); the photo is a TV-series promotional photo: measured only",
    "microsoft/Cognitive-Face-Windows": "Microsoft sample-image licence (repo LICENSE-IMAGE.md: use within an organisation to test, no redistribution): measured only",
    "ml5js/ml5-library": "ml5.js licence (repo LICENSE.md); the photo is a webcam photo: measured only",
    "pangyupo/mxnet_mtcnn_face_detection": f"{NO_LICENCE}; a web photo",
    "vladmandic/face-api": f"MIT (repo LICENSE); {_WEB}",
    "yangxy/GPEN": f"{NO_LICENCE}; selfies",
    "yeyupiaoling/Pytorch-MTCNN": f"Apache-2.0 (repo LICENSE); {_WEB}",
    "yfeng95/PIXIE": "non-commercial research licence (repo LICENSE); the photos are Pexels and web photos: measured only",
    "yxlijun/S3FD.pytorch": f"{NO_LICENCE}; a press photo",
    "zuoqing1988/ZQCNN": f"MIT (repo LICENSE); {_WEB}",
}


if __name__ == "__main__":
    raise SystemExit(cli(__file__, __doc__, COMMITS, LICENCES))
