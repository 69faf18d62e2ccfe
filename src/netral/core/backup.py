"""Backup and restore: one file holding a consistent copy of the database and the data directory.

`backup` writes a tar file:
- `manifest.json`: when, which netral and schema revision, which database kind, every table's row
  count, every evidence object's hash, and the keyring's key ids with a fingerprint of its MAC key
  (never a key: the keys are kept apart, and a backup without them reveals no sealed identity);
- `database.sqlite` (SQLite's online backup: a consistent copy while the app runs) or
  `database.pgdump` (`pg_dump -Fc`, one snapshot);
- `data/…`: the evidence objects, the audit checkpoints and the operator's models. The database is
  copied first: every object a copied row names was written before its row, so it is there too.

`restore` puts it back into an empty data directory and an empty database of the same kind, after
checking that the keyring in place is the one the backup was made with. Then the caller verifies
the audit chain.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import make_url

from netral import __version__
from netral.core.crypto import Keyring
from netral.core.db import utcnow
from netral.core.errors import ValidationFailed, problem
from netral.core.settings import Settings
from netral.core.storage import LocalEvidenceStore

FORMAT = 1
_HEX64 = re.compile(r"[0-9a-f]{64}")
# what of the data directory a backup holds: never the keys, the job queue or half-written files
DATA_PARTS = ("evidence/objects", "audit", "models")


@dataclass(frozen=True)
class Summary:
    path: Path
    tables: dict[str, int]
    objects: int
    bytes: int


def _refuse(code: str, message_id: str, message_en: str) -> ValidationFailed:
    return ValidationFailed(problem(code, message_id, message_en))


def _fingerprint(ring: Keyring) -> str:
    return ring.mac("netral-backup-fingerprint")


def _table_counts(engine: Engine) -> dict[str, int]:
    names = sorted(inspect(engine).get_table_names())
    with engine.connect() as conn:
        return {
            n: int(conn.execute(text(f'SELECT count(*) FROM "{n}"')).scalar_one())  # noqa: S608
            for n in names
        }


def _pg_env_url(engine: Engine) -> tuple[str, dict[str, str]]:
    """A libpq URL for pg_dump/pg_restore, its password passed in the environment."""
    url = engine.url.set(drivername="postgresql")
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
        url = url.set(password=None)
    return url.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise _refuse(
            "backup.tool_missing",
            f"Perintah {name} tidak ada: pasang paket Debian postgresql-client.",
            f"The {name} command is missing: install the Debian package postgresql-client.",
        )
    return path


def _data_files(data_dir: Path) -> Iterator[tuple[Path, str]]:
    for part in DATA_PARTS:
        root = data_dir / part
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                yield path, path.relative_to(data_dir).as_posix()


def backup(*, engine: Engine, settings: Settings, keyring: Keyring, out: Path) -> Summary:
    """Write the backup to `out` (atomically: a half-written backup never has the name)."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="netral-backup-", dir=out.parent) as work:
        work_dir = Path(work)
        dialect = engine.dialect.name
        tables = _table_counts(engine)
        with engine.connect() as conn:
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        if dialect == "sqlite":
            db_copy = work_dir / "database.sqlite"
            source = sqlite3.connect(str(make_url(str(engine.url)).database))
            target = sqlite3.connect(str(db_copy))
            try:
                source.backup(target)  # consistent while others write (SQLite's backup API)
            finally:
                target.close()
                source.close()
        elif dialect == "postgresql":
            db_copy = work_dir / "database.pgdump"
            url, env = _pg_env_url(engine)
            done = subprocess.run(  # noqa: S603 -- fixed arguments, no shell
                [_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={db_copy}", url],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                raise RuntimeError(f"pg_dump failed: {done.stderr.strip()}")
        else:
            raise _refuse(
                "backup.dialect",
                f"Cadangan hanya untuk SQLite dan PostgreSQL, bukan {dialect}.",
                f"Backups cover SQLite and PostgreSQL only, not {dialect}.",
            )
        files = list(_data_files(settings.data_dir))
        objects = {
            name.rsplit("/", 1)[-1]
            for _, name in files
            if name.startswith("evidence/objects/") and _HEX64.fullmatch(name.rsplit("/", 1)[-1])
        }
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "netral": __version__,
            "created": utcnow().isoformat(),
            "database": dialect,
            "revision": revision,
            "tables": tables,
            "objects": sorted(objects),
            "files": len(files),
            "keys": {"ids": keyring.ids, "fingerprint": _fingerprint(keyring)},
        }
        partial = work_dir / "backup.tar"
        size = 0
        with tarfile.open(partial, "w") as tar:
            body = json.dumps(manifest, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
            tar.add(db_copy, arcname=db_copy.name)
            for path, name in files:
                tar.add(path, arcname=f"data/{name}")
                size += path.stat().st_size
        with partial.open("rb") as fh:
            os.fsync(fh.fileno())
        os.chmod(partial, 0o600)
        os.replace(partial, out)
    return Summary(out, tables, len(objects), size)


def read_manifest(path: Path) -> dict[str, Any]:
    try:
        with tarfile.open(path, "r") as tar:
            member = tar.extractfile("manifest.json")
            if member is None:
                raise KeyError("manifest.json")
            manifest: dict[str, Any] = json.load(member)
    except (OSError, KeyError, tarfile.TarError, ValueError) as exc:
        raise _refuse(
            "backup.unreadable",
            f"Berkas cadangan tidak dapat dibaca ({type(exc).__name__}): bukan cadangan netral, "
            "atau rusak.",
            f"The backup file cannot be read ({type(exc).__name__}): not a netral backup, "
            "or damaged.",
        ) from exc
    if manifest.get("format") != FORMAT:
        raise _refuse(
            "backup.format",
            f"Format cadangan {manifest.get('format')} tidak dikenal versi netral ini.",
            f"Backup format {manifest.get('format')} is unknown to this netral.",
        )
    return manifest


def _database_is_empty(engine: Engine) -> bool:
    return not inspect(engine).get_table_names()


def _data_dir_is_empty(data_dir: Path) -> bool:
    if not data_dir.exists():
        return True
    for child in data_dir.iterdir():
        # the keys are put in place before a restore; the SQLite files and the job queue are
        # what opening the (checked empty) database and starting the command create
        if child.name == "keys" or child.name.startswith(("netral.db", "jobs.db")):
            continue
        if child.is_dir() and not any(p.is_file() for p in child.rglob("*")):
            continue  # an empty folder a start-up made (evidence/objects, evidence/tmp)
        return False
    return True


def restore(*, engine: Engine, settings: Settings, keyring: Keyring, source: Path) -> Summary:
    """Put a backup back into an empty data directory and database; nothing when refused."""
    manifest = read_manifest(source)
    dialect = engine.dialect.name
    if manifest["database"] != dialect:
        raise _refuse(
            "restore.dialect",
            f"Cadangan ini dari {manifest['database']}; pulihkan ke basis data yang sama jenisnya "
            f"(yang dituju: {dialect}).",
            f"This backup is of {manifest['database']}; restore it into the same kind of "
            f"database (the target is {dialect}).",
        )
    if not _database_is_empty(engine):
        raise _refuse(
            "restore.database_not_empty",
            "Basis data tujuan tidak kosong. Pulihkan hanya ke basis data baru yang kosong.",
            "The target database is not empty. Restore only into a new, empty database.",
        )
    if not _data_dir_is_empty(settings.data_dir):
        raise _refuse(
            "restore.data_dir_not_empty",
            f"Direktori data {settings.data_dir} tidak kosong (selain kunci). Pulihkan ke "
            "direktori data baru.",
            f"The data directory {settings.data_dir} is not empty (apart from the keys). "
            "Restore into a new data directory.",
        )
    wanted = manifest["keys"]
    if set(wanted["ids"]) - set(keyring.ids) or wanted["fingerprint"] != _fingerprint(keyring):
        raise _refuse(
            "restore.keys",
            "Kunci di direktori data bukan kunci yang dipakai saat cadangan dibuat. Salin berkas "
            "kunci (keys/secret.key) dari tempat penyimpanannya lebih dulu; tanpanya identitas "
            "pelapor tidak dapat dibuka.",
            "The keys in the data directory are not the ones the backup was made with. Copy the "
            "keys file (keys/secret.key) from where it is kept first; without it reporters' "
            "identities cannot be opened.",
        )
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings.data_dir.chmod(0o700)
    size = 0
    with tempfile.TemporaryDirectory(prefix="netral-restore-", dir=settings.data_dir) as work:
        work_dir = Path(work)
        with tarfile.open(source, "r") as tar:
            # only regular files at the names a backup writes: no links, no paths out of the dir
            members = [
                m
                for m in tar.getmembers()
                if m.isfile()
                and (m.name.startswith("data/") or m.name.startswith("database."))
                and ".." not in Path(m.name).parts
                and not Path(m.name).is_absolute()
            ]
            tar.extractall(work_dir, members=members, filter="data")
        if dialect == "sqlite":
            target = Path(str(make_url(str(engine.url)).database))
            engine.dispose()
            target.parent.mkdir(parents=True, exist_ok=True)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(work_dir / "database.sqlite", target)
            target.chmod(0o600)
        else:
            url, env = _pg_env_url(engine)
            done = subprocess.run(  # noqa: S603 -- fixed arguments, no shell
                [
                    _tool("pg_restore"),
                    "--no-owner",
                    "--exit-on-error",
                    "--single-transaction",
                    f"--dbname={url}",
                    str(work_dir / "database.pgdump"),
                ],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                raise RuntimeError(f"pg_restore failed: {done.stderr.strip()}")
        data = work_dir / "data"
        if data.is_dir():
            for path in sorted(data.rglob("*")):
                if not path.is_file():
                    continue
                rel = path.relative_to(data)
                dest = settings.data_dir / rel
                dest.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, dest)
                size += dest.stat().st_size
    # every object opens under the restored keys and still hashes to its name (sealed or not)
    store = LocalEvidenceStore(settings.data_dir / "evidence", keyring)
    missing = [h for h in manifest["objects"] if not store.verify(h)]
    if missing:
        raise RuntimeError(f"{len(missing)} evidence object(s) missing or altered after restore")
    return Summary(source, _table_counts(engine), len(manifest["objects"]), size)
