"""The dashboards' sections: each a function of the filters returning a `Section` of figures.

Every figure is a table of numbers (what the CSV download and the season report print) and the
chart drawn from exactly that table. An audience's page is a list of section builders, so another
domain's section (pledge coverage per OPD, briefings) is one function and one line in its list.
The numbers come from GROUP BY queries in each domain's service; nothing here reads a table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cached_property
from typing import Any, Literal

from markupsafe import Markup
from sqlalchemy.orm import Session

from netral.briefings import service as briefings
from netral.cases import service as cases
from netral.core.errors import NotFound
from netral.core.security import Scope
from netral.dashboard import svg
from netral.dashboard.disclosure import HIDDEN, SMALL, Masked, Value, mask, protect
from netral.pledges import service as pledges
from netral.registry import service as registry
from netral.reports import service as reports
from netral.rules.schema import PropCategory, Rulebook
from netral.turnout import service as turnout
from netral.web.i18n import current_language

FigureKind = Literal["bars", "columns", "stacked", "share"]
Cell = Value | str  # a count, a masked count, or a text such as a percent or "Sudah"


@dataclass(frozen=True)
class Figure:
    """A chart and the table of its numbers: rows of (label, one value per series)."""

    key: str
    title: str
    kind: FigureKind
    label_header: str
    series: tuple[str, ...]
    rows: tuple[tuple[str, tuple[Cell, ...]], ...]
    total: Value | None = None  # printed under the table, when the rows add up to something
    share: tuple[int, int] = (0, 1)  # "share": which values are the part and the whole
    target: float | None = None  # "share": the percent a dashed line marks

    def chart(self) -> Markup:
        if self.kind == "columns":
            return svg.columns(
                [(date.fromisoformat(label), _int(v[0])) for label, v in self.rows],
                title=self.title,
                lang=current_language.get(),
            )
        if self.kind == "stacked":
            return svg.stacked(
                [(label, [_value(x) for x in v]) for label, v in self.rows],
                series=self.series,
                title=self.title,
            )
        if self.kind == "share":
            part, whole = self.share
            lang = current_language.get()
            return svg.shares(
                [(label, *share_of(v[part], v[whole], lang)) for label, v in self.rows],
                title=self.title,
                target=self.target,
                lang=lang,
            )
        return svg.hbars([(label, _value(v[0])) for label, v in self.rows], title=self.title)

    def head(self, n: int) -> Figure:
        """The first `n` rows only (a printed chart of the lowest; the table keeps them all)."""
        return replace(self, rows=self.rows[:n])

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
    value: Cell
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
    opd_id: int | None = None  # a login bound to one OPD sees only that OPD's rows
    election_code: str = ""  # the season's election (turnout is counted per election)

    def t(self, text_id: str, text_en: str) -> str:
        return text_en if self.lang == "en" else text_id

    @property
    def area(self) -> Scope:
        """The scope narrowed to the chosen region, for services that take only a scope."""
        if self.region_code and self.scope.covers(self.region_code):
            return Scope("region", self.region_code)
        return self.scope

    @cached_property  # one window per page: its sections share one scan of the reports
    def reports(self) -> reports.ReportWindow:
        return reports.ReportWindow(self.scope, self.since, self.until, self.region_code)

    @cached_property  # and one scan of the cases
    def cases(self) -> cases.CaseWindow:
        return cases.CaseWindow(self.scope, self.since, self.until, self.region_code)

    @cached_property  # and the briefing figures once, however many sections show them
    def briefings(self) -> briefings.BriefingWindow:
        return briefings.BriefingWindow(self.db_session, self.area)


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


def _int(v: Cell) -> int:
    return v if isinstance(v, int) else 0


def _value(v: Cell) -> Value:
    return v if isinstance(v, int | Masked) else Masked(v)


def percent_text(p: float | None, lang: str = "id") -> str:
    """82.9 -> "82,9%" (Indonesian decimal comma; a point in English), None -> "–"."""
    if p is None:
        return "–"
    text = f"{p:.1f}".removesuffix(".0") + "%"
    return text if lang == "en" else text.replace(".", ",")


def share_of(part: Cell, whole: Cell, lang: str = "id") -> tuple[float | None, str]:
    """The percent `part` is of `whole`, and its text beside the bar: "71,4% (50/70)". No
    percent when either count is masked: a percent would give the hidden count back."""
    if not isinstance(part, int) or not isinstance(whole, int):
        return None, f"{part}/{whole}"
    if whole == 0:
        return None, "–"
    p = 100 * part / whole
    return p, f"{percent_text(p, lang)} ({_thousands(part, lang)}/{_thousands(whole, lang)})"


def _thousands(n: int, lang: str = "id") -> str:
    return f"{n:,}" if lang == "en" else f"{n:,}".replace(",", ".")


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
                ctx.t(
                    "Laporan per kategori (SKB 2022, APK)", "Reports by category (SKB 2022, APK)"
                ),
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


# ---------------------------------------------------------------- pledges, briefings, turnout, APK
# (issue 10, round 2: each a builder over another domain's service; nothing here reads a table)


def _campaign(ctx: Context) -> Any:  # a PledgeCampaign (its model is the pledges domain's) or None
    try:
        return pledges.get_campaign(db_session=ctx.db_session, scope=ctx.area)
    except NotFound:
        return None


def pledge_coverage(ctx: Context) -> Section:
    """The latest pledge campaign: signed of asked, online and paper, the joint declaration; per
    OPD lowest first (per unit for a login bound to one OPD)."""
    title = ctx.t("Cakupan ikrar netralitas", "Neutrality pledge coverage")
    campaign = _campaign(ctx)
    if campaign is None:
        return Section(
            key="ikrar",
            title=title,
            lead=ctx.t(
                "Belum ada kampanye ikrar netralitas di wilayah ini.",
                "No neutrality pledge campaign in this region yet.",
            ),
        )
    by_opd = pledges.campaign_coverage(
        db_session=ctx.db_session, scope=ctx.area, campaign=campaign, opd_id=ctx.opd_id
    )
    asn = sum(r.asn for r in by_opd)
    signed = sum(r.signed for r in by_opd)
    facts = [
        Fact(ctx.t("ASN diminta berikrar", "ASN asked to pledge"), asn),
        Fact(ctx.t("Sudah berikrar", "Pledged"), signed, "good"),
        Fact(
            ctx.t("Persentase", "Share"),
            percent_text(100 * signed / asn if asn else None, ctx.lang),
        ),
        Fact(
            ctx.t("Belum berikrar", "Not yet pledged"), asn - signed, "warn" if asn - signed else ""
        ),
    ]
    if ctx.opd_id is None:
        t = pledges.totals(db_session=ctx.db_session, scope=ctx.area, campaign_code=campaign.code)
        if t is not None:
            facts += [
                Fact(ctx.t("Daring (kode surel)", "Online (e-mail code)"), t.online),
                Fact(ctx.t("Lembar kertas", "Paper sheet"), t.paper),
                Fact(
                    ctx.t("Penanda tangan deklarasi bersama", "Joint declaration signatories"),
                    t.joint_signatories,
                ),
            ]
    series = (
        "ASN",
        ctx.t("Sudah ikrar", "Pledged"),
        ctx.t("Belum", "Not yet"),
        "%",
    )
    if ctx.opd_id is not None:
        units = pledges.coverage_by_unit(
            db_session=ctx.db_session, scope=ctx.area, campaign=campaign, opd_id=ctx.opd_id
        )
        own = ctx.t("(staf langsung OPD)", "(the OPD's own staff)")
        figure = Figure(
            "per_unit",
            ctx.t("Ikrar per unit kerja", "Pledges by unit"),
            "share",
            ctx.t("Unit", "Unit"),
            series,
            tuple(
                (
                    u.unit or own,
                    (u.asn, u.signed, u.asn - u.signed, percent_text(u.percent, ctx.lang)),
                )
                for u in sorted(units, key=lambda u: (u.percent, u.unit))
            ),
            share=(1, 0),
        )
    else:
        figure = Figure(
            "per_opd",
            ctx.t("Ikrar per OPD, terendah dahulu", "Pledges by OPD, lowest first"),
            "share",
            "OPD",
            series,
            tuple(
                (r.opd, (r.asn, r.signed, r.asn - r.signed, percent_text(r.percent, ctx.lang)))
                for r in by_opd
            ),
            share=(1, 0),
        )
    lowest = by_opd[0] if by_opd and ctx.opd_id is None else None
    lead = ctx.t(
        f"{_thousands(signed)} dari {_thousands(asn)} ASN "
        f"({percent_text(100 * signed / asn if asn else None)}) telah berikrar netral.",
        f"{_thousands(signed, 'en')} of {_thousands(asn, 'en')} ASN "
        f"({percent_text(100 * signed / asn if asn else None, 'en')}) have pledged neutrality.",
    )
    if lowest is not None:
        lead += ctx.t(
            f" Terendah: {lowest.opd} ({percent_text(lowest.percent)}).",
            f" Lowest: {lowest.opd} ({percent_text(lowest.percent, 'en')}).",
        )
    return Section(
        key="ikrar",
        title=f"{title}: {campaign.title}",
        lead=lead,
        facts=tuple(facts),
        figures=(figure,),
        link=(
            f"/ikrar/kampanye/{campaign.code}",
            ctx.t("Daftar yang belum berikrar", "Who has not pledged"),
        ),
    )


def _yes(ctx: Context, yes: bool) -> str:
    return ctx.t("Sudah", "Yes") if yes else ctx.t("Belum", "Not yet")


def briefing_coverage_opd(ctx: Context) -> Section:
    """Per OPD: briefed on neutrality or not, events invited to and attended; not briefed first."""
    rows = briefings.coverage_by_opd(
        db_session=ctx.db_session, scope=ctx.area, opd_id=ctx.opd_id, window=ctx.briefings
    )
    rows = sorted(
        rows, key=lambda r: (r.briefed, r.attended / r.invited if r.invited else 1.0, r.opd)
    )
    briefed = sum(r.briefed for r in rows)
    facts: list[Fact] = [
        Fact(ctx.t("OPD tersosialisasi", "OPD briefed"), f"{briefed} / {len(rows)}"),
        Fact(
            ctx.t("OPD belum tersosialisasi", "OPD not yet briefed"),
            len(rows) - briefed,
            "warn" if len(rows) - briefed else "",
        ),
    ]
    if ctx.opd_id is not None:  # one OPD: its own figures instead of a count of one
        t = briefings.totals(
            db_session=ctx.db_session, scope=ctx.area, opd_id=ctx.opd_id, window=ctx.briefings
        )
        facts = [
            Fact(
                ctx.t("Sudah sosialisasi netralitas", "Briefed on neutrality"),
                _yes(ctx, bool(briefed)),
                "good" if briefed else "warn",
            ),
            Fact(ctx.t("Sosialisasi untuk OPD ini", "Briefings open to this OPD"), t.events),
            Fact(
                ctx.t("Dihadiri OPD ini", "Attended by this OPD"),
                sum(r.attended for r in rows),
            ),
            Fact(ctx.t("Kehadiran ASN OPD ini", "Attendances by this OPD's ASN"), t.attendances),
        ]
    return Section(
        key="sosialisasi_opd",
        title=ctx.t("Sosialisasi per OPD", "Briefings by OPD"),
        facts=tuple(facts),
        figures=(
            Figure(
                "per_opd",
                ctx.t(
                    "Kehadiran OPD pada sosialisasi yang mengundangnya",
                    "OPD attendance at the briefings they were invited to",
                ),
                "share",
                "OPD",
                (
                    ctx.t("Sudah sosialisasi netralitas", "Briefed on neutrality"),
                    ctx.t("Diundang", "Invited"),
                    ctx.t("Hadir", "Attended"),
                ),
                tuple((r.opd, (_yes(ctx, r.briefed), r.invited, r.attended)) for r in rows),
                share=(2, 1),
            ),
        ),
        link=("/sosialisasi/cakupan", ctx.t("Cakupan sosialisasi", "Briefing coverage")),
    )


def briefing_coverage(ctx: Context) -> Section:
    """Camat and lurah briefed per kecamatan, the totals, and who missed every session."""
    t = briefings.totals(
        db_session=ctx.db_session, scope=ctx.area, opd_id=ctx.opd_id, window=ctx.briefings
    )
    # the chart draws the lurah's share, so its bars run lowest first by that share; the camat
    # not yet briefed are named in the note (offices, not people)
    area = sorted(
        briefings.coverage_by_kecamatan(
            db_session=ctx.db_session, scope=ctx.area, opd_id=ctx.opd_id, window=ctx.briefings
        ),
        key=lambda a: (a.lurah_briefed / a.lurah if a.lurah else 1.0, a.camat_briefed, a.kecamatan),
    )
    camat_not = sorted(a.kecamatan for a in area if not a.camat_briefed)
    note = ""
    if not area:
        note = ctx.t(
            "Kantor kecamatan dan kelurahan belum terdaftar di registri.",
            "No kecamatan or kelurahan office is in the registry yet.",
        )
    elif camat_not:
        note = ctx.t(
            f"Camat belum tersosialisasi: {', '.join(camat_not)}.",
            f"Camat not yet briefed: {', '.join(camat_not)}.",
        )
    lead = ctx.t(
        f"{t.camat_briefed} dari {t.camat} camat dan {t.lurah_briefed} dari {t.lurah} lurah "
        f"telah mengikuti sosialisasi netralitas; {t.missed_all} OPD, camat atau lurah tidak "
        "hadir di satu pun sesi yang mengundangnya.",
        f"{t.camat_briefed} of {t.camat} camat and {t.lurah_briefed} of {t.lurah} lurah have "
        f"been briefed on neutrality; {t.missed_all} OPD, camat or lurah missed every session "
        "they were invited to.",
    )
    return Section(
        key="sosialisasi",
        title=ctx.t("Cakupan sosialisasi", "Briefing coverage"),
        lead=lead
        if t.events
        else ctx.t(
            "Belum ada sosialisasi tercatat di wilayah ini.", "No briefing recorded here yet."
        ),
        facts=(
            Fact(ctx.t("Sosialisasi diadakan", "Briefings held"), t.events),
            Fact(ctx.t("Kehadiran tercatat", "Attendances recorded"), t.attendances),
            Fact(ctx.t("Camat tersosialisasi", "Camat briefed"), f"{t.camat_briefed} / {t.camat}"),
            Fact(ctx.t("Lurah tersosialisasi", "Lurah briefed"), f"{t.lurah_briefed} / {t.lurah}"),
            Fact(ctx.t("OPD tersosialisasi", "OPD briefed"), f"{t.opd_briefed} / {t.opd}"),
            Fact(
                ctx.t("Tidak hadir di semua sesi", "Missed every session"),
                t.missed_all,
                "warn" if t.missed_all else "",
            ),
        ),
        # no kecamatan or kelurahan office in the registry: nothing to chart, and the note says so
        figures=(
            Figure(
                "per_kecamatan",
                ctx.t(
                    "Camat dan lurah tersosialisasi per kecamatan, terendah dahulu",
                    "Camat and lurah briefed by kecamatan, lowest first",
                ),
                "share",
                ctx.t("Kecamatan", "Kecamatan"),
                (
                    ctx.t("Camat", "Camat"),
                    ctx.t("Lurah tersosialisasi", "Lurah briefed"),
                    ctx.t("Jumlah lurah", "Lurah"),
                ),
                tuple(
                    (a.kecamatan, (_yes(ctx, a.camat_briefed), a.lurah_briefed, a.lurah))
                    for a in area
                ),
                share=(1, 2),
            ),
        )
        if area
        else (),
        note=note,
        link=(
            "/sosialisasi/cakupan",
            ctx.t(
                f"Daftar {t.missed_all} yang tidak hadir di semua sesi",
                f"The {t.missed_all} who missed every session",
            ),
        ),
    )


def _turnout(ctx: Context) -> tuple[turnout.TurnoutTotals | None, list[turnout.KecamatanTurnout]]:
    if not ctx.election_code:
        return None, []
    db, scope, code = ctx.db_session, ctx.area, ctx.election_code
    try:
        return (
            turnout.totals(db_session=db, scope=scope, election_code=code),
            turnout.by_kecamatan(db_session=db, scope=scope, election_code=code),
        )
    except NotFound:  # the season's election lies outside this scope
        return None, []


def turnout_by_kecamatan(ctx: Context) -> Section:
    """Turnout against the target per kecamatan, lowest first, with the gap in voters."""
    title = ctx.t("Partisipasi pemilih terhadap target", "Turnout against the target")
    t, rows = _turnout(ctx)
    if t is None:
        return Section(
            key="partisipasi",
            title=title,
            lead=ctx.t(
                "Data partisipasi KPU belum diimpor untuk pemilihan ini.",
                "KPU turnout figures are not imported for this election yet.",
            ),
            link=("/partisipasi", ctx.t("Impor data partisipasi", "Import turnout figures")),
        )
    below = [k for k in rows if k.gap]
    pct = percent_text(t.percent, ctx.lang)
    target = percent_text(t.target, ctx.lang)
    if t.target is None:
        lead = ctx.t(
            f"Partisipasi {pct}; target belum ditetapkan.", f"Turnout {pct}; no target set."
        )
    elif t.gap:
        lead = ctx.t(
            f"Partisipasi {pct}, di bawah target {target}: kurang {_thousands(t.gap)} pemilih. "
            f"{len(below)} dari {len(rows)} kecamatan di bawah target.",
            f"Turnout {pct}, below the {target} target by {_thousands(t.gap, 'en')} voters. "
            f"{len(below)} of {len(rows)} kecamatan are below it.",
        )
    else:
        lead = ctx.t(
            f"Partisipasi {pct}, mencapai target {target}. "
            f"{len(below)} dari {len(rows)} kecamatan masih di bawah target.",
            f"Turnout {pct}, the {target} target is reached. "
            f"{len(below)} of {len(rows)} kecamatan are still below it.",
        )
    return Section(
        key="partisipasi",
        title=title,
        lead=lead,
        facts=(
            Fact("DPT", t.dpt),
            Fact(ctx.t("Pengguna hak pilih", "Voters"), t.voters),
            Fact(ctx.t("Partisipasi", "Turnout"), pct, "warn" if t.gap else "good"),
            Fact(ctx.t("Target", "Target"), target),
            Fact(
                ctx.t("Kurang dari target (pemilih)", "Short of the target (voters)"),
                t.gap,
                "warn" if t.gap else "",
            ),
        ),
        figures=(
            Figure(
                "per_kecamatan",
                ctx.t(
                    "Partisipasi per kecamatan, terendah dahulu",
                    "Turnout by kecamatan, lowest first",
                ),
                "share",
                ctx.t("Kecamatan", "Kecamatan"),
                (
                    "DPT",
                    ctx.t("Pengguna hak pilih", "Voters"),
                    "%",
                    ctx.t("Kurang dari target (pemilih)", "Short of the target (voters)"),
                ),
                tuple(
                    (k.name, (k.dpt, k.voters, percent_text(k.percent, ctx.lang), k.gap))
                    for k in rows
                ),
                share=(1, 0),
                target=t.target,
            ),
        ),
        note=ctx.t(
            "Angka dari data KPU yang diimpor, tingkat terkasar yang dimuat per kecamatan.",
            "Figures from the imported KPU data, the coarsest level loaded per kecamatan.",
        ),
        link=(f"/partisipasi/{t.election_code}", ctx.t("Data partisipasi", "Turnout data")),
    )


def _place_label(rb: Rulebook, code: str | None, lang: str) -> str:
    if code is None:
        return "(jenis tempat tidak diisi)" if lang == "id" else "(no kind of place given)"
    props = rb.campaign_props
    place = next((p for p in props.places if p.code == code), None) if props else None
    return place.name.get(lang) if place else code


def _place_rows(ctx: Context) -> list[tuple[str, int]]:
    """Every forbidden kind of place in the rulebook, zeros included, then any other code."""
    tallies = {
        t.key: t.n
        for t in reports.prop_reports_by_place_kind(db_session=ctx.db_session, window=ctx.reports)
    }
    props = ctx.rulebook.campaign_props
    codes: list[str | None] = [p.code for p in props.places] if props else []
    codes += sorted((k for k in tallies if k not in codes and k is not None), key=str)
    if None in tallies:
        codes.append(None)
    return [(_place_label(ctx.rulebook, c, ctx.lang), tallies.get(c, 0)) for c in codes]


def _subject_label(ctx: Context, code: str | None) -> str:
    if code == "apk":
        return ctx.t("Alat peraga kampanye (APK)", "Campaign props (APK)")
    if code == "asn":
        return ctx.t("Netralitas ASN", "ASN neutrality")
    return code or "–"


def apk_reports(ctx: Context) -> Section:
    """Reports by subject (an ASN's conduct or campaign props) and props by kind of place."""
    subjects = {
        t.key: t.n
        for t in reports.reports_by_subject(db_session=ctx.db_session, window=ctx.reports)
    }
    order = ["asn", "apk", *sorted(k for k in subjects if k not in ("asn", "apk") and k)]
    places = _place_rows(ctx)
    apk = subjects.get("apk", 0)
    return Section(
        key="laporan_apk",
        title=ctx.t("Laporan ASN dan alat peraga kampanye", "ASN and campaign-prop reports"),
        facts=(
            Fact(ctx.t("Laporan netralitas ASN", "ASN neutrality reports"), subjects.get("asn", 0)),
            Fact(ctx.t("Laporan APK di tempat terlarang", "Props at forbidden places"), apk),
        ),
        figures=(
            Figure(
                "per_subjek",
                ctx.t("Laporan per pokok", "Reports by subject"),
                "bars",
                ctx.t("Pokok laporan", "Subject"),
                (ctx.t("Laporan", "Reports"),),
                tuple((_subject_label(ctx, k), (subjects.get(k, 0),)) for k in order),
                total=sum(subjects.values()),
            ),
            Figure(
                "apk_tempat",
                ctx.t("Laporan APK per jenis tempat", "Campaign-prop reports by kind of place"),
                "bars",
                ctx.t("Jenis tempat", "Kind of place"),
                (ctx.t("Laporan", "Reports"),),
                tuple((label, (n,)) for label, n in places),
                total=apk,
            ),
        ),
        link=(
            "/laporan?subject=apk",
            ctx.t("Laporan APK di kotak masuk", "Prop reports in the inbox"),
        ),
    )


def season_summary(ctx: Context) -> Section:
    """The season report's first page: one figure per part that follows."""
    facts: list[Fact] = []
    campaign = _campaign(ctx)
    if campaign is not None:
        p = pledges.totals(db_session=ctx.db_session, scope=ctx.area, campaign_code=campaign.code)
        if p is not None:
            facts.append(
                Fact(
                    ctx.t("ASN sudah berikrar", "ASN pledged"),
                    f"{_thousands(p.signed, ctx.lang)} / {_thousands(p.asn, ctx.lang)} "
                    f"({percent_text(p.percent, ctx.lang)})",
                )
            )
    b = briefings.totals(db_session=ctx.db_session, scope=ctx.area, window=ctx.briefings)
    facts += [
        Fact(ctx.t("Sosialisasi diadakan", "Briefings held"), b.events),
        Fact(ctx.t("Camat tersosialisasi", "Camat briefed"), f"{b.camat_briefed} / {b.camat}"),
        Fact(ctx.t("Lurah tersosialisasi", "Lurah briefed"), f"{b.lurah_briefed} / {b.lurah}"),
        Fact(
            ctx.t("Laporan diterima", "Reports received"),
            reports.count_reports(db_session=ctx.db_session, window=ctx.reports),
        ),
        Fact(
            ctx.t("Kasus dibuka", "Cases opened"),
            sum(t.n for t in cases.cases_by_state(db_session=ctx.db_session, window=ctx.cases)),
        ),
    ]
    f = cases.recommendation_follow_up(db_session=ctx.db_session, window=ctx.cases, today=ctx.today)
    facts.append(
        Fact(
            ctx.t("Rekomendasi BKN dilaksanakan", "BKN recommendations carried out"),
            f"{f.carried_out} / {f.issued}",
            "warn" if f.pending else "",
        )
    )
    t, _rows = _turnout(ctx)
    if t is not None:
        facts.append(
            Fact(
                ctx.t("Partisipasi pemilih (target)", "Turnout (target)"),
                f"{percent_text(t.percent, ctx.lang)} ({percent_text(t.target, ctx.lang)})",
                "warn" if t.gap else "",
            )
        )
    return Section(key="ringkasan", title=ctx.t("Ringkasan", "Summary"), facts=tuple(facts))


# ---------------------------------------------------------------- the public page: the season


def public_pledges(ctx: Context) -> Section:
    """City-wide pledge coverage, no OPD: a small OPD's percent can point at its one holdout."""
    title = ctx.t("Ikrar netralitas ASN", "ASN neutrality pledge")
    campaign = _campaign(ctx)
    t = (
        pledges.totals(db_session=ctx.db_session, scope=ctx.area, campaign_code=campaign.code)
        if campaign
        else None
    )
    if t is None:
        return Section(
            key="ikrar",
            title=title,
            lead=ctx.t("Belum ada kampanye ikrar.", "No pledge campaign yet."),
        )
    rows = [
        (ctx.t("Daring", "Online"), t.online),
        (ctx.t("Lembar kertas", "Paper sheet"), t.paper),
        (ctx.t("Belum berikrar", "Not yet pledged"), t.asn - t.signed),
    ]
    fig, shown_asn = _protected(
        "cara",
        ctx.t("ASN per cara berikrar", "ASN by how they pledged"),
        ctx.t("Keadaan", "State"),
        "ASN",
        rows,
        t.asn,
    )
    # "signed" only as the figure already implies it: adding a number beside a masked table
    # would undo its masking
    online, paper, rest = (v for _, (v,) in fig.rows)
    signed: Value
    if isinstance(online, int) and isinstance(paper, int):
        signed = online + paper
    elif isinstance(rest, int) and isinstance(shown_asn, int):
        signed = shown_asn - rest
    else:
        signed = HIDDEN if t.signed >= 5 else SMALL
    pct, _text = share_of(signed, shown_asn)
    return Section(
        key="ikrar",
        title=title,
        facts=(
            Fact(ctx.t("ASN diminta berikrar", "ASN asked to pledge"), shown_asn),
            Fact(ctx.t("Sudah berikrar", "Pledged"), signed, "good"),
            Fact(
                ctx.t("Persentase", "Share"),
                percent_text(pct, ctx.lang) if pct is not None else "–",
            ),
        ),
        figures=(fig,),
    )


def public_briefings(ctx: Context) -> Section:
    """Briefings held and how many OPD, camat and lurah they reached: counts, no names."""
    t = briefings.totals(db_session=ctx.db_session, scope=ctx.area, window=ctx.briefings)
    body: list[tuple[str, tuple[Cell, ...]]] = []
    for label, done, whole in (
        ("OPD", t.opd_briefed, t.opd),
        ("Camat", t.camat_briefed, t.camat),
        ("Lurah", t.lurah_briefed, t.lurah),
    ):
        (shown_done, shown_rest), shown_whole = protect([done, whole - done], whole)
        body.append(
            (label, (shown_done, shown_rest, shown_whole if shown_whole is not None else whole))
        )
    return Section(
        key="sosialisasi",
        title=ctx.t("Sosialisasi netralitas", "Neutrality briefings"),
        facts=(
            Fact(ctx.t("Sosialisasi diadakan", "Briefings held"), mask(t.events)),
            Fact(ctx.t("Kehadiran tercatat", "Attendances recorded"), mask(t.attendances)),
        ),
        figures=(
            Figure(
                "cakupan",
                ctx.t("OPD, camat dan lurah tersosialisasi", "OPD, camat and lurah briefed"),
                "share",
                ctx.t("Sasaran", "Audience"),
                (ctx.t("Sudah", "Briefed"), ctx.t("Belum", "Not yet"), ctx.t("Jumlah", "Total")),
                tuple(body),
                share=(0, 2),
            ),
        ),
    )


def public_turnout(ctx: Context) -> Section:
    """Turnout per kecamatan against the target: KPU's own published figures."""
    section = turnout_by_kecamatan(ctx)
    # DPT and voters are masked under 5 like every count; the gap is not a count of people
    # (it follows from the two beside it), so it stays as it is
    masked = tuple(
        replace(
            fig,
            rows=tuple(
                (label, (*(mask(v) if isinstance(v, int) else v for v in values[:2]), *values[2:]))
                for label, values in fig.rows
            ),
        )
        for fig in section.figures
    )
    facts = tuple(
        replace(f, value=mask(f.value)) if i < 2 and isinstance(f.value, int) else f
        for i, f in enumerate(section.facts)
    )
    return replace(section, figures=masked, facts=facts, link=None, note="")


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
            apk_reports,
            cases_by_state,
            case_deadlines,
            turnout_by_kecamatan,
        ],
    ),
    "kepegawaian": Audience(
        "kepegawaian",
        "Dasbor sanksi (BKPSDM dan PPK)",
        "Sanctions dashboard (BKPSDM and the PPK)",
        "dashboard.sanctions",
        [
            follow_up,
            ppk_queue,
            sanctions_by_level,
            sanctions_by_opd,
            pledge_coverage,
            briefing_coverage_opd,
        ],
    ),
    "bakesbangpol": Audience(
        "bakesbangpol",
        "Dasbor sosialisasi (Bakesbangpol)",
        "Briefings dashboard (Bakesbangpol)",
        "dashboard.briefings",
        [briefing_coverage, briefing_coverage_opd, reports_by_kecamatan, reports_by_category],
    ),
    "opd": Audience(
        "opd",
        "Dasbor OPD (ikrar dan sosialisasi)",
        "OPD dashboard (pledges and briefings)",
        "dashboard.unit",
        [pledge_coverage, briefing_coverage_opd],
    ),
}
PUBLIC: list[Builder] = [
    public_reports,
    public_cases,
    public_sanctions,
    public_pledges,
    public_briefings,
    public_turnout,
]
# the season report for the PPK: ringkasan, ikrar, sosialisasi, laporan, kasus, sanksi (carried
# out or not), partisipasi; each section once, from the dashboards' own builders
SEASON_REPORT: list[Builder] = [
    season_summary,
    pledge_coverage,
    briefing_coverage,
    briefing_coverage_opd,
    reports_daily,
    reports_by_category,
    reports_by_kecamatan,
    reports_by_opd,
    reports_by_status,
    apk_reports,
    cases_by_state,
    case_deadlines,
    ppk_queue,
    follow_up,
    sanctions_by_level,
    sanctions_by_opd,
    turnout_by_kecamatan,
]


def build(ctx: Context, builders: Sequence[Builder]) -> list[Section]:
    return [b(ctx) for b in builders]
