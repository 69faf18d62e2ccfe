"""The dashboards' sections: each a function of the filters returning a `Section` of figures.

Every figure is a table of numbers (what the CSV download and the season report print) and the
chart drawn from exactly that table. An audience's page is a list of section builders, so another
domain's section (pledge coverage per OPD, briefings) is one function and one line in its list.
The numbers come from GROUP BY queries in each domain's service; nothing here reads a table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Literal

from markupsafe import Markup
from sqlalchemy.orm import Session

from netral.cases import service as cases
from netral.core.security import Scope
from netral.dashboard import svg
from netral.dashboard.disclosure import Masked, Value, protect
from netral.registry import service as registry
from netral.reports import service as reports
from netral.rules.schema import PropCategory, Rulebook

FigureKind = Literal["bars", "columns", "stacked"]


@dataclass(frozen=True)
class Figure:
    """A chart and the table of its numbers: rows of (label, one value per series)."""

    key: str
    title: str
    kind: FigureKind
    label_header: str
    series: tuple[str, ...]
    rows: tuple[tuple[str, tuple[Value, ...]], ...]
    total: Value | None = None  # printed under the table, when the rows add up to something

    def chart(self) -> Markup:
        if self.kind == "columns":
            return svg.columns(
                [(date.fromisoformat(label), _int(v[0])) for label, v in self.rows],
                title=self.title,
            )
        if self.kind == "stacked":
            return svg.stacked(list(self.rows), series=self.series, title=self.title)
        return svg.hbars([(label, v[0]) for label, v in self.rows], title=self.title)

    def table(self) -> tuple[list[str], list[list[str | int]]]:
        """The header and rows exactly as the CSV carries them (masked counts as their text)."""
        header = [self.label_header, *self.series]
        body: list[list[str | int]] = [
            [label, *(str(v) if isinstance(v, Masked) else v for v in values)]
            for label, values in self.rows
        ]
        return header, body


@dataclass(frozen=True)
class Fact:
    """A headline number, shown large; `tone` warn marks what needs action."""

    label: str
    value: Value
    tone: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    figures: tuple[Figure, ...] = ()
    facts: tuple[Fact, ...] = ()
    lead: str = ""  # the one sentence that matters, stated prominently
    note: str = ""
    link: tuple[str, str] | None = None  # (href, label): where to act on it

    def figure(self, key: str) -> Figure | None:
        return next((f for f in self.figures if f.key == key), None)


@dataclass(frozen=True)
class Context:
    """The filters every builder reads: who (scope), when (WIB days), where (one region)."""

    db_session: Session
    scope: Scope
    since: date | None
    until: date | None
    region_code: str | None
    today: date
    rulebook: Rulebook
    lang: str = "id"

    def t(self, text_id: str, text_en: str) -> str:
        return text_en if self.lang == "en" else text_id

    @cached_property  # one window per page: its sections share one scan of the reports
    def reports(self) -> reports.ReportWindow:
        return reports.ReportWindow(self.scope, self.since, self.until, self.region_code)

    @cached_property  # and one scan of the cases
    def cases(self) -> cases.CaseWindow:
        return cases.CaseWindow(self.scope, self.since, self.until, self.region_code)


Builder = Callable[[Context], Section]


@dataclass(frozen=True)
class Audience:
    """One dashboard page: who may open it and its sections, in order."""

    key: str
    title_id: str
    title_en: str
    permission: str
    builders: list[Builder] = field(default_factory=list)

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_id

    def builder(self, name: str) -> Builder | None:
        return next((b for b in self.builders if b.__name__ == name), None)


def _int(v: Value) -> int:
    return 0 if isinstance(v, Masked) else v


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"


def _ranked(rows: Sequence[tuple[str, int]]) -> tuple[tuple[str, tuple[Value, ...]], ...]:
    return tuple((label, (n,)) for label, n in sorted(rows, key=lambda r: (-r[1], r[0])))


def _category_label(rb: Rulebook, code: str | None, lang: str) -> str:
    if code is None:
        return "Tidak tahu / belum dikategorikan" if lang == "id" else "Unknown / not categorised"
    v = next((v for v in rb.violations if v.code == code), None)
    if v is not None:
        return f"{v.number}. {v.name.get(lang)}"
    prop = next((c for c in _prop_categories(rb) if c.code == code), None)
    return f"APK: {prop.name.get(lang)}" if prop else code


def _prop_categories(rb: Rulebook) -> list[PropCategory]:
    return list(rb.campaign_props.categories) if rb.campaign_props else []


def _status_label(code: str, lang: str) -> str:
    names = reports.STATUS_LABELS.get(code)
    return (names[1] if lang == "en" else names[0]) if names else code


def _step_label(rb: Rulebook, step: str, lang: str) -> str:
    d = next((d for d in rb.deadlines if d.code == step), None)
    return d.name.get(lang) if d else step


def _level_label(rb: Rulebook, track: str, code: str, lang: str) -> str:
    if track == "etik":
        for e in rb.ethics_sanctions:
            for k in e.kinds:
                if k.code == code:
                    return f"{e.name.get(lang)}: {k.name.get(lang)}"
        return code
    for lvl in rb.discipline_levels:
        if lvl.code == code:
            return lvl.name.get(lang)
    for d in rb.dismissals:
        if d.code == code:
            return d.name.get(lang)
    return code


def _days(since: date, until: date) -> list[date]:
    return [since + timedelta(days=i) for i in range((until - since).days + 1)]


# ---------------------------------------------------------------- Bawaslu


def follow_up(ctx: Context) -> Section:
    """BKN's recommendations to the PPK: carried out versus pending (the number that matters)."""
    f = cases.recommendation_follow_up(db_session=ctx.db_session, window=ctx.cases, today=ctx.today)
    lead = (
        ctx.t(
            f"{f.carried_out} dari {f.issued} rekomendasi ({_pct(f.carried_out, f.issued)}) "
            f"telah dilaksanakan PPK; {f.pending} masih menunggu, {f.pending_overdue} di "
            "antaranya lewat tenggat.",
            f"{f.carried_out} of {f.issued} recommendations ({_pct(f.carried_out, f.issued)}) "
            f"were carried out by the PPK; {f.pending} are pending, {f.pending_overdue} of them "
            "overdue.",
        )
        if f.issued
        else ctx.t(
            "Belum ada rekomendasi BKN pada periode ini.",
            "No BKN recommendation in this period yet.",
        )
    )
    rows = (
        (ctx.t("Dilaksanakan", "Carried out"), f.carried_out),
        (ctx.t("Menunggu tindak lanjut PPK", "Awaiting the PPK"), f.pending),
        (ctx.t("Diputus tidak terbukti oleh PPK", "Decided not proven by the PPK"), f.not_proven),
        (ctx.t("Kasus dihentikan", "Case stopped"), f.stopped),
    )
    return Section(
        key="tindak_lanjut",
        title=ctx.t("Tindak lanjut rekomendasi", "Follow-up of recommendations"),
        lead=lead,
        facts=(
            Fact(ctx.t("Rekomendasi BKN", "BKN recommendations"), f.issued),
            Fact(ctx.t("Dilaksanakan", "Carried out"), f.carried_out, "good"),
            Fact(ctx.t("Menunggu", "Pending"), f.pending, "warn" if f.pending else ""),
            Fact(
                ctx.t("Menunggu, lewat tenggat", "Pending, overdue"),
                f.pending_overdue,
                "warn" if f.pending_overdue else "",
            ),
        ),
        figures=(
            Figure(
                "rekomendasi",
                ctx.t("Nasib rekomendasi BKN kepada PPK", "What became of BKN's recommendations"),
                "bars",
                ctx.t("Keadaan", "Outcome"),
                (ctx.t("Jumlah", "Count"),),
                tuple((label, (n,)) for label, n in rows),
                total=f.issued,
            ),
        ),
        note=ctx.t(
            "Pada Pilkada 2020 sekitar separuh rekomendasi tidak pernah dilaksanakan PPK.",
            "In Pilkada 2020 about half of the recommendations were never carried out.",
        ),
        link=("/kasus?state=rekomendasi_bkn", ctx.t("Kasus menunggu PPK", "Cases awaiting PPK")),
    )


def reports_daily(ctx: Context) -> Section:
    tallies = reports.reports_by_day(db_session=ctx.db_session, window=ctx.reports)
    counts = {date.fromisoformat(t.key): t.n for t in tallies if t.key}
    since = ctx.since or min(counts, default=ctx.today)
    until = ctx.until or max(counts, default=ctx.today)
    days = _days(since, until) if since <= until else []
    total = sum(counts.values())
    return Section(
        key="laporan_harian",
        title=ctx.t("Laporan masuk per hari", "Reports received per day"),
        facts=(Fact(ctx.t("Laporan diterima", "Reports received"), total),),
        figures=(
            Figure(
                "per_hari",
                ctx.t("Laporan diterima per hari (WIB)", "Reports received per day (WIB)"),
                "columns",
                ctx.t("Tanggal", "Date"),
                (ctx.t("Laporan", "Reports"),),
                tuple((d.isoformat(), (counts.get(d, 0),)) for d in days),
                total=total,
            ),
        ),
        link=("/laporan", ctx.t("Kotak masuk laporan", "Report inbox")),
    )


def reports_by_category(ctx: Context) -> Section:
    tallies = reports.reports_by_category(db_session=ctx.db_session, window=ctx.reports)
    rows = [(_category_label(ctx.rulebook, t.key, ctx.lang), t.n) for t in tallies]
    return Section(
        key="laporan_kategori",
        title=ctx.t("Laporan per kategori pelanggaran", "Reports by violation category"),
        figures=(
            Figure(
                "per_kategori",
                ctx.t("Laporan per kategori (SKB 2022, APK)", "Reports by category (SKB 2022, APK)"),
                "bars",
                ctx.t("Kategori", "Category"),
                (ctx.t("Laporan", "Reports"),),
                _ranked(rows),
                total=sum(n for _, n in rows),
            ),
        ),
    )


def reports_by_kecamatan(ctx: Context) -> Section:
    tallies = reports.reports_by_kecamatan(db_session=ctx.db_session, window=ctx.reports)
    codes = [t.key for t in tallies if t.key]
    names = {p.code: p.name for p in registry.places(db_session=ctx.db_session, codes=codes)}
    none = ctx.t("(kecamatan tidak diisi)", "(no kecamatan given)")
    rows = [(names.get(t.key, t.key) if t.key else none, t.n) for t in tallies]
    return Section(
        key="laporan_kecamatan",
        title=ctx.t("Laporan per kecamatan", "Reports by kecamatan"),
        figures=(
            Figure(
                "per_kecamatan",
                ctx.t("Laporan per kecamatan, terbanyak dahulu", "Reports by kecamatan, ranked"),
                "bars",
                ctx.t("Kecamatan", "Kecamatan"),
                (ctx.t("Laporan", "Reports"),),
                _ranked(rows),
                total=sum(n for _, n in rows),
            ),
        ),
        # no licensed kecamatan boundaries ship with netral and the intranet has no internet
        note=ctx.t(
            "Tabel berperingkat menggantikan peta: batas kecamatan yang berlisensi terbuka belum "
            "tersedia secara luring.",
            "A ranked table instead of a map: openly licensed kecamatan boundaries are not "
            "available offline.",
        ),
    )


def reports_by_opd(ctx: Context) -> Section:
    tallies = reports.reports_by_reported_opd(db_session=ctx.db_session, window=ctx.reports)
    ids = [int(t.key) for t in tallies if t.key]
    names = registry.opd_names(db_session=ctx.db_session, opd_ids=ids)
    rows = [(names.get(int(t.key), t.key) if t.key else "–", t.n) for t in tallies]
    return Section(
        key="laporan_opd",
        title=ctx.t("Laporan per OPD ASN terlapor", "Reports by OPD of the ASN reported"),
        figures=(
            Figure(
                "per_opd",
                ctx.t("Laporan per OPD ASN terlapor", "Reports by the reported ASN's OPD"),
                "bars",
                "OPD",
                (ctx.t("Laporan", "Reports"),),
                _ranked(rows),
                total=sum(n for _, n in rows),
            ),
        ),
        note=ctx.t(
            "Hanya laporan yang menyebut ASN terdaftar.", "Only reports naming a registered ASN."
        ),
    )


def reports_by_status(ctx: Context) -> Section:
    tallies = {
        t.key: t.n for t in reports.reports_by_status(db_session=ctx.db_session, window=ctx.reports)
    }
    order = list(reports.STATUS_LABELS) + sorted(
        k for k in tallies if k and k not in reports.STATUS_LABELS
    )
    rows = tuple((_status_label(s, ctx.lang), (tallies.get(s, 0),)) for s in order)
    return Section(
        key="laporan_status",
        title=ctx.t("Laporan per status", "Reports by status"),
        figures=(
            Figure(
                "per_status",
                ctx.t("Laporan per status penanganan", "Reports by handling status"),
                "bars",
                ctx.t("Status", "Status"),
                (ctx.t("Laporan", "Reports"),),
                rows,
                total=sum(tallies.values()),
            ),
        ),
    )


def cases_by_state(ctx: Context) -> Section:
    tallies = cases.cases_by_state(db_session=ctx.db_session, window=ctx.cases)
    rows = tuple((t.label_en if ctx.lang == "en" else t.label_id, (t.n,)) for t in tallies)
    total = sum(t.n for t in tallies)
    return Section(
        key="kasus_status",
        title=ctx.t("Kasus per tahap", "Cases by state"),
        facts=(Fact(ctx.t("Kasus dibuka", "Cases opened"), total),),
        figures=(
            Figure(
                "per_tahap",
                ctx.t("Kasus per tahap alur kerja", "Cases by workflow state"),
                "bars",
                ctx.t("Tahap", "State"),
                (ctx.t("Kasus", "Cases"),),
                rows,
                total=total,
            ),
        ),
        link=("/kasus", ctx.t("Daftar kasus", "Case list")),
    )


def case_deadlines(ctx: Context) -> Section:
    tallies = cases.clocks_by_step(db_session=ctx.db_session, window=ctx.cases, today=ctx.today)
    on_time = sum(t.on_time for t in tallies)
    overdue = sum(t.overdue for t in tallies)
    return Section(
        key="kasus_tenggat",
        title=ctx.t("Tenggat kasus: tepat waktu dan lewat", "Case deadlines: on time and overdue"),
        facts=(
            Fact(ctx.t("Tenggat berjalan, tepat waktu", "Running, on time"), on_time, "good"),
            Fact(ctx.t("Lewat tenggat", "Overdue"), overdue, "warn" if overdue else ""),
        ),
        figures=(
            Figure(
                "tenggat",
                ctx.t("Tenggat berjalan per langkah", "Running deadlines by step"),
                "stacked",
                ctx.t("Langkah", "Step"),
                (ctx.t("Tepat waktu", "On time"), ctx.t("Lewat tenggat", "Overdue")),
                tuple(
                    (_step_label(ctx.rulebook, t.step, ctx.lang), (t.on_time, t.overdue))
                    for t in tallies
                ),
            ),
        ),
        link=("/kasus?deadline=overdue", ctx.t("Kasus lewat tenggat", "Overdue cases")),
    )


# ---------------------------------------------------------------- BKPSDM and the PPK's office


def ppk_queue(ctx: Context) -> Section:
    q = cases.ppk_queue(db_session=ctx.db_session, window=ctx.cases, today=ctx.today)
    return Section(
        key="antrean_ppk",
        title=ctx.t("Menunggu PPK", "Waiting on the PPK"),
        facts=(
            Fact(ctx.t("Menunggu putusan PPK", "Awaiting the PPK's decision"), q.awaiting_decision),
            Fact(
                ctx.t("Putusan lewat tenggat", "Decision overdue"),
                q.awaiting_decision_overdue,
                "warn" if q.awaiting_decision_overdue else "",
            ),
            Fact(
                ctx.t("Penyampaian lewat tenggat", "Delivery overdue"),
                q.awaiting_delivery_overdue,
                "warn" if q.awaiting_delivery_overdue else "",
            ),
        ),
        figures=(
            Figure(
                "antrean",
                ctx.t(
                    "Rekomendasi dan putusan yang menunggu", "Recommendations and decisions waiting"
                ),
                "stacked",
                ctx.t("Menunggu", "Waiting for"),
                (ctx.t("Dalam tenggat", "Within the deadline"), ctx.t("Lewat tenggat", "Overdue")),
                (
                    (
                        ctx.t("Putusan PPK", "The PPK's decision"),
                        (
                            q.awaiting_decision - q.awaiting_decision_overdue,
                            q.awaiting_decision_overdue,
                        ),
                    ),
                    (
                        ctx.t("Penyampaian putusan ke ASN", "Delivery to the ASN"),
                        (
                            q.awaiting_delivery - q.awaiting_delivery_overdue,
                            q.awaiting_delivery_overdue,
                        ),
                    ),
                    (
                        ctx.t("Pelaksanaan sanksi", "Carrying out the sanction"),
                        (q.awaiting_execution, 0),
                    ),
                ),
            ),
        ),
        link=("/kasus?deadline=overdue", ctx.t("Kasus lewat tenggat", "Overdue cases")),
    )


def sanctions_by_level(ctx: Context) -> Section:
    tallies = cases.sanctions_by_level(db_session=ctx.db_session, window=ctx.cases)
    decided = sum(t.decided for t in tallies if t.track == "disiplin")
    carried = sum(t.carried_out for t in tallies if t.track == "disiplin")
    return Section(
        key="sanksi_tingkat",
        title=ctx.t("Sanksi diputus dan dilaksanakan", "Sanctions decided and carried out"),
        facts=(
            Fact(ctx.t("Sanksi disiplin diputus", "Discipline sanctions decided"), decided),
            Fact(ctx.t("Sudah dilaksanakan", "Carried out"), carried, "good"),
            Fact(
                ctx.t("Belum dilaksanakan", "Not yet carried out"),
                decided - carried,
                "warn" if decided - carried else "",
            ),
        ),
        figures=(
            Figure(
                "per_tingkat",
                ctx.t("Sanksi per tingkat dan jenis", "Sanctions by level and kind"),
                "stacked",
                ctx.t("Tingkat / jenis", "Level / kind"),
                (ctx.t("Dilaksanakan", "Carried out"), ctx.t("Belum", "Not yet")),
                tuple(
                    (
                        _level_label(ctx.rulebook, t.track, t.code, ctx.lang),
                        (t.carried_out, t.decided - t.carried_out),
                    )
                    for t in tallies
                ),
            ),
        ),
        link=(
            "/kasus?state=putusan_ppk",
            ctx.t("Putusan belum disampaikan", "Decisions to deliver"),
        ),
    )


def sanctions_by_opd(ctx: Context) -> Section:
    tallies = cases.sanctions_by_opd(db_session=ctx.db_session, window=ctx.cases)
    return Section(
        key="sanksi_opd",
        title=ctx.t("Sanksi per OPD", "Sanctions by OPD"),
        figures=(
            Figure(
                "per_opd",
                ctx.t("Kasus bersanksi per OPD ASN", "Sanctioned cases by the ASN's OPD"),
                "stacked",
                "OPD",
                (ctx.t("Dilaksanakan", "Carried out"), ctx.t("Belum", "Not yet")),
                tuple((t.opd, (t.carried_out, t.decided - t.carried_out)) for t in tallies),
            ),
        ),
    )


def briefings_placeholder(ctx: Context) -> Section:
    """Until the briefings domain adds its coverage section, say so rather than show nothing."""
    return Section(
        key="sosialisasi",
        title=ctx.t("Cakupan sosialisasi", "Briefing coverage"),
        lead=ctx.t(
            "Data kehadiran sosialisasi belum tersedia di netral; bagian ini terisi setelah "
            "daftar hadir diunggah.",
            "Briefing attendance is not in netral yet; this section fills once sign-in sheets "
            "are uploaded.",
        ),
    )


# ---------------------------------------------------------------- the public page


def _protected(
    key: str,
    title: str,
    label_header: str,
    series: str,
    rows: Sequence[tuple[str, int]],
    total: int,
) -> tuple[Figure, Value]:
    values, shown_total = protect([n for _, n in rows], total)
    figure = Figure(
        key,
        title,
        "bars",
        label_header,
        (series,),
        tuple((label, (v,)) for (label, _), v in zip(rows, values, strict=True)),
        total=shown_total,
    )
    return figure, shown_total if shown_total is not None else total


def public_reports(ctx: Context) -> Section:
    """Reports received, by category and by status: counts only, small ones masked."""
    total = reports.count_reports(db_session=ctx.db_session, window=ctx.reports)
    by_cat = {
        t.key: t.n
        for t in reports.reports_by_category(db_session=ctx.db_session, window=ctx.reports)
    }
    # every category is listed, zeros included: leaving a row out would itself tell a count
    cat_rows = [
        (_category_label(ctx.rulebook, code, ctx.lang), by_cat.get(code, 0))
        for code in [
            *(v.code for v in ctx.rulebook.violations),
            *(c.code for c in _prop_categories(ctx.rulebook)),
        ]
    ]
    cat_rows.append((_category_label(ctx.rulebook, None, ctx.lang), by_cat.get(None, 0)))
    by_status = {
        t.key: t.n for t in reports.reports_by_status(db_session=ctx.db_session, window=ctx.reports)
    }
    status_rows = [(_status_label(s, ctx.lang), by_status.get(s, 0)) for s in reports.STATUS_LABELS]
    cat, shown_total = _protected(
        "per_kategori",
        ctx.t("Laporan per kategori", "Reports by category"),
        ctx.t("Kategori", "Category"),
        ctx.t("Laporan", "Reports"),
        cat_rows,
        total,
    )
    status, _ = _protected(
        "per_status",
        ctx.t("Laporan per status", "Reports by status"),
        ctx.t("Status", "Status"),
        ctx.t("Laporan", "Reports"),
        status_rows,
        total,
    )
    return Section(
        key="laporan",
        title=ctx.t("Laporan yang diterima", "Reports received"),
        facts=(Fact(ctx.t("Laporan diterima", "Reports received"), shown_total),),
        figures=(cat, status),
    )


def public_cases(ctx: Context) -> Section:
    stages = cases.cases_by_public_stage(db_session=ctx.db_session, window=ctx.cases)
    total = sum(s.n for s in stages)
    rows = [(s.label_en if ctx.lang == "en" else s.label_id, s.n) for s in stages]
    fig, shown_total = _protected(
        "per_tahap",
        ctx.t("Kasus per tahap", "Cases by stage"),
        ctx.t("Tahap", "Stage"),
        ctx.t("Kasus", "Cases"),
        rows,
        total,
    )
    return Section(
        key="kasus",
        title=ctx.t("Kasus yang ditangani", "Cases handled"),
        facts=(Fact(ctx.t("Kasus", "Cases"), shown_total),),
        figures=(fig,),
    )


def public_sanctions(ctx: Context) -> Section:
    f = cases.recommendation_follow_up(db_session=ctx.db_session, window=ctx.cases, today=ctx.today)
    rows = [
        (ctx.t("Sanksi dilaksanakan", "Sanction carried out"), f.carried_out),
        (ctx.t("Menunggu tindak lanjut PPK", "Awaiting the PPK"), f.pending),
        (
            ctx.t("Tidak terbukti atau dihentikan", "Not proven or stopped"),
            f.not_proven + f.stopped,
        ),
    ]
    fig, shown_total = _protected(
        "tindak_lanjut",
        ctx.t("Tindak lanjut rekomendasi sanksi", "Follow-up of sanction recommendations"),
        ctx.t("Keadaan", "Outcome"),
        ctx.t("Rekomendasi", "Recommendations"),
        rows,
        f.issued,
    )
    return Section(
        key="sanksi",
        title=ctx.t("Sanksi", "Sanctions"),
        facts=(
            Fact(ctx.t("Rekomendasi sanksi", "Sanction recommendations"), shown_total),
            Fact(ctx.t("Sanksi dilaksanakan", "Sanctions carried out"), fig.rows[0][1][0]),
        ),
        figures=(fig,),
    )


# ---------------------------------------------------------------- who sees what

AUDIENCES: dict[str, Audience] = {
    "bawaslu": Audience(
        "bawaslu",
        "Dasbor pengawasan (Bawaslu)",
        "Supervision dashboard (Bawaslu)",
        "dashboard.supervision",
        [
            follow_up,
            reports_daily,
            reports_by_category,
            reports_by_kecamatan,
            reports_by_opd,
            reports_by_status,
            cases_by_state,
            case_deadlines,
        ],
    ),
    "kepegawaian": Audience(
        "kepegawaian",
        "Dasbor sanksi (BKPSDM dan PPK)",
        "Sanctions dashboard (BKPSDM and the PPK)",
        "dashboard.sanctions",
        # pledge coverage per OPD (pledges domain) is appended here by the lead
        [follow_up, ppk_queue, sanctions_by_level, sanctions_by_opd],
    ),
    "bakesbangpol": Audience(
        "bakesbangpol",
        "Dasbor sosialisasi (Bakesbangpol)",
        "Briefings dashboard (Bakesbangpol)",
        "dashboard.briefings",
        # briefing coverage (briefings domain) replaces the placeholder
        [briefings_placeholder, reports_by_kecamatan, reports_by_category],
    ),
}
PUBLIC: list[Builder] = [public_reports, public_cases, public_sanctions]
# the season report for the PPK: supervision first, then sanctions (each section once)
SEASON_REPORT: list[Builder] = list(
    dict.fromkeys([*AUDIENCES["bawaslu"].builders, *AUDIENCES["kepegawaian"].builders])
)


def build(ctx: Context, builders: Sequence[Builder]) -> list[Section]:
    return [b(ctx) for b in builders]
