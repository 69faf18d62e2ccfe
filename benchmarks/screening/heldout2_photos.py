"""A second held-out photo set for gesture screening, from sources no earlier set used (clean).

Run: python benchmarks/screening/heldout2_photos.py [--mirror-root /work/.mirror] [--out DIR]

As `heldout_photos.py`: the photos are not committed; this script rebuilds them under
`benchmarks/out/heldout2/raw/` (git-ignored) from pinned commits of public repositories (read from
the `fetch` tool's bare mirrors `<mirror-root>/<owner>+<name>/repo`, else raw.githubusercontent.com
at the commit), with a `manifest.csv` (repository, path, commit, licence) and a `labels.csv` for
`photos.py --dir DIR`. Labels are committed beside this script in `heldout2_photos.csv`.

Why a second set: the first held-out set chose the screening changes made after it was measured,
so it became a tuning set. This one was built and labelled after those changes, and its first
measurement (`main` 7eedf62) is the clean estimate. No photo here is in the shared set, the hard
negatives or the first held-out set (checked by path and by content hash), and none comes from
HaGRID (the source of most earlier posing photos).

Label rules, written before any screener ran on these photos (each photo looked at by eye; no
label changed after seeing the screener's output):
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
- Left out by eye before screening: near-duplicates of shared-set photos at another resolution
  (the Google gesture samples re-hosted by other repositories), drawings and icons, a stock photo
  with a watermark, a Vulcan salute, a flat hand half out of focus, sign digits whose fingers
  could not be read at 100 x 100 px.

Known label error, left as committed: `S-U-M_pointing2.jpg` has EXIF orientation 6 and was
labelled from a view that ignored it (an index "pointing sideways", `none_pointing`); upright, as
the screener reads it, the index is raised. Found only after the first screening run flagged it,
so by the rule above the label was not changed (BENCHMARKS.md gives the figure both ways).

What is in it (65 photos: 35 posing, 30 not):
- Sign Language Digits Dataset (`ardamavi/...`, Apache-2.0; 218 Turkish high-school students'
  hands, 100 x 100 px): 16 hands, digits 0-9 (0 is an O: not posing; 6-9 show three fingers).
  Small photos: a hard case for the hand model (the hidden set's small hands).
- Hand-gesture demo repositories' own photos (no licence stated: used here for measurement only,
  not redistributed): V signs, index up, OK-three, open and stop palms, thumbs up and down, an L,
  a finger gun, horns with the thumb; fists, a C, a palm holding sea glass, a sideways point.
- Politicians and speakers (face_recognition's examples, MIT; deepface's test photos, MIT; the
  photos themselves are press photos of public figures): two men waving raised open palms on a
  stage, crossed arms, microphones, a trophy, a podium, a group selfie.
- pytorch-openpose's demo photos (a waving tennis player, an OK-three close-up, a roller skater)
  and a few MMPose test images no earlier set took (a hand over an eye, fans, curlers, wheelchair
  dancers, talking hands, a motion-capture studio).
"""

from __future__ import annotations

# beside this script (run as a script, its folder is on the path)
from photo_sets import NO_LICENCE, cli

COMMITS = {
    "ardamavi/Sign-Language-Digits-Dataset": "4b09433ef9d5c60602e8805bb54b8aa2428527f8",
    "Hzzone/pytorch-openpose": "5ee71dc10020403dc3def2bb68f9b77c40337ae2",
    "ageitgey/face_recognition": "2e2dccea9dd0ce730c8d464d0f67c6eebb40c9d1",
    "serengil/deepface": "243209fd7b46ecdecf72665cc25219f6e8181f25",
    "ArpitMourya/Air_Controle": "d423dded95d27913a2d4d9c59d3d10d9b65ae403",
    "King-S-Wang/MATLAB-Hand": "2dfc85c455e4fbc0226ef279b59e34986253d62f",
    "Melvin960/gesture": "dd32b96b6c68b9361690e6583a8aa6bffdaa92eb",
    "S-U-M/Gesture-Recognition": "eb93f3f001e74292cd150793cc71f65a0ad0f62e",
    "jkarthik-2004/GestureRecognitionSample": "0f84953624752cd26ccd4b2a821bbb8acde47984",
    "open-mmlab/mmpose": "759b39c13fea6ba094afc1fa932f51dc1b11cbf9",
}
LICENCES = {
    "ardamavi/Sign-Language-Digits-Dataset": "Apache-2.0 (repo LICENSE); photos by the school's students",
    "Hzzone/pytorch-openpose": "no licence file; demo photos from the web (OpenPose's examples): measured only",
    "ageitgey/face_recognition": "MIT (repo); the photos are press photos of public figures",
    "serengil/deepface": "MIT (repo); the photos are press photos of public figures",
    "ArpitMourya/Air_Controle": NO_LICENCE,
    "King-S-Wang/MATLAB-Hand": NO_LICENCE,
    "Melvin960/gesture": NO_LICENCE,
    "S-U-M/Gesture-Recognition": NO_LICENCE,
    "jkarthik-2004/GestureRecognitionSample": NO_LICENCE,
    "open-mmlab/mmpose": "Apache-2.0 (repo); test images sampled from COFW, LaPa, MPII, PoseTrack18, MPI-INF-3DHP: each dataset's own terms (research use)",
}


if __name__ == "__main__":
    raise SystemExit(cli(__file__, __doc__, COMMITS, LICENCES))
