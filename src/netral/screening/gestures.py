"""Finger-number poses in photos: which hands make a deliberate sign, and which number it shows.

MediaPipe Hands (the full models shipped inside the mediapipe 0.10.x wheel) gives 21 landmarks per
hand. Counting fingers from them is easy; the hard part is telling a deliberate sign from a hand
that rests, holds something or gestures while speaking. A hand is read as a sign only when the
geometry says so:

- **straight** raised fingers (joint angles in 3-D, not just tip-beyond-joint), and folded
  fingers **really folded**: tips in the palm and bent at their joints as a fold is (fingers
  wrapped round a phone, a cup or a pen bend about half as much: the `genggam` factor);
- raised fingers pointing **up** (or the thumb vertical and clear of the fist, or a V spread
  wide and held sideways), the palm or back **facing the camera**, four or five raised fingers
  **spread** apart, a hand big enough for its landmarks to be trusted.

Each test gives a factor in 0..1 and the hand's `score` is their product. The constants are angles
and ratios from hand anatomy, not fitted to a set of photos.

**The law is data.** Which straight fingers make which pose, the fingers a person counts and the
ballot number each shape signals are the rulebook's `poses[].shapes` (thumb-first counting: thumb
and index is two, the L sign; "salam metal" with the thumb is three); whether one person's open hand
and other hand add up (5 + n) is `pose_counting`. A finger heart holds no finger straight, so it is
told by geometry: thumb and index tips crossed above the knuckles, the other fingers folded.

**Context** (only for hands already read as signs whose shape a resting, speaking or holding hand
also makes: one finger, four, five, a finger heart, a thumb down; context only ever lowers a
score, except for the last rule below):
- the hand's height against the person's **face** (MediaPipe face detection, ~1.5 ms; the
  full-range model for far people) or, when no face is near a single raised finger, the
  **body** (MediaPipe Pose at `model_complexity=1`, the only one that runs offline, ~30 ms):
  fingertips below the shoulder line are a hand speaking or resting (a raised index in a
  meeting), not a sign; a flat hand on the chest is the allowed `hand_on_chest`;
- a finger heart counts only on a person: with no face or body near, crossed tips are as likely
  a pinch on an object;
- a thumb pointing down from a hand at the waist or lower is an arm hanging at the side;
- a flat hand with the fingers together (a wave, a stop palm, an oath) is a sign only when
  raised over its person's head and clear of the face: held lower, it is a hand at rest.

**Whose hand.** MediaPipe Hands labels hands as if the photo were a mirrored selfie; a photo as the
camera saw it shows the other hand, so its label is swapped. When the body model ran, the nearest
of the person's own wrists decides. `why` says which basis it used.

**Small or far hands.** When a photo of 900 px or more shows no hand, or only small ones, far
people are looked for with the full-range face model (in the photo's quarters too when it is
large): one far face gets a crop around it, two or more (a group photo, a crowd selfie) a 3 x 2
grid of overlapping tiles. A photo with no hand and no far face is searched in square crops when
long and thin, or 2 x 2 tiles when large. `grid="always"` searches every large photo without a
sizable hand (more recall on tiny hands, at ~6 more hand-model calls on such photos).

`number_shown`: the number the signing hands agree on; one person's five and n make 5 + n;
otherwise different numbers give None (`why` lists them) while `banned_pose` stays true.

A lone thumb is read as the rulebook's `thumbs_up` whether it points up or down: a thumbs-down
also shows one finger, and a person decides what it meant (the direction is written in `why`).
Its tip must stand clear of the fist: a fist at rest or a grip often has its thumb lying along
the curled index, straight and upright, which group photos are full of.
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
RETRY_SIDE = 900  # smaller photos get no grid for far people (phone photos are larger)
SMALL_PALM = 0.03  # hands this small (palm / photo diagonal) mean people are far: look closer
# a palm this share of the photo's short side or more belongs to someone near the camera, whose
# face (about 1.5 palms high) the short-range face model finds when it is in the photo at all
NEAR_PALM = 0.1
SMALL_FACE = 0.1  # a face under this share of the long side: people are far, hands small
QUARTER_SIDE = 1400  # only photos this large hide faces too small for the face model
GRID_FACES = 2  # this many far faces: a group photo, searched in a grid; one: a crop around it
FACE_CROP = 6.0  # a far face's crop: this many face heights square
DELIBERATE = 0.5  # a hand with score >= this is read as a deliberate sign
# a palm (wrist to middle knuckle) this many pixels long or less gives landmarks too coarse to
# tell a sign by; from SURE_PALM up they are trusted
MIN_PALM, SURE_PALM = 8.0, 20.0
HEART_MIN = 0.25  # a finger heart's geometry scores at least this to be reported as one
# A flat hand with its fingers together is a sign only when held up over the head: its
# fingertips this many head heights above the shoulder line (the brow is about 1.6, the crown
# about 2.1; a hand on a shelf or a door at head height reaches 1.5-1.8); its other factors at
# least FLAT_SURE
HIGH_PALM, FLAT_SURE = 2.5, 0.8
# The knuckle line (index to little-finger knuckle) is about 0.75-0.8 of the palm's length. A
# palm tilted towards or away from the camera (a fist shown knuckles first) looks shorter, its
# knuckle line does not: the hand's scale is the longer of the palm and knuckles / this
KNUCKLE_SHARE = 0.8
# A thumbs-up's thumb stands clear of the fist: its tip this many palm lengths beyond every
# other point of the hand along the thumb (the fist's curled fingers reach ~0.1 beyond the thumb
# tip of a hand whose thumb lies along them: a loose fist, a grip)
THUMB_CLEAR = (0.1, 0.25)
# The angle between thumb and index (degrees) over which they open into an L; under the first,
# the thumb lies alongside the index
L_OPEN = (35.0, 60.0)
# The angle (degrees) between index and middle finger over which they open into a V that needs
# no pointing up to be read as shown (a V held sideways)
V_SPREAD = (15.0, 25.0)
# A hand this many head heights or more below the chin hangs at the waist or lower: a thumb
# pointing down there is an arm hanging at the side (a thumbs-down is shown at the chest or higher)
HANGING = 3.0
GESTURES_VERSION = "5"  # bump when the geometry or the context rules change

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

# names of the two readings that are no rulebook pose (every pose's name is the rulebook's)
_NO_POSE_ID = {"relaxed": "tangan santai", "none": "tidak ada pose"}


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
    number: int | None = None  # the ballot number this hand's pose signals (rulebook)
    handedness_from: str = "bentuk tangan"  # "bentuk tangan" or "kerangka tubuh"
    person: str | None = None  # what the hand's height was judged against, if anything

    def to_json(self) -> dict[str, Any]:
        return {
            "box": list(self.box),
            "handedness": self.handedness,
            "fingers": list(self.fingers),
            "count": self.count,
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
    added: bool = False  # number_shown is two hands of one person added (5 + n)

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
    flex: dict[str, float]  # summed flexion at the three joints of each finger, degrees
    direction: dict[str, Arr]  # unit image-plane direction of each finger (y down)
    facing: float  # |palm normal . camera axis|: 1 palm or back to the camera, 0 side-on
    palm_px: float  # palm length in pixels
    pinch: float  # thumb tip to index tip, in palm lengths (the ring of an OK sign)
    thumb_clear: float  # how far the thumb tip stands beyond the rest of the hand, palm lengths
    img: Arr  # the 21 landmarks (x, y, z) in pixels


def _palm_px(img: Arr) -> float:
    """Wrist to middle knuckle in the image, pixels: the hand's size."""
    return float(np.linalg.norm(img[9, :2] - img[0, :2]))


def _hand_scale(img: Arr) -> float:
    """The palm's length in 3-D pixels, or the knuckle line's over KNUCKLE_SHARE when that is
    longer: a palm seen end-on (a fist shown knuckles first) is foreshortened, its width is not."""
    palm = float(np.linalg.norm(img[9] - img[0]))
    knuckles = float(np.linalg.norm(img[17] - img[5])) / KNUCKLE_SHARE
    return max(palm, knuckles) or 1e-6


def _thumb_clear(img: Arr, scale: float) -> float:
    """How far the thumb tip lies beyond every finger point along the thumb's own direction, in
    the image, in hand scales: a thumbs-up's thumb stands out of the fist, a loose fist's thumb
    lies along the curled index finger (about level with its middle joint, or short of it)."""
    way = img[4, :2] - img[2, :2]
    way = way / (float(np.linalg.norm(way)) or 1e-6)
    along = img[:, :2] @ way
    return float(along[4] - along[5:].max()) / scale


def _geometry(img: Arr) -> _Geometry:
    """Per-finger extension from the landmarks in 3-D (pixels, with MediaPipe's relative depth).

    MediaPipe's metric "world" landmarks bend the fingers of flat hands by 50 degrees or more at
    the knuckles, so the image landmarks (x, y in pixels, z in the same scale) are used instead.
    Distances are in hand scales (`_hand_scale`: the palm's length unless it is foreshortened).
    """
    palm_len = _hand_scale(img)
    centre = (img[0] + img[5] + img[9] + img[13] + img[17]) / 5.0
    ext: dict[str, float] = {}
    bend: dict[str, float] = {}
    curl: dict[str, float] = {}
    flex: dict[str, float] = {}
    direction: dict[str, Arr] = {}
    for name, (a, b, c, d) in _CHAIN.items():
        length = sum(float(np.linalg.norm(img[y] - img[x])) for x, y in ((a, b), (b, c), (c, d)))
        straight = float(np.linalg.norm(img[d] - img[a])) / (length or 1e-6)  # 1: a straight line
        curl[name] = float(np.linalg.norm(img[d] - centre)) / palm_len
        flex[name] = (
            _angle(img[a] - img[0], img[b] - img[a])
            + _angle(img[b] - img[a], img[c] - img[b])
            + _angle(img[c] - img[b], img[d] - img[c])
        )
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
    palm_px = _palm_px(img)
    pinch = float(np.linalg.norm(img[4] - img[8])) / palm_len
    clear = _thumb_clear(img, palm_len)
    return _Geometry(ext, bend, curl, flex, direction, facing, palm_px, pinch, clear, img)


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


@dataclass(frozen=True)
class _Shape:
    pose: str
    count: int  # fingers a person reads
    number: int | None  # ballot number signalled


def shape_table(rulebook: Rulebook) -> dict[frozenset[str], _Shape]:
    """Which straight fingers make which rulebook pose: the rulebook's `shapes`, not code."""
    table: dict[frozenset[str], _Shape] = {}
    for pose in rulebook.poses:
        for shape in pose.shapes:
            number = shape.number if shape.number is not None else pose.number
            table[frozenset(shape.fingers)] = _Shape(pose.code, shape.shown, number)
    return table


def _finger_heart(g: _Geometry) -> dict[str, float]:
    """Factors of a finger heart: thumb and index tips crossed above a fist, shown upwards.

    A pen or a pinch of salt is held with the same crossed tips, so the crossing must sit off the
    palm, above the knuckles, with the other three fingers folded.
    """
    img = g.img
    cross = (img[4] + img[8]) / 2.0
    reach = float(np.linalg.norm(cross[:2] - img[0, :2])) / (
        float(np.linalg.norm(img[5, :2] - img[0, :2])) or 1e-6
    )
    others = max(g.curl[f] for f in ("middle", "ring", "pinky"))
    # crossed, not meeting: the thumb tip passes the index's last joint; tips that meet end to
    # end (an OK ring, a grip, a pinch) leave it about a fingertip's length short of it
    past = float(np.linalg.norm(img[4] - img[7])) / (float(np.linalg.norm(img[9] - img[0])) or 1e-6)
    return {
        "ujung_bersilang": _ramp(g.pinch, 0.40, 0.22),
        "melewati_sendi": _ramp(past, 0.35, 0.25),
        "telunjuk_setengah": _ramp(g.curl["index"], 0.75, 1.0),
        "jari_lain_terlipat": _ramp(others, 1.15, 0.9),
        "di_atas_buku_jari": _ramp(reach, 1.0, 1.25),
        "ke_atas": _up_factor(cross[:2] - img[0, :2]),
    }


def _sideways_l(g: _Geometry, extended: list[str], pose: str | None) -> float:
    """How much the hand is a sideways L: thumb up, one or two fingers opened away from it.

    Not for flat hands (a hand held out to shake is a sideways L of four fingers), OK signs (the
    thumb is in the ring) or the phone sign (its own rule)."""
    raised = [f for f in extended if f != "thumb"]
    if "thumb" not in extended or not 1 <= len(raised) <= 2 or pose in ("ok_three", "phone"):
        return 0.0
    fingers = np.mean([g.direction[f] for f in raised], axis=0)
    opened = _angle(g.direction["thumb"], fingers)
    return _up_factor(g.direction["thumb"]) * _ramp(opened, *L_OPEN)  # as the upright L


def _sideways_v(g: _Geometry) -> float:
    """How much index and middle finger make a V held sideways: spread apart (15-25 degrees or
    more; fingers pointing or reaching together keep them near parallel) and not pointing down
    (a hand hanging or walking its fingers)."""
    spread = _angle(g.direction["index"], g.direction["middle"])
    down = float((g.direction["index"][1] + g.direction["middle"][1]) / 2)
    return _ramp(spread, *V_SPREAD) * _ramp(down, 0.6, 0.3)


def _thumb_alongside(g: _Geometry) -> bool:
    """Thumb and index straight and pointing the same way, under the angle an L opens to."""
    return _angle(g.direction["thumb"], g.direction["index"]) < L_OPEN[0]


def _classify(
    g: _Geometry, table: dict[frozenset[str], _Shape]
) -> tuple[list[str], _Shape | None, float, list[str], dict[str, float]]:
    """Straight fingers, the rulebook shape they make, deliberate score, reasons, factors."""
    extended = [f for f in FINGERS if g.ext[f] >= 0.5]
    reasons: list[str] = []
    factors: dict[str, float] = {}
    if set(extended) == {"thumb", "index"} and _thumb_alongside(g):
        # a thumb held straight beside a raised index, not opened into an L, shows nothing of
        # its own: the hand shows the index's one
        extended = ["index"]
        reasons.append("ibu jari merapat di sisi telunjuk (tidak membentuk huruf L)")
    folded = [f for f in FINGERS if f not in extended]
    shape = table.get(frozenset(extended))
    pose = shape.pose if shape else None

    if set(extended) <= {"thumb", "index"}:
        # a finger heart holds no finger straight: it has no shape in the rulebook's table
        heart = _finger_heart(g)
        if math.prod(heart.values()) >= HEART_MIN:
            factors = dict(heart)
            factors["ukuran"] = _ramp(g.palm_px, MIN_PALM, SURE_PALM)
            score = math.prod(factors.values())
            reasons = [
                "ujung ibu jari dan telunjuk bersilang di atas kepalan",
                "jari tengah, manis, kelingking terlipat",
            ]
            heart_shape = _Shape("finger_heart", 0, None)
            return [], heart_shape, score, reasons, factors

    if not extended:
        tight = all(g.curl[f] < 0.95 for f in FINGERS if f != "thumb")
        if tight and shape is not None:
            return [], shape, 0.0, ["semua jari terlipat rapat (kepalan)"], factors
        return [], None, 0.0, ["tidak ada jari yang terangkat lurus"], factors

    # an OK sign's thumb and index make its ring, half bent by design: the ring factor judges
    # them, and the clarity and fold factors the other fingers
    ring = ("thumb", "index") if pose == "ok_three" else ()
    # every finger clearly up or clearly down (not half-bent around something)
    clarity = min(abs(2.0 * g.ext[f] - 1.0) for f in FINGERS if f not in ring)
    factors["jelas"] = _ramp(clarity, 0.2, 0.7)
    # folded fingers really curled into the palm, and bent at their joints as a fold is: fingers
    # wrapped round a phone, a cup or a pen bend about half as much (~90-140 degrees in all)
    rest = [f for f in folded if f != "thumb" and f not in ring]
    if rest:
        worst = max(g.curl[f] for f in rest)
        factors["terlipat"] = _ramp(worst, 1.25, 0.95)
        factors["genggam"] = _ramp(float(np.mean([g.flex[f] for f in rest])), 115.0, 150.0)
    raised = [f for f in extended if f != "thumb"]
    sideways = _sideways_l(g, extended, pose)
    upright = float(np.mean([_up_factor(g.direction[f]) for f in raised])) if raised else 0.0
    if pose == "ok_three":
        # the OK sign: the thumb and index tips meet, making a ring
        factors["cincin"] = _ramp(g.pinch, 0.45, 0.25)
    if pose == "phone":
        # thumb and little finger stretched apart in opposite directions, held in any direction
        opened = _angle(g.direction["thumb"], g.direction["pinky"])
        factors["berlawanan"] = _ramp(opened, 30.0, 70.0)
    elif pose == "finger_gun":
        # an L of thumb and index finger, either finger pointing up (a hand reaching for or
        # holding something makes the same L pointing sideways or down)
        opened = _angle(g.direction["thumb"], g.direction["index"])
        factors["bentuk_L"] = _ramp(opened, *L_OPEN)
        factors["ke_atas"] = max(_up_factor(g.direction["index"]), _up_factor(g.direction["thumb"]))
    elif raised and sideways > upright:
        # the thumb up and one or two fingers opened away from it, pointing forward: a finger
        # gun, the L turned on its side, shown as plainly as the same fingers held upright (and,
        # like the L, turned side-on, so whether the palm faces the camera does not matter; its
        # fingers are held together, so neither does their spread)
        factors["bentuk_L"] = sideways
    elif raised:
        # a V held sideways (across the eye, a common selfie pose) is told by its spread
        sideways_v = _sideways_v(g) if pose == "v_sign" else 0.0
        factors["ke_atas"] = max(upright, sideways_v)
        if sideways_v > upright:
            reasons.append("telunjuk dan jari tengah terbuka membentuk V menyamping")
        if pose != "ok_three":
            # an OK sign is turned side-on so that the camera sees its ring, which already
            # says the hand is shown on purpose
            factors["menghadap"] = _ramp(g.facing, 0.25, 0.55)
    else:  # thumb only: vertical, up or down, and standing out of the fist
        factors["tegak"] = _vertical_factor(g.direction["thumb"])
        factors["menonjol"] = _ramp(g.thumb_clear, *THUMB_CLEAR)
    if len(raised) >= 2 and "bentuk_L" not in factors and pose in FLAT_POSES:
        spreads = []
        for a, b in itertools.pairwise(raised):
            spreads.append(_angle(g.direction[a], g.direction[b]))
        # fingers held apart on purpose (about 7 degrees or more between neighbours); a flat
        # relaxed hand, on a shoulder, an arm or round a phone, keeps them touching (0-4). Two or
        # three fingers up with the others folded, or with an OK ring, show their number held
        # apart or together.
        factors["renggang"] = _ramp(float(np.mean(spreads)), 3.0, 7.0)
    # the hand is big enough for the landmarks to be trusted
    factors["ukuran"] = _ramp(g.palm_px, MIN_PALM, SURE_PALM)
    # MediaPipe's handedness score is how sure it is of left or right, not of a hand: a thumb
    # or a hand seen side-on is as much a sign when its side is unclear, so it is not a factor
    score = math.prod(factors.values())
    if shape is None:
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
    if "bentuk_L" in factors:
        reasons.append(
            "ibu jari dan jari lain membentuk huruf L"
            if factors["bentuk_L"] >= 0.5
            else "ibu jari dan jari lain tidak membentuk huruf L"
        )
    if "tegak" in factors:
        up = g.direction["thumb"][1] < 0
        reasons.append("ibu jari mengarah ke " + ("atas" if up else "bawah"))
    if "menonjol" in factors:
        reasons.append(
            "ujung ibu jari menonjol jelas di luar kepalan"
            if factors["menonjol"] >= 0.5
            else "ibu jari menempel di sepanjang jari yang terlipat (kepalan longgar atau "
            "genggaman, bukan jempol yang diacungkan)"
        )
    if factors.get("jelas", 1.0) < 0.5:
        reasons.append("jari setengah menekuk (seperti memegang sesuatu)")
    if factors.get("terlipat", 1.0) < 0.5 or factors.get("genggam", 1.0) < 0.5:
        reasons.append("jari yang terlipat melingkar longgar (seperti menggenggam benda)")
    if factors["ukuran"] < 1.0:
        reasons.append(f"tangan kecil di foto (telapak {g.palm_px:.0f} piksel)")
    return extended, shape, max(0.0, min(1.0, score)), reasons, factors


# ---------------------------------------------------------------------------------------------
# context: where the hand is against the person's face and shoulders


@dataclass
class _Person:
    """One person near a hand: a face (cheap) or the body's landmarks (MediaPipe Pose)."""

    source: str  # "wajah" or "kerangka tubuh"
    shoulder_y: float  # the shoulder line, pixels
    unit: float  # about one head height, pixels
    centre_x: float
    chin_y: float
    torso: tuple[float, float, float, float] | None = None  # x0, y0, x1, y1 of the chest
    face: tuple[float, float, float, float] | None = None  # x0, y0, x1, y1, when a face was seen
    wrists: dict[str, tuple[float, float]] = field(default_factory=dict)  # "Left"/"Right"


def _people_from_faces(boxes: list[tuple[float, float, float, float]]) -> list[_Person]:
    out = []
    for x0, y0, x1, y1 in boxes:
        h, w = y1 - y0, x1 - x0
        # a face box runs brow to chin; the shoulder line sits about 0.6 of it below the chin,
        # the chest spans about three face widths and reaches two face heights below the chin
        chin = y1
        out.append(
            _Person(
                "wajah",
                shoulder_y=chin + 0.6 * h,
                unit=h,
                centre_x=(x0 + x1) / 2,
                chin_y=chin,
                torso=(
                    (x0 + x1) / 2 - 1.5 * w,
                    chin + 0.3 * h,
                    (x0 + x1) / 2 + 1.5 * w,
                    chin + 2.6 * h,
                ),
                face=(x0, y0, x1, y1),
            )
        )
    return out


def _person_from_pose(lm: Arr) -> _Person | None:
    """Shoulders, hips and wrists of the one person MediaPipe Pose finds (pixels, visibility)."""
    ls, rs, lh, rh = lm[11], lm[12], lm[23], lm[24]
    if min(ls[3], rs[3]) < 0.5:
        return None
    width = float(np.linalg.norm(ls[:2] - rs[:2]))
    if width < 4:
        return None
    unit = width / 1.8  # shoulders are about 1.8 head heights wide
    shoulder_y = float(ls[1] + rs[1]) / 2
    hip_y = float(lh[1] + rh[1]) / 2 if min(lh[3], rh[3]) >= 0.5 else shoulder_y + 2.6 * unit
    x0, x1 = sorted((float(ls[0]), float(rs[0])))
    wrists = {}
    # Pose names the person's own left and right, from the whole body (no mirror assumption)
    for side, i in (("Left", 15), ("Right", 16)):
        if lm[i][3] >= 0.3:
            wrists[side] = (float(lm[i][0]), float(lm[i][1]))
    return _Person(
        "kerangka tubuh",
        shoulder_y=shoulder_y,
        unit=unit,
        centre_x=(x0 + x1) / 2,
        chin_y=shoulder_y - 0.6 * unit,
        torso=(x0, shoulder_y, x1, shoulder_y + 0.75 * (hip_y - shoulder_y)),
        wrists=wrists,
    )


def _near(person: _Person, img: Arr, palm_px: float) -> bool:
    """Could this hand belong to this person (close enough, and of a matching size)?"""
    hx = float(img[:, 0].mean())
    hy = float(img[:, 1].mean())
    size = palm_px / max(person.unit, 1.0)  # a palm is about 0.5-0.8 of a face's height
    if person.wrists:
        # (the body model also "finds" shoulders in a close-up of a hand: sizes then disagree)
        return 0.2 <= size <= 1.6 and any(
            math.hypot(hx - x, hy - y) <= 2.5 * max(palm_px, 1.0) for x, y in person.wrists.values()
        )
    return (
        abs(hx - person.centre_x) <= 3.0 * person.unit
        and person.chin_y - 3.0 * person.unit <= hy <= person.chin_y + 4.0 * person.unit
        and 0.2 <= size <= 1.6
    )


def _height(person: _Person, img: Arr) -> float:
    """How far the hand's top is above the shoulder line, in head heights (negative: below)."""
    top = float(img[:, 1].min())
    return (person.shoulder_y - top) / max(person.unit, 1.0)


def _below_chin(person: _Person, img: Arr) -> float:
    """How far the hand's centre is below the chin, in head heights (negative: above)."""
    return (float(img[:, 1].mean()) - person.chin_y) / max(person.unit, 1.0)


def _thumb_down(h: HandResult) -> bool:
    """A lone thumb pointing down (the rulebook reads it as the thumbs-up's one)."""
    return h.pose == "thumbs_up" and h.landmarks[4][1] > h.landmarks[2][1]


def _on_chest(person: _Person, img: Arr) -> bool:
    if person.torso is None:
        return False
    x0, y0, x1, y1 = person.torso
    cx, cy = float(img[:, 0].mean()), float(img[:, 1].mean())
    return x0 <= cx <= x1 and y0 <= cy <= y1 and _height(person, img) < 0.3


def _on_face(person: _Person, img: Arr) -> bool:
    """The raised fingertip lies on the lower face (lips, nose, chin): a hush or a thinking pose."""
    if person.face is None:
        return False
    x0, y0, x1, y1 = person.face
    w, h = x1 - x0, y1 - y0
    tx, ty = float(img[8, 0]), float(img[8, 1])
    return x0 + 0.1 * w <= tx <= x1 - 0.1 * w and y0 + 0.35 * h <= ty <= y1 + 0.1 * h


def _covers(img: Arr, face: tuple[float, float, float, float]) -> bool:
    """The hand lies over the face (a hand over the eyes or mouth), not beside or above it."""
    hx0, hy0 = float(img[:, 0].min()), float(img[:, 1].min())
    hx1, hy1 = float(img[:, 0].max()), float(img[:, 1].max())
    x0, y0, x1, y1 = face
    overlap = max(0.0, min(hx1, x1) - max(hx0, x0)) * max(0.0, min(hy1, y1) - max(hy0, y0))
    return overlap >= 0.15 * max(1.0, (x1 - x0) * (y1 - y0))


def _flat_together(h: HandResult) -> bool:
    """A four or five held with the fingers together, every other factor sure."""
    spread = h.factors.get("renggang", 1.0)
    others = math.prod(v for k, v in h.factors.items() if k != "renggang")
    return h.pose in FLAT_POSES and not h.deliberate and spread < 1.0 and others >= FLAT_SURE


# Shapes a hand at rest, speaking or holding something also makes: read as a sign only when the
# hand is raised (fingertips at least near the shoulder line). A thumbs-up is shown at chest
# height as often as higher, so it is not among them.
RAISED_POSES = frozenset({"index_finger", "four", "five", "finger_heart"})
# Of those, the ones worth the body model (~30 ms) when no face is near the hand: a single
# raised finger is the everyday one (speaking, asking, counting off a point in a meeting)
BODY_POSES = frozenset({"index_finger", "finger_heart"})
# A finger heart is a pinch: with no person in sight it is as likely a hand holding a zip, a pen
# or a coin, so it is read as a sign only on a person (a face or a body found near the hand)
PERSON_POSES = frozenset({"finger_heart"})
# Shapes an open, relaxed hand also makes: shown on purpose with the fingers apart (an OK ring or
# folded fingers already say so for the others); and a flat hand on the chest is the allowed pose
FLAT_POSES = frozenset({"four", "five"})
# A single raised index held on the lips or the face is a hush or a thinking pose, not a number
FACE_TOUCH_POSES = frozenset({"index_finger"})


# ---------------------------------------------------------------------------------------------
# the screener


@dataclass
class _Found:
    img: Arr  # 21 x 3 landmarks in pixels of the (downscaled) photo
    mp_label: str  # MediaPipe's handedness label (it assumes a mirrored, selfie image)
    conf: float


class _People:
    """The people near the hands of one photo, each model run at most once and only when asked:
    faces within two metres (~1.5 ms), then beyond (~5 ms), then the body model (~30 ms)."""

    def __init__(self, screener: GestureScreener, a: Arr) -> None:
        self._screener, self._a = screener, a
        self._near = _people_from_faces(screener._faces(a, far=False))
        self._far: list[_Person] | None = None
        self._body: _Person | None = None
        self._body_sought = False

    def near(self, img: Arr, *, with_body: bool) -> _Person | None:
        """The person this hand belongs to: a face within two metres; else a far face (not
        sought for a big hand unless `with_body`: its face would be near); else, `with_body`,
        the body model's person."""
        palm = _palm_px(img)
        person = next((p for p in self._near if _near(p, img, palm)), None)
        if person is not None:
            return person
        if not with_body and palm >= NEAR_PALM * min(self._a.shape[:2]):
            return None  # a hand this big is near the camera: so is its face, if in the photo
        if self._far is None:
            self._far = _people_from_faces(self._screener._faces(self._a, far=True))
        person = next((p for p in self._far if _near(p, img, palm)), None)
        if person is not None or not with_body:
            return person
        if not self._body_sought:
            self._body, self._body_sought = self._screener._body(self._a), True
        body = self._body
        return body if body is not None and _near(body, img, palm) else None


class GestureScreener:
    """Hands and finger-number poses in photos. Load once per worker; `analyze` per photo."""

    def __init__(
        self, *, rulebook: Rulebook | None = None, context: bool = True, grid: str = "faces"
    ) -> None:
        import mediapipe as mp

        self.rulebook = rulebook or load_rulebook()
        self._poses = {p.code: p for p in self.rulebook.poses}
        self._table = shape_table(self.rulebook)
        self._mp = mp
        self._hands = mp.solutions.hands.Hands(
            static_image_mode=True,
            max_num_hands=MAX_HANDS,
            model_complexity=1,
            min_detection_confidence=DETECTION_CONFIDENCE,
        )
        self.context = context
        # "faces": the grid for far people runs when the full-range face model finds a small
        # face; "always": on every large photo without a sizable hand (finds hands of people too
        # small for the face model, at ~6 more hand-model calls on such photos); "never"
        self.grid = grid
        self._faces_near: Any = None  # loaded on first use: most photos never need them
        self._faces_far: Any = None
        self._pose: Any = None
        self._lock = threading.Lock()  # a MediaPipe graph is not safe to call from two threads
        # the rulebook's version is stored beside each finding; this names the models and rules
        # of this module (the findings table keeps 60 characters)
        self.model = f"mediapipe {mp.__version__} hands+face+pose; gestures {GESTURES_VERSION}"

    def close(self) -> None:
        self._hands.close()
        for graph in (self._faces_near, self._faces_far, self._pose):
            if graph is not None:
                graph.close()

    # -- detection
    def _detect(self, a: Arr) -> list[_Found]:
        with self._lock:
            res = self._hands.process(a)
        out: list[_Found] = []
        if not res.multi_hand_landmarks:
            return out
        h, w = a.shape[:2]
        for lm, hd in zip(res.multi_hand_landmarks, res.multi_handedness, strict=False):
            img = np.array([[p.x * w, p.y * h, p.z * w] for p in lm.landmark], dtype=np.float64)
            cls = hd.classification[0]
            out.append(_Found(img, str(cls.label), float(cls.score)))
        return out

    def _faces(self, a: Arr, *, far: bool) -> list[tuple[float, float, float, float]]:
        """Face boxes in pixels: the short-range model (~1.5 ms) or the full-range one (~5 ms)."""
        with self._lock:
            if far and self._faces_far is None:
                self._faces_far = self._mp.solutions.face_detection.FaceDetection(
                    model_selection=1, min_detection_confidence=0.5
                )
            if not far and self._faces_near is None:
                self._faces_near = self._mp.solutions.face_detection.FaceDetection(
                    model_selection=0, min_detection_confidence=0.5
                )
            res = (self._faces_far if far else self._faces_near).process(a)
        h, w = a.shape[:2]
        boxes = []
        for d in res.detections or []:
            b = d.location_data.relative_bounding_box
            boxes.append((b.xmin * w, b.ymin * h, (b.xmin + b.width) * w, (b.ymin + b.height) * h))
        return boxes

    def _far_faces(self, a: Arr) -> list[tuple[float, float, float, float]]:
        """Faces of far people: the whole photo, then its four quarters (the face model sees a
        192 px square, where a face under ~2% of a large photo's width vanishes)."""
        faces = self._faces(a, far=True)
        h, w = a.shape[:2]
        # a phone screenshot (about 9:20) is no group photo: its avatars would cost 4 more calls
        if faces or max(h, w) < QUARTER_SIDE or max(h, w) > 2.0 * min(h, w):
            return faces
        th, tw = int(h * 0.6), int(w * 0.6)
        for y0 in (0, h - th):
            for x0 in (0, w - tw):
                for x, y, x1, y1 in self._faces(
                    np.ascontiguousarray(a[y0 : y0 + th, x0 : x0 + tw]), far=True
                ):
                    box = (x + x0, y + y0, x1 + x0, y1 + y0)
                    if not any(_iou(_ibox(box), _ibox(f)) > 0.3 for f in faces):
                        faces.append(box)
        return faces

    def _body(self, a: Arr) -> _Person | None:
        """The one person MediaPipe Pose finds (model_complexity=1: the model the wheel ships)."""
        with self._lock:
            if self._pose is None:
                self._pose = self._mp.solutions.pose.Pose(
                    static_image_mode=True, model_complexity=1, min_detection_confidence=0.5
                )
            res = self._pose.process(a)
        if not res.pose_landmarks:
            return None
        h, w = a.shape[:2]
        lm = np.array(
            [[p.x * w, p.y * h, p.z * w, p.visibility] for p in res.pose_landmarks.landmark]
        )
        return _person_from_pose(lm)

    def _crops(self, a: Arr, found: list[_Found]) -> list[tuple[int, int, int, int]]:
        """Where small hands may hide, to be searched again at a larger scale.

        Far people (faces under SMALL_FACE of the long side, found by the full-range face
        model): one gets a square crop around the face (FACE_CROP face heights: where its raised
        hands are); two or more (a group photo, a crowd selfie), or as many hands as the model
        returns, a 3 x 2 grid of overlapping tiles, each seen by the hand model at about three
        times the size. With no far face nothing more is searched: a photo with no people, or
        with people near the camera whose hands are out of the frame, costs one face call.
        """
        if self.grid == "never":
            return []
        h, w = a.shape[:2]
        faces = [f for f in self._far_faces(a) if (f[3] - f[1]) < SMALL_FACE * max(h, w)]
        crowd = len(faces) >= GRID_FACES or len(found) >= MAX_HANDS
        boxes: list[tuple[int, int, int, int]] = []
        if (crowd or self.grid == "always") and max(h, w) >= RETRY_SIDE:
            nx, ny = (3, 2) if w >= h else (2, 3)
            tw, th = int(w / nx * 1.25), int(h / ny * 1.25)  # 25% overlap: no hand cut in two
            for j in range(ny):
                for i in range(nx):
                    x0 = round(i * (w - tw) / max(1, nx - 1))
                    y0 = round(j * (h - th) / max(1, ny - 1))
                    boxes.append((x0, y0, x0 + tw, y0 + th))
            return boxes
        for fx0, fy0, fx1, fy1 in faces[:GRID_FACES]:
            side = FACE_CROP * (fy1 - fy0)
            cx, top = (fx0 + fx1) / 2, fy0 - 0.4 * side
            boxes.append(
                (
                    max(0, int(cx - side / 2)),
                    max(0, int(top)),
                    min(w, int(cx + side / 2)),
                    min(h, int(top + side)),
                )
            )
        return boxes

    def _detect_more(self, a: Arr, found: list[_Found]) -> list[_Found]:
        for x0, y0, x1, y1 in self._crops(a, found):
            if x1 - x0 < MIN_SIDE or y1 - y0 < MIN_SIDE:
                continue
            for f in self._detect(np.ascontiguousarray(a[y0:y1, x0:x1])):
                img = f.img.copy()
                img[:, 0] += x0
                img[:, 1] += y0
                if not any(_iou(_box(img), _box(o.img)) > 0.3 for o in found):
                    found.append(_Found(img, f.mp_label, f.conf))
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
        found = self._detect(small)
        diag = math.hypot(*small.shape[:2])
        # small hands, or none, in a big photo: people may be far (a crowd selfie); look closer
        # (and a photo with as many hands as the model returns may hold more: a group)
        if not found or (
            max(small.shape[:2]) >= RETRY_SIDE
            and (len(found) >= MAX_HANDS or all(_palm_px(f.img) < SMALL_PALM * diag for f in found))
        ):
            found = self._detect_more(small, found)
        hands = [self._hand(f, scale) for f in found]
        if self.context:
            self._use_context(small, found, hands, scale)
        hands.sort(key=lambda h: -h.score)
        result = GestureResult(hands, None, False, 0.0, width, height)
        self._photo_level(result)
        result.ms = (time.perf_counter() - t0) * 1000
        return result

    def _hand(self, f: _Found, scale: float) -> HandResult:
        g = _geometry(f.img)
        fingers, shape, score, reasons, factors = _classify(g, self._table)
        pose = shape.pose if shape else "relaxed"
        banned = bool(pose in self._poses and self._poses[pose].banned)
        pts = [(float(x) / scale, float(y) / scale) for x, y in f.img[:, :2]]
        # MediaPipe labels hands as if the photo were a mirrored selfie: a photo as the camera
        # saw it shows the other hand. The body's wrists, when known, decide instead.
        own = "Left" if f.mp_label == "Right" else "Right"
        return HandResult(
            box=_box(np.array(pts)),
            handedness=own,
            fingers=fingers,
            count=shape.count if shape else len(fingers),
            pose=pose,
            deliberate=banned and score >= DELIBERATE,
            score=round(score, 4),
            landmarks=pts,
            reasons=reasons,
            factors={k: round(v, 3) for k, v in factors.items()},
            number=shape.number if shape and banned else None,
            handedness_from="bentuk tangan",
        )

    def _use_context(
        self, a: Arr, found: list[_Found], hands: list[HandResult], scale: float
    ) -> None:
        """Height against the face and shoulders, hand on chest, whose hand: only for hands
        whose shape a resting, speaking or holding hand also makes (the rest need no context,
        which keeps the photo rate near the bare hand model's), and for flat hands with the
        fingers together, which only their height tells from a resting hand."""
        together = [i for i, h in enumerate(hands) if _flat_together(h)]
        # context only ever lowers the score of a sign: a hand not read as one needs none
        # (a thumb down hangs at the waist only in a photo showing its person to the waist: there
        # the hand is small)
        short = min(a.shape[:2])
        wanted = [
            i
            for i, h in enumerate(hands)
            if h.deliberate
            and (
                h.pose in RAISED_POSES
                or (_thumb_down(h) and _palm_px(found[i].img) < NEAR_PALM * short)
            )
        ]
        if not wanted and not together:
            return
        people = _People(self, a)
        for i in together:
            f, h = found[i], hands[i]
            person = people.near(f.img, with_body=True)
            if person is not None and self._flat_shown(f, h, person):
                self._apply_person(h, f, person)
        for i in wanted:
            f, h = found[i], hands[i]
            person = people.near(f.img, with_body=h.pose in BODY_POSES)
            if person is None and h.pose in PERSON_POSES:
                h.reasons.append(
                    "tidak ada wajah atau tubuh di dekat tangan: ujung jari yang bersilang tidak "
                    "dapat dibedakan dari jari yang menjepit benda"
                )
                h.factors["orang"] = 0.0
                h.score, h.deliberate = 0.0, False
                continue
            if person is None:
                h.reasons.append("wajah/bahu tidak terlihat: tinggi tangan tidak dinilai")
                continue
            self._apply_person(h, f, person)

    def _flat_shown(self, f: _Found, h: HandResult, person: _Person) -> bool:
        """A flat hand with the fingers together (a wave, a stop palm, or a hand at rest) is
        read as shown when it is raised over its person's head and clear of the face. Sets its
        score; True when it becomes a sign. (A close-up of an open hand with no person in sight
        stays unread: it is as often a hand holding something out on its palm.)"""
        if person.face is not None and _covers(f.img, person.face):
            h.reasons.append(f"telapak menutupi wajah (menurut {person.source})")
            return False
        lifted = _ramp(_height(person, f.img), HIGH_PALM - 0.5, HIGH_PALM)
        if lifted < 0.5:
            return False
        # the spread factor gives way to the height, which shows the hand is held up on purpose
        h.factors["renggang"] = 1.0
        h.factors["di_atas_kepala"] = round(lifted, 3)
        h.score = round(math.prod(h.factors.values()), 4)
        h.deliberate = h.score >= DELIBERATE
        if h.deliberate:
            lifted_why = (
                f"jari rapat, tetapi telapak diangkat di atas kepala (menurut {person.source})"
            )
            h.reasons = [lifted_why if r == "jari rapat" else r for r in h.reasons]
        return h.deliberate

    def _apply_person(self, h: HandResult, f: _Found, person: _Person) -> None:
        if person.wrists:
            hx, hy = float(f.img[0, 0]), float(f.img[0, 1])
            side = min(person.wrists, key=lambda s: math.dist((hx, hy), person.wrists[s]))
            h.handedness, h.handedness_from = side, person.source
        h.person = person.source
        if h.pose in FLAT_POSES and _on_chest(person, f.img):
            h.reasons.append(f"tangan menempel di dada (menurut {person.source})")
            h.pose, h.number, h.deliberate, h.score = "hand_on_chest", None, False, 0.0
            return
        if _thumb_down(h) and _below_chin(person, f.img) >= HANGING:
            h.reasons.append(
                "tangan tergantung di sisi badan setinggi pinggang atau lebih rendah: ibu jari "
                f"mengarah ke bawah karena lengan lurus ke bawah (menurut {person.source})"
            )
            h.factors["tergantung"] = 0.0
            h.deliberate, h.score = False, 0.0
            return
        if h.pose in FACE_TOUCH_POSES and _on_face(person, f.img):
            h.reasons.append(f"ujung jari menempel di bibir atau wajah (menurut {person.source})")
            h.pose, h.number, h.deliberate, h.score = "finger_on_face", None, False, 0.0
            return
        if h.pose not in RAISED_POSES:
            return
        up = _height(person, f.img)
        factor = _ramp(up, -0.3, 0.5)
        h.factors["terangkat"] = round(factor, 3)
        h.score = round(h.score * factor, 4)
        h.deliberate = h.deliberate and h.score >= DELIBERATE
        if factor >= 0.5:
            h.reasons.append(f"tangan terangkat setinggi bahu atau lebih (menurut {person.source})")
        else:
            h.reasons.append(
                f"tangan di bawah garis bahu, seperti saat berbicara atau beristirahat "
                f"(menurut {person.source})"
            )

    def _photo_level(self, result: GestureResult) -> None:
        signs = [h for h in result.hands if h.deliberate]
        for h in signs:
            h.number = self._number(h)
        result.banned_pose = bool(signs)
        numbers = [h.number for h in signs if h.number is not None]
        result.numbers_seen = numbers
        result.number_shown = None
        result.added = False
        if numbers and len(set(numbers)) == 1:
            result.number_shown = numbers[0]
        counting = self.rulebook.pose_counting
        numbered = [h for h in signs if h.number is not None]
        if counting and counting.two_hands_add and len(numbered) == 2:
            a, b = numbered
            if 5 in (a.number, b.number) and _one_person(a, b):
                result.number_shown = (a.number or 0) + (b.number or 0)
                result.added = True

    def _number(self, h: HandResult) -> int | None:
        """The hand's number, or for a hand made elsewhere (no shape known) its pose's."""
        if h.number is not None or h.pose not in self._poses:
            return h.number
        return self._poses[h.pose].number

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
            basis = (
                "dari kerangka tubuh"
                if h.handedness_from == "kerangka tubuh"
                else "dari bentuk tangan; foto tidak dianggap cermin"
            )
            pose = self._poses.get(h.pose)
            name = pose.name.id.lower() if pose else _NO_POSE_ID.get(h.pose, h.pose)
            text = f"tangan {side} ({basis}): " + "; ".join(h.reasons)
            text += f" → pose '{name}'"
            number = self._number(h)
            if h.deliberate:
                shown = [f"{h.count} jari"] if h.count else []
                shown += [f"angka {number}"] if number is not None else []
                text += f" ({', '.join(shown)})" if shown else ""
            if h.deliberate:
                if match is not None and number == match:
                    text += f", cocok dengan nomor urut paslon {match}"
                text += f" [skor {h.score:.2f}]"
            elif pose is not None and not pose.banned:
                text += " (diperbolehkan)"
            elif h.pose not in ("relaxed", "none"):
                text += f", tidak dianggap disengaja [skor {h.score:.2f} < {DELIBERATE}]"
            why.append(text)
        if result.added:
            seen = " + ".join(str(n) for n in result.numbers_seen)
            why.append(
                f"dua tangan satu orang: {seen} = {result.number_shown} "
                "(angka di atas lima ditunjukkan dengan dua tangan)"
            )
        elif len(set(result.numbers_seen)) > 1:
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


def _one_person(a: HandResult, b: HandResult) -> bool:
    """Two hands one person could hold up together: a left and a right of like size, close."""
    if a.handedness == b.handedness:
        return False
    pa = math.dist(a.landmarks[0], a.landmarks[9]) or 1.0
    pb = math.dist(b.landmarks[0], b.landmarks[9]) or 1.0
    if not 0.6 <= pa / pb <= 1.67:
        return False
    return math.dist(a.landmarks[0], b.landmarks[0]) <= 6.0 * max(pa, pb)


def _ibox(b: tuple[float, float, float, float]) -> tuple[int, int, int, int]:
    return (int(b[0]), int(b[1]), math.ceil(b[2]), math.ceil(b[3]))


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
