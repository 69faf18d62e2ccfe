"""The columnar engine: the file read into Arrow columns, whole columns checked at once.

Every check that can be decided over a column (the NIP's digits, dates, month, sex digit and
sequence; the name; kind, golongan, OPD and unit by distinct value; the shape of e-mail and phone;
duplicate NIPs and social accounts named twice in the file) runs over the column in C. A row that
passes all of them is valid as `validate.validate_rows` would find it, and becomes a staging row
straight from the columns. Every other row (an error somewhere, a NIP written with spaces, a
duplicate, an account not written plainly or named in two rows) goes, in file order, through
`validate_rows` itself: its errors, their order and their messages are the per-row engine's own,
so the two engines cannot drift apart on what they report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from functools import cache
from itertools import repeat
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
from numpy.typing import NDArray

from netral.registry import nip as nip_rules
from netral.registry.importer.report import MAX_DETAILED_ERRORS, ImportReport
from netral.registry.importer.tables import csv_delimiter
from netral.registry.importer.validate import (
    BATCH,
    GOLONGAN_RE,
    KINDS,
    PLATFORMS,
    Batch,
    RowContext,
    SeenState,
    StageRow,
    _place,
    parse_accounts,
    validate_rows,
)

# a subset of EMAIL_RE's language (printable ASCII, no space, no '@'): other shapes go per row
_EMAIL_ASCII = r"^[!-?A-~]+@[!-?A-~]+\.[!-?A-~]+$"
_PHONE_PLAIN = r"^[0-9]{8,15}$"
# one account, written plainly: `parse_accounts` reads it as itself
_ACCOUNT_PLAIN = rf"^({'|'.join(PLATFORMS)}):@?[a-z0-9_.]+$"
_ACCOUNT_PARTS = r"^(?P<platform>[a-z]+):@?(?P<handle>[a-z0-9_.]+)$"
_GATHER_CHUNK = 65_536
_UNSEEN: Any = object()

Mask = NDArray[np.bool_]
Ints = NDArray[np.int64]


@dataclass
class Columns:
    """The data rows of a file as string columns, and the file row of each (blank lines skipped)."""

    table: pa.Table
    rows: Ints


def _close(rows: Iterator[list[str]]) -> None:
    """Start and stop the per-row reader, which closes its file (one never started would not)."""
    next(rows, None)
    close = getattr(rows, "close", None)
    if close is not None:
        close()


def _record_lines(path: Path) -> int:
    """Lines in a file, not counting the line breaks at its very end."""
    total, tail = 0, b""
    with path.open("rb") as fh:
        while block := fh.read(1 << 24):
            total += block.count(b"\n")
            tail = (tail + block)[-(1 << 16) :]
    trailing = tail.count(b"\n") - tail.rstrip(b"\r\n").count(b"\n")
    return total - trailing + (1 if tail.rstrip(b"\r\n") else 0)


def _arrow_csv(path: Path, n_columns: int) -> pa.Table | None:
    """The CSV's data rows read by Arrow (multi-threaded), or None when the file needs the
    per-row reader to be read as it reads it: a broken or ragged row, a blank line, a record
    spanning lines (then Arrow's row index is no longer the file row)."""
    with path.open(newline="", encoding="utf-8-sig", errors="replace") as fh:
        delimiter = csv_delimiter(fh.read(8192))
    names = [f"c{i}" for i in range(n_columns)]
    try:
        table = pcsv.read_csv(
            path,
            read_options=pcsv.ReadOptions(skip_rows=1, column_names=names, block_size=1 << 24),
            parse_options=pcsv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
            convert_options=pcsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False
            ),
        )
    except (pa.ArrowException, ValueError):
        return None
    if table.num_rows == 0 or _record_lines(path) != table.num_rows + 1:
        return None
    return table


def _gather(rows: Iterator[list[str]], width: int) -> Columns:
    """Columns from the per-row reader, with its blank-line rule and file row numbers."""
    chunks: list[list[pa.Array]] = []
    numbers: list[int] = []
    cols: list[list[str]] = [[] for _ in range(width)]
    for row_no, values in enumerate(rows, start=2):
        if len(values) < width:
            if not any(v.strip() for v in values):
                continue  # a blank line is not a row (validate_rows skips it the same way)
            values = values + [""] * (width - len(values))
        numbers.append(row_no)
        for col, value in zip(cols, values, strict=False):  # cells past `width` are unused
            col.append(value)
        if len(cols[0]) >= _GATHER_CHUNK:
            chunks.append([pa.array(c, pa.string()) for c in cols])
            cols = [[] for _ in range(width)]
    chunks.append([pa.array(c, pa.string()) for c in cols])
    names = [f"c{i}" for i in range(width)]
    table = pa.table(
        [pa.chunked_array([c[i] for c in chunks], pa.string()) for i in range(width)], names=names
    )
    return Columns(table, np.array(numbers, dtype=np.int64))


@cache
def _use_jemalloc() -> None:
    """Make Arrow allocate from jemalloc, which hands freed memory back to the system.

    Arrow's default pool (mimalloc) keeps what the CSV reader's threads and each batch's columns
    freed: a 1,000,000-row import peaked at 1.02 GB with it, 0.68 GB with jemalloc. The pool is
    the process's default from then on; buffers made before keep their own pool.
    """
    # a build without jemalloc keeps the default
    with suppress(NotImplementedError, pa.ArrowException):
        pa.set_memory_pool(pa.jemalloc_memory_pool())


def read_columns(
    path: Path, fmt: str, headers: list[str], rows: Iterator[list[str]], width: int
) -> Columns:
    """The file's data rows as columns: Arrow's CSV reader when it reads the file as the per-row
    reader would, else the per-row reader's rows (XLSX, odd CSV) gathered into columns."""
    _use_jemalloc()
    if fmt == "csv":
        table = _arrow_csv(path, len(headers))
        if table is not None:
            _close(rows)
            return Columns(table, np.arange(2, table.num_rows + 2, dtype=np.int64))
    return _gather(rows, width)


@cache
def _birth_table() -> tuple[Ints, Ints]:
    """Every valid birth date (YYYYMMDD as int, sorted) and the month (YYYYMM) its holder is 18."""
    # the same table `nip_error` reads, so the two cannot disagree on a date
    items = sorted((int(k), int(v)) for k, v in nip_rules._ADULT_MONTH.items())
    return (
        np.array([k for k, _ in items], dtype=np.int64),
        np.array([v for _, v in items], dtype=np.int64),
    )


# no code point past U+3000 (the ideographic space) is whitespace; a unit test holds it
LAST_SPACE = 0x3000


@cache
def _py_space() -> str:
    """What str.strip() strips (Arrow's own trim knows another set of whitespace)."""
    return "".join(c for c in map(chr, range(LAST_SPACE + 1)) if c.isspace())


def _strip(arr: pa.Array) -> pa.Array:
    """str.strip() over a column."""
    return pc.utf8_trim(arr, characters=_py_space())


def _pylist(arr: pa.Array) -> list[Any]:
    """Arrow values as Python objects, through NumPy (`to_pylist` builds a scalar per value)."""
    if pa.types.is_integer(arr.type):
        if arr.null_count:  # ids are never 0
            return [v or None for v in pc.fill_null(arr, 0).to_numpy().tolist()]
        return list(arr.to_numpy().tolist())
    return list(arr.to_numpy(zero_copy_only=False).tolist())


def _mask(arr: Any) -> Mask:
    return np.asarray(arr.to_numpy(zero_copy_only=False), dtype=bool)


def _nips_in_bulk(nips: pa.Array, today: date) -> Mask:
    """Which NIPs are valid, judged over the column: 18 ASCII digits that pass every NIP rule.

    A row left out here is judged by `nip_error` (a NIP with spaces, or invalid)."""
    plain = _mask(pc.match_substring_regex(nips, r"^[0-9]{18}$"))
    digits = pc.if_else(pa.array(plain), nips, pa.scalar("0" * 18))
    n = pc.cast(digits, pa.int64()).to_numpy()
    birth = n // 10**10
    appointment = (n // 10**4) % 10**6
    sex = (n // 1000) % 10
    births, adults = _birth_table()
    at = np.minimum(np.searchsorted(births, birth), len(births) - 1)
    today_ymd, today_ym = (int(s) for s in nip_rules._today_strings(today))
    month = appointment % 100
    valid: Mask = (
        plain
        & (births[at] == birth)
        & (birth <= today_ymd)
        & (month >= 1)
        & (month <= 12)
        & (appointment >= nip_rules.MIN_APPOINTMENT_YEAR * 100 + 1)
        & (appointment <= today_ym)
        & (appointment >= adults[at])
        & ((sex == 1) | (sex == 2))
        & (n % 1000 != 0)
    )
    return valid


def _lookup(
    arr: pa.Array, resolve: Callable[[str], Any], memo: dict[str, Any], type_: pa.DataType
) -> tuple[pa.Array, Mask]:
    """Each distinct value resolved once per import: (resolved column, which rows resolved)."""
    distinct = pc.unique(arr)
    resolved = []
    for value in _pylist(distinct):
        found = memo.get(value, _UNSEEN)
        if found is _UNSEEN:
            found = memo[value] = resolve(value)
        resolved.append(found)
    known = np.array([r is not None for r in resolved], dtype=bool)
    index = pc.index_in(arr, value_set=distinct).to_numpy()
    return pa.array(resolved, type_).take(pa.array(index)), known[index]


def _taker(start: int, stop: int, where: Ints) -> Callable[[pa.Array], list[Any]]:
    """Values of the rows `where` (within start:stop) of a column, as Python objects."""
    if len(where) == stop - start:  # the whole chunk: a slice, not a copy
        return lambda a: _pylist(a.slice(start, stop - start))
    indices = pa.array(where)
    return lambda a: _pylist(a.take(indices))


def _simple_accounts(cells: pa.Array, clean: Mask) -> tuple[Mask, pa.Array, pa.Array]:
    """Clear the rows whose social accounts need no closer look; narrow `clean` to them.

    A cell holding one account written plainly ('instagram:@budi') parses to exactly that, and
    when no other row of the file names the same account, no row can be told it is taken.
    Every other non-empty cell sends its row through `validate_rows`, in file order, so the
    accounts seen there are checked across rows as one pass would. Returns (which rows list an
    account now cleared, its platform, its handle)."""
    listed = _mask(pc.greater(pc.utf8_length(cells), 0))
    simple = listed & _mask(pc.match_substring_regex(cells, _ACCOUNT_PLAIN))
    parts = pc.extract_regex(cells, _ACCOUNT_PARTS)
    platform, handle = parts.field("platform"), parts.field("handle")
    keys = pc.binary_join_element_wise(platform, handle, ":")
    # every account named by the other cells, once per row, to count rows naming each account
    named: list[str] = []
    for cell in _pylist(cells.filter(pa.array(listed & ~simple))):
        found = parse_accounts(cell)
        if found:
            named.extend({f"{p}:{h}" for p, h in found})
    mentions = pa.chunked_array([keys.filter(pa.array(simple)), pa.array(named, pa.string())])
    counts = pc.value_counts(mentions)
    shared = counts.field("values").filter(pc.greater(counts.field("counts"), 1))
    simple &= ~_mask(pc.fill_null(pc.is_in(keys, value_set=shared), False))
    clean &= ~listed | simple
    return clean & simple, platform, handle


def _duplicates(
    nips: pa.Array, nip_ok: Mask, row_numbers: Ints, context: RowContext, state: SeenState
) -> Mask:
    """Rows whose valid NIP appears again elsewhere in the file (all of them, the first too).

    The first row of each such NIP goes into `state`, so that `validate_rows` names it in the
    later rows' errors as one pass over the file would. A NIP the columns did not clear is
    judged here by `nip_error` as `validate_rows` will judge it, spaces and all.
    """
    keys, valid = nips, nip_ok
    others = np.flatnonzero(~nip_ok)
    if len(others):
        normal: list[str | None] = []
        for raw in _pylist(nips.take(pa.array(others))):
            value = raw.replace(" ", "").strip() if " " in raw or len(raw) != 18 else raw
            ok = not raw.startswith("#NUM:") and nip_rules.nip_error(value, context.today) is None
            normal.append(value if ok else None)
        valid = nip_ok.copy()
        valid[others] = [v is not None for v in normal]
        replaced = np.asarray(nips.to_numpy(zero_copy_only=False), dtype=object)
        replaced[others] = normal
        keys = pa.array(replaced, pa.string())
    kept = pa.array(valid)
    if not len(keys) or pc.count_distinct(keys.filter(kept)).as_py() == int(valid.sum()):
        return np.zeros(len(keys), dtype=bool)
    seen = pa.table({"k": keys, "r": pa.array(row_numbers)}).filter(kept)
    groups = seen.group_by("k").aggregate([("r", "min"), ("r", "count")])
    groups = groups.filter(pc.greater(groups["r_count"], 1))
    state.nips = dict(zip(_pylist(groups["k"]), _pylist(groups["r_min"]), strict=True))
    duplicate: Mask = _mask(pc.is_in(keys, value_set=groups["k"])) & valid
    return duplicate


class _Resolvers:
    """The per-value checks of `validate_rows`, memoised over the whole import."""

    def __init__(self, context: RowContext) -> None:
        self.context = context
        self.kinds: dict[str, Any] = {}
        self.places: dict[str, Any] = {}
        self.golongans: dict[str, Any] = {}

    @staticmethod
    def kind(raw: str) -> str | None:
        found = KINDS.get(raw.strip().upper(), "") if raw.strip() else "PNS"
        return found or None

    def place(self, key: str) -> tuple[int, int | None] | None:
        parts = key.split("\x00")  # "opd\x00unit"; a cell holding \x00 itself goes per row
        return _place(self.context.opds, parts[0], parts[1]) if len(parts) == 2 else None

    @staticmethod
    def golongan(raw: str) -> str | None:
        g = raw.strip()
        return g if not g or GOLONGAN_RE.match(g) else None


_PLACE = pa.struct([("opd", pa.int64()), ("unit", pa.int64())])


def validate_columns(
    columns: Columns,
    context: RowContext,
    report: ImportReport,
    *,
    on_row: Callable[[int], None] | None = None,
) -> Iterator[Batch]:
    """Yield the batches `validate_rows` would yield for the same rows; errors go to `report`.

    What needs the whole file (duplicate NIPs, accounts named twice) is decided first, over
    whole columns; the rest a batch at a time, so memory holds one batch's derived columns.
    """
    table, row_numbers = columns.table, columns.rows
    count = table.num_rows
    mapping, region_code = context.columns, context.region_code
    today = context.today or date.today()
    state = SeenState()
    nips = table.column(mapping["nip"]).combine_chunks()
    nip_ok = _nips_in_bulk(nips, today)
    cleared = nip_ok & ~_duplicates(nips, nip_ok, row_numbers, context, state)
    accounts = None
    if "accounts" in mapping:
        cells = _strip(table.column(mapping["accounts"]).combine_chunks())
        accounts = _simple_accounts(cells, cleared)
    resolve = _Resolvers(context)
    width = max(mapping.values()) + 1
    n_valid = 0
    for start in range(0, count, BATCH):
        stop = min(start + BATCH, count)
        size = stop - start

        def cells_of(name: str, start: int = start, size: int = size) -> pa.Array:
            i = mapping.get(name)
            if i is None:
                return pa.array([""] * size, pa.string())
            return table.column(i).slice(start, size).combine_chunks()

        part = cleared[start:stop].copy()
        names = _strip(cells_of("name"))
        part &= _mask(pc.greater(pc.utf8_length(names), 0))
        if "kind" in mapping:
            kinds, ok = _lookup(cells_of("kind"), resolve.kind, resolve.kinds, pa.string())
            part &= ok
        else:
            kinds = pa.array(["PNS"] * size, pa.string())
        joined = pc.binary_join_element_wise(cells_of("opd"), cells_of("unit"), "\x00")
        places, ok = _lookup(joined, resolve.place, resolve.places, _PLACE)
        part &= ok
        golongans, ok = _lookup(
            cells_of("golongan"), resolve.golongan, resolve.golongans, pa.string()
        )
        part &= ok
        emails, phones = _strip(cells_of("email")), _strip(cells_of("phone"))
        has_email = _mask(pc.greater(pc.utf8_length(emails), 0))
        has_phone = _mask(pc.greater(pc.utf8_length(phones), 0))
        part &= ~has_email | _mask(pc.match_substring_regex(emails, _EMAIL_ASCII))
        part &= ~has_phone | _mask(pc.match_substring_regex(phones, _PHONE_PLAIN))

        batch = Batch()
        where = np.flatnonzero(part)
        take = _taker(0, size, where)
        if len(where):
            row_nos = row_numbers[where + start].tolist()
            nip_values = take(nips.slice(start, size))
            batch.rows = [
                list(r)
                for r in zip(
                    row_nos,
                    nip_values,
                    take(names),
                    take(kinds),
                    take(_strip(cells_of("position"))),
                    take(golongans),
                    take(places.field("opd")),
                    take(places.field("unit")),
                    repeat(region_code),
                    repeat(None),
                    strict=False,
                )
            ]
            sealed = np.flatnonzero((has_email | has_phone)[where])
            if len(sealed):
                contacts = pc.binary_join_element_wise(emails, phones, "\x1f")
                plain = _pylist(contacts.take(pa.array(where[sealed])))
                batch.contacts = [
                    (i, nip_values[i], p) for i, p in zip(sealed.tolist(), plain, strict=True)
                ]
            if accounts is not None:
                listed = np.flatnonzero(accounts[0][where + start])
                if len(listed):
                    at = pa.array(where[listed] + start)
                    batch.accounts = list(
                        zip(
                            [row_nos[i] for i in listed.tolist()],
                            [nip_values[i] for i in listed.tolist()],
                            _pylist(accounts[1].take(at)),
                            _pylist(accounts[2].take(at)),
                            strict=True,
                        )
                    )
        n_valid += len(where)
        slow = np.flatnonzero(~part) + start
        if len(slow):
            n_valid += _per_row(table, slow, row_numbers, width, context, report, state, batch)
        report.rows, report.valid = stop, n_valid
        batch.last_row = int(row_numbers[stop - 1])
        if on_row:
            on_row(batch.last_row)
        if batch.rows:
            yield batch
    report.rows, report.valid = count, n_valid


def _per_row(
    table: pa.Table,
    slow: Ints,
    row_numbers: Ints,
    width: int,
    context: RowContext,
    report: ImportReport,
    state: SeenState,
    batch: Batch,
) -> int:
    """Run the rows the columns did not clear through `validate_rows`, into `batch` in file order.

    Returns how many of them were valid."""
    indices = pa.array(slow)
    cells = [_pylist(table.column(i).take(indices)) for i in range(width)]
    rows = [list(r) for r in zip(*cells, strict=True)]
    scratch = ImportReport()
    extra: list[StageRow] = []
    for made in validate_rows(
        rows, context, scratch, state=state, row_numbers=row_numbers[slow].tolist()
    ):
        for index, _, plain in made.contacts:
            made.rows[index][9] = plain  # carried in the row while the batch is put in order
        extra.extend(made.rows)
        batch.accounts.extend(made.accounts)
    report.error_count += scratch.error_count
    room = MAX_DETAILED_ERRORS - len(report.errors)
    report.errors.extend(scratch.errors[: max(room, 0)])
    if extra:
        for index, _, plain in batch.contacts:
            batch.rows[index][9] = plain
        batch.rows.extend(extra)
        batch.rows.sort(key=itemgetter(0))
        batch.contacts = [(i, r[1], r[9]) for i, r in enumerate(batch.rows) if r[9] is not None]
    return scratch.valid
