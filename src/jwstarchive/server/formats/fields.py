"""Result columns as VOTable FIELDs, and Arrow values converted to what a FIELD declares.

The declared metadata (datatype, arraysize, xtype, unit, ucd, utype) comes from the ADQL
compiler's result columns, which is what TAP_SCHEMA publishes; the values come from the
database as Arrow arrays whose types may be wider or different (a DuckDB ``BIGINT`` for an
``int`` column, a timestamp for a DALI ``timestamp``). Everything here works on whole arrays
with ``pyarrow.compute`` so that writers stay fast; only rare shapes (numeric arrays,
fixed-width and unicode strings) fall back to a per-value loop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from jwstarchive.catalog.tables import Column

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "NUMERIC_TYPES",
    "Field",
    "cast_numeric",
    "cell_texts",
    "clean_xml_text",
    "datatype_for_arrow",
    "fields_for",
    "plain_values",
    "text_values",
    "unique_names",
    "xml_escape_texts",
]

#: VOTable numeric datatypes → (numpy big-endian dtype, Arrow type name).
NUMERIC_TYPES: dict[str, tuple[str, str]] = {
    "unsignedByte": (">u1", "uint8"),
    "short": (">i2", "int16"),
    "int": (">i4", "int32"),
    "long": (">i8", "int64"),
    "float": (">f4", "float32"),
    "double": (">f8", "float64"),
}

VOTABLE_TYPES = frozenset({*NUMERIC_TYPES, "boolean", "char", "unicodeChar"})

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Field:
    """One output column: its published metadata and how its values are encoded.

    ``scalar_array`` is True for numeric arrays (``double`` with arraysize ``2`` or ``*``), which
    are written element by element; ``variable`` is True for ``*`` and ``N*`` arraysizes.
    """

    column: Column
    datatype: str
    arraysize: str | None

    @property
    def name(self) -> str:
        """Column name."""
        return self.column.name

    @property
    def is_text(self) -> bool:
        """Whether values are strings (char or unicodeChar)."""
        return self.datatype in ("char", "unicodeChar")

    @property
    def scalar_array(self) -> bool:
        """Whether a numeric or boolean value is an array (arraysize given)."""
        return not self.is_text and self.arraysize is not None

    @property
    def variable(self) -> bool:
        """Whether the array size varies per row (``*`` or ``N*``)."""
        return self.arraysize is not None and self.arraysize.endswith("*")

    @property
    def fixed_length(self) -> int | None:
        """The fixed element count of an array (None for variable or scalar)."""
        if self.arraysize is None or self.variable:
            return None
        try:
            return int(self.arraysize.split("x")[0])
        except ValueError:
            return None


def datatype_for_arrow(arrow_type: pa.DataType) -> tuple[str, str | None, str | None]:
    """The VOTable (datatype, arraysize, xtype) that holds values of ``arrow_type``."""
    import pyarrow as pa

    t = arrow_type
    if pa.types.is_boolean(t):
        return "boolean", None, None
    if pa.types.is_int8(t) or pa.types.is_int16(t) or pa.types.is_uint8(t):
        return "short", None, None
    if pa.types.is_int32(t) or pa.types.is_uint16(t):
        return "int", None, None
    if pa.types.is_integer(t):
        return "long", None, None
    if pa.types.is_float32(t) or pa.types.is_float16(t):
        return "float", None, None
    if pa.types.is_floating(t) or pa.types.is_decimal(t):
        return "double", None, None
    if pa.types.is_timestamp(t) or pa.types.is_date(t):
        return "char", "*", "timestamp"
    if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t):
        inner, _, _ = datatype_for_arrow(t.value_type)
        if inner in NUMERIC_TYPES or inner == "boolean":
            size = str(t.list_size) if pa.types.is_fixed_size_list(t) else "*"
            return inner, size, None
    return "char", "*", None


def fields_for(columns: tuple[Column, ...], schema: pa.Schema | None) -> list[Field]:
    """The output fields of a result: declared metadata where known, else derived from Arrow.

    A result whose columns do not match the declared ones (a count mismatch) is described from
    its Arrow schema alone, so a writer never emits FIELDs that disagree with the data.
    """
    if schema is not None and len(columns) != len(schema):
        columns = tuple(Column(name=f.name, datatype="") for f in schema)
    out: list[Field] = []
    for i, col in enumerate(columns):
        datatype = col.datatype
        arraysize = col.arraysize
        if datatype not in VOTABLE_TYPES:
            if schema is None:
                datatype, arraysize, xtype = "char", "*", col.xtype
            else:
                datatype, arraysize, xtype = datatype_for_arrow(schema.field(i).type)
                xtype = col.xtype or xtype
            col = replace(col, datatype=datatype, arraysize=arraysize, xtype=xtype)
        if datatype == "char" and arraysize is None and schema is not None:
            arrow_type = schema.field(i).type
            if not _is_single_char(arrow_type):
                arraysize = "*"
                col = replace(col, arraysize=arraysize)
        out.append(Field(column=col, datatype=datatype, arraysize=arraysize))
    return out


def _is_single_char(arrow_type: pa.DataType) -> bool:
    import pyarrow as pa

    return pa.types.is_fixed_size_binary(arrow_type) and arrow_type.byte_width == 1


def unique_names(fields: list[Field]) -> list[str]:
    """Field names made unique (``ra``, ``ra_2``), for formats that need distinct names."""
    seen: dict[str, int] = {}
    names: list[str] = []
    for f in fields:
        name = f.name
        key = name.lower()
        if key in seen:
            seen[key] += 1
            name = f"{name}_{seen[key]}"
        else:
            seen[key] = 1
        names.append(name)
    return names


def text_values(field: Field, array: pa.Array) -> pa.Array:
    """Values as an Arrow string array (timestamps in ISO 8601, arrays space-separated; nulls kept)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    t = array.type
    if pa.types.is_string(t):
        return array
    if pa.types.is_large_string(t) or pa.types.is_string_view(t):
        return array.cast(pa.string())
    if pa.types.is_timestamp(t):
        if t.tz is not None:
            array = array.cast(pa.timestamp(t.unit, "UTC"))
        return pc.strftime(array, format="%Y-%m-%dT%H:%M:%S")
    if pa.types.is_date(t):
        return array.cast(pa.string())
    if pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_fixed_size_binary(t):
        return pa.array([None if v is None else v.decode("utf-8", "replace") for v in array.to_pylist()])
    if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t):
        return pa.array(
            [None if v is None else " ".join(_number_text(x) for x in v) for v in array.to_pylist()],
            pa.string(),
        )
    if pa.types.is_floating(t):
        return _float_texts(array)
    try:
        return array.cast(pa.string())
    except (pa.ArrowNotImplementedError, pa.ArrowInvalid):
        return pa.array([None if v is None else str(v) for v in array.to_pylist()], pa.string())


def _number_text(value: object) -> str:
    if value is None:
        return "NaN"
    if isinstance(value, bool):
        return "T" if value else "F"
    if isinstance(value, float):
        if value != value:
            return "NaN"
        if value in (float("inf"), float("-inf")):
            return "+Inf" if value > 0 else "-Inf"
        return repr(value)
    return str(value)


def _float_texts(array: pa.Array) -> pa.Array:
    import pyarrow as pa
    import pyarrow.compute as pc

    text = array.cast(pa.string())
    if pc.any(pc.is_nan(array)).as_py() or pc.any(pc.is_inf(array)).as_py():
        text = pc.replace_substring(text, "-inf", "-Inf")
        text = pc.replace_substring_regex(text, "^inf$", "+Inf")
        text = pc.replace_substring(text, "nan", "NaN")
    return text


def cast_numeric(field: Field, array: pa.Array) -> pa.Array:
    """Values of a scalar numeric or boolean field, cast to the declared width."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if field.datatype == "boolean":
        if pa.types.is_boolean(array.type):
            return array
        if pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
            lowered = pc.utf8_lower(array)
            return pc.is_in(lowered, value_set=pa.array(["t", "true", "1"]))
        return array.cast(pa.bool_(), safe=False)
    target = getattr(pa, NUMERIC_TYPES[field.datatype][1])()
    if array.type == target:
        return array
    if pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
        return array.cast(target)
    return array.cast(target, safe=False)


def cell_texts(field: Field, array: pa.Array) -> pa.Array:
    """Each value as VOTable TABLEDATA text (not XML-escaped); nulls stay null."""
    import pyarrow as pa

    if field.is_text:
        text = text_values(field, array)
        if field.datatype == "char" and field.arraysize is None:
            import pyarrow.compute as pc

            text = pc.utf8_slice_codeunits(text, 0, 1)
        return text
    if field.scalar_array:
        return text_values(field, array)
    values = cast_numeric(field, array)
    if field.datatype == "boolean":
        import pyarrow.compute as pc

        return pc.if_else(values, "T", "F")
    if field.datatype in ("float", "double"):
        return _float_texts(values)
    return values.cast(pa.string())


def plain_values(field: Field, array: pa.Array) -> pa.Array:
    """Values for column-typed formats (CSV, JSON, FITS): numbers stay numbers, the rest text."""
    if field.is_text or field.scalar_array:
        return text_values(field, array)
    return cast_numeric(field, array)


def xml_escape_texts(texts: pa.Array) -> pa.Array:
    """XML-escape a string array and drop characters XML 1.0 cannot carry."""
    import pyarrow.compute as pc

    out = pc.replace_substring(texts, "&", "&amp;")
    out = pc.replace_substring(out, "<", "&lt;")
    out = pc.replace_substring(out, ">", "&gt;")
    return pc.replace_substring_regex(out, _INVALID_XML.pattern, "")


def clean_xml_text(text: str) -> str:
    """``text`` without the control characters XML 1.0 cannot carry."""
    return _INVALID_XML.sub("", text)
