"""Hard negatives for gesture screening: real photos of people whose hands make no sign.

Run: python benchmarks/screening/hard_negatives.py [--mirror-root /work/.mirror] [--out DIR]

The photos are not committed: this script rebuilds them under `benchmarks/out/hardneg/raw/`
(git-ignored) with a `manifest.csv` giving each file's source repository, path, commit and
licence, and a `labels.csv` (all negatives) for `photos.py --dir DIR`. It reads each repository from a local bare mirror (`<mirror-root>/<owner>+<name>/repo`,
as the session's `fetch` tool makes them) and falls back to raw.githubusercontent.com at the
pinned commit.

How the set was chosen: every people photo in the test/demo folders of four public repositories
(OpenPose `examples/media` COCO images, MMPose `tests/data` pose datasets, tfjs-models and
mediapipe-samples demo photos) was looked at by eye. Kept: people with busy or relaxed hands
(crossed arms, phone at the ear, holding a camera, a cake, a racket, poles, papers, hats; hands
on the ground or knees, holding hands, reaching, playing go, sports). Left out as ambiguous
(an open waving hand, sign-language-like raised hands, a child's raised open hand, a raised hand
near the face): tfjs three_people_faceblur and two_people_parts, mmpose mpii 052475643 and
005808361, openpose COCO 428, and four near-duplicate frames of posetrack 000001-000004.
Nothing was chosen or dropped because of what the screener said about it.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
COMMITS = {
    "CMU-Perceptual-Computing-Lab/openpose": "5c5d96523ef917bd30301245fdc8343937cae48d",
    "open-mmlab/mmpose": "759b39c13fea6ba094afc1fa932f51dc1b11cbf9",
    "tensorflow/tfjs-models": "18a73420e555a3c1948209ebfa807c7086c7ff0c",
    "google-ai-edge/mediapipe-samples": "ece8a1f99726a364509be9d07835a69ef65d3e35",
}
LICENCES = {
    "CMU-Perceptual-Computing-Lab/openpose": "OpenPose academic/non-commercial licence (repo); the images are COCO val2014 (Flickr, per-image CC licences)",
    "open-mmlab/mmpose": "Apache-2.0 (repo); test images sampled from their datasets (COCO, CrowdPose, OCHuman, MPII, AIC, PoseTrack, Human3.6M, Human-Art): each dataset's own terms",
    "tensorflow/tfjs-models": "Apache-2.0",
    "google-ai-edge/mediapipe-samples": "Apache-2.0",
}
# (file name here, repository, path in the repository)
SOURCES = [
    (
        "mmpose_000000.jpg",
        "open-mmlab/mmpose",
        "tests/data/posetrack18/images/val/003418_mpii_test/000000.jpg",
    ),
    (
        "mmpose_000000000590.jpg",
        "open-mmlab/mmpose",
        "tests/data/humanart/real_human/acrobatics/000000000590.jpg",
    ),
    ("mmpose_000000000785.jpg", "open-mmlab/mmpose", "tests/data/coco/000000000785.jpg"),
    ("mmpose_000000040083.jpg", "open-mmlab/mmpose", "tests/data/coco/000000040083.jpg"),
    ("mmpose_000000196141.jpg", "open-mmlab/mmpose", "tests/data/coco/000000196141.jpg"),
    ("mmpose_000000197388.jpg", "open-mmlab/mmpose", "tests/data/coco/000000197388.jpg"),
    ("mmpose_000817.jpg", "open-mmlab/mmpose", "tests/data/ochuman/000817.jpg"),
    ("mmpose_003799.jpg", "open-mmlab/mmpose", "tests/data/ochuman/003799.jpg"),
    ("mmpose_003896.jpg", "open-mmlab/mmpose", "tests/data/ochuman/003896.jpg"),
    ("mmpose_004645041.jpg", "open-mmlab/mmpose", "tests/data/mpii/004645041.jpg"),
    ("mmpose_051423444.jpg", "open-mmlab/mmpose", "tests/data/mpii/051423444.jpg"),
    (
        "mmpose_054d9ce9201beffc76e5ff2169d2af2f027002ca.jpg",
        "open-mmlab/mmpose",
        "tests/data/aic/054d9ce9201beffc76e5ff2169d2af2f027002ca.jpg",
    ),
    ("mmpose_060754485.jpg", "open-mmlab/mmpose", "tests/data/mpii/060754485.jpg"),
    ("mmpose_103319.jpg", "open-mmlab/mmpose", "tests/data/crowdpose/103319.jpg"),
    ("mmpose_106848.jpg", "open-mmlab/mmpose", "tests/data/crowdpose/106848.jpg"),
    (
        "mmpose_S1_Directions_1.54138969_000001.jpg",
        "open-mmlab/mmpose",
        "tests/data/h36m/S1/S1_Directions_1.54138969/S1_Directions_1.54138969_000001.jpg",
    ),
    (
        "mmpose_S5_SittingDown.54138969_002061.jpg",
        "open-mmlab/mmpose",
        "tests/data/h36m/S5/S5_SittingDown.54138969/S5_SittingDown.54138969_002061.jpg",
    ),
    (
        "mmpose_S7_Greeting.55011271_000396.jpg",
        "open-mmlab/mmpose",
        "tests/data/h36m/S7/S7_Greeting.55011271/S7_Greeting.55011271_000396.jpg",
    ),
    (
        "mmpose_S8_WalkDog_1.55011271_000026.jpg",
        "open-mmlab/mmpose",
        "tests/data/h36m/S8/S8_WalkDog_1.55011271/S8_WalkDog_1.55011271_000026.jpg",
    ),
    (
        "mmpose_fa436c914fe4a8ec1ec5474af4d3820b84d17561.jpg",
        "open-mmlab/mmpose",
        "tests/data/aic/fa436c914fe4a8ec1ec5474af4d3820b84d17561.jpg",
    ),
    (
        "mmpose_ff945ae2e729f24eea992814639d59b3bdec8bd8.jpg",
        "open-mmlab/mmpose",
        "tests/data/aic/ff945ae2e729f24eea992814639d59b3bdec8bd8.jpg",
    ),
    (
        "mmpose_human-pose.jpeg",
        "open-mmlab/mmpose",
        "projects/rtmpose/examples/onnxruntime/human-pose.jpeg",
    ),
    (
        "mpsamples_coupleanddog.jpg",
        "google-ai-edge/mediapipe-samples",
        "examples/object_detection/ios/ObjectDetectorTests/coupleanddog.jpeg",
    ),
    (
        "mpsamples_pose_test_image.jpg",
        "google-ai-edge/mediapipe-samples",
        "examples/pose_landmarker/ios/PoseLandmarkerTests/test_image.jpg",
    ),
    (
        "openpose_COCO_val2014_000000000192.jpg",
        "CMU-Perceptual-Computing-Lab/openpose",
        "examples/media/COCO_val2014_000000000192.jpg",
    ),
    (
        "openpose_COCO_val2014_000000000241.jpg",
        "CMU-Perceptual-Computing-Lab/openpose",
        "examples/media/COCO_val2014_000000000241.jpg",
    ),
    (
        "openpose_COCO_val2014_000000000257.jpg",
        "CMU-Perceptual-Computing-Lab/openpose",
        "examples/media/COCO_val2014_000000000257.jpg",
    ),
    (
        "openpose_COCO_val2014_000000000294.jpg",
        "CMU-Perceptual-Computing-Lab/openpose",
        "examples/media/COCO_val2014_000000000294.jpg",
    ),
    (
        "openpose_COCO_val2014_000000000328.jpg",
        "CMU-Perceptual-Computing-Lab/openpose",
        "examples/media/COCO_val2014_000000000328.jpg",
    ),
    (
        "openpose_COCO_val2014_000000000338.jpg",
        "CMU-Perceptual-Computing-Lab/openpose",
        "examples/media/COCO_val2014_000000000338.jpg",
    ),
    (
        "openpose_COCO_val2014_000000000357.jpg",
        "CMU-Perceptual-Computing-Lab/openpose",
        "examples/media/COCO_val2014_000000000357.jpg",
    ),
    (
        "openpose_COCO_val2014_000000000360.jpg",
        "CMU-Perceptual-Computing-Lab/openpose",
        "examples/media/COCO_val2014_000000000360.jpg",
    ),
    (
        "openpose_COCO_val2014_000000000395.jpg",
        "CMU-Perceptual-Computing-Lab/openpose",
        "examples/media/COCO_val2014_000000000395.jpg",
    ),
    (
        "openpose_COCO_val2014_000000000415.jpg",
        "CMU-Perceptual-Computing-Lab/openpose",
        "examples/media/COCO_val2014_000000000415.jpg",
    ),
    (
        "openpose_COCO_val2014_000000000459.jpg",
        "CMU-Perceptual-Computing-Lab/openpose",
        "examples/media/COCO_val2014_000000000459.jpg",
    ),
    (
        "openpose_COCO_val2014_000000000474.jpg",
        "CMU-Perceptual-Computing-Lab/openpose",
        "examples/media/COCO_val2014_000000000474.jpg",
    ),
    (
        "openpose_COCO_val2014_000000000488.jpg",
        "CMU-Perceptual-Computing-Lab/openpose",
        "examples/media/COCO_val2014_000000000488.jpg",
    ),
    (
        "openpose_COCO_val2014_000000000536.jpg",
        "CMU-Perceptual-Computing-Lab/openpose",
        "examples/media/COCO_val2014_000000000536.jpg",
    ),
    (
        "openpose_COCO_val2014_000000000544.jpg",
        "CMU-Perceptual-Computing-Lab/openpose",
        "examples/media/COCO_val2014_000000000544.jpg",
    ),
    (
        "openpose_COCO_val2014_000000000564.jpg",
        "CMU-Perceptual-Computing-Lab/openpose",
        "examples/media/COCO_val2014_000000000564.jpg",
    ),
    (
        "openpose_COCO_val2014_000000000569.jpg",
        "CMU-Perceptual-Computing-Lab/openpose",
        "examples/media/COCO_val2014_000000000569.jpg",
    ),
    (
        "openpose_COCO_val2014_000000000589.jpg",
        "CMU-Perceptual-Computing-Lab/openpose",
        "examples/media/COCO_val2014_000000000589.jpg",
    ),
    (
        "openpose_COCO_val2014_000000000623.jpg",
        "CMU-Perceptual-Computing-Lab/openpose",
        "examples/media/COCO_val2014_000000000623.jpg",
    ),
    ("tfjs_image1.jpg", "tensorflow/tfjs-models", "coco-ssd/demo/image1.jpg"),
    ("tfjs_image2.jpg", "tensorflow/tfjs-models", "coco-ssd/demo/image2.jpg"),
    ("tfjs_portrait.jpg", "tensorflow/tfjs-models", "body-segmentation/test_data/portrait.jpg"),
]


def main(argv: list[str] | None = None) -> int:
    from photo_sets import from_github, from_mirror  # beside this script

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mirror-root", type=Path, default=Path("/work/.mirror"))
    ap.add_argument("--out", type=Path, default=REPO / "benchmarks/out/hardneg")
    args = ap.parse_args(argv)
    raw = args.out / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    with (args.out / "manifest.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "source_repo", "source_path", "source_commit", "license"])
        for name, repo, path in SOURCES:
            blob = from_mirror(
                args.mirror_root, repo, COMMITS[repo], path, head=True
            ) or from_github(repo, COMMITS[repo], path)
            (raw / name).write_bytes(blob)
            w.writerow([name, repo, path, COMMITS[repo], LICENCES[repo]])
    # labels.csv in the shared set's columns, so `photos.py --dir OUT` measures the set
    with (args.out / "labels.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "fingers_shown", "gesture", "source_repo", "source_path", "license"])
        for name, repo, path in SOURCES:
            w.writerow([f"raw/{name}", 0, "none_busy_hands", repo, path, LICENCES[repo]])
    print(f"{len(SOURCES)} hard negatives in {raw}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
