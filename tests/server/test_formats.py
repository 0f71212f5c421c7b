"""Output writers: each format parses back into the same rows, VOTables stream and report status."""

from __future__ import annotations

import datetime as dt
import io
import json
import warnings

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from astropy.io import fits
from astropy.io.votable import parse

from jwstarchive.catalog.tables import Column
from jwstarchive.errors import InputError, QueryRefused
from jwstarchive.server.formats import BUILTIN_FORMATS, FORMATS, FormatRegistry, OutputFormat, ResultSet
from jwstarchive.server.formats.votable import render_error

COLUMNS = (
    Column("obs_id", "char", "*", ucd="meta.id", description="observation id <&>"),
    Column("s_ra", "double", unit="deg", ucd="pos.eq.ra"),
    Column("calib_level", "short"),
    Column("n", "long"),
    Column("public", "boolean"),
    Column("t_obs", "char", "*", xtype="timestamp"),
    Column("target", "unicodeChar", "*"),
    Column("pos", "double", "2", xtype="point"),
)


def batches(n_batches: int = 3, rows: int = 4) -> list[pa.RecordBatch]:
    out = []
    for b in range(n_batches):
        base = b * rows
        out.append(
            pa.record_batch(
                [
                    pa.array([f"jw{base + i:05d}<&>" if i != 1 else None for i in range(rows)]),
                    pa.array([float(base + i) if i != 2 else None for i in range(rows)]),
                    pa.array([3 if i % 2 else None for i in range(rows)], pa.int32()),
                    pa.array([2**40 + base + i for i in range(rows)], pa.int64()),
                    pa.array([i % 2 == 0 if i != 3 else None for i in range(rows)]),
                    pa.array(
                        [dt.datetime(2022, 7, 12, 10, 0, i) if i != 0 else None for i in range(rows)],
                        pa.timestamp("us"),
                    ),
                    pa.array(["Cartwheel é", None, "日本", "x"][:rows]),
                    pa.array([[1.5, -2.5] if i != 1 else None for i in range(rows)], pa.list_(pa.float64())),
                ],
                names=[c.name for c in COLUMNS],
            )
        )
    return out


def write(key: str, result: ResultSet) -> bytes:
    return b"".join(FORMATS.find(key).writer(result))


def read_votable(data: bytes):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return parse(io.BytesIO(data), verify="exception")


@pytest.mark.parametrize("key", ["votable", "votable/b2"], ids=["tabledata", "binary2"])
def test_votable_round_trip(key: str) -> None:
    result = ResultSet(COLUMNS, batches(), info={"QUERY": "SELECT <all>"})
    vot = read_votable(write(key, result))
    table = vot.get_first_table()
    fields = {f.name: f for f in table.fields}
    assert fields["s_ra"].unit == "deg" and fields["s_ra"].ucd == "pos.eq.ra"
    assert fields["obs_id"].description == "observation id <&>"
    assert fields["t_obs"].xtype == "timestamp"
    assert fields["calib_level"].datatype == "short"
    data = table.to_table()
    assert len(data) == 12
    assert data["obs_id"][0] == "jw00000<&>"
    assert data["obs_id"].mask[1] or data["obs_id"][1] == ""  # TABLEDATA has no null string
    assert data["s_ra"].mask[2] and data["s_ra"][3] == 3.0
    assert data["n"][5] == 2**40 + 5
    assert data["public"][0] and not data["public"][1] and data["public"].mask[3]
    assert data["t_obs"][1] == "2022-07-12T10:00:01.000000"
    assert data["target"][0] == "Cartwheel é" and data["target"][2] == "日本"
    assert list(data["pos"][0]) == [1.5, -2.5]
    infos = {i.name: i.value for i in vot.resources[0].infos}
    assert infos["QUERY_STATUS"] == "OK" and infos["QUERY"] == "SELECT <all>"


@pytest.mark.parametrize("key", ["votable", "votable/b2"], ids=["tabledata", "binary2"])
def test_votable_overflow_is_reported_after_the_table(key: str) -> None:
    result = ResultSet(COLUMNS, batches(1))
    result.overflow = True
    text = write(key, result).decode()
    assert text.index('<INFO name="QUERY_STATUS" value="OK"/>') < text.index("<TABLE>")
    assert text.index("</TABLE>") < text.index('<INFO name="QUERY_STATUS" value="OVERFLOW"/>')
    read_votable(text.encode())


@pytest.mark.parametrize("key", ["votable", "votable/b2"], ids=["tabledata", "binary2"])
def test_votable_failure_mid_stream_ends_with_error_status(key: str) -> None:
    def failing():
        yield from batches(1)
        raise QueryRefused("query exceeded the execution time limit of 1 s")

    result = ResultSet(COLUMNS, failing())
    text = write(key, result).decode()
    assert text.rstrip().endswith("</VOTABLE>")
    assert '<INFO name="QUERY_STATUS" value="ERROR">query exceeded the execution time limit' in text
    assert len(read_votable(text.encode()).get_first_table().to_table()) == 4


@pytest.mark.parametrize("key", ["votable", "votable/b2"], ids=["tabledata", "binary2"])
def test_votable_without_rows_keeps_declared_fields(key: str) -> None:
    vot = read_votable(write(key, ResultSet(COLUMNS, iter(()))))
    table = vot.get_first_table()
    assert [f.name for f in table.fields] == [c.name for c in COLUMNS]
    assert len(table.to_table()) == 0


def test_non_ascii_in_char_columns() -> None:
    """VOTable char is ASCII: BINARY2 writes ``?`` for other characters (astropy cannot decode
    them); TABLEDATA keeps the UTF-8 text, which readers accept (astropy warns W55)."""
    batch = pa.record_batch([pa.array(["Cartwheel é", "ok", None])], names=["name"])
    result = ResultSet((Column("name", "char", "*"),), iter([batch]))
    table = read_votable(write("votable/b2", result)).get_first_table().to_table()
    assert table["name"][0] == "Cartwheel ?" and table["name"][1] == "ok"
    result = ResultSet((Column("name", "char", "*"),), iter([batch]))
    with pytest.warns(Warning, match="W55"):
        table = parse(io.BytesIO(write("votable", result)), verify="warn").get_first_table().to_table()
    assert table["name"][0] == "Cartwheel é"


def test_binary2_streams_in_chunks() -> None:
    many = [pa.record_batch([pa.array(np.arange(1000, dtype=np.int64))], names=["n"]) for _ in range(20)]
    chunks = list(FORMATS.find("votable/b2").writer(ResultSet((Column("n", "long"),), iter(many))))
    assert len(chunks) >= 20
    table = read_votable(b"".join(chunks)).get_first_table().to_table()
    assert len(table) == 20_000 and table["n"][1999] == 999


def test_error_document_shape() -> None:
    data = render_error("bad <query> & worse")
    assert b'<INFO name="QUERY_STATUS" value="ERROR">\nbad &lt;query&gt; &amp; worse\n</INFO>' in data
    vot = read_votable(data)
    assert vot.resources[0].infos[0].value == "ERROR"
    assert vot.resources[0].tables == []


@pytest.mark.parametrize("key", ["csv", "tsv"])
def test_separated_values(key: str) -> None:
    from astropy.table import Table

    text = write(key, ResultSet(COLUMNS, batches())).decode()
    table = Table.read(text, format="ascii.csv" if key == "csv" else "ascii.tab")
    assert table.colnames == [c.name for c in COLUMNS]
    assert len(table) == 12
    assert table["obs_id"][0] == "jw00000<&>"
    assert table["n"][4] == 2**40 + 4


def test_json() -> None:
    result = ResultSet(COLUMNS, batches())
    result.overflow = True
    doc = json.loads(write("json", result))
    assert [m["name"] for m in doc["metadata"]] == [c.name for c in COLUMNS]
    assert doc["metadata"][1]["unit"] == "deg"
    assert len(doc["data"]) == 12
    assert doc["data"][0][0] == "jw00000<&>" and doc["data"][2][1] is None
    assert doc["status"] == "OVERFLOW"


def test_parquet_keeps_types_and_metadata() -> None:
    result = ResultSet(COLUMNS, batches())
    result.overflow = True
    pf = pq.ParquetFile(pa.BufferReader(write("parquet", result)))
    table = pf.read()
    assert table.num_rows == 12
    assert table.schema.field("s_ra").metadata[b"unit"] == b"deg"
    assert table.column("n")[3].as_py() == 2**40 + 3
    assert pf.metadata.metadata[b"QUERY_STATUS"] == b"OVERFLOW"


def test_fits() -> None:
    with fits.open(io.BytesIO(write("fits", ResultSet(COLUMNS, batches())))) as hdus:
        data = hdus[1].data
        assert len(data) == 12
        assert data["obs_id"][0] == "jw00000<&>"
        assert hdus[1].header["QUERYSTA"] == "OK"
        assert hdus[1].columns["s_ra"].unit == "deg"


@pytest.mark.parametrize(
    ("value", "key"),
    [
        (None, "votable"),
        ("", "votable"),
        ("votable", "votable"),
        ("VOTable", "votable"),
        ("application/x-votable+xml", "votable"),
        ("application/x-votable+xml; serialization=BINARY2", "votable/b2"),
        ("votable/b2", "votable/b2"),
        ("votable_plain", "votable"),
        ("text/csv", "csv"),
        ("csv", "csv"),
        ("tsv", "tsv"),
        ("application/json", "json"),
        ("fits", "fits"),
        ("application/vnd.apache.parquet", "parquet"),
    ],
)
def test_format_negotiation(value: str | None, key: str) -> None:
    assert FORMATS.find(value).key == key


def test_unknown_format_is_an_input_error() -> None:
    with pytest.raises(InputError, match="unknown RESPONSEFORMAT 'xls'"):
        FORMATS.find("xls")


def test_registry_refuses_a_name_claimed_twice() -> None:
    clash = OutputFormat("csv2", "text/csv", ("text/csv",), ".csv", None, BUILTIN_FORMATS[0].writer)
    with pytest.raises(ValueError, match="claimed by both"):
        FormatRegistry([*BUILTIN_FORMATS, clash], default="votable")
