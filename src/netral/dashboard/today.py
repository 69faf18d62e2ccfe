"""What each person must do today: the home page's work list, one cheap query per item.

Every item comes from the owning domain's service (reports, cases, pledges, briefings) and links
straight to the list or page where the work is done, filtered to it. The sentences live in
`home.html`, keyed by the item's kind, so both languages come from the catalog.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from netral.briefings import service as briefings
from netral.cases import service as cases
from netral.core.db import utcnow
from netral.core.errors import NetralError
from netral.core.models import User
from netral.core.security import Scope, has_permission
from netral.pledges import service as pledges
from netral.reports import service as reports

# per role, the items of its home page in the order it reads them; each also needs a permission
ROLE_ITEMS: dict[str, tuple[str, ...]] = {
    "bawaslu_staff": ("new_reports", "replies", "cases_due"),
    "bawaslu_commissioner": ("plenary", "new_reports", "cases_due"),
    "ppk": ("ppk_decision", "ppk_delivery", "ppk_proof"),
    "bkpsdm": ("pledge_gap", "briefing_gap", "area_gap", "ppk_decision", "ppk_proof"),
    "bakesbangpol": ("briefing_gap", "area_gap", "pledge_gap"),
    "inspektorat": ("ppk_decision", "ppk_proof"),
    "opd_admin": ("unit_pledge", "unit_briefing"),
    "asn": ("own_pledge", "own_briefings"),
}

NEEDS: dict[str, str] = {
    "new_reports": "reports.read",
    "replies": "reports.handle",
    "cases_due": "cases.handle",
    "plenary": "cases.read",
    "ppk_decision": "cases.read",
    "ppk_delivery": "cases.read",
    "ppk_proof": "cases.read",
    "pledge_gap": "pledges.read",
    "briefing_gap": "briefings.read",
    "area_gap": "briefings.read",
    "unit_pledge": "pledges.read",
    "unit_briefing": "briefings.read",
    "own_pledge": "pledges.sign",
    "own_briefings": "briefings.checkin",
}


@dataclass
class Todo:
    """One line of the work list: how many, how many of them late, and where to do it."""

    kind: str
    count: int | None = None
    href: str = ""
    late: int = 0
    detail: dict[str, Any] = field(default_factory=dict)


def work_for(
    *, db_session: Session, user: User, scope: Scope, today: date, now: datetime | None = None
) -> list[Todo]:
    now = now or utcnow()
    ctx = _Context(db_session, user, scope, today, now)
    items = [
        BUILDERS[kind](ctx)
        for kind in ROLE_ITEMS.get(user.role, ())
        if has_permission(user, NEEDS[kind])
    ]
    # what has work in it first, in the role's order; what is done (a count of 0) after it
    return sorted(items, key=lambda t: t.count == 0)


@dataclass
class _Context:
    db: Session
    user: User
    scope: Scope
    today: date
    now: datetime
    memo: dict[str, Any] = field(default_factory=dict)

    def cases(self, **filters: Any) -> int:
        return cases.count_filtered(
            db_session=self.db,
            scope=self.scope,
            filters=cases.CaseFilter(**filters),
            today=self.today,
        )

    def inbox(self, **filters: Any) -> int:
        return reports.count_inbox(
            db_session=self.db, scope=self.scope, filters=reports.InboxFilter(**filters)
        )

    def campaign(self) -> Any:
        if "campaign" not in self.memo:
            try:
                self.memo["campaign"] = pledges.get_campaign(db_session=self.db, scope=self.scope)
            except NetralError:
                self.memo["campaign"] = None
        return self.memo["campaign"]

    def briefing_window(self) -> briefings.BriefingWindow:
        if "briefings" not in self.memo:
            self.memo["briefings"] = briefings.BriefingWindow(self.db, self.scope, self.now)
        window: briefings.BriefingWindow = self.memo["briefings"]
        return window


def _new_reports(c: _Context) -> Todo:
    return Todo("new_reports", c.inbox(status="baru"), "/laporan?status=baru&sort=created")


def _replies(c: _Context) -> Todo:
    return Todo("replies", c.inbox(replied=True), "/laporan?balasan=1")


def _cases_due(c: _Context) -> Todo:
    role = c.user.role
    return Todo(
        "cases_due",
        c.cases(deadline="today", turn_of=role),
        "/kasus?deadline=today&giliran=1",
        late=c.cases(deadline="overdue", turn_of=role),
    )


def _queue(kind: str, queue: str) -> Any:
    def build(c: _Context) -> Todo:
        return Todo(
            kind,
            c.cases(queue=queue),
            f"/kasus?antrean={queue}",
            late=c.cases(queue=queue, deadline="overdue"),
        )

    return build


def _pledge_gap(c: _Context) -> Todo:
    campaign = c.campaign()
    if campaign is None:
        return Todo("pledge_gap", None, "/ikrar/kampanye")
    rows = pledges.campaign_coverage(db_session=c.db, scope=c.scope, campaign=campaign)
    short = [r for r in rows if r.asn and r.signed < r.asn]  # lowest percentage first
    lowest = short[0] if short else None
    return Todo(
        "pledge_gap",
        len(short),
        f"/ikrar/kampanye/{campaign.code}" + (f"?opd={lowest.opd_id}#belum" if lowest else ""),
        detail={"campaign": campaign, "lowest": lowest},
    )


def _briefing_gap(c: _Context) -> Todo:
    rows = briefings.coverage_by_opd(db_session=c.db, scope=c.scope, window=c.briefing_window())
    gaps = sorted((r for r in rows if not r.briefed), key=lambda r: (r.attended, r.opd))
    return Todo(
        "briefing_gap",
        len(gaps),
        "/sosialisasi/cakupan#opd",
        detail={"first": gaps[0] if gaps else None, "of": len(rows)},
    )


def _area_gap(c: _Context) -> Todo:
    rows = briefings.coverage_by_kecamatan(
        db_session=c.db, scope=c.scope, window=c.briefing_window()
    )
    gaps = [a for a in rows if not a.camat_briefed]  # least covered first
    return Todo(
        "area_gap",
        len(gaps),
        "/sosialisasi/cakupan#kecamatan",
        detail={"first": gaps[0] if gaps else None, "of": len(rows)},
    )


def _unit_pledge(c: _Context) -> Todo:
    opd_id = c.user.opd_id
    campaign = c.campaign()
    if opd_id is None or campaign is None:
        return Todo("unit_pledge", None, "/ikrar/kampanye", detail={"unbound": opd_id is None})
    rows = pledges.campaign_coverage(
        db_session=c.db, scope=c.scope, campaign=campaign, opd_id=opd_id
    )
    asn = sum(r.asn for r in rows)
    signed = sum(r.signed for r in rows)
    return Todo(
        "unit_pledge",
        asn - signed,
        f"/ikrar/kampanye/{campaign.code}?opd={opd_id}#belum",
        detail={"campaign": campaign, "asn": asn, "signed": signed},
    )


def _unit_briefing(c: _Context) -> Todo:
    opd_id = c.user.opd_id
    if opd_id is None:
        return Todo("unit_briefing", None, "/sosialisasi", detail={"unbound": True})
    coming = briefings.upcoming(db_session=c.db, scope=c.scope, opd_id=opd_id, now=c.now)
    return Todo(
        "unit_briefing",
        len(coming),
        f"/sosialisasi/{coming[0].id}" if coming else "/sosialisasi",
        detail={"next": coming[0] if coming else None},
    )


def _own_pledge(c: _Context) -> Todo:
    try:
        signer = pledges.signer_of(db_session=c.db, user=c.user)
    except NetralError:
        return Todo("own_pledge", None, "/ikrar", detail={"unbound": True})
    for campaign in pledges.campaigns_for(db_session=c.db, signer=signer):
        signature = pledges.signature_of(db_session=c.db, campaign=campaign, asn_id=signer.asn_id)
        return Todo(
            "own_pledge",
            0 if signature else 1,
            f"/ikrar/{campaign.code}/ikrar.pdf" if signature else "/ikrar",
            detail={
                "campaign": campaign,
                "signature": signature,
                "open": pledges.is_open(campaign, c.today),
            },
        )
    return Todo("own_pledge", None, "/ikrar")


def _own_briefings(c: _Context) -> Todo:
    items = briefings.briefings_of_asn(db_session=c.db, nip=c.user.nip, now=c.now)
    coming = [i for i in items if i.briefing.ends_at >= c.now]
    return Todo(
        "own_briefings",
        len(coming),
        "",
        detail={"events": items, "unbound": not c.user.nip},
    )


BUILDERS: dict[str, Any] = {
    "new_reports": _new_reports,
    "replies": _replies,
    "cases_due": _cases_due,
    "plenary": _queue("plenary", "pleno"),
    "ppk_decision": _queue("ppk_decision", "putusan_ppk"),
    "ppk_delivery": _queue("ppk_delivery", "penyampaian"),
    "ppk_proof": _queue("ppk_proof", "bukti"),
    "pledge_gap": _pledge_gap,
    "briefing_gap": _briefing_gap,
    "area_gap": _area_gap,
    "unit_pledge": _unit_pledge,
    "unit_briefing": _unit_briefing,
    "own_pledge": _own_pledge,
    "own_briefings": _own_briefings,
}
