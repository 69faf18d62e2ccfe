"""Registry queries and writes: regions, OPD, ASN. Every read is filtered by the caller's scope."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import Session, aliased

from netral.core import audit
from netral.core.audit import Actor
from netral.core.crypto import keyring
from netral.core.errors import NotFound, Problem, ValidationFailed, problem
from netral.core.exports import FORMATS, write_table
from netral.core.security import Scope
from netral.registry.headcount import refresh_headcount as refresh_headcount  # every ASN write
from netral.registry.importer import EXPORT_HEADERS
from netral.registry.models import Asn, AsnHeadcount, Opd, SocialAccount, Wilayah
from netral.registry.wilayah import WilayahRow, read_wilayah_csv, shipped_wilayah_files


def region_of(code: str) -> str:
    """The kota/kabupaten a Kemendagri code belongs to: '32.73.01.1001' -> '32.73'."""
    parts = code.split(".")
    return ".".join(parts[:2]) if len(parts) >= 2 else ""


# ---------------------------------------------------------------- wilayah


def import_wilayah(*, db_session: Session, rows: list[WilayahRow], actor: Actor) -> dict[str, int]:
    """Upsert regions (parents first). The caller commits."""
    existing = {
        w.code: w
        for w in db_session.scalars(select(Wilayah).where(Wilayah.code.in_([r.kode for r in rows])))
    }
    known = set(existing) | set(db_session.scalars(select(Wilayah.code)))
    orphans = [
        r
        for r in rows
        if r.induk and r.induk not in known and r.induk not in {x.kode for x in rows}
    ]
    if orphans:
        raise ValidationFailed(
            *[
                problem(
                    "wilayah.orphan",
                    f"Induk {r.induk} untuk {r.kode} tidak ada.",
                    f"Parent {r.induk} of {r.kode} does not exist.",
                    field="induk",
                )
                for r in orphans[:20]
            ]
        )
    created = updated = 0
    for r in sorted(rows, key=lambda r: (r.kode.count("."), r.kode)):
        row = existing.get(r.kode)
        if row is None:
            db_session.add(
                Wilayah(
                    code=r.kode,
                    name=r.nama,
                    level=r.tingkat,
                    parent_code=r.induk or None,
                    region_code=region_of(r.kode),
                )
            )
            created += 1
        elif (row.name, row.level, row.parent_code) != (r.nama, r.tingkat, r.induk or None):
            row.name, row.level, row.parent_code = r.nama, r.tingkat, r.induk or None
            updated += 1
        db_session.flush()
    regions = sorted({region_of(r.kode) for r in rows if region_of(r.kode)})
    audit.record(
        db_session,
        actor=actor,
        action="registry.import_wilayah",
        object_type="wilayah",
        object_id=",".join(regions) or "-",
        region_code=regions[0] if len(regions) == 1 else "",
        summary={"created": created, "updated": updated},
    )
    return {"created": created, "updated": updated}


def import_wilayah_file(*, db_session: Session, path: Path, actor: Actor) -> dict[str, int]:
    return import_wilayah(db_session=db_session, rows=read_wilayah_csv(path), actor=actor)


def load_shipped_wilayah(*, db_session: Session, actor: Actor) -> dict[str, int]:
    total = {"created": 0, "updated": 0}
    for path in shipped_wilayah_files():
        got = import_wilayah_file(db_session=db_session, path=path, actor=actor)
        total = {k: total[k] + got[k] for k in total}
    return total


def region_codes(*, db_session: Session) -> list[str]:
    """Codes of the kota/kabupaten known to the registry, sorted."""
    levels = ("kota", "kabupaten")
    return sorted(db_session.scalars(select(Wilayah.code).where(Wilayah.level.in_(levels))))


@dataclass(frozen=True)
class Place:
    """A kecamatan, kelurahan/desa or region, as other domains see it."""

    code: str
    name: str
    level: str
    parent_code: str | None
    region_code: str


@dataclass(frozen=True)
class AsnRef:
    """What another domain may know of an ASN: who, where they work, in which region."""

    id: int
    nip: str
    name: str
    kind: str
    position: str
    opd: str
    region_code: str
    opd_id: int = 0


@dataclass(frozen=True)
class OpdRef:
    id: int
    name: str


@dataclass(frozen=True)
class RegistryCounts:
    asn: int
    opd: int


def _place(w: Wilayah) -> Place:
    return Place(w.code, w.name, w.level, w.parent_code, w.region_code)


def _asn_ref(a: Asn) -> AsnRef:
    return AsnRef(a.id, a.nip, a.name, a.kind, a.position, a.opd.name, a.region_code, a.opd_id)


def get_place(*, db_session: Session, code: str) -> Place | None:
    w = db_session.get(Wilayah, code)
    return _place(w) if w is not None else None


def places(
    *,
    db_session: Session,
    level: str | None = None,
    parent_code: str | None = None,
    region_codes: Sequence[str] | None = None,
    codes: Sequence[str] | None = None,
    scope: Scope | None = None,
) -> list[Place]:
    """Regions filtered by level, parent, region or code, ordered by region and name."""
    where = []
    if level is not None:
        where.append(Wilayah.level == level)
    if parent_code is not None:
        where.append(Wilayah.parent_code == parent_code)
    if region_codes is not None:
        where.append(Wilayah.region_code.in_(list(region_codes)))
    if codes is not None:
        where.append(Wilayah.code.in_(list(codes)))
    if scope is not None:
        where.append(scope.clause(Wilayah.region_code))
    rows = db_session.scalars(
        select(Wilayah).where(*where).order_by(Wilayah.region_code, Wilayah.name)
    )
    return [_place(w) for w in rows]


def asn_by_nips(*, db_session: Session, nips: Sequence[str]) -> dict[str, AsnRef]:
    if not nips:
        return {}
    rows = db_session.scalars(select(Asn).where(Asn.nip.in_(list(nips))))
    return {a.nip: _asn_ref(a) for a in rows}


def asn_ids_in_opd(opd_id: int) -> Select[int]:
    """A subquery of the ASN who work in an OPD or in one of its units (for filters)."""
    return select(Asn.id).where(or_(Asn.opd_id == opd_id, Asn.unit_id == opd_id))


def top_level_opds(*, db_session: Session, scope: Scope) -> list[OpdRef]:
    rows = db_session.execute(
        select(Opd.id, Opd.name)
        .where(scope.clause(Opd.region_code), Opd.parent_id.is_(None))
        .order_by(Opd.name)
    )
    return [OpdRef(i, n) for i, n in rows]


def opd_by_code(*, db_session: Session, region_code: str, code: str) -> OpdRef | None:
    """An OPD (or unit) of a region by its code, as written in the BKPSDM sheet."""
    row = db_session.execute(
        select(Opd.id, Opd.name).where(Opd.region_code == region_code, Opd.code == code)
    ).first()
    return OpdRef(row[0], row[1]) if row else None


def _asn_visible(scope: Scope) -> list[Any]:
    """The ASN a scope sees: its region(s), and for an OPD-bound role its OPD and units only."""
    where: list[Any] = [scope.clause(Asn.region_code)]
    if scope.opd_id is not None:
        where.append(or_(Asn.opd_id == scope.opd_id, Asn.unit_id == scope.opd_id))
    return where


def _opd_visible(scope: Scope, opd: Opd) -> bool:
    if not scope.covers(opd.region_code):
        return False
    return scope.opd_id is None or scope.opd_id in (opd.id, opd.parent_id)


def counts(*, db_session: Session, scope: Scope) -> RegistryCounts:
    """ASN and OPD (top level) within the scope, for the home page."""
    asn = db_session.scalar(select(func.count()).select_from(Asn).where(*_asn_visible(scope)))
    opd_where = [scope.clause(Opd.region_code), Opd.parent_id.is_(None)]
    if scope.opd_id is not None:
        opd_where.append(Opd.id == scope.opd_id)
    opd = db_session.scalar(select(func.count()).select_from(Opd).where(*opd_where))
    return RegistryCounts(asn or 0, opd or 0)


def kecamatan_of(*, db_session: Session, region_code: str) -> list[Wilayah]:
    return list(
        db_session.scalars(
            select(Wilayah).where(Wilayah.parent_code == region_code).order_by(Wilayah.code)
        )
    )


def regions(*, db_session: Session, scope: Scope) -> list[Wilayah]:
    return list(
        db_session.scalars(
            select(Wilayah)
            .where(Wilayah.level.in_(("kota", "kabupaten")), scope.clause(Wilayah.code))
            .order_by(Wilayah.code)
        )
    )


# ---------------------------------------------------------------- OPD


def create_opd(
    *,
    db_session: Session,
    region_code: str,
    code: str,
    name: str,
    kind: str,
    parent: Opd | None = None,
    wilayah_code: str | None = None,
) -> Opd:
    opd = Opd(
        region_code=region_code,
        code=code,
        name=name,
        kind=kind,
        parent_id=parent.id if parent else None,
        wilayah_code=wilayah_code,
    )
    db_session.add(opd)
    db_session.flush()
    return opd


def ensure_area_offices(*, db_session: Session, region_code: str) -> int:
    """Every kecamatan becomes an OPD (led by a camat); its kelurahan offices become its units."""
    have = set(
        db_session.scalars(
            select(Opd.wilayah_code).where(
                Opd.region_code == region_code, Opd.wilayah_code.is_not(None)
            )
        )
    )
    made = 0
    for kec in kecamatan_of(db_session=db_session, region_code=region_code):
        if kec.code in have:
            parent = db_session.scalar(select(Opd).where(Opd.wilayah_code == kec.code))
        else:
            parent = create_opd(
                db_session=db_session,
                region_code=region_code,
                code=f"KEC-{kec.code.split('.')[-1]}",
                name=f"Kecamatan {kec.name}",
                kind="kecamatan",
                wilayah_code=kec.code,
            )
            made += 1
        assert parent is not None
        for kel in kecamatan_of(db_session=db_session, region_code=kec.code):
            if kel.code not in have:
                prefix = "Kelurahan" if kel.level == "kelurahan" else "Desa"
                create_opd(
                    db_session=db_session,
                    region_code=region_code,
                    code=f"KEL-{kel.code.split('.')[-1]}-{kec.code.split('.')[-1]}",
                    name=f"{prefix} {kel.name}",
                    kind=kel.level,
                    parent=parent,
                    wilayah_code=kel.code,
                )
                made += 1
    return made


@dataclass(frozen=True)
class OpdCount:
    opd: Opd
    total: int
    pns: int
    pppk: int
    units: int


def opd_counts(
    *, db_session: Session, scope: Scope, region_code: str | None = None, counted: bool = True
) -> list[OpdCount]:
    """Top-level OPD in scope with their ASN counts (units included); `counted=False`: the OPD
    alone, all counts 0 (a filter's choices need no pass over millions of ASN)."""
    where = [scope.clause(Opd.region_code), Opd.parent_id.is_(None)]
    if region_code:
        where.append(Opd.region_code == region_code)
    if scope.opd_id is not None:
        where.append(Opd.id == scope.opd_id)
    opds = list(db_session.scalars(select(Opd).where(*where).order_by(Opd.region_code, Opd.name)))
    if not counted:
        return [OpdCount(o, total=0, pns=0, pppk=0, units=0) for o in opds]
    counts = {
        opd_id: (total, pns, pppk)
        for opd_id, total, pns, pppk in db_session.execute(
            select(
                Asn.opd_id,
                func.count(),
                func.sum(case((Asn.kind == "PNS", 1), else_=0)),
                func.sum(case((Asn.kind == "PPPK", 1), else_=0)),
            )
            .where(scope.clause(Asn.region_code))
            .group_by(Asn.opd_id)
        )
    }
    units: dict[int, int] = dict(
        db_session.execute(  # type: ignore[arg-type]
            select(Opd.parent_id, func.count())
            .where(Opd.parent_id.is_not(None), scope.clause(Opd.region_code))
            .group_by(Opd.parent_id)
        ).all()
    )
    return [
        OpdCount(o, total=int(t or 0), pns=int(p or 0), pppk=int(k or 0), units=units.get(o.id, 0))
        for o in opds
        for t, p, k in [counts.get(o.id, (0, 0, 0))]
    ]


def get_opd(*, db_session: Session, scope: Scope, opd_id: int) -> Opd:
    opd = db_session.get(Opd, opd_id)
    if opd is None or not _opd_visible(scope, opd):
        raise NotFound(problem("opd.not_found", "OPD tidak ditemukan.", "OPD not found."))
    return opd


def opd_units(*, db_session: Session, opd_id: int) -> list[Opd]:
    return list(db_session.scalars(select(Opd).where(Opd.parent_id == opd_id).order_by(Opd.name)))


# ---------------------------------------------------------------- ASN


@dataclass(frozen=True)
class Page:
    items: list[Asn]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def list_asn(
    *,
    db_session: Session,
    scope: Scope,
    q: str = "",
    opd_id: int | None = None,
    kind: str | None = None,
    page: int = 1,
    per_page: int = 25,
    sort: str = "name",
) -> Page:
    page, per_page = max(page, 1), min(max(per_page, 1), 200)
    where = _asn_visible(scope)
    if q.strip():
        term = q.strip()
        digits = term.replace(" ", "")
        where.append(
            or_(
                Asn.name.ilike(f"%{term}%"),
                Asn.nip.startswith(digits),
                Asn.position.ilike(f"%{term}%"),
            )
            if not digits.isdigit()
            else Asn.nip.startswith(digits)
        )
    if opd_id:
        where.append(or_(Asn.opd_id == opd_id, Asn.unit_id == opd_id))
    if kind in ("PNS", "PPPK"):
        where.append(Asn.kind == kind)
    total = db_session.scalar(select(func.count()).select_from(Asn).where(*where)) or 0
    items = list(
        db_session.scalars(
            select(Asn)
            .where(*where)
            .order_by(*ASN_SORTS[asn_sort_key(sort)])
            .offset((page - 1) * per_page)
            .limit(per_page)
        )
    )
    return Page(items, total, page, per_page)


def get_asn(*, db_session: Session, scope: Scope, asn_id: int) -> Asn:
    """One ASN, or NotFound, also when it exists outside the caller's scope (no leak by id)."""
    asn = db_session.get(Asn, asn_id)
    if (
        asn is None
        or not scope.covers(asn.region_code)
        or (scope.opd_id is not None and scope.opd_id not in (asn.opd_id, asn.unit_id))
    ):
        raise NotFound(problem("asn.not_found", "ASN tidak ditemukan.", "ASN not found."))
    return asn


def contact_of(asn: Asn) -> tuple[str, str]:
    """(email, phone), decrypted. Callers check `registry.contact` first."""
    if asn.contact_enc is None:
        return "", ""
    email, phone = keyring().decrypt(asn.contact_enc, asn.nip.encode()).split("\x1f")
    return email, phone


def add_account(*, db_session: Session, asn: Asn, platform: str, handle: str) -> SocialAccount:
    acc = SocialAccount(asn_id=asn.id, platform=platform, handle=handle.lstrip("@").lower())
    db_session.add(acc)
    db_session.flush()
    return acc


def _export_rows(
    db_session: Session, scope: Scope, include_contact: bool, region_code: str | None
) -> Iterator[list[Any]]:
    where = _asn_visible(scope)
    if region_code:
        where.append(Asn.region_code == region_code)
    last = 0
    while True:
        chunk = list(
            db_session.scalars(
                select(Asn).where(*where, Asn.id > last).order_by(Asn.id).limit(5000)
            )
        )
        if not chunk:
            return
        for a in chunk:
            email, phone = contact_of(a) if include_contact else ("", "")
            yield [
                a.nip,
                a.name,
                a.kind,
                a.position,
                a.golongan,
                a.opd.code,
                a.unit.name if a.unit else "",
                email,
                phone,
                "; ".join(f"{s.platform}:@{s.handle}" for s in a.accounts),
            ]
        last = chunk[-1].id
        db_session.expunge_all()


def export_asn(
    *,
    db_session: Session,
    scope: Scope,
    path: Path,
    actor: Actor,
    include_contact: bool,
    region_code: str | None = None,
) -> int:
    """Write the ASN in scope to CSV or XLSX (by suffix), in the import's own column layout."""
    if path.suffix.lower().lstrip(".") not in FORMATS:
        raise ValidationFailed(
            problem(
                "export.format",
                "Ekspor hanya ke .csv atau .xlsx.",
                "Export only to .csv or .xlsx.",
                field="file",
            )
        )
    n = write_table(
        path,
        sheet="ASN",
        headers=list(EXPORT_HEADERS.values()),
        rows=_export_rows(db_session, scope, include_contact, region_code),
    )
    audit.record(
        db_session,
        actor=actor,
        action="registry.export_asn",
        object_type="asn",
        object_id=path.name,
        region_code=region_code or scope.code,
        summary={"rows": n, "contact": include_contact},
    )
    return n


# ---------------------------------------------------------------- what screening reads


@dataclass(frozen=True)
class HandleMatch:
    """An ASN found through one of their recorded social-media accounts."""

    asn: AsnRef
    platform: str
    handle: str


def asn_by_handles(
    *, db_session: Session, region_code: str, handles: set[str]
) -> list[HandleMatch]:
    """The region's ASN owning these social handles (lower case, no '@')."""
    if not handles:
        return []
    rows = db_session.execute(
        select(Asn, SocialAccount)
        .join(SocialAccount, SocialAccount.asn_id == Asn.id)
        .where(SocialAccount.handle.in_(handles), Asn.region_code == region_code)
    )
    return [HandleMatch(_asn_ref(asn), acc.platform, acc.handle) for asn, acc in rows]


def asn_by_accounts(
    *, db_session: Session, accounts: set[tuple[str, str]]
) -> dict[tuple[str, str], AsnRef]:
    """The ASN owning each (platform, handle) pair, in any region (bulk scans of public posts).

    Handles are compared as recorded: lower case, no '@'.
    """
    out: dict[tuple[str, str], AsnRef] = {}
    handles = sorted({h for _, h in accounts})
    for i in range(0, len(handles), 500):  # a bounded IN list on both databases
        rows = db_session.execute(
            select(Asn, SocialAccount)
            .join(SocialAccount, SocialAccount.asn_id == Asn.id)
            .where(SocialAccount.handle.in_(handles[i : i + 500]), Asn.is_active.is_(True))
        )
        for asn, acc in rows:
            if (acc.platform, acc.handle) in accounts:
                out[(acc.platform, acc.handle)] = _asn_ref(asn)
    return out


def asn_by_office(
    *, db_session: Session, region_code: str, role: str, place: str, limit: int = 3
) -> list[AsnRef]:
    """The region's ASN whose position starts with `role` ('camat') at `place` (post or OPD)."""
    rows = db_session.scalars(
        select(Asn)
        .join(Opd, Opd.id == Asn.opd_id)
        .where(
            Asn.region_code == region_code,
            Asn.position.ilike(f"{role}%"),
            or_(Asn.position.ilike(f"%{place}%"), Opd.name.ilike(f"%{place}%")),
        )
        .limit(limit)
    )
    return [_asn_ref(a) for a in rows]


def asn_names(*, db_session: Session, region_code: str) -> dict[int, str]:
    """Id -> name of every ASN in the region: the choices a fuzzy name search runs over."""
    rows = db_session.execute(select(Asn.id, Asn.name).where(Asn.region_code == region_code))
    return {asn_id: name for asn_id, name in rows}


def asn_by_ids(*, db_session: Session, asn_ids: list[int]) -> dict[int, AsnRef]:
    """Id -> ASN for the ids given (unknown ids are left out)."""
    if not asn_ids:
        return {}
    rows = db_session.scalars(select(Asn).where(Asn.id.in_(asn_ids)))
    return {a.id: _asn_ref(a) for a in rows}


# ---------------------------------------------------------------- what pledges reads


@dataclass(frozen=True)
class OpdAsnCount:
    """How many ASN of a selection work in one OPD (and, when asked, in one of its units)."""

    opd_id: int
    opd_code: str
    opd: str
    unit_id: int | None
    unit: str
    asn: int


@dataclass(frozen=True)
class AsnListed:
    """An ASN as a list shows them: who, and where they work."""

    id: int
    nip: str
    name: str
    position: str
    opd_id: int
    opd_code: str
    opd: str
    unit: str


def _selection(
    scope: Scope,
    region_code: str,
    opd_ids: Sequence[int] | None,
    among: Select[Any] | Sequence[int] | None,
    excluding: Select[Any] | None,
) -> list[Any]:
    where: list[Any] = [
        scope.clause(Asn.region_code),
        Asn.region_code == region_code,
        Asn.is_active.is_(True),
    ]
    if opd_ids:
        where.append(or_(Asn.opd_id.in_(list(opd_ids)), Asn.unit_id.in_(list(opd_ids))))
    if among is not None:
        where.append(Asn.id.in_(among if isinstance(among, Select) else list(among)))
    if excluding is not None:
        where.append(Asn.id.not_in(excluding))
    return where


def headcount_by_opd(
    *,
    db_session: Session,
    scope: Scope,
    region_code: str,
    opd_ids: Sequence[int] | None = None,
    by_unit: bool = False,
) -> list[OpdAsnCount]:
    """Active ASN per OPD (per unit with `by_unit`) as `refresh_headcount` last counted them;
    `opd_ids` selects OPD or units as `asn_listed` does."""
    h = AsnHeadcount
    where: list[Any] = [scope.clause(h.region_code), h.region_code == region_code]
    if opd_ids:
        where.append(or_(h.opd_id.in_(list(opd_ids)), h.unit_key.in_(list(opd_ids))))
    counts: dict[tuple[int, int], int] = {}
    for opd_id, unit_key, n in db_session.execute(
        select(h.opd_id, h.unit_key, h.asn).where(*where)
    ):
        key = (opd_id, unit_key if by_unit else 0)
        counts[key] = counts.get(key, 0) + int(n)
    ids = {i for key in counts for i in key if i}
    names = {
        i: (code, name)
        for i, code, name in db_session.execute(
            select(Opd.id, Opd.code, Opd.name).where(Opd.id.in_(ids))
        )
    }
    return [
        OpdAsnCount(opd_id, *names[opd_id], unit_key or None, names.get(unit_key, ("", ""))[1], n)
        for (opd_id, unit_key), n in counts.items()
        if opd_id in names
    ]


@dataclass(frozen=True)
class PlaceMarkCount:
    """How many active ASN of one OPD and unit (0: none) carry one mark."""

    opd_id: int
    unit_key: int
    mark: str
    asn: int


def asn_marks_by_place(
    *,
    db_session: Session,
    region_code: str,
    marks: Select[Any, Any],
    among: Sequence[int] | None = None,
) -> list[PlaceMarkCount]:
    """The region's active ASN that carry a mark of `marks` (a select of (asn_id, mark), at most
    one row per ASN), counted per OPD, unit and mark; `among` narrows to given ASN ids."""
    m = marks.subquery("marks")
    asn_id, mark = list(m.c)[:2]
    unit_key = func.coalesce(Asn.unit_id, 0)
    stmt = (
        select(Asn.opd_id, unit_key, mark, func.count())
        .join(m, asn_id == Asn.id)
        .where(Asn.region_code == region_code, Asn.is_active.is_(True))
        .group_by(Asn.opd_id, unit_key, mark)
    )
    if among is not None:
        stmt = stmt.where(Asn.id.in_(list(among)))
    return [
        PlaceMarkCount(int(o), int(u), str(k), int(n)) for o, u, k, n in db_session.execute(stmt)
    ]


# ---------------------------------------------------------------- what briefings reads


def read_sheet(path: Path) -> tuple[list[str], Iterator[list[str]]]:
    """(headers, rows) of a CSV or XLSX sheet, refused as the ASN import refuses a bad file."""
    from netral.registry.importer.tables import open_table

    return open_table(path)


def nip_problem(raw: str) -> Problem | None:
    """Why `raw` is not a valid NIP (code and message in both languages), or None."""
    from netral.registry.nip import describe, nip_error

    code = nip_error(raw)
    return describe(code, raw) if code else None


@dataclass(frozen=True)
class AgencyRef:
    """A top-level OPD other than a kecamatan or kelurahan office."""

    id: int
    code: str
    name: str
    region_code: str


AREA_KINDS = ("kecamatan", "kelurahan", "desa")


def agencies(*, db_session: Session, scope: Scope) -> list[AgencyRef]:
    rows = db_session.execute(
        select(Opd.id, Opd.code, Opd.name, Opd.region_code)
        .where(scope.clause(Opd.region_code), Opd.parent_id.is_(None), Opd.kind.not_in(AREA_KINDS))
        .order_by(Opd.region_code, Opd.name)
    )
    return [AgencyRef(*r) for r in rows]


@dataclass(frozen=True)
class AreaOffice:
    """A kecamatan or kelurahan office and its head (camat, lurah) when the registry has one."""

    office_id: int
    kind: str  # kecamatan | kelurahan
    region_code: str
    kecamatan_code: str
    kecamatan: str
    name: str  # the office's own area: the kecamatan, or the kelurahan
    head_id: int | None
    head_nip: str | None
    head_name: str | None


def area_offices(*, db_session: Session, scope: Scope) -> list[AreaOffice]:
    """Every kecamatan and kelurahan office in scope with its head, in two queries.

    The head is the ASN whose post starts with "Camat" in the kecamatan office, or with "Lurah"
    in the kelurahan unit (as ensure_area_offices and the BKPSDM sheet lay them out).
    """
    kec = aliased(Wilayah)
    offices = db_session.execute(
        select(Opd.id, Opd.kind, Opd.region_code, Opd.wilayah_code, Wilayah.name, Opd.parent_id)
        .join(Wilayah, Wilayah.code == Opd.wilayah_code)
        .where(scope.clause(Opd.region_code), Opd.kind.in_(("kecamatan", "kelurahan")))
        .order_by(Opd.wilayah_code)
    ).all()
    names = dict(
        db_session.execute(
            select(kec.code, kec.name).where(
                kec.level == "kecamatan", scope.clause(kec.region_code)
            )
        ).all()
    )
    heads: dict[int, tuple[int, str, str]] = {}
    # only the staff of these offices (ix_asn_opd_id, ix_asn_unit_id): matching the post of
    # every ASN of the region read a million rows on each dashboard
    kec_ids = [o.id for o in offices if o.kind == "kecamatan"]
    kel_ids = [o.id for o in offices if o.kind != "kecamatan"]
    head_rows = db_session.execute(
        select(Asn.id, Asn.nip, Asn.name, Asn.opd_id, Asn.unit_id, Asn.position)
        .where(
            scope.clause(Asn.region_code),
            Asn.is_active.is_(True),
            or_(Asn.position.ilike("camat %"), Asn.position.ilike("lurah %")),
            or_(Asn.opd_id.in_(kec_ids), Asn.unit_id.in_(kel_ids)),
        )
        .order_by(Asn.nip)
    )
    for asn_id, nip, name, opd_id, unit_id, position in head_rows:
        office = unit_id if position.lower().startswith("lurah") else opd_id
        if office is not None:
            heads.setdefault(office, (asn_id, nip, name))
    out = []
    for office_id, kind, region, wilayah_code, wname, _parent in offices:
        wcode = str(wilayah_code)  # joined on it, so never None here
        kec_code = wcode if kind == "kecamatan" else wcode.rsplit(".", 1)[0]
        head = heads.get(office_id)
        out.append(
            AreaOffice(
                office_id,
                kind,
                region,
                kec_code,
                names.get(kec_code, kec_code),
                wname,
                head[0] if head else None,
                head[1] if head else None,
                head[2] if head else None,
            )
        )
    return out


def asn_listed(
    *,
    db_session: Session,
    scope: Scope,
    region_code: str,
    opd_ids: Sequence[int] | None = None,
    among: Select[Any] | Sequence[int] | None = None,
    excluding: Select[Any] | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> tuple[int, list[AsnListed]]:
    """(how many, one page of) the active ASN selected, ordered by OPD, unit and name."""
    where = _selection(scope, region_code, opd_ids, among, excluding)
    total = db_session.scalar(select(func.count()).select_from(Asn).where(*where)) or 0
    unit = Opd.__table__.alias("unit")
    stmt = (
        select(Asn.id, Asn.nip, Asn.name, Asn.position, Asn.opd_id, Opd.code, Opd.name, unit.c.name)
        .join(Opd, Opd.id == Asn.opd_id)
        .outerjoin(unit, unit.c.id == Asn.unit_id)
        .where(*where)
        .order_by(Opd.name, unit.c.name, Asn.name, Asn.id)
        .offset(offset)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    rows = [
        AsnListed(i, nip, name, pos, opd_id, code, opd, unit_name or "")
        for i, nip, name, pos, opd_id, code, opd, unit_name in db_session.execute(stmt)
    ]
    return total, rows


def top_level_opd_refs(
    *, db_session: Session, region_code: str, opd_ids: Sequence[int] | None = None
) -> list[tuple[int, str, str]]:
    """(id, code, name) of a region's top-level OPD, all or those given, by name."""
    where = [Opd.region_code == region_code, Opd.parent_id.is_(None)]
    if opd_ids:
        where.append(Opd.id.in_(list(opd_ids)))
    rows = db_session.execute(select(Opd.id, Opd.code, Opd.name).where(*where).order_by(Opd.name))
    return [(i, c, n) for i, c, n in rows]


def opd_ids_by_codes(
    *, db_session: Session, region_code: str, codes: Sequence[str]
) -> dict[str, int]:
    """Code -> id of a region's OPD with these codes (unknown codes are left out)."""
    if not codes:
        return {}
    rows = db_session.execute(
        select(Opd.code, Opd.id).where(Opd.region_code == region_code, Opd.code.in_(list(codes)))
    )
    return {c: i for c, i in rows}


def asn_by_name_keys(*, db_session: Session, region_code: str) -> list[AsnRef]:
    """Every active ASN of a region, for matching a sign-in sheet by name (one query)."""
    rows = db_session.scalars(
        select(Asn).where(Asn.region_code == region_code, Asn.is_active.is_(True))
    )
    return [_asn_ref(a) for a in rows]


# ---------------------------------------------------------------- for the dashboard's aggregates


def asn_opd_table() -> Any:
    """A subquery (asn_id, opd_id) that another domain joins to group its rows by the ASN's OPD
    in SQL, without reading the registry's tables itself."""
    return select(Asn.id.label("asn_id"), Asn.opd_id.label("opd_id")).subquery("asn_opd")


def opd_names(*, db_session: Session, opd_ids: Sequence[int]) -> dict[int, str]:
    """Id -> name of the OPD given (unknown ids are left out)."""
    if not opd_ids:
        return {}
    rows = db_session.execute(select(Opd.id, Opd.name).where(Opd.id.in_(list(opd_ids))))
    return {opd_id: name for opd_id, name in rows}


# ---------------------------------------------------------------- one search (dashboard/search.py)
NIP_PREFIX_MIN = 8  # fewer digits would match most of a region's ASN


def search_asn(
    *, db_session: Session, scope: Scope, term: str, limit: int = 20
) -> tuple[list[AsnRef], int]:
    """ASN in scope whose NIP starts with `term` (8 digits or more) or whose name contains it."""
    term = term.strip()
    digits = term.replace(" ", "")
    if digits.isdigit():
        if len(digits) < NIP_PREFIX_MIN:
            return [], 0
        match = Asn.nip.startswith(digits, autoescape=True)
    elif len(term) >= 2:
        match = Asn.name.icontains(term, autoescape=True)
    else:
        return [], 0
    where = [*_asn_visible(scope), match]
    total = db_session.scalar(select(func.count()).select_from(Asn).where(*where)) or 0
    rows = db_session.scalars(select(Asn).where(*where).order_by(Asn.name, Asn.id).limit(limit))
    return [_asn_ref(a) for a in rows], total


def asn_sort_key(sort: str) -> str:
    """The ASN list's sort keys; anything else falls back to the name."""
    return sort if sort in ASN_SORTS else "name"


ASN_SORTS: dict[str, Any] = {
    "name": (Asn.name.asc(), Asn.id.asc()),
    "-name": (Asn.name.desc(), Asn.id.desc()),
    "nip": (Asn.nip.asc(),),
    "-nip": (Asn.nip.desc(),),
    "position": (Asn.position.asc(), Asn.id.asc()),
    "-position": (Asn.position.desc(), Asn.id.desc()),
}


def subject_data(*, db_session: Session, nip: str) -> dict[str, Any] | None:
    """What the registry holds about one ASN, for their own export (None: no such NIP)."""
    asn = db_session.scalar(select(Asn).where(Asn.nip == nip))
    if asn is None:
        return None
    email, phone = contact_of(asn)
    return {
        "nip": asn.nip,
        "name": asn.name,
        "kind": asn.kind,
        "position": asn.position,
        "golongan": asn.golongan,
        "opd": asn.opd.name,
        "unit": asn.unit.name if asn.unit else "",
        "region_code": asn.region_code,
        "active": asn.is_active,
        "email": email,
        "phone": phone,
        "social_accounts": [{"platform": a.platform, "handle": a.handle} for a in asn.accounts],
        "recorded_at": asn.created_at.isoformat(),
        "updated_at": asn.updated_at.isoformat(),
    }
