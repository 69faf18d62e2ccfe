"""Originals sealed at rest: the folder alone reveals nothing, and any change to a sealed file is
caught when it is read."""

from __future__ import annotations

import io
import os
import random
import shutil
from pathlib import Path

import pytest

from netral.core import sealing
from netral.core.crypto import Keyring
from netral.core.storage import LocalEvidenceStore

from support.evidence import VIDEO_LOCATION, jpeg_with_gps, minimal_pdf, video_clip


@pytest.fixture
def keys(tmp_path: Path) -> Keyring:
    return Keyring.load_or_create(tmp_path / "keys" / "secret.key")


@pytest.fixture
def store(tmp_path: Path, keys: Keyring) -> LocalEvidenceStore:
    return LocalEvidenceStore(tmp_path / "evidence", keys)


def test_a_photo_original_is_sealed_on_disk_and_opens_byte_identical(store):
    photo = jpeg_with_gps()
    blob = store.put(io.BytesIO(photo), filename="bukti.jpg")
    on_disk = store.path(blob.sha256).read_bytes()
    assert on_disk.startswith(sealing.MAGIC)
    assert b"Exif" not in on_disk and b"Kamera Pelapor" not in on_disk
    assert store.read(blob.sha256) == photo
    assert store.size(blob.sha256) == len(photo)
    assert store.verify(blob.sha256)
    # what staff see holds nothing to seal: the derivative is plain, and a JPEG
    assert blob.derivative_sha256 is not None
    assert not store.is_sealed(blob.derivative_sha256)
    assert store.path(blob.derivative_sha256).read_bytes()[:2] == b"\xff\xd8"


def test_a_pdf_author_is_not_readable_on_disk(store):
    pdf = minimal_pdf().replace(b"%%EOF", b"<< /Author (Pelapor Rahasia) >>\n%%EOF")
    blob = store.put(io.BytesIO(pdf), filename="surat.pdf")
    assert b"Pelapor Rahasia" not in store.path(blob.sha256).read_bytes()
    assert store.read(blob.sha256) == pdf


def test_random_reads_and_seeks_match_the_plain_bytes(tmp_path, keys):
    plain = random.Random(3).randbytes(3 * sealing.CHUNK + 1234)
    source = tmp_path / "plain.bin"
    source.write_bytes(plain)
    sealed = tmp_path / "sealed.bin"
    with sealed.open("wb") as out:
        sealing.seal_file(source, out, sha256="ab" * 32, keyring=keys)
    with sealing.open_sealed(sealed, sha256="ab" * 32, keyring=keys) as fh:
        assert fh.seek(0, os.SEEK_END) == len(plain)
        for start, length in [(0, 10), (sealing.CHUNK - 5, 10), (len(plain) - 7, 100), (5, 0)]:
            fh.seek(start)
            assert fh.read(length) == plain[start : start + length]
        fh.seek(0)
        assert fh.read() == plain


@pytest.mark.parametrize("damage", ["flip_a_byte", "cut_the_end", "drop_a_chunk", "grow"])
def test_a_changed_sealed_file_fails_its_read(store, damage):
    plain = random.Random(5).randbytes(2 * sealing.CHUNK + 99)
    blob = store.put(io.BytesIO(b"teks bukti\n" + plain.hex().encode()), filename="a.txt")
    path = store.path(blob.sha256)
    body = bytearray(path.read_bytes())
    if damage == "flip_a_byte":
        body[sealing.HEADER + 70] ^= 0x01
    elif damage == "cut_the_end":
        body = body[: sealing.HEADER + sealing.CHUNK + sealing.TAG]
    elif damage == "drop_a_chunk":
        step = sealing.CHUNK + sealing.TAG
        body = body[: sealing.HEADER] + body[sealing.HEADER + step :]
    else:
        body += body[sealing.HEADER : sealing.HEADER + sealing.CHUNK + sealing.TAG]
    os.chmod(path, 0o640)
    path.write_bytes(bytes(body))
    assert not store.verify(blob.sha256)
    with pytest.raises(sealing.SealBroken), store.open(blob.sha256) as fh:
        fh.read()


def test_a_sealed_file_opens_neither_under_other_keys_nor_under_another_name(store, tmp_path):
    blob = store.put(io.BytesIO(jpeg_with_gps()), filename="bukti.jpg")
    stranger = LocalEvidenceStore(store.root, Keyring.load_or_create(tmp_path / "other.key"))
    with pytest.raises(sealing.SealBroken):
        stranger.open(blob.sha256)
    # the same file put under another object's name (a swap on disk) does not open either
    other = store.put(io.BytesIO(minimal_pdf()), filename="lain.pdf")
    os.chmod(store.path(other.sha256), 0o640)
    shutil.copyfile(store.path(blob.sha256), store.path(other.sha256))
    assert not store.verify(other.sha256)


def test_a_sealed_video_is_decoded_from_the_sealed_file(store):
    from netral.core.video import probe, sample_frames

    blob = store.put(io.BytesIO(video_clip()), filename="clip.mp4")
    on_disk = store.path(blob.sha256).read_bytes()
    assert on_disk.startswith(sealing.MAGIC) and VIDEO_LOCATION.encode() not in on_disk
    with store.open(blob.sha256) as fh:
        info, _ = probe(fh)
        frames = list(sample_frames(fh, duration_s=info.duration_s))
    assert 1.9 < info.duration_s < 2.2 and len(frames) == 2


def test_objects_kept_before_sealing_still_open(store):
    """A store from before this change keeps plain originals: they are read as they are."""
    photo = jpeg_with_gps()
    blob = store.put(io.BytesIO(photo), filename="lama.jpg")
    path = store.path(blob.sha256)
    os.chmod(path, 0o640)
    path.write_bytes(photo)
    assert not store.is_sealed(blob.sha256)
    assert store.read(blob.sha256) == photo and store.verify(blob.sha256)
