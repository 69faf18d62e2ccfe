"""The columnar importer's own tables agree with what Python and the NIP rules say."""

from __future__ import annotations

import sys

import pyarrow as pa

from netral.registry.importer import columnar


def test_no_whitespace_past_the_last_space_the_strip_knows():
    assert not any(chr(c).isspace() for c in range(columnar.LAST_SPACE + 1, sys.maxunicode + 1))


def test_the_column_strip_is_str_strip():
    cells = ["  a b  ", "\u3000x\u2003", "\x1c\x1fy\x85", "\ufeffz", "", "   ", "\u200bq"]
    assert columnar._strip(pa.array(cells)).to_pylist() == [c.strip() for c in cells]


def test_the_bulk_nip_check_clears_exactly_the_nips_nip_error_accepts():
    import random
    from datetime import date

    from netral.registry.nip import make_nip, nip_error

    rng = random.Random(14)
    today = date(2024, 8, 1)
    cells = [make_nip(rng, today=today) for _ in range(3000)]
    for _ in range(30000):  # digits near the rules' edges: dates, months, sex, sequence
        cells.append(
            f"{rng.choice([1939, 1940, 1985, 2006, 2024, 2025]):04d}{rng.randint(0, 13):02d}"
            f"{rng.randint(0, 32):02d}{rng.choice([1959, 1960, 2003, 2024, 2025]):04d}"
            f"{rng.randint(0, 13):02d}{rng.randint(0, 3)}{rng.choice(['000', '001', '999'])}"
        )
    cells += ["", "12345", "1985031220100110031", "19850312 201001 1 003", "١٩٨٥٠٣١٢٢٠١٠٠١١٠٠٣"]
    bulk = columnar._nips_in_bulk(pa.array(cells), today)
    assert bulk.tolist() == [nip_error(c, today) is None and " " not in c for c in cells]
    assert 2900 < bulk.sum() < 33000


def test_arrow_reads_a_plain_csv_and_leaves_an_odd_one_to_the_row_reader(tmp_path):
    plain = tmp_path / "plain.csv"
    plain.write_text('NIP,Nama\n1,"A, B"\n2,"C ""D"""\n', encoding="utf-8")
    table = columnar._arrow_csv(plain, 2)
    assert table is not None and table.to_pylist() == [
        {"c0": "1", "c1": "A, B"},
        {"c0": "2", "c1": 'C "D"'},
    ]
    odd = {
        "blank line": "NIP,Nama\n1,a\n\n2,b\n",
        "record over two lines": 'NIP,Nama\n1,"a\nb"\n2,c\n',
        "ragged row": "NIP,Nama\n1,a,extra\n2,b\n",
        "short row": "NIP,Nama\n1\n2,b\n",
        "not UTF-8 past the sniffed head": "NIP,Nama\n1,a\n",
    }
    for name, content in odd.items():
        path = tmp_path / "odd.csv"
        data = content.encode()
        if name.startswith("not UTF-8"):
            data += b"2,\xff\n"
        path.write_bytes(data)
        assert columnar._arrow_csv(path, 2) is None, name
