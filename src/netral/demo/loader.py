"""The demo season: Kota Bandung's regions, OPD, 2,000 fictional ASN, the election, the logins.

Real places and agency names, fictional people (Faker id_ID) and candidates; see SCENARIO.md.
Deterministic for a seed. The ASN go through the real importer from a temporary CSV, so the demo
also exercises the path the BKPSDM spreadsheet takes.
"""

from __future__ import annotations

import csv
import math
import random
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date
from pathlib import Path
from typing import Any

import yaml
from faker import Faker
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from netral.core import audit
from netral.core.audit import Actor
from netral.core.errors import Conflict, problem
from netral.core.models import User
from netral.core.security import create_user, roles
from netral.core.storage import LocalEvidenceStore
from netral.election import service as election_service
from netral.election.models import Election
from netral.registry import service as registry
from netral.registry.importer import EXPORT_HEADERS, import_asn
from netral.registry.models import Asn, Opd, SocialAccount, Wilayah
from netral.registry.nip import make_nip, nip_error

__all__ = ["DEMO_PASSWORD", "DemoSummary", "load_demo"]

# Documented in the README and printed by `netral demo`; demo logins only, never a deployment.
DEMO_PASSWORD = "netral-demo-2024"  # noqa: S105
CITY, KABUPATEN = "32.73", "32.04"
# The demo's "today": the August import of SCENARIO.md, so that NIPs do not depend on the run date.
DEMO_TODAY = date(2024, 8, 1)
DATA = Path(__file__).with_name("data")

OpdTree = tuple[tuple[str, str, str, str, tuple[str, ...]], ...]


def _opd_trees() -> tuple[OpdTree, OpdTree]:
    """(code, name, kind, head's position, units) per OPD, for the kota and the kabupaten."""
    raw = yaml.safe_load((DATA / "opd.yaml").read_text(encoding="utf-8"))

    def tree(key: str) -> OpdTree:
        return tuple(
            (o["code"], o["name"], o["kind"], o["head"], tuple(o["units"])) for o in raw[key]
        )

    return tree("kota"), tree("kabupaten")


CITY_OPD, KABUPATEN_OPD = _opd_trees()
_PEOPLE = yaml.safe_load((DATA / "people.yaml").read_text(encoding="utf-8"))
# Where the staff who are not heads, camat or lurah work, and the posts they hold.
STAFF_WEIGHT: dict[str, float] = _PEOPLE["staff_weight"]
POSITIONS: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _PEOPLE["positions"].items()}
GENERAL_POSITIONS: tuple[str, ...] = tuple(_PEOPLE["general_positions"])
AREA_STAFF: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _PEOPLE["area_staff"].items()}
_USERS = yaml.safe_load((DATA / "users.yaml").read_text(encoding="utf-8"))
# username, role, scope kind, scope code
DEMO_USERS: tuple[tuple[str, str, str, str], ...] = tuple(
    (u["username"], u["role"], u["scope"], u["code"]) for u in _USERS
)
# who a login is in the registry: an OPD admin's OPD code, the OPD an ASN login works in
USER_OPD: dict[str, str] = {u["username"]: u["opd"] for u in _USERS if "opd" in u}
USER_ASN_OF: dict[str, str] = {u["username"]: u["asn_of"] for u in _USERS if "asn_of" in u}


PNS_LADDER = (
    "II/a",
    "II/b",
    "II/c",
    "II/d",
    "III/a",
    "III/b",
    "III/c",
    "III/d",
    "IV/a",
    "IV/b",
    "IV/c",
    "IV/d",
    "IV/e",
)
PPPK_GOLONGAN = ("V", "VII", "IX", "IX", "IX", "X", "XI")  # PerPres 98/2020: IX for an S1 teacher
PLATFORMS = ("instagram", "facebook", "tiktok", "x")


def _demo_asn(db_session: Session, region_code: str, opd_code: str) -> Asn | None:
    """The demo's ASN login: a staff member (not the head) of an OPD, else of any OPD, by NIP."""
    staff = (
        select(Asn)
        .join(Opd, Opd.id == Asn.opd_id)
        .where(Opd.region_code == region_code, ~Asn.position.ilike("kepala%"))
        .order_by(Asn.nip)
        .limit(1)
    )
    # a demo with few ASN may have no one in that OPD
    return db_session.scalar(staff.where(Opd.code == opd_code)) or db_session.scalar(staff)


@dataclass
class DemoSummary:
    regions: int = 0
    opd: int = 0
    units: int = 0
    area_offices: int = 0
    asn: int = 0
    pppk: int = 0
    with_contact: int = 0
    social_accounts: int = 0
    candidates: int = 0
    users: int = 0
    seconds: float = 0.0
    password: str = DEMO_PASSWORD
    # (username, role, scope label) for the logins table `netral demo` prints
    logins: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class _Person:
    nip: str
    name: str
    kind: str
    position: str
    golongan: str
    opd: str
    unit: str
    email: str = ""
    phone: str = ""
    accounts: str = ""


class _People:
    """Makes fictional ASN: Faker names, NIPs that agree with age and appointment."""

    def __init__(
        self, seed: int, mail_domain: str, used_nips: set[str], used_handles: set[str]
    ) -> None:
        self.rng = random.Random(seed)
        self.fake = Faker("id_ID")
        self.fake.seed_instance(seed)
        self.mail_domain = mail_domain
        self.nips = used_nips
        self.handles = used_handles
        self.n = 0

    def person(
        self,
        *,
        opd: str,
        unit: str,
        position: str,
        kind: str = "PNS",
        born: tuple[int, int] = (1966, 1998),
        golongan: str | None = None,
    ) -> _Person:
        rng, fake = self.rng, self.fake
        sex = rng.choice("LP")
        first = fake.first_name_male() if sex == "L" else fake.first_name_female()
        last = fake.last_name_male() if sex == "L" else fake.last_name_female()
        name = f"{first} {last}" if last != first else first
        nip = self._nip(kind, born, sex)
        if golongan is None:
            golongan = self._golongan(nip, kind)
        self.n += 1
        p = _Person(nip, name, kind, position, golongan, opd, unit)
        if rng.random() < 0.6:
            local = re.sub(r"[^a-z]", "", first.lower()) + "." + re.sub(r"[^a-z]", "", last.lower())
            p.email = f"{local}.{self.n}@{self.mail_domain}"
            p.phone = f"08{rng.choice('1258')}{rng.randrange(10**8, 10**9)}"
        if rng.random() < 0.1:
            accounts = []
            for platform in rng.sample(PLATFORMS, rng.choice((1, 1, 2))):
                handle = f"{re.sub(r'[^a-z]', '', first.lower())}_{rng.randrange(10, 9999)}"
                while handle in self.handles:
                    handle += rng.choice("abcdefghjk")
                self.handles.add(handle)
                accounts.append(f"{platform}:@{handle}")
            p.accounts = "; ".join(accounts)
        return p

    def _nip(self, kind: str, born: tuple[int, int], sex: str) -> str:
        while True:
            if kind == "PNS":
                nip = make_nip(
                    self.rng,
                    birth_year_range=born,
                    sex=sex,  # type: ignore[arg-type]
                    today=DEMO_TODAY,
                )
            else:
                # PPPK were first appointed in 2019 and mostly from 2021: the NIP says so
                first, last = date(max(born[0], 1966), 1, 1), date(born[1], 12, 31)
                birth = date.fromordinal(self.rng.randint(first.toordinal(), last.toordinal()))
                year = self.rng.choice((2019, 2021, 2021, 2022, 2022, 2023, 2024))
                month = self.rng.randint(1, 3 if year == 2024 else 12)
                nip = (
                    f"{birth:%Y%m%d}{year:04d}{month:02d}{'1' if sex == 'L' else '2'}"
                    f"{self.rng.randint(1, 999):03d}"
                )
            if nip not in self.nips and nip_error(nip, DEMO_TODAY) is None:
                self.nips.add(nip)
                return nip

    def _golongan(self, nip: str, kind: str) -> str:
        if kind == "PPPK":
            return self.rng.choice(PPPK_GOLONGAN)
        service = DEMO_TODAY.year - int(nip[8:12])
        start = 4 if self.rng.random() < 0.75 else 0  # III/a with a degree, II/a without
        return PNS_LADDER[min(start + service // 4, 10)]  # IV/d and IV/e are for the few


def _area_offices(db_session: Session, region: str) -> tuple[list[Opd], list[Opd]]:
    offices = list(
        db_session.scalars(
            select(Opd)
            .where(Opd.region_code == region, Opd.wilayah_code.is_not(None))
            .order_by(Opd.wilayah_code)
        )
    )
    return (
        [o for o in offices if o.kind == "kecamatan"],
        [o for o in offices if o.kind == "kelurahan"],
    )


def _people(
    db_session: Session,
    region: str,
    tree: tuple[tuple[str, str, str, str, tuple[str, ...]], ...],
    count: int,
    gen: _People,
) -> list[_Person]:
    """The ASN of one region: heads, camat and lurah first, then staff by OPD weight."""
    rng = gen.rng
    kecamatan, kelurahan = _area_offices(db_session, region)
    parent_code = {o.id: o.code for o in kecamatan}
    wilayah_name = dict(db_session.execute(select(Wilayah.code, Wilayah.name)).all())
    leaders: list[_Person] = []
    for kec in kecamatan:
        leaders.append(
            gen.person(
                opd=kec.code,
                unit="",
                born=(1966, 1980),
                position=f"Camat {wilayah_name[kec.wilayah_code or '']}",
                golongan=rng.choice(("IV/a", "IV/b")),
            )
        )
    for code, _name, _kind, head, _units in tree:
        leaders.append(
            gen.person(
                opd=code,
                unit="",
                position=head,
                born=(1966, 1976),
                golongan=rng.choice(("IV/c", "IV/d")),
            )
        )
    for kel in kelurahan:
        assert kel.parent_id is not None
        leaders.append(
            gen.person(
                opd=parent_code[kel.parent_id],
                unit=kel.name,
                position=f"Lurah {wilayah_name[kel.wilayah_code or '']}",
                born=(1968, 1985),
                golongan=rng.choice(("III/d", "IV/a")),
            )
        )
    people = leaders[:count]
    staff = max(0, count - len(people))
    area_staff = round(staff * 0.12) if kecamatan else 0
    for _ in range(area_staff):
        if kelurahan and rng.random() < 0.6:
            kel = rng.choice(kelurahan)
            assert kel.parent_id is not None
            opd, unit, where = parent_code[kel.parent_id], kel.name, "kelurahan"
        else:
            opd, unit, where = rng.choice(kecamatan).code, "", "kecamatan"
        people.append(gen.person(opd=opd, unit=unit, position=rng.choice(AREA_STAFF[where])))
    codes = [t[0] for t in tree]
    units = {t[0]: t[4] for t in tree}
    weights = [STAFF_WEIGHT.get(c, 1.0) for c in codes]
    pppk_share = {"DISDIK": 0.32, "DINKES": 0.22, "RSUD": 0.2}
    for _ in range(staff - area_staff):
        code = rng.choices(codes, weights)[0]
        kind = "PPPK" if rng.random() < pppk_share.get(code, 0.06) else "PNS"
        unit = rng.choice(units[code]) if rng.random() < 0.7 else ""
        choices = POSITIONS.get(code, GENERAL_POSITIONS)
        if kind == "PPPK":  # PPPK hold functional posts, not head or supervisory ones
            choices = tuple(c for c in choices if not c.startswith(("Kepala", "Pengawas")))
        position = rng.choice(choices)
        people.append(gen.person(opd=code, unit=unit, position=position, kind=kind))
    return people


def _write_csv(path: Path, people: list[_Person]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(EXPORT_HEADERS.values())
        for p in people:
            w.writerow(
                [
                    p.nip,
                    p.name,
                    p.kind,
                    p.position,
                    p.golongan,
                    p.opd,
                    p.unit,
                    p.email,
                    p.phone,
                    p.accounts,
                ]
            )


def _opd_tree(
    db_session: Session, region: str, tree: tuple[tuple[str, str, str, str, tuple[str, ...]], ...]
) -> tuple[int, int]:
    units = 0
    for code, name, kind, _head, unit_names in tree:
        parent = registry.create_opd(
            db_session=db_session, region_code=region, code=code, name=name, kind=kind
        )
        for i, unit in enumerate(unit_names, start=1):
            registry.create_opd(
                db_session=db_session,
                region_code=region,
                code=f"{code}-{i:02d}",
                name=unit,
                kind="unit",
                parent=parent,
            )
            units += 1
    return len(tree), units


def _scope_label(kind: str, code: str, names: dict[str, str]) -> str:
    if kind == "national":
        return "Nasional"
    return f"{names.get(code, code)} ({code})"


def load_demo(
    *,
    db_session: Session,
    seed: int = 2024,
    asn_count: int = 2000,
    second_region_asn: int = 300,
    on_progress: Callable[[str], None] | None = None,
) -> DemoSummary:
    """Load the demo season into an empty database; refuse (demo.exists) if it is loaded."""
    started = time.perf_counter()
    say = on_progress or (lambda _msg: None)
    actor = Actor.system()
    election_in = election_service.read_election_file(election_service.DEMO_ELECTION)
    if db_session.scalar(select(Election.id).where(Election.code == election_in.code)):
        raise Conflict(
            problem(
                "demo.exists",
                f"Data demo sudah dimuat (pemilihan '{election_in.code}' sudah ada). Gunakan basis "
                "data kosong untuk memuatnya lagi.",
                f"The demo is already loaded (election '{election_in.code}' exists). Use an empty "
                "database to load it again.",
            )
        )
    summary = DemoSummary()

    say("Wilayah: Kota Bandung, Kabupaten Bandung")
    summary.regions = registry.load_shipped_wilayah(db_session=db_session, actor=actor)["created"]
    say("OPD")
    for region, tree in ((CITY, CITY_OPD), (KABUPATEN, KABUPATEN_OPD)):
        opd, units = _opd_tree(db_session, region, tree)
        summary.opd += opd
        summary.units += units
        summary.area_offices += registry.ensure_area_offices(
            db_session=db_session, region_code=region
        )
    db_session.flush()

    nips: set[str] = set()
    handles: set[str] = set()
    with tempfile.TemporaryDirectory(prefix="netral-demo-") as tmp:
        for region, tree, count, domain, offset in (
            (CITY, CITY_OPD, asn_count, "bandung.go.id", 0),
            (KABUPATEN, KABUPATEN_OPD, second_region_asn, "bandungkab.go.id", 1),
        ):
            if count <= 0:
                continue
            say(f"ASN {region}: {count}")
            gen = _People(seed + offset, domain, nips, handles)
            path = Path(tmp) / f"asn-{region}.csv"
            _write_csv(path, _people(db_session, region, tree, count, gen))
            import_asn(
                db_session=db_session, path=path, region_code=region, actor=actor, today=DEMO_TODAY
            )  # flushed: the demo command commits everything at its end

    say("Pemilihan / election")
    election = election_service.upsert_election(
        db_session=db_session, election_in=election_in, actor=actor
    )
    summary.candidates = len(election.candidates)
    say("Partisipasi / turnout")
    load_demo_turnout(db_session=db_session, seed=seed)

    say("Pengguna / users")
    fake = Faker("id_ID")
    fake.seed_instance(seed)
    names = dict(db_session.execute(select(Wilayah.code, Wilayah.name)).all())
    users = list(DEMO_USERS)
    covered = {role for _, role, _, _ in users}
    # a role added to roles.yaml later still gets a demo login
    users += [(f"{code}.demo", code, "region", CITY) for code in roles() if code not in covered]
    for username, role, kind, code in users:
        admin_of = (
            registry.opd_by_code(db_session=db_session, region_code=code, code=USER_OPD[username])
            if username in USER_OPD
            else None
        )
        person = (
            _demo_asn(db_session, code, USER_ASN_OF[username]) if username in USER_ASN_OF else None
        )
        create_user(
            db_session=db_session,
            username=username,
            password=DEMO_PASSWORD,
            full_name=person.name if person else fake.name(),
            role=role,
            scope_kind=kind,
            scope_code=code,
            nip=person.nip if person else None,
            opd_id=admin_of.id if admin_of else None,
        )
        summary.logins.append((username, role, _scope_label(kind, code, names)))
    summary.users = len(users)

    summary.asn = db_session.scalar(select(func.count()).select_from(Asn)) or 0
    summary.pppk = (
        db_session.scalar(select(func.count()).select_from(Asn).where(Asn.kind == "PPPK")) or 0
    )
    summary.with_contact = (
        db_session.scalar(select(func.count()).select_from(Asn).where(Asn.contact_enc.is_not(None)))
        or 0
    )
    summary.social_accounts = (
        db_session.scalar(select(func.count()).select_from(SocialAccount)) or 0
    )
    audit.record(
        db_session,
        actor=actor,
        action="demo.load",
        object_type="demo",
        object_id=election_in.code,
        region_code=CITY,
        summary={"seed": seed, "asn": summary.asn, "users": summary.users},
    )
    db_session.flush()
    summary.seconds = time.perf_counter() - started
    return summary


# ---------------------------------------------------------------- demo reports (SCENARIO.md)


def _banner_photo(text: str, fingers: int, seed: int) -> bytes:
    """A drawn stand-in for a resident's phone photo: a banner and a raised hand (fictional)."""
    import io
    import random as _random

    from PIL import Image, ImageDraw

    rng = _random.Random(seed)
    img = Image.new("RGB", (960, 720), (rng.randint(150, 190), rng.randint(170, 200), 210))
    d = ImageDraw.Draw(img)
    d.rectangle((80, 60, 880, 220), fill=(200, 30, 40))
    d.text((110, 110), text, fill=(255, 255, 255), font_size=56)
    d.ellipse((420, 300, 540, 420), fill=(224, 182, 150))  # head
    d.rectangle((400, 420, 560, 700), fill=(60, 90, 140))  # body
    for i in range(fingers):  # a raised hand with `fingers` fingers
        x = 610 + i * 22
        d.rounded_rectangle((x, 230, x + 16, 330), radius=7, fill=(224, 182, 150))
    d.rounded_rectangle((600, 320, 610 + fingers * 22 + 10, 400), radius=16, fill=(224, 182, 150))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85)
    return buf.getvalue()


def _phone_video(photo: bytes, seed: int) -> bytes:
    """A drawn stand-in for a resident's phone video (fictional): the hall, then the banner and
    the raised hand from 00:04 to 00:07, then the hall again. Made here, so nothing is shipped."""
    import io
    import random as _random
    import tempfile
    from pathlib import Path

    from PIL import Image, ImageDraw

    from netral.core.video import write_clip

    rng = _random.Random(seed)
    banner = Image.open(io.BytesIO(photo)).convert("RGB")
    hall = Image.new("RGB", banner.size, (rng.randint(150, 190), rng.randint(170, 200), 210))
    d = ImageDraw.Draw(hall)
    d.ellipse((420, 300, 540, 420), fill=(224, 182, 150))
    d.rectangle((400, 420, 560, 700), fill=(60, 90, 140))
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "VID.mp4"
        write_clip(out, [(hall, 4.0), (banner, 3.0), (hall, 2.0)], fps=10)
        return out.read_bytes()


def load_demo_reports(*, db_session: Session, store: LocalEvidenceStore, seed: int = 2024) -> int:
    """File the season's reports as residents and staff did (dates replayed), with one dialogue."""
    import io
    from datetime import datetime

    from netral.core.calendar import WIB
    from netral.core.closures import calendar_for
    from netral.reports import service as reports
    from netral.reports.schemas import ReportIn
    from netral.rules import load_rulebook

    rulebook = load_rulebook()
    calendar = calendar_for(db_session)
    camat = db_session.scalar(select(Asn).where(Asn.position.like("Camat%Sukasari%")))
    lurah = db_session.scalar(select(Asn).where(Asn.position.like("Lurah%")).order_by(Asn.nip))
    dishub = db_session.scalar(
        select(Asn).join(Opd, Opd.id == Asn.opd_id).where(Opd.code == "DISHUB").order_by(Asn.nip)
    )
    photo = _banner_photo("COBLOS NO. 3 - TILU KANGGO BANDUNG", 3, seed)

    def at(day: str, hour: int) -> datetime:
        return datetime.fromisoformat(f"{day}T{hour:02d}:15:00").replace(tzinfo=WIB)

    filed = []
    entries = [
        (
            at("2024-10-10", 19),
            dict(
                anonymous=True,
                description=(
                    "Pak Camat berpose mengangkat tiga jari di samping spanduk paslon nomor 3 "
                    "saat acara warga di balai RW. Saya memotretnya dari barisan depan."
                ),
                occurred_on="2024-10-08",
                known_on="2024-10-08",
                kecamatan="32.73.01",
                kelurahan="32.73.01.1002",
                place="Balai RW 05",
                category="SKB-07",
                reported_name=camat.name if camat else "",
                reported_position="Camat Sukasari",
            ),
            [("IMG_20241008_101512.jpg", photo)],
        ),
        (
            at("2024-10-12", 9),
            dict(
                description=(
                    "Lurah membagikan ulang unggahan akun tim pemenangan paslon 2 di Facebook "
                    "dan menulis komentar ajakan memilih."
                ),
                occurred_on="2024-10-11",
                known_on="2024-10-11",
                kecamatan="32.73.02",
                category="SKB-06",
                reported_name=lurah.name if lurah else "",
                reported_position=lurah.position if lurah else "Lurah",
                reported_nip=lurah.nip if lurah else "",
                links="https://facebook.com/hede.bandung/posts/1001",
                reporter_name="Rudi Hartono",
                reporter_standing="pemilih",
                reporter_phone="081300000001",
                reporter_address="Jl. Cihampelas 40, Bandung",
                reporter_occupation="Karyawan",
            ),
            [],
        ),
        (
            at("2024-10-14", 20),
            dict(
                anonymous=True,
                description=(
                    "Foto dan video camat pose tiga jari dekat spanduk calon beredar di grup "
                    "WhatsApp warga, mohon diperiksa."
                ),
                occurred_on="2024-10-08",
                known_on="2024-10-13",
                kecamatan="32.73.01",
                category="tidak_tahu",
            ),
            [
                ("WhatsApp Image 2024-10-13.jpg", photo),
                ("WhatsApp Video 2024-10-13.mp4", _phone_video(photo, seed)),
            ],
        ),
        (
            at("2024-10-21", 10),
            dict(
                description=(
                    "Seorang guru SD ikut kampanye terbuka paslon 1 dan berorasi di panggung "
                    "memakai atribut partai."
                ),
                occurred_on="2024-10-01",
                known_on="2024-10-02",
                kecamatan="32.73.05",
                category="SKB-04",
                reported_name="(guru SD, nama belum diketahui)",
                reported_position="Guru SD",
                reporter_name="Maya Sari",
                reporter_standing="pemilih",
                reporter_email="maya@example.com",
                reporter_address="Bandung",
            ),
            [],
        ),
        (
            at("2024-11-02", 15),
            dict(
                description=(
                    "Mobil dinas Dinas Perhubungan dipakai mengangkut alat peraga kampanye "
                    "paslon 4 pada hari Sabtu."
                ),
                occurred_on="2024-11-02",
                known_on="2024-11-02",
                kecamatan="32.73.10",
                category="DIS-04",  # using state facilities (PP 94/2021 art. 5(n) point 4)
                reported_name=dishub.name if dishub else "",
                reported_position="Dinas Perhubungan",
                reported_nip=dishub.nip if dishub else "",
                reporter_name="Dedi Kurnia",
                reporter_standing="pemilih",
                reporter_phone="081300000002",
                reporter_address="Jl. Soekarno-Hatta 100, Bandung",
                witnesses="Dua warga RT 02",
            ),
            [],
        ),
    ]
    for when, data, files in entries:
        form = ReportIn.model_validate(data)
        uploads = [
            reports.Upload(
                name, io.BytesIO(content), "video/mp4" if name.endswith(".mp4") else "image/jpeg"
            )
            for name, content in files
        ]
        receipt = reports.submit_report(
            db_session=db_session,
            store=store,
            rulebook=rulebook,
            calendar=calendar,
            form=form,
            uploads=uploads,
            now=when.astimezone(UTC),
        )
        filed.append(receipt.report)
    staff = db_session.scalar(select(User).where(User.username == "bawaslu.bdg"))
    if staff is not None and filed:
        first = filed[0]
        reports.ask_reporter(
            db_session=db_session,
            report=first,
            actor=Actor.of(staff),
            body="Terima kasih. Jam berapa acara itu berlangsung?",
        )
        reports.reporter_reply(
            db_session=db_session,
            report=first,
            body="Sekitar pukul 10 pagi, setelah senam bersama.",
        )
    return len(filed)


def load_demo_case(*, db_session: Session, store: LocalEvidenceStore) -> str | None:
    """SCENARIO.md, October to December, through the 2024 flow: LAP-1 and its duplicate become a
    case, registered with a register number, heard on 15 Oct, proven by the plenary on 16 Oct,
    the reporter told, forwarded to BKN; BKN recommends, the PPK's team examines, the PPK decides
    on 20 Nov, the decision is delivered and carried out, and the case closes."""
    from datetime import datetime

    from netral.cases import service as cases
    from netral.cases.schemas import TransitionIn
    from netral.core.calendar import WIB
    from netral.core.security import Scope
    from netral.reports.models import Report
    from netral.rules import load_rulebook

    staff = db_session.scalar(select(User).where(User.username == "bawaslu.bdg"))
    chief = db_session.scalar(select(User).where(User.username == "komisioner.bdg"))
    ppk = db_session.scalar(select(User).where(User.username == "ppk.bdg"))
    bkpsdm = db_session.scalar(select(User).where(User.username == "bkpsdm.bdg"))
    first = db_session.scalar(select(Report).where(Report.number == "LAP-2024-000001"))
    dup = db_session.scalar(select(Report).where(Report.number == "LAP-2024-000003"))
    camat = db_session.scalar(select(Asn).where(Asn.position.like("Camat%Sukasari%")))
    if None in (staff, chief, ppk, bkpsdm, first, camat):
        return None
    assert staff and chief and ppk and bkpsdm and camat

    def at(day: str, hour: int) -> datetime:
        return datetime.fromisoformat(f"{day}T{hour:02d}:00:00").replace(tzinfo=WIB)

    def step(who: User, code: str, day: str, hour: int, **fields: Any) -> None:
        cases.transition(
            db_session=db_session,
            case=case,
            code=code,
            user=who,
            fields=TransitionIn(**fields),
            store=store,  # a transition that makes a letter makes it here (workflow.yaml)
            now=at(day, hour).astimezone(UTC),
        )

    def upload(who: User, kind: str, title: str, text: str) -> None:
        cases.add_document(
            db_session=db_session,
            store=store,
            case=case,
            user=who,
            kind=kind,
            title=title,
            upload=reports_upload(f"{kind}.txt", f"{text}\n(contoh demo)\n".encode(), "text/plain"),
        )

    scope = Scope("region", CITY)
    case = cases.open_case(
        db_session=db_session,
        scope=scope,
        user=staff,
        origin="temuan",
        title="Camat Sukasari berpose tiga jari di samping spanduk paslon 3",
        summary="Informasi awal LAP-2024-000001 (dan duplikatnya LAP-2024-000003) "
        "ditindaklanjuti sebagai temuan pengawasan.",
        report_numbers=[r.number for r in (first, dup) if r is not None],
        asn_ids=[camat.id],
        # he posed at an event and posted nothing himself: act 4 (actively showing support),
        # not act 7 (posting a photo), which the report's category first suggested
        acts=["SKB-04"],
        now=at("2024-10-11", 9).astimezone(UTC),
    )
    step(staff, "registrasi", "2024-10-11", 10, reason="Syarat formil terpenuhi sebagai temuan.")
    step(staff, "klarifikasi", "2024-10-11", 11)
    hearing = cases.schedule_hearing(
        db_session=db_session,
        store=store,
        case=case,
        user=staff,
        party="terlapor",
        name=camat.name,
        position=camat.position,
        scheduled_at=at("2024-10-15", 9),
        place="Kantor Bawaslu Kota Bandung",
    )
    minutes = (
        "BERITA ACARA KLARIFIKASI (contoh demo)\n"
        f"Terlapor: {camat.name}, {camat.position}\n"
        "Terlapor membenarkan foto tersebut dan menyatakan tidak bermaksud berpihak.\n"
    )
    cases.record_hearing(
        db_session=db_session,
        store=store,
        case=case,
        user=staff,
        hearing_id=hearing.id,
        held_on=date(2024, 10, 15),
        minutes=reports_upload("bap-klarifikasi.txt", minutes.encode(), "text/plain"),
        now=at("2024-10-15", 15).astimezone(UTC),
    )
    step(staff, "kajian", "2024-10-15", 16)
    upload(staff, "kajian", "Kajian dugaan pelanggaran", "KAJIAN DUGAAN PELANGGARAN")
    upload(staff, "risalah_pleno", "Berita acara rapat pleno 16 Oktober 2024", "RISALAH PLENO")
    step(
        staff,
        "terbukti",
        "2024-10-16",
        14,
        decision_date=date(2024, 10, 16),
        reason="Rapat pleno: terlapor berpose tiga jari di samping spanduk paslon nomor urut 3 "
        "dalam acara warga, menunjukkan keberpihakan secara aktif (SKB Lampiran II angka 4); "
        "foto tidak diunggah oleh terlapor.",
        proven_acts=["SKB-04"],
        commissioners_present=[chief.full_name, "Anggota Bawaslu (contoh) 2", "Anggota (contoh) 3"],
    )
    step(staff, "pemberitahuan_status", "2024-10-16", 15, notified_on=date(2024, 10, 16))
    step(staff, "teruskan_bkn", "2024-10-17", 10, forwarded_on=date(2024, 10, 17))
    upload(bkpsdm, "rekomendasi_bkn", "Rekomendasi BKN (contoh)", "REKOMENDASI BKN")
    step(
        bkpsdm,
        "rekomendasi_bkn",
        "2024-10-25",
        10,
        bkn_number="(contoh) B-0000/KASN/BKN/10/2024",
        bkn_date=date(2024, 10, 24),
        bkn_level="berat",
    )
    step(
        ppk,
        "tim_pemeriksa",
        "2024-10-30",
        10,
        examination_team=[
            "Sekretaris Daerah (atasan langsung camat)",
            "Inspektur Daerah (unsur pengawasan)",
            "Kepala BKPSDM (unsur kepegawaian)",
        ],
    )
    upload(ppk, "bap_pemeriksaan", "BAP tim pemeriksa", "BERITA ACARA PEMERIKSAAN")
    level = load_rulebook().level("berat")
    step(
        ppk,
        "putusan_ppk",
        "2024-11-20",
        10,
        sk_number="(contoh) 800.1.6.4/0001-BKPSDM/2024",
        sk_date=date(2024, 11, 20),
        # the pose was in October, after the pairs were fixed (22 Sep): discipline, not ethics
        sanction_level="berat",
        penalty=level.penalties[0].code,
    )
    upload(ppk, "tanda_terima_sk", "Tanda terima SK", "TANDA TERIMA PENYAMPAIAN SK")
    step(ppk, "penyampaian", "2024-11-22", 10, delivered_on=date(2024, 11, 22))
    upload(ppk, "bukti_pelaksanaan", "Bukti pelaksanaan sanksi", "BUKTI PELAKSANAAN")
    step(ppk, "dilaksanakan", "2024-12-02", 10, carried_out_on=date(2024, 12, 2))
    step(staff, "selesai", "2024-12-03", 10, reason="Sanksi dilaksanakan.")
    return case.number


def _prop_photo(text: str, fence: str, seed: int) -> bytes:
    """A drawn stand-in for a phone photo of a campaign banner tied to a fence (fictional)."""
    import io
    import random as _random

    from PIL import Image, ImageDraw

    rng = _random.Random(seed)
    img = Image.new("RGB", (960, 720), (rng.randint(150, 180), rng.randint(190, 210), 230))
    d = ImageDraw.Draw(img)
    d.rectangle((0, 470, 960, 720), fill=(120, 120, 120))  # the street
    for x in range(20, 960, 60):  # the fence
        d.rectangle((x, 300, x + 12, 520), fill=(40, 80, 40))
    d.rectangle((0, 320, 960, 334), fill=(40, 80, 40))
    d.rectangle((120, 340, 840, 470), fill=(250, 210, 40))  # the banner
    d.text((150, 370), text, fill=(20, 20, 20), font_size=48)
    d.text((40, 240), fence, fill=(255, 255, 255), font_size=40)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85)
    return buf.getvalue()


def load_demo_apk(*, db_session: Session, store: LocalEvidenceStore, seed: int = 2024) -> int:
    """Campaign props at forbidden places (residents' reports), one forwarded to Satpol PP."""
    import io
    from datetime import datetime

    from netral.cases.forwards import forward_prop_report
    from netral.core.calendar import WIB
    from netral.core.closures import calendar_for
    from netral.core.security import Scope
    from netral.reports import service as reports
    from netral.reports.schemas import ReportIn
    from netral.rules import load_rulebook

    rulebook = load_rulebook()
    calendar = calendar_for(db_session)
    entries = [
        (
            "2024-10-18",
            dict(
                subject="apk",
                category="APK-01",
                place_kind="tempat_pendidikan",
                description=(
                    "Spanduk besar paslon nomor 2 diikat di pagar depan sekolah dasar, menghadap "
                    "jalan, terlihat oleh murid yang masuk pagi ini."
                ),
                occurred_on="2024-10-18",
                known_on="2024-10-18",
                kecamatan="32.73.02",
                place="Pagar depan SD Negeri (contoh), Jl. Ir. H. Juanda",
                latitude="-6.885120",
                longitude="107.597310",
                anonymous=True,
            ),
            _prop_photo("PILIH NO. 2 - BANDUNG MAJU", "SD NEGERI (CONTOH)", seed),
        ),
        (
            "2024-10-24",
            dict(
                subject="apk",
                category="APK-02",
                place_kind="fasilitas_kesehatan",
                description=(
                    "Stiker paslon nomor 4 ditempel di pintu dan loket pendaftaran puskesmas, "
                    "beberapa lembar juga di kursi ruang tunggu."
                ),
                occurred_on="2024-10-23",
                known_on="2024-10-24",
                kecamatan="32.73.10",
                place="Puskesmas (contoh), loket pendaftaran",
                reporter_name="Siti Aminah",
                reporter_standing="pemilih",
                reporter_phone="081300000003",
                reporter_address="Jl. Kiaracondong 20, Bandung",
            ),
            _prop_photo("STIKER NO. 4", "PUSKESMAS (CONTOH)", seed + 1),
        ),
        (
            "2024-11-05",
            dict(
                subject="apk",
                category="APK-01",
                place_kind="tempat_ibadah",
                description=(
                    "Umbul-umbul dan baliho kecil paslon nomor 1 dipasang di halaman masjid "
                    "sejak Jumat, belum diturunkan."
                ),
                occurred_on="2024-11-01",
                known_on="2024-11-04",
                latitude="-6.921400",
                longitude="107.611200",
                anonymous=True,
            ),
            _prop_photo("NO. 1 UNTUK BANDUNG", "HALAMAN MASJID (CONTOH)", seed + 2),
        ),
    ]
    filed = []
    for day, data, photo in entries:
        when = datetime.fromisoformat(f"{day}T08:30:00").replace(tzinfo=WIB)
        receipt = reports.submit_report(
            db_session=db_session,
            store=store,
            rulebook=rulebook,
            calendar=calendar,
            form=ReportIn.model_validate(data),
            uploads=[reports.Upload("IMG_APK.jpg", io.BytesIO(photo), "image/jpeg")],
            now=when.astimezone(UTC),
        )
        filed.append(receipt.report)
    staff = db_session.scalar(select(User).where(User.username == "bawaslu.bdg"))
    if staff is not None and filed:
        # the banner on the school fence: Bawaslu asks Satpol PP to take it down the next day
        forward_prop_report(
            db_session=db_session,
            store=store,
            scope=Scope("region", filed[0].region_code),
            number=filed[0].number,
            recipient="satpol_pp",
            user=staff,
            rulebook=rulebook,
            on=date(2024, 10, 19),
        )
    return len(filed)


def reports_upload(name: str, data: bytes, content_type: str) -> Any:
    import io

    from netral.reports.service import Upload

    return Upload(name, io.BytesIO(data), content_type)


# ---------------------------------------------------------------- demo turnout (SCENARIO.md, November 27)

# A kecamatan's turnout, in percent: most above the demo's 82.9% target, some below; kept inside
# 71.5-88.5 so that its TPS, scattered around it, still add up to 70-90
_TURNOUT_MEAN, _TURNOUT_SPREAD, _TURNOUT_RANGE = 85.5, 3.5, (71.5, 88.5)


def load_demo_turnout(*, db_session: Session, seed: int = 2024) -> int:
    """KPU's turnout per TPS for Kota Bandung, made up for a seed, through the turnout import."""
    from netral.core.security import Scope
    from netral.turnout import service as turnout

    rng = random.Random(seed + 27)  # voting day, 27 November: a stream of its own
    election = election_service.read_election_file(election_service.DEMO_ELECTION).code
    kecamatan = registry.places(db_session=db_session, level="kecamatan", region_codes=[CITY])
    kelurahan = registry.places(db_session=db_session, level="kelurahan", region_codes=[CITY])
    rows: list[tuple[str, str, int, int]] = []
    for kec in sorted(kecamatan, key=lambda p: p.code):
        low, high = _TURNOUT_RANGE
        rate = min(high, max(low, rng.gauss(_TURNOUT_MEAN, _TURNOUT_SPREAD)))
        for kel in sorted(
            (k for k in kelurahan if k.parent_code == kec.code), key=lambda p: p.code
        ):
            for number in range(1, rng.randint(2, 4) + 1):
                dpt = rng.randint(240, 600)  # KPU 2024: at most 600 voters per TPS
                tps_rate = min(99.0, max(50.0, rng.gauss(rate, 2.5)))
                voters = min(dpt, round(dpt * tps_rate / 100))
                code = f"{kel.code.replace('.', '')}{number:03d}"  # KPU's undotted form
                rows.append((code, f"TPS {number:03d} {kel.name}", dpt, voters))
    with tempfile.TemporaryDirectory(prefix="netral-demo-") as tmp:
        path = Path(tmp) / "partisipasi-tps.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            out = csv.writer(fh)
            out.writerow(("kode_wilayah", "nama_wilayah", "dpt", "pengguna_hak_pilih"))
            out.writerows(rows)
        report = turnout.import_turnout(
            db_session=db_session,
            scope=Scope("national"),
            election_code=election,
            path=path,
            actor=Actor.system(),
            level="tps",
        )
    return report.valid


# ---------------------------------------------------------------- demo pledges (SCENARIO.md, September)

IKRAR_FILE = DATA / "ikrar.yaml"
# fictional people, in the offices of the city's ceremony
JOINT_SIGNATORIES = (
    ("Drs. Hendarto Wiranatakusumah, M.Si.", "Penjabat Wali Kota Bandung"),
    ("Ratna Sulistyowati, S.H., M.H.", "Komisioner KPU Kota Bandung"),
    ("Agus Firmansyah, S.IP.", "Komisioner Bawaslu Kota Bandung"),
)
# SCENARIO.md: Dinas Perhubungan lags at 71%; every other OPD has 90% or more
LAGGING = {"DISHUB": 0.71}


def _sheet_scan(opd: str, seed: int) -> bytes:
    """A small picture of a signed sheet: a title and rows of scribbled signatures."""
    import io
    import random as _random

    from PIL import Image, ImageDraw

    rng = _random.Random(seed)
    img = Image.new("RGB", (620, 860), "white")
    draw = ImageDraw.Draw(img)
    draw.text((40, 30), "LEMBAR IKRAR NETRALITAS ASN - PILKADA 2024", fill="black")
    draw.text((40, 55), opd[:60], fill="black")
    for row in range(24):
        y = 100 + row * 30
        draw.line((40, y + 22, 580, y + 22), fill=(180, 180, 180))
        x = 380
        points = [(x + i * 12, y + 10 + rng.randint(-8, 8)) for i in range(14)]
        draw.line(points, fill=(20, 30, 120), width=2)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def load_demo_pledges(*, db_session: Session, store: LocalEvidenceStore, seed: int = 2024) -> int:
    """The September pledge: most OPD at 90%+, Dinas Perhubungan at about 71%, online and paper,
    a joint declaration; `asn.demo` left unsigned so the demo login can sign. Returns signatures."""
    from datetime import datetime, timedelta

    from netral.core.crypto import keyring
    from netral.pledges import service as pledges

    actor = Actor.system()
    campaign = pledges.create_campaign(
        db_session=db_session, campaign_in=pledges.read_campaign_file(IKRAR_FILE), actor=actor
    )
    users = {u.username: u for u in db_session.scalars(select(User))}
    demo_login = users.get("asn.demo")
    demo_asn = (
        db_session.scalar(select(Asn).where(Asn.nip == demo_login.nip))
        if demo_login is not None and demo_login.nip
        else None
    )
    if demo_asn is not None and demo_asn.contact_enc is None:
        # the demo login signs online: its code needs an address (fictional, like the person)
        address = f"{demo_login.username if demo_login else 'asn'}@bandung.go.id"
        demo_asn.contact_enc = keyring().encrypt(f"{address}\x1f", demo_asn.nip.encode())
    bkpsdm = users.get("bkpsdm.bdg")
    admins = {u.opd_id: u for u in users.values() if u.opd_id is not None}
    _, people = registry.asn_listed(
        db_session=db_session, scope=pledges.NATIONAL, region_code=campaign.region_code
    )
    by_opd: dict[str, list[Any]] = {}
    for p in people:
        by_opd.setdefault(p.opd_code, []).append(p)
    rng = random.Random(seed + 7)
    start = datetime(2024, 9, 2, 1, 0, tzinfo=UTC)
    rows: list[pledges.BulkSignature] = []
    for code in sorted(by_opd):
        staff = [p for p in by_opd[code] if demo_asn is None or p.id != demo_asn.id]
        rate = LAGGING.get(code, rng.uniform(0.905, 0.99))
        rng.shuffle(staff)
        # rounded up where on time: a small kecamatan office of 7 is at 100%, never at 6/7
        wanted = len(by_opd[code]) * rate
        signing = staff[: round(wanted) if code in LAGGING else math.ceil(wanted)]
        # kecamatan and kelurahan offices mostly sign on paper at the ceremony; agencies online
        paper_share = 0.8 if code.startswith(("KEC-", "KEL-")) else rng.uniform(0.2, 0.5)
        cut = round(len(signing) * paper_share)
        recorder = admins.get(signing[0].opd_id) if signing else None
        recorder = recorder or bkpsdm
        sheet = None
        if cut:
            signed_on = date(2024, 9, 2) + timedelta(days=rng.randint(0, 12))
            sheet = pledges.add_sheet(
                db_session=db_session,
                store=store,
                campaign=campaign,
                opd_id=signing[0].opd_id,
                data=_sheet_scan(signing[0].opd, seed + len(rows)),
                filename=f"lembar-ikrar-{code.lower()}.png",
                signed_on=signed_on,
                uploaded_by=recorder.id if recorder else None,
            )
        for i, p in enumerate(signing):
            paper = i < cut and sheet is not None
            if paper and sheet is not None:
                day = sheet.signed_on
                when = datetime(day.year, day.month, day.day, 5, 0, tzinfo=UTC)
            else:
                when = start + timedelta(minutes=rng.randint(0, 18 * 24 * 60))
            rows.append(
                pledges.BulkSignature(
                    asn_id=p.id,
                    nip=p.nip,
                    method="paper" if paper else "online",
                    signed_at=when,
                    recorded_by=(recorder.id if recorder else None) if paper else None,
                    sheet_id=sheet.id if paper and sheet is not None else None,
                    sheet_sha256=sheet.sha256 if paper and sheet is not None else None,
                )
            )
    n = pledges.bulk_sign(db_session=db_session, campaign=campaign, rows=rows)
    for name, office in JOINT_SIGNATORIES:
        pledges.add_joint_signatory(
            db_session=db_session,
            campaign=campaign,
            name=name,
            office=office,
            signed_on=date(2024, 9, 2),
            actor=actor,
        )
    db_session.flush()
    return n
# ---------------------------------------------------------------- demo briefings (SCENARIO.md)


def _sheet(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(("nip", "nama", "jabatan", "instansi"))
        w.writerows(rows)
    return path


def load_demo_briefings(
    *, db_session: Session, seed: int = 2024, today: date | None = None
) -> int:
    """September's briefings by Bakesbangpol, attendance from generated sign-in sheets (through
    the importer), and one upcoming event whose QR check-in is open for the demo ASN.

    Some lurah miss every session and a few camat are not briefed, as SCENARIO.md tells it.
    """
    from datetime import datetime, time, timedelta

    from netral.briefings import service as briefings
    from netral.briefings.sheet import normalise_name
    from netral.core.calendar import WIB
    from netral.core.security import Scope

    rng = random.Random(seed + 10)
    scope = Scope("national")
    organiser = db_session.scalar(select(User).where(User.role == "bakesbangpol").order_by(User.id))
    actor = Actor.of(organiser) if organiser else Actor.system()
    people = list(
        db_session.scalars(select(Asn).where(Asn.region_code == CITY).order_by(Asn.nip))
    )
    if not people:
        return 0
    name_count: dict[str, int] = {}
    for p in people:
        key = normalise_name(p.name)
        name_count[key] = name_count.get(key, 0) + 1
    opd_name = {o.id: o.name for o in db_session.scalars(select(Opd).where(Opd.region_code == CITY))}
    heads_by_code = {code: head for code, _n, _k, head, _u in CITY_OPD}
    opd_code = {o.id: o.code for o in db_session.scalars(select(Opd).where(Opd.region_code == CITY))}
    heads = [p for p in people if heads_by_code.get(opd_code.get(p.opd_id, "")) == p.position]
    camat = [p for p in people if p.position.startswith("Camat ")]
    lurah = [p for p in people if p.position.startswith("Lurah ")]
    staff = [p for p in people if p not in heads and p not in camat and p not in lurah]

    def row(p: Asn, by_name: bool = False) -> tuple[str, str, str, str]:
        # a few attendees wrote only their name: those go through the name match (confirmed)
        nip = "" if by_name and name_count[normalise_name(p.name)] == 1 else p.nip
        return (nip, p.name, p.position, opd_name.get(p.opd_id, ""))

    def event(day: str, start: str, end: str, **fields: Any) -> int:
        data = briefings.read_briefing_in(
            {"region_code": CITY, "day": day, "start": start, "end": end, **fields}
        )
        return briefings.create_briefing(
            db_session=db_session, scope=scope, briefing_in=data, actor=actor
        ).id

    def attend(event_id: int, rows: list[tuple[str, str, str, str]], name: str) -> None:
        with tempfile.TemporaryDirectory(prefix="netral-demo-") as tmp:
            briefings.import_attendance(
                db_session=db_session,
                scope=scope,
                briefing_id=event_id,
                path=_sheet(Path(tmp) / name, rows),
                actor=actor,
                confirm_names=True,
            )

    heads_event = event(
        "2024-09-10",
        "09:00",
        "12:00",
        title="Sosialisasi Netralitas ASN dan Larangan APK bagi Kepala OPD",
        place="Ruang Rapat Bakesbangpol Kota Bandung",
        audience_opd="all",
        audience_opd_people="heads",
        topics=["netralitas", "apk"],
    )
    # three OPD send no one; two heads send a delegate (a staff member of the same OPD)
    absent_heads = set(rng.sample(range(len(heads)), min(3, len(heads))))
    rows = []
    for i, head in enumerate(heads):
        if i in absent_heads:
            continue
        delegate = next((s for s in staff if s.opd_id == head.opd_id), None) if i % 11 == 5 else None
        rows.append(row(delegate or head, by_name=i % 7 == 3))
    attend(heads_event, rows, "hadir-kepala-opd.csv")

    area_event = event(
        "2024-09-12",
        "08:30",
        "12:00",
        title="Sosialisasi Netralitas, APK, dan Hoaks bagi Camat dan Lurah",
        place="Pendopo Kota Bandung",
        camat=True,
        lurah=True,
        topics=["netralitas", "apk", "hoaks"],
    )
    absent_camat = set(rng.sample(range(len(camat)), min(4, len(camat))))
    absent_lurah = set(rng.sample(range(len(lurah)), min(23, len(lurah))))
    rows = [row(c, by_name=i % 9 == 4) for i, c in enumerate(camat) if i not in absent_camat]
    rows += [row(lu) for i, lu in enumerate(lurah) if i not in absent_lurah]
    attend(area_event, rows, "hadir-camat-lurah.csv")

    media_event = event(
        "2024-09-19",
        "13:00",
        "15:30",
        title="Bijak Bermedia Sosial bagi ASN",
        place="Auditorium Diskominfo Kota Bandung",
        audience_opd="all",
        audience_opd_people="staff",
        topics=["medsos"],
    )
    sample = sorted(rng.sample(staff, min(120, len(staff))), key=lambda p: p.nip)
    attend(media_event, [row(p) for p in sample], "hadir-medsos.csv")

    # upcoming: tomorrow (WIB) for Dinas Perhubungan's staff; the QR opens two days ahead, so
    # the demo ASN (a Dishub staff member) can check in on the day the demo is loaded
    tomorrow = (today or datetime.now(WIB).date()) + timedelta(days=1)
    dishub = registry.opd_by_code(db_session=db_session, region_code=CITY, code="DISHUB")
    event(
        tomorrow.isoformat(),
        time(9, 0).strftime("%H:%M"),
        "12:00",
        title="Sosialisasi Netralitas ASN Dinas Perhubungan",
        place="Aula Dinas Perhubungan Kota Bandung",
        audience_opd="chosen" if dishub else "all",
        audience_opd_people="staff",
        opd_ids=[dishub.id] if dishub else [],
        topics=["netralitas", "medsos"],
        checkin_lead_minutes=2 * 24 * 60,
    )
    db_session.flush()
    return 4
