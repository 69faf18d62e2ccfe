"""Reading screening results: findings per report, and whether screening is running or failed."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from netral.screening.models import ScreeningFinding, ScreeningTask
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
    )
    for f in rows:
        if f.evidence_id is None:
            out.report_level.append(f)
        else:
            out.by_evidence.setdefault(f.evidence_id, []).append(f)
    return out
