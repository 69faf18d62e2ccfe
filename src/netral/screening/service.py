"""Reading screening results: findings per report, whether screening is running or failed, and
what staff decided about each finding."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from netral.screening.decisions import latest_by_finding
from netral.screening.models import ScreeningDecision, ScreeningFinding, ScreeningTask
from netral.screening.schemas import ScreeningLabel

LABELS: dict[ScreeningLabel, tuple[str, str]] = {
    "banned_pose": ("Pose jari terlarang", "Banned finger pose"),
    "allowed_pose": ("Pose yang diperbolehkan", "Allowed pose"),
    "no_gesture": ("Tangan tanpa isyarat angka", "Hands, no number sign"),
    "no_hands": ("Tidak ada tangan terdeteksi", "No hands found"),
    "text_found": ("Teks terbaca", "Text read"),
    "no_text": ("Tidak ada teks", "No text"),
    "partisan": ("Berpihak (partisan)", "Partisan"),
    "political_neutral": ("Politik, netral", "Political, neutral"),
    "other": ("Bukan politik", "Not political"),
    "hoax_match": ("Menyebarkan informasi yang telah dibantah", "Spreads a debunked claim"),
    "no_match": ("Tidak cocok dengan hoaks yang dibantah", "No debunked claim matched"),
    "asn_candidate": ("Kemungkinan ASN terlapor", "Possible ASN concerned"),
    "no_candidate": ("Tidak ada ASN yang cocok", "No ASN matched"),
    "unreadable": ("Gambar tidak terbaca", "Unreadable image"),
    "not_screened": ("Tidak disaring", "Not screened"),
    "video_screened": ("Video disaring per detik", "Video screened second by second"),
    "error": ("Penyaringan gagal", "Screening failed"),
}
# labels that deserve a person's attention first
NOTABLE: frozenset[ScreeningLabel] = frozenset(
    {"banned_pose", "partisan", "hoax_match", "asn_candidate", "error"}
)


@dataclass
class ReportFindings:
    pending: int
    by_evidence: dict[int, list[ScreeningFinding]] = field(default_factory=dict)
    report_level: list[ScreeningFinding] = field(default_factory=list)
    failed: int = 0  # tasks given up after their last attempt (until `netral screen rerun`)
    retrying: int = 0  # pending tasks that failed before and will be tried again
    attempts: int = 0  # the most attempts among the failed tasks
    error: str = ""  # the latest of their errors: type and short message, naming nobody
    # the decision that counts on each current finding, by finding id
    decisions: dict[int, ScreeningDecision] = field(default_factory=dict)
    # for a current finding nobody has decided yet: the decision on the finding it superseded
    # (same evidence, kind and label), shown so a re-screening does not hide what staff said
    previous: dict[int, ScreeningDecision] = field(default_factory=dict)
    superseded: int = 0  # earlier findings kept after a re-screening

    @property
    def notable(self) -> list[ScreeningFinding]:
        every = [f for fs in self.by_evidence.values() for f in fs] + self.report_level
        return [f for f in every if f.label in NOTABLE]


def findings_for(*, db_session: Session, report_id: int) -> ReportFindings:
    pending = (
        db_session.scalar(
            select(func.count())
            .select_from(ScreeningTask)
            .where(ScreeningTask.report_id == report_id, ScreeningTask.status == "pending")
        )
        or 0
    )
    out = ReportFindings(pending=pending)
    troubled = db_session.scalars(
        select(ScreeningTask)
        .where(
            ScreeningTask.report_id == report_id,
            or_(
                ScreeningTask.status == "failed",
                and_(ScreeningTask.status == "pending", ScreeningTask.attempts > 0),
            ),
        )
        .order_by(ScreeningTask.id)
    )
    for t in troubled:
        if t.status == "failed":
            out.failed += 1
            out.attempts = max(out.attempts, t.attempts)
        else:
            out.retrying += 1
        out.error = t.error or out.error
    rows = db_session.scalars(
        select(ScreeningFinding)
        .where(ScreeningFinding.report_id == report_id)
        .order_by(ScreeningFinding.evidence_id, ScreeningFinding.id)
    ).all()
    old = [f for f in rows if f.superseded_at is not None]
    out.superseded = len(old)
    decided = latest_by_finding(db_session=db_session, finding_ids=[f.id for f in rows])
    for f in rows:
        if f.superseded_at is not None:
            continue
        if f.evidence_id is None:
            out.report_level.append(f)
        else:
            out.by_evidence.setdefault(f.evidence_id, []).append(f)
        if f.id in decided:
            out.decisions[f.id] = decided[f.id]
            continue
        earlier = [
            o
            for o in old
            if o.id in decided
            and (o.evidence_id, o.kind, o.label) == (f.evidence_id, f.kind, f.label)
        ]
        if earlier:
            out.previous[f.id] = decided[max(earlier, key=lambda o: o.id).id]
    return out


def current_kinds(*, db_session: Session) -> set[str]:
    """The kinds of finding currently shown on some report (what a rerun may need to compare)."""
    return set(
        db_session.scalars(
            select(ScreeningFinding.kind).where(ScreeningFinding.superseded_at.is_(None)).distinct()
        )
    )


def outdated_report_ids(*, db_session: Session, current: dict[str, str]) -> list[int]:
    """Reports holding a current finding made by another model than the one now installed for
    its kind (`current`: kind -> model version): what `netral screen rerun` screens again."""
    if not current:
        return []
    stale = or_(
        *(
            and_(ScreeningFinding.kind == kind, ScreeningFinding.model != model)
            for kind, model in current.items()
        )
    )
    return list(
        db_session.scalars(
            select(ScreeningFinding.report_id)
            .where(ScreeningFinding.superseded_at.is_(None), stale)
            .distinct()
            .order_by(ScreeningFinding.report_id)
        )
    )
