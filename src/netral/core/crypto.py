"""AES-GCM for personal data at rest, with a key id in every blob so keys can rotate.

Blob layout: b"v1" | key id (8 ASCII bytes) | 12-byte nonce | ciphertext+tag.
The keyring file holds every key ever used and which one encrypts new data.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from netral.core.settings import Settings, get_settings

_MAGIC = b"v1"
_KID_LEN = 8


class Keyring:
    def __init__(self, keys: dict[str, bytes], active: str, mac_key: bytes) -> None:
        if active not in keys:
            raise ValueError(f"active key {active!r} is not in the keyring")
        self._aead = {kid: AESGCM(key) for kid, key in keys.items()}
        self.active = active
        self._mac_key = mac_key

    @property
    def ids(self) -> list[str]:
        """The key ids (never the keys): what a backup records to check a restore's keyring."""
        return sorted(self._aead)

    def mac(self, message: str) -> str:
        """HMAC-SHA256 under a key that never rotates: for secrets stored only as a MAC."""
        return hmac.new(self._mac_key, message.encode(), hashlib.sha256).hexdigest()

    @classmethod
    def load_or_create(cls, path: Path) -> Keyring:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            kid = secrets.token_hex(_KID_LEN // 2)
            data = {
                "active": kid,
                "keys": {kid: base64.b64encode(AESGCM.generate_key(256)).decode()},
                "mac": base64.b64encode(secrets.token_bytes(32)).decode(),
            }
            # write aside, then link into place: atomic, and a concurrent creator loses cleanly
            tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                json.dump(data, fh)
                fh.flush()
                os.fsync(fh.fileno())
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass
            finally:
                tmp.unlink()
        data = json.loads(path.read_text())
        return cls(
            {k: base64.b64decode(v) for k, v in data["keys"].items()},
            data["active"],
            base64.b64decode(data["mac"]),
        )

    def encrypt(self, plaintext: str, associated: bytes = b"") -> bytes:
        return self.seal(plaintext.encode(), associated)

    def decrypt(self, blob: bytes, associated: bytes = b"") -> str:
        return self.unseal(blob, associated).decode()

    def seal(self, data: bytes, associated: bytes = b"") -> bytes:
        """`data` under the active key, in the blob layout above (bytes in, bytes out)."""
        nonce = os.urandom(12)
        sealed = self._aead[self.active].encrypt(nonce, data, associated)
        return _MAGIC + self.active.encode() + nonce + sealed

    def unseal(self, blob: bytes, associated: bytes = b"") -> bytes:
        if blob[:2] != _MAGIC:
            raise ValueError("not a netral ciphertext")
        kid = blob[2 : 2 + _KID_LEN].decode()
        nonce = blob[2 + _KID_LEN : 14 + _KID_LEN]
        return self._aead[kid].decrypt(nonce, blob[14 + _KID_LEN :], associated)

    @staticmethod
    def sealed_size(size: int) -> int:
        """How long `seal` makes `size` bytes: magic, key id, nonce and the 16-byte tag."""
        return len(_MAGIC) + _KID_LEN + 12 + size + 16


@lru_cache(maxsize=4)
def _keyring_at(path: str) -> Keyring:
    return Keyring.load_or_create(Path(path))


def keyring(settings: Settings | None = None) -> Keyring:
    """The keyring of `settings` (default: the environment's)."""
    path = (settings or get_settings()).secret_key_file
    assert path is not None
    return _keyring_at(str(path.resolve()))
