"""Finger-number poses in photos: which hands make a deliberate sign, and which number it shows.

MediaPipe Hands (the full models shipped inside the mediapipe 0.10.x wheel) gives 21 landmarks per
hand, in image pixels and in metric "world" coordinates. Counting fingers from them is easy; the
hard part is telling a deliberate sign from a hand that rests, holds something or gestures while
speaking. A hand is read as a deliberate sign only when the geometry says so:

- **straight** raised fingers (joint angles at the knuckles in 3-D, not just tip-beyond-joint),
- folded fingers **really curled** into the palm (tips near the palm, not half-bent around an
  object), so every finger is clearly up or clearly down,
- raised fingers pointing **up** (or the thumb vertical, for a thumbs-up/down),
- the palm or the back of the hand **facing the camera** for signs shown with the fingers,
- raised fingers **spread** apart (two or more fingers); a relaxed flat hand keeps them together,
- a hand big enough in the picture for its landmarks to be trusted.

Each test gives a factor in 0..1 and the hand's `score` is their product, so one clearly failed
test (a hanging hand, fingers half-bent round a cup) is enough to keep a hand from being flagged.
The constants are angles and ratios chosen from hand anatomy, not fitted to a set of photos.

MediaPipe Pose would tell a raised hand from a resting one, but it costs more than the hand model
itself (28 ms against 21 ms a photo on the 2 cores) and the pipeline must stay at >= 0.9x the
speed of the bare hands call, so it is not used; the hand's own direction stands in for it.

Small or far hands: when no hand is found in a tall or wide photo (aspect >= 1.6) the photo is
searched again in square crops along its long side; a large photo (long side >= 1600 px after the
1920 px cap) is searched in four overlapping tiles. Only then, to keep the speed budget.

`number_shown`: the ballot number the deliberate number poses agree on. Two hands showing the same
number give that number; hands showing different numbers give None (conflicting; `why` lists both),
while `banned_pose` stays true. Poses with no number (metal, phone, finger gun, finger heart) set
`banned_pose` but no number.

A lone thumb is read as the rulebook's `thumbs_up` whether it points up or down: a thumbs-down
also shows one finger, and a person decides what it meant (the direction is written in `why`).
"""

from __future__ import annotations

import contextlib
import itertools
import math
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw, ImageOps, ImageSequence

from netral.election.schemas import ElectionIn
from netral.rules import load_rulebook
from netral.rules.schema import Rulebook
from netral.screening.findings import Finding

Arr = npt.NDArray[Any]

MAX_SIDE = 1920  # photos are downscaled to this long side before anything else
MIN_SIDE = 16  # below this there is nothing to look at
MAX_HANDS = 4
DETECTION_CONFIDENCE = 0.5
TILE_ASPECT = 1.6  # no hand found in a photo at least this elongated: search square crops
TILE_LONG_SIDE = 1600  # no hand found in a photo this large: search 2x2 overlapping tiles
DELIBERATE = 0.5  # a hand with score >= this is read as a deliberate sign

FINGERS = ("thumb", "index", "middle", "ring", "pinky")
FINGER_ID = {
    "thumb": "ibu jari",
    "index": "telunjuk",
    "middle": "tengah",
    "ring": "manis",
    "pinky": "kelingking",
}
# landmark chains: wrist (0) then the four joints of each finger
_CHAIN = {
    "thumb": (1, 2, 3, 4),
    "index": (5, 6, 7, 8),
    "middle": (9, 10, 11, 12),
    "ring": (13, 14, 15, 16),
    "pinky": (17, 18, 19, 20),
}
_BONES = [(0, 1), (1, 2), (2, 3), (3, 4), (0, 5), (5, 6), (6, 7), (7, 8), (5, 9), (9, 10)]
_BONES += [(10, 11), (11, 12), (9, 13), (13, 14), (14, 15), (15, 16), (13, 17), (0, 17)]
_BONES += [(17, 18), (18, 19), (19, 20)]

# which extended fingers make which rulebook pose
_POSES: dict[frozenset[str], str] = {
    frozenset({"thumb"}): "thumbs_up",
    frozenset({"index"}): "index_finger",
    frozenset({"index", "middle"}): "v_sign",
    frozenset({"index", "middle", "ring"}): "three",
    frozenset({"thumb", "index", "middle"}): "three",
    frozenset({"index", "middle", "ring", "pinky"}): "four",
    frozenset(FINGERS): "five",
    frozenset({"index", "pinky"}): "metal",
    frozenset({"thumb", "index", "pinky"}): "metal",
    frozenset({"thumb", "pinky"}): "phone",
    frozenset({"thumb", "index"}): "finger_gun",
    frozenset({"middle", "ring", "pinky"}): "ok_three",
    frozenset({"thumb", "middle", "ring", "pinky"}): "ok_three",
}
_POSE_ID = {
    "index_finger": "satu jari telunjuk",
    "v_sign": "dua jari (V)",
    "three": "tiga",
    "four": "empat",
    "five": "lima",
    "metal": "salam metal",
    "ok_three": "OK tiga jari",
    "thumbs_up": "acungan jempol",
    "finger_heart": "hati jari",
    "finger_gun": "pistol jari",
    "phone": "telepon",
    "fist": "kepalan tangan",
    "relaxed": "tangan santai",
    "none": "tidak ada pose",
}


@dataclass
class HandResult:
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 in pixels of the image given
    handedness: str  # "Left" / "Right": the person's own hand
    fingers: list[str]  # extended fingers, thumb included
    count: int
    pose: str  # rulebook pose code, or "relaxed" / "none"
    deliberate: bool
    score: float  # 0..1: confidence that this hand is making a deliberate sign
    landmarks: list[tuple[float, float]]  # 21 points in pixels of the image given
    reasons: list[str] = field(default_factory=list)  # readable geometry, Indonesian
    factors: dict[str, float] = field(default_factory=dict)  # the score's factors

    def to_json(self) -> dict[str, Any]:
        return {
            "box": list(self.box),
            "handedness": self.handedness,
            "fingers": list(self.fingers),
            "pose": self.pose,
            "deliberate": self.deliberate,
            "score": round(self.score, 3),
        }


@dataclass
class GestureResult:
    hands: list[HandResult]
    number_shown: int | None
    banned_pose: bool
    ms: float
    width: int
    height: int
    error: str | None = None  # the photo could not be read (the finding says so)
    numbers_seen: list[int] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "hands": [h.to_json() for h in self.hands],
            "number_shown": self.number_shown,
            "banned_pose": self.banned_pose,
            "ms": round(self.ms, 1),
        }


def matches_candidate(number_shown: int | None, elections: Sequence[ElectionIn]) -> int | None:
    """The ballot number of a candidate pair the shown number matches, in any election given."""
    if number_shown is None:
        return None
    for election in elections:
        for candidate in election.candidates:
            if candidate.number == number_shown:
                return candidate.number
    return None


# ---------------------------------------------------------------------------------------------
# image input


def load_image(image: Image.Image | Arr | str | Path) -> Arr:
    """Any photo as an RGB uint8 array: first frame, EXIF orientation, 16-bit, CMYK, alpha."""
    if isinstance(image, np.ndarray):
        return _array_rgb(image)
    if isinstance(image, str | Path):
        with Image.open(image) as im:
            im.load()
            return _pil_rgb(im)
    return _pil_rgb(image)


def _pil_rgb(im: Image.Image) -> Arr:
    if getattr(im, "n_frames", 1) > 1:
        im = next(iter(ImageSequence.Iterator(im))).copy()
    with contextlib.suppress(Exception):  # a broken EXIF block must not stop screening
        im = ImageOps.exif_transpose(im) or im
    if im.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        return _array_rgb(np.asarray(im))
    if im.mode == "P" and "transparency" in im.info:
        im = im.convert("RGBA")
    if im.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        im = im.convert("RGBA")
        bg = Image.new("RGBA", im.size, (255, 255, 255, 255))
        im = Image.alpha_composite(bg, im)
    return np.asarray(im.convert("RGB"))


def _array_rgb(a: Arr) -> Arr:
    if a.dtype != np.uint8:
        a = a.astype(np.float64)
        top = float(np.nanmax(a)) if a.size else 0.0
        if top > 255:
            a = a / (65535.0 if top <= 65535 else top) * 255.0
        elif 0 < top <= 1.0:
            a = a * 255.0
        a = np.clip(np.nan_to_num(a), 0, 255).astype(np.uint8)
    if a.ndim == 2:
        a = np.stack([a, a, a], axis=-1)
    elif a.ndim == 3 and a.shape[2] == 1:
        a = np.repeat(a, 3, axis=2)
    elif a.ndim == 3 and a.shape[2] == 4:
        a = a[:, :, :3]
    if a.ndim != 3 or a.shape[2] != 3:
        raise ValueError(f"not an image array: shape {a.shape}")
    return np.ascontiguousarray(a)


def _downscale(a: Arr) -> tuple[Arr, float]:
    h, w = a.shape[:2]
    scale = MAX_SIDE / max(h, w)
    if scale >= 1.0:
        return a, 1.0
    im = Image.fromarray(a).resize((round(w * scale), round(h * scale)), Image.Resampling.BILINEAR)
    return np.asarray(im), scale


# ---------------------------------------------------------------------------------------------
# geometry


def _angle(u: Arr, v: Arr) -> float:
    """Angle between two vectors, degrees."""
    nu, nv = float(np.linalg.norm(u)), float(np.linalg.norm(v))
    if nu < 1e-9 or nv < 1e-9:
        return 0.0
    c = float(np.dot(u, v)) / (nu * nv)
    return math.degrees(math.acos(max(-1.0, min(1.0, c))))


def _ramp(x: float, lo: float, hi: float) -> float:
    """0 at lo, 1 at hi, linear between (lo may be above hi for a falling ramp)."""
    if hi == lo:
        return 1.0 if x >= hi else 0.0
    t = (x - lo) / (hi - lo)
    return max(0.0, min(1.0, t))


@dataclass
class _Geometry:
    ext: dict[str, float]  # 0..1 how extended each finger is
    bend: dict[str, float]  # total bend of each finger, degrees
    curl: dict[str, float]  # tip distance to the palm centre, in palm lengths
    direction: dict[str, Arr]  # unit image-plane direction of each finger (y down)
    facing: float  # |palm normal . camera axis|: 1 palm or back to the camera, 0 side-on
    palm_px: float  # palm length in pixels
    pinch: float  # thumb tip to index tip, in palm lengths (the ring of an OK sign)


def _geometry(img: Arr) -> _Geometry:
    """Per-finger extension from the landmarks in 3-D (pixels, with MediaPipe's relative depth).

    MediaPipe's metric "world" landmarks bend the fingers of flat hands by 50 degrees or more at
    the knuckles, so the image landmarks (x, y in pixels, z in the same scale) are used instead.
    """
    palm_len = float(np.linalg.norm(img[9] - img[0])) or 1e-6
    centre = (img[0] + img[5] + img[9] + img[13] + img[17]) / 5.0
    ext: dict[str, float] = {}
    bend: dict[str, float] = {}
    curl: dict[str, float] = {}
    direction: dict[str, Arr] = {}
    for name, (a, b, c, d) in _CHAIN.items():
        length = sum(float(np.linalg.norm(img[y] - img[x])) for x, y in ((a, b), (b, c), (c, d)))
        straight = float(np.linalg.norm(img[d] - img[a])) / (length or 1e-6)  # 1: a straight line
        curl[name] = float(np.linalg.norm(img[d] - centre)) / palm_len
        if name == "thumb":
            # straight; pointing away from the little-finger side (a folded thumb crosses the
            # palm towards it, at 60-100 degrees to the knuckle line); tip off the palm
            across = _angle(img[4, :2] - img[1, :2], img[17, :2] - img[5, :2])
            away = float(np.linalg.norm(img[4] - img[13])) / palm_len
            ext[name] = (
                _ramp(straight, 0.80, 0.90) * _ramp(across, 105.0, 130.0) * _ramp(away, 0.5, 0.75)
            )
            bend[name] = across
        else:
            # straight along its three joints and not folded down at the knuckle
            knuckle = _angle(img[a] - img[0], img[d] - img[a])
            ext[name] = _ramp(straight, 0.75, 0.90) * _ramp(knuckle, 75.0, 45.0)
            bend[name] = knuckle
        v = img[d, :2] - img[b, :2] if name != "thumb" else img[4, :2] - img[2, :2]
        n = float(np.linalg.norm(v)) or 1e-6
        direction[name] = v / n
    normal = np.cross(img[5] - img[0], img[17] - img[0])
    nn = float(np.linalg.norm(normal)) or 1e-6
    facing = abs(float(normal[2])) / nn
    palm_px = float(np.linalg.norm(img[9, :2] - img[0, :2]))
    pinch = float(np.linalg.norm(img[4] - img[8])) / palm_len
    return _Geometry(ext, bend, curl, direction, facing, palm_px, pinch)


_UP = np.array([0.0, -1.0])  # image y runs down


def _up_factor(vec: Arr) -> float:
    """1 when a direction points up in the image, falling to 0 when it is horizontal or down."""
    ang = _angle(vec, _UP)  # 0 = straight up
    return _ramp(ang, 80.0, 45.0)


def _vertical_factor(vec: Arr) -> float:
    """1 when a direction is vertical (up or down), 0 when horizontal."""
    ang = _angle(vec, _UP)
    ang = min(ang, 180.0 - ang)
    return _ramp(ang, 65.0, 35.0)


def _classify(
    g: _Geometry, image_diag: float, handed: str, hand_conf: float
) -> tuple[list[str], str, float, list[str], dict[str, float]]:
    """Extended fingers, pose code, deliberate score, readable reasons, factors."""
    extended = [f for f in FINGERS if g.ext[f] >= 0.5]
    folded = [f for f in FINGERS if f not in extended]
    key = frozenset(extended)
    pose = _POSES.get(key)
    reasons: list[str] = []
    factors: dict[str, float] = {}

    if not extended:
        tight = all(g.curl[f] < 0.95 for f in FINGERS if f != "thumb")
        pose_code = "fist" if tight else "relaxed"
        return [], pose_code, 0.0, ["tidak ada jari yang terangkat lurus"], factors

    # every finger clearly up or clearly down (not half-bent around something)
    clarity = min(abs(2.0 * g.ext[f] - 1.0) for f in FINGERS)
    factors["jelas"] = _ramp(clarity, 0.2, 0.7)
    # folded fingers really curled into the palm
    if folded:
        worst = max(g.curl[f] for f in folded if f != "thumb") if set(folded) - {"thumb"} else 0
        factors["terlipat"] = _ramp(worst, 1.25, 0.95) if worst else 1.0
    raised = [f for f in extended if f != "thumb"]
    if pose == "ok_three":
        # the OK sign: the thumb and index tips meet, making a ring
        factors["cincin"] = _ramp(g.pinch, 0.45, 0.25)
    if pose == "phone":
        # thumb and little finger stretched apart in opposite directions, held in any direction
        opened = _angle(g.direction["thumb"], g.direction["pinky"])
        factors["berlawanan"] = _ramp(opened, 30.0, 70.0)
    elif pose == "finger_gun":
        # an L of thumb and index finger, shown with the index up (a hand reaching for or
        # holding something makes the same L sideways)
        opened = _angle(g.direction["thumb"], g.direction["index"])
        factors["bentuk_L"] = _ramp(opened, 35.0, 60.0)
        factors["ke_atas"] = _up_factor(g.direction["index"])
    elif raised:
        ups = [_up_factor(g.direction[f]) for f in raised]
        factors["ke_atas"] = float(np.mean(ups))
        factors["menghadap"] = _ramp(g.facing, 0.25, 0.55)
    else:  # thumb only: vertical, up or down
        factors["tegak"] = _vertical_factor(g.direction["thumb"])
    if len(raised) >= 2:
        spreads = []
        for a, b in itertools.pairwise(raised):
            spreads.append(_angle(g.direction[a], g.direction[b]))
        spread = float(np.mean(spreads))
        if pose in ("four", "five", "ok_three"):
            # fingers held apart on purpose (about 7 degrees or more between neighbours); a flat
            # relaxed hand, on a shoulder, an arm or round a phone, keeps them touching (0-4)
            factors["renggang"] = _ramp(spread, 3.0, 7.0)
        else:
            factors["renggang"] = _ramp(spread, 0.0, 10.0)
    # the hand is big enough for the landmarks to be trusted
    rel = g.palm_px / max(image_diag, 1.0)
    factors["ukuran"] = _ramp(g.palm_px, 8.0, 20.0)
    factors["keyakinan"] = _ramp(hand_conf, 0.5, 0.8)
    score = 1.0
    for v in factors.values():
        score *= v
    if pose is None:
        pose = "relaxed"
        score = min(score, 0.3)
    names = ", ".join(FINGER_ID[f] for f in extended)
    reasons.append(f"{names} terangkat lurus")
    if folded:
        reasons.append(", ".join(FINGER_ID[f] for f in folded) + " terlipat")
    if "renggang" in factors:
        reasons.append("jari terentang" if factors["renggang"] >= 0.5 else "jari rapat")
    if "menghadap" in factors:
        reasons.append(
            "telapak/punggung tangan menghadap kamera"
            if factors["menghadap"] >= 0.5
            else "tangan menyamping"
        )
    if "ke_atas" in factors:
        reasons.append(
            "jari mengarah ke atas" if factors["ke_atas"] >= 0.5 else "jari tidak ke atas"
        )
    if "tegak" in factors:
        up = g.direction["thumb"][1] < 0
        reasons.append("ibu jari mengarah ke " + ("atas" if up else "bawah"))
    if factors.get("jelas", 1.0) < 0.5:
        reasons.append("jari setengah menekuk (seperti memegang sesuatu)")
    if factors.get("terlipat", 1.0) < 0.5:
        reasons.append("jari yang terlipat tidak menggenggam rapat")
    if factors["ukuran"] < 1.0:
        reasons.append(f"tangan kecil di foto ({rel:.1%} diagonal)")
    return extended, pose, max(0.0, min(1.0, score)), reasons, factors


# ---------------------------------------------------------------------------------------------
# the screener


class GestureScreener:
    """Hands and finger-number poses in photos. Load once per worker; `analyze` per photo."""

    def __init__(self, *, rulebook: Rulebook | None = None) -> None:
        import mediapipe as mp

        self.rulebook = rulebook or load_rulebook()
        self._poses = {p.code: p for p in self.rulebook.poses}
        self._hands = mp.solutions.hands.Hands(
            static_image_mode=True,
            max_num_hands=MAX_HANDS,
            model_complexity=1,
            min_detection_confidence=DETECTION_CONFIDENCE,
        )
        self._lock = threading.Lock()  # a MediaPipe graph is not safe to call from two threads
        self.model = f"mediapipe {mp.__version__} hands full; rulebook {self.rulebook.version}"

    def close(self) -> None:
        self._hands.close()

    # -- detection
    def _detect(self, a: Arr) -> list[tuple[Arr, Arr, str, float]]:
        with self._lock:
            res = self._hands.process(a)
        out: list[tuple[Arr, Arr, str, float]] = []
        if not res.multi_hand_landmarks:
            return out
        h, w = a.shape[:2]
        worlds = res.multi_hand_world_landmarks or [None] * len(res.multi_hand_landmarks)
        for lm, wl, hd in zip(res.multi_hand_landmarks, worlds, res.multi_handedness, strict=False):
            img = np.array([[p.x * w, p.y * h, p.z * w] for p in lm.landmark], dtype=np.float64)
            if wl is not None:
                world = np.array([[p.x, p.y, p.z] for p in wl.landmark], dtype=np.float64)
            else:  # pragma: no cover - the full model always gives world landmarks
                world = img.copy()
            cls = hd.classification[0]
            out.append((img, world, str(cls.label), float(cls.score)))
        return out

    def _detect_tiled(self, a: Arr) -> list[tuple[Arr, Arr, str, float]]:
        h, w = a.shape[:2]
        boxes: list[tuple[int, int, int, int]] = []
        if max(h, w) / max(1, min(h, w)) >= TILE_ASPECT:
            s = min(h, w)
            n = math.ceil(max(h, w) / s)
            starts = np.linspace(0, max(h, w) - s, n).round().astype(int)
            for st in starts:
                boxes.append(
                    (0, int(st), w, int(st) + s) if h > w else (int(st), 0, int(st) + s, h)
                )
        elif max(h, w) >= TILE_LONG_SIDE:
            th, tw = int(h * 0.6), int(w * 0.6)
            boxes = [(x, y, x + tw, y + th) for y in (0, h - th) for x in (0, w - tw)]
        found: list[tuple[Arr, Arr, str, float]] = []
        for x0, y0, x1, y1 in boxes:
            for img, world, hand, conf in self._detect(np.ascontiguousarray(a[y0:y1, x0:x1])):
                img = img.copy()
                img[:, 0] += x0
                img[:, 1] += y0
                if not any(_iou(_box(img), _box(o[0])) > 0.4 for o in found):
                    found.append((img, world, hand, conf))
        return found

    # -- one photo
    def analyze(self, image: Image.Image | Arr | str | Path) -> GestureResult:
        t0 = time.perf_counter()
        try:
            a = load_image(image)
        except Exception as exc:  # unreadable, truncated, not an image
            ms = (time.perf_counter() - t0) * 1000
            return GestureResult([], None, False, ms, 0, 0, error=f"{type(exc).__name__}: {exc}")
        height, width = a.shape[:2]
        if min(height, width) < MIN_SIDE:
            ms = (time.perf_counter() - t0) * 1000
            return GestureResult([], None, False, ms, width, height)
        small, scale = _downscale(a)
        raw = self._detect(small)
        if not raw:
            raw = self._detect_tiled(small)
        diag = math.hypot(*small.shape[:2])
        hands = []
        for img, world, handed, conf in raw:
            hands.append(self._hand(img, world, handed, conf, diag, scale))
        hands.sort(key=lambda h: -h.score)
        result = GestureResult(hands, None, False, 0.0, width, height)
        self._photo_level(result)
        result.ms = (time.perf_counter() - t0) * 1000
        return result

    def _hand(
        self,
        img: Arr,
        world: Arr,
        handed: str,
        conf: float,
        diag: float,
        scale: float,
    ) -> HandResult:
        g = _geometry(img)
        fingers, pose, score, reasons, factors = _classify(g, diag, handed, conf)
        banned = bool(pose in self._poses and self._poses[pose].banned)
        deliberate = banned and score >= DELIBERATE
        pts = [(float(x) / scale, float(y) / scale) for x, y in img[:, :2]]
        return HandResult(
            box=_box(np.array(pts)),
            handedness=handed,
            fingers=fingers,
            count=len(fingers) if pose != "ok_three" else 3,
            pose=pose,
            deliberate=deliberate,
            score=round(score, 4),
            landmarks=pts,
            reasons=reasons,
            factors={k: round(v, 3) for k, v in factors.items()},
        )

    def _photo_level(self, result: GestureResult) -> None:
        signs = [h for h in result.hands if h.deliberate]
        result.banned_pose = bool(signs)
        numbers = []
        for h in signs:
            number = self._poses[h.pose].number if h.pose in self._poses else None
            if number is not None:
                numbers.append(number)
        result.numbers_seen = numbers
        if numbers and len(set(numbers)) == 1:
            result.number_shown = numbers[0]

    # -- the finding staff see
    def finding(self, result: GestureResult, elections: Sequence[ElectionIn] = ()) -> Finding:
        data = result.to_json()
        match = matches_candidate(result.number_shown, elections)
        data["matches_candidate"] = match
        why: list[str] = []
        if result.error:
            why.append(f"foto tidak dapat dibaca ({result.error}); tidak ada tangan diperiksa")
        for h in result.hands:
            side = "kanan" if h.handedness == "Right" else "kiri"
            name = _POSE_ID.get(h.pose, h.pose)
            number = self._poses[h.pose].number if h.pose in self._poses else None
            text = f"tangan {side}: " + "; ".join(h.reasons)
            text += f" → pose '{name}'"
            if number is not None and h.deliberate:
                text += f" (angka {number})"
            if h.deliberate:
                if match is not None and number == match:
                    text += f", cocok dengan nomor urut paslon {match}"
                text += f" [skor {h.score:.2f}]"
            elif h.pose not in ("fist", "relaxed", "none"):
                text += f", tidak dianggap disengaja [skor {h.score:.2f} < {DELIBERATE}]"
            elif h.pose == "fist":
                text += " (diperbolehkan)"
            why.append(text)
        if len(set(result.numbers_seen)) > 1:
            seen = ", ".join(str(n) for n in result.numbers_seen)
            why.append(f"tangan menunjukkan angka berbeda ({seen}): nomor tidak disimpulkan")
        if result.banned_pose:
            label = "banned_pose"
            score = max(h.score for h in result.hands if h.deliberate)
        elif not result.hands:
            label = "no_hands"
            score = 0.0
            if not result.error:
                why.append("tidak ada tangan terdeteksi di foto")
        elif any(h.pose in self._poses and not self._poses[h.pose].banned for h in result.hands):
            label = "allowed_pose"
            score = 0.0
        else:
            label = "no_gesture"
            score = max((h.score for h in result.hands), default=0.0)
        return Finding(
            kind="gesture",
            label=label,
            score=round(score, 3),
            why=why,
            data=data,
            model=self.model,
            ms=round(result.ms, 1),
        )


def _box(pts: Arr) -> tuple[int, int, int, int]:
    xs, ys = pts[:, 0], pts[:, 1]
    return (int(xs.min()), int(ys.min()), math.ceil(xs.max()), math.ceil(ys.max()))


def _iou(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


# ---------------------------------------------------------------------------------------------
# the annotated image


def annotate(image: Image.Image | Arr | str | Path, result: GestureResult) -> Image.Image:
    """The photo with each hand's skeleton, landmarks, box and pose label drawn on it."""
    try:
        im = Image.fromarray(load_image(image))
    except Exception:
        im = Image.new("RGB", (max(1, result.width), max(1, result.height)), "gray")
    draw = ImageDraw.Draw(im)
    lw = max(1, round(max(im.size) / 400))
    for h in result.hands:
        colour = (220, 30, 30) if h.deliberate else (30, 160, 60)
        pts = h.landmarks
        for a, b in _BONES:
            draw.line([pts[a], pts[b]], fill=(255, 255, 255), width=lw)
        for x, y in pts:
            r = lw + 1
            draw.ellipse([x - r, y - r, x + r, y + r], fill=colour)
        draw.rectangle(h.box, outline=colour, width=lw)
        label = f"{h.pose} {h.count} {h.score:.2f}"
        tx, ty = h.box[0], max(0, h.box[1] - 12)
        draw.rectangle([tx, ty, tx + 7 * len(label), ty + 11], fill=colour)
        draw.text((tx + 1, ty), label, fill=(255, 255, 255))
    return im
