"""Evidence originals sealed at rest: AES-GCM under a key of their own, wrapped by the keyring.

An original can carry the reporter's location (EXIF GPS, a video's location atom, a PDF's
author): whoever copies the evidence folder must learn nothing from it. Each original is
encrypted under a fresh 256-bit key; that key is sealed by the keyring's active key (so keys
rotate by re-wrapping 60 bytes, never re-encrypting a video). The file stays named by the SHA-256
of the *plain* bytes, which is what the report records.

File layout::

    b"NTRLSEAL" | wrapped key (keyring blob: "v1", key id, nonce, key, tag = 70 bytes)
                | plain size (8 bytes, big-endian) | chunk size (4 bytes, big-endian)
                | chunks: AES-GCM of each `chunk size` bytes of plain text, 16-byte tag each

Chunk i uses the nonce i (the key is never used for another file) and authenticates the blob's
hash, its plain size, i and whether it is the last chunk: chunks cannot be reordered, dropped,
moved between files or cut off without the read failing. Reading is random access (a video
player or PyAV seeks), one chunk in memory at a time.
"""

from __future__ import annotations

import io
import os
import struct
from pathlib import Path
from typing import BinaryIO, Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from netral.core.crypto import Keyring

MAGIC: Final = b"NTRLSEAL"
CHUNK: Final = 64 * 1024
TAG: Final = 16
_KEY_BYTES: Final = 32
_WRAPPED: Final = Keyring.sealed_size(_KEY_BYTES)
_SIZES: Final = struct.Struct(">QI")
HEADER: Final = len(MAGIC) + _WRAPPED + _SIZES.size


class SealBroken(ValueError):
    """A sealed file that does not open: tampered, truncated, or under a key the keyring lacks."""


def _key_context(sha256: str) -> bytes:
    return b"netral-evidence-key|" + sha256.encode()


def _chunk_context(sha256: str, size: int, index: int, last: bool) -> bytes:
    return b"%s|%d|%d|%d" % (sha256.encode(), size, index, int(last))


def _nonce(index: int) -> bytes:
    return index.to_bytes(12, "big")


def is_sealed(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(len(MAGIC)) == MAGIC


def seal_file(source: Path, out: BinaryIO, *, sha256: str, keyring: Keyring) -> None:
    """Write `source` sealed into `out` (the caller fsyncs and renames)."""
    key = AESGCM.generate_key(256)
    aead = AESGCM(key)
    size = source.stat().st_size
    out.write(MAGIC)
    out.write(keyring.seal(key, _key_context(sha256)))
    out.write(_SIZES.pack(size, CHUNK))
    count = _chunk_count(size, CHUNK)
    with source.open("rb") as fh:
        for index in range(count):
            plain = fh.read(CHUNK)
            context = _chunk_context(sha256, size, index, index == count - 1)
            out.write(aead.encrypt(_nonce(index), plain, context))


def _chunk_count(size: int, chunk: int) -> int:
    # an empty file is one empty chunk, so even it carries a tag
    return max(1, -(-size // chunk))


class SealedReader(io.RawIOBase):
    """The plain bytes of a sealed file: readable and seekable, one chunk decrypted at a time."""

    def __init__(self, raw: BinaryIO, *, sha256: str, keyring: Keyring) -> None:
        super().__init__()
        self._raw = raw
        self._sha256 = sha256
        head = raw.read(HEADER)
        if len(head) < HEADER or not head.startswith(MAGIC):
            raise SealBroken("not a sealed evidence file")
        wrapped = head[len(MAGIC) : len(MAGIC) + _WRAPPED]
        try:
            key = keyring.unseal(wrapped, _key_context(sha256))
        except (InvalidTag, KeyError, ValueError) as exc:
            raise SealBroken(f"the file's key does not open ({type(exc).__name__})") from None
        self._aead = AESGCM(key)
        self.size, self._chunk = _SIZES.unpack(head[len(MAGIC) + _WRAPPED :])
        if self._chunk <= 0:
            raise SealBroken("bad chunk size")
        self._count = _chunk_count(self.size, self._chunk)
        # bytes added after the last chunk (or a chunk cut short) are a change too
        if raw.seek(0, os.SEEK_END) != HEADER + self.size + self._count * TAG:
            raise SealBroken("the file's length does not match its header: it was altered")
        self._pos = 0
        self._cached: tuple[int, bytes] | None = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._pos, os.SEEK_END: self.size}[whence]
        if base + offset < 0:
            raise ValueError("negative seek position")
        self._pos = base + offset
        return self._pos

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._pos >= self.size:
            return 0
        index, start = divmod(self._pos, self._chunk)
        plain = self._plain_chunk(index)
        piece = plain[start : start + len(buffer)]
        memoryview(buffer)[: len(piece)] = piece
        self._pos += len(piece)
        return len(piece)

    def _plain_chunk(self, index: int) -> bytes:
        if self._cached is not None and self._cached[0] == index:
            return self._cached[1]
        last = index == self._count - 1
        length = (self.size - index * self._chunk if last else self._chunk) + TAG
        self._raw.seek(HEADER + index * (self._chunk + TAG))
        sealed = self._raw.read(length)
        try:
            plain = self._aead.decrypt(
                _nonce(index), sealed, _chunk_context(self._sha256, self.size, index, last)
            )
        except InvalidTag:
            raise SealBroken(f"chunk {index} fails its check: the file was altered") from None
        self._cached = (index, plain)
        return plain

    def close(self) -> None:
        self._raw.close()
        super().close()


def open_sealed(path: Path, *, sha256: str, keyring: Keyring) -> BinaryIO:
    raw = path.open("rb")
    try:
        reader = SealedReader(raw, sha256=sha256, keyring=keyring)
    except BaseException:
        raw.close()
        raise
    return io.BufferedReader(reader, buffer_size=CHUNK)
