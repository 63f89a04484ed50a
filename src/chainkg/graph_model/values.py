"""Cell normalisation: one function per column kind, raising coded errors with fixed texts.

Empty cells are absent values (``None``), never empty strings.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from pydantic_core import PydanticCustomError

from .schema import ENUMS
from .vocabulary import FALSE_WORDS, TRUE_WORDS

TRUE, FALSE = TRUE_WORDS, FALSE_WORDS  # the declared yes/no words
_DATE_RE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
_LIST_SPLIT = re.compile(r"[;；、]")
#: control characters no spreadsheet cell may hold (openpyxl refuses them): tab, line feed and carriage return
#: are text, the rest is refused at validation
CONTROL_CHARACTERS = "[\x00-\x08\x0b\x0c\x0e-\x1f]"
_CONTROL = re.compile(CONTROL_CHARACTERS)


def is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, float) and math.isnan(value))


def as_text(value) -> str:
    """Text of a cell; Excel's ``1.0`` for an id becomes ``"1"``.

    >>> as_text(1.0), as_text(" a "), as_text(12)
    ('1', 'a', '12')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.date().isoformat() if isinstance(value, dt.datetime) else value.isoformat()
    return str(value).strip()


def to_text(value) -> str:
    """:func:`as_text`, refusing a control character (it would break every workbook written from it).

    >>> to_text(" 甲公司 ")
    '甲公司'
    >>> try:
    ...     to_text("甲\x07公司")
    ... except PydanticCustomError as exc:
    ...     print(exc.type, exc.message())
    control_character '甲\\x07公司' holds the control character U+0007 at position 2.
    """
    text = as_text(value)
    m = _CONTROL.search(text)
    if m:
        raise PydanticCustomError("control_character", "'{value}' holds the control character {char} at position {pos}.",
                                  {"value": text.encode("unicode_escape").decode("ascii") if text.isascii() else
                                   "".join(c if not _CONTROL.match(c) else f"\\x{ord(c):02x}" for c in text),
                                   "char": f"U+{ord(m.group()):04X}", "pos": m.start() + 1})
    return text


def to_bool(value) -> bool:
    """Examples:

    >>> to_bool("是"), to_bool("No"), to_bool(1)
    (True, False, True)
    """
    if isinstance(value, bool):
        return value
    text = as_text(value).casefold()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise PydanticCustomError("bad_bool", "'{value}' is not yes/no.", {"value": as_text(value)})


def to_number(value) -> float:
    """Examples:

    >>> to_number("1,234.5"), to_number(3)
    (1234.5, 3.0)
    """
    if isinstance(value, bool):
        raise PydanticCustomError("bad_number", "'{value}' is not a number.", {"value": str(value)})
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = as_text(value).replace(",", "").replace("，", "")
        try:
            number = float(text)
        except ValueError:
            raise PydanticCustomError("bad_number", "'{value}' is not a number.", {"value": as_text(value)}) from None
    if math.isnan(number) or math.isinf(number):
        raise PydanticCustomError("bad_number", "'{value}' is not a number.", {"value": as_text(value)})
    if number < 0:
        raise PydanticCustomError("bad_number", "'{value}' is negative; it must be 0 or more.",
                                  {"value": as_text(value)})
    return number


def to_percent(value) -> float:
    """A percentage 0-100; a trailing % is accepted.

    >>> to_percent("35%"), to_percent(100)
    (35.0, 100.0)
    """
    text = as_text(value).rstrip("%％").strip() if isinstance(value, str) else value
    number = to_number(text)
    if number > 100:
        raise PydanticCustomError("bad_percent", "'{value}' is more than 100%.", {"value": as_text(value)})
    return number


def to_int(value) -> int:
    """A whole number that a database holds (64 bits).

    >>> to_int("2024"), to_int(2024.0)
    (2024, 2024)
    >>> try:
    ...     to_int("99999999999999999999")
    ... except PydanticCustomError as exc:
    ...     print(exc.message())
    '99999999999999999999' is too large for a whole number (at most 9223372036854775807).
    """
    number = to_number(value)
    if not float(number).is_integer():
        raise PydanticCustomError("bad_number", "'{value}' is not a whole number.", {"value": as_text(value)})
    if number >= 2 ** 63:  # Neo4j (and the frames) hold 64-bit integers: a larger one could not be loaded
        raise PydanticCustomError("bad_number", "'{value}' is too large for a whole number (at most {most}).",
                                  {"value": as_text(value), "most": 2 ** 63 - 1})
    return int(number)


def to_date(value) -> str:
    """ISO ``YYYY[-MM[-DD]]``; Excel dates become ``YYYY-MM-DD``.

    >>> to_date(dt.datetime(2023, 9, 14)), to_date(2024), to_date("2025-07")
    ('2023-09-14', '2024', '2025-07')
    """
    text = as_text(value)
    if not _DATE_RE.match(text):
        raise PydanticCustomError("bad_date", "'{value}' is not a date YYYY, YYYY-MM or YYYY-MM-DD.",
                                  {"value": text})
    if len(text) == 10:
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            raise PydanticCustomError("bad_date", "'{value}' is not a real calendar date.", {"value": text}) from None
    return text


def period_bounds(text: str) -> tuple[dt.date, dt.date]:
    """First and last day of a date written ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

    >>> period_bounds("2026-02"), period_bounds("2024")[1], period_bounds("2026-06-15")[0]
    ((datetime.date(2026, 2, 1), datetime.date(2026, 2, 28)), datetime.date(2024, 12, 31), datetime.date(2026, 6, 15))
    """
    import calendar

    parts = [int(p) for p in str(text).split("-")]
    if len(parts) == 3:
        d = dt.date(*parts)
        return d, d
    if len(parts) == 2:
        y, m = parts
        return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])
    return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)


def to_list(value) -> list[str]:
    """Examples:

    >>> to_list("链主; 专精特新、上市")
    ['链主', '专精特新', '上市']
    """
    if isinstance(value, (list, tuple)):
        items = [to_text(v) for v in value]
    else:
        items = _LIST_SPLIT.split(to_text(value))
    return [i.strip() for i in items if i and i.strip()]


def enum_lookup(enum: str) -> dict[str, str]:
    out = {}
    for canonical, spellings in ENUMS[enum].items():
        for s in (canonical, *spellings):
            out[s.casefold()] = canonical
    return out


_ENUM_LOOKUPS = {name: enum_lookup(name) for name in ENUMS}


def to_enum(value, enum: str) -> str:
    """Examples:

    >>> to_enum("上游", "stage"), to_enum("Landed", "project_status")
    ('upstream', 'landed')
    """
    text = as_text(value)
    found = _ENUM_LOOKUPS[enum].get(text.casefold())
    if found is None:
        from .schema import ENUM_ZH

        allowed = ", ".join(f"{c} ({ENUM_ZH[c]})" if c in ENUM_ZH else c for c in ENUMS[enum])
        raise PydanticCustomError("bad_enum", "'{value}' is not one of: {allowed}.",
                                  {"value": text, "allowed": allowed})
    return found


def to_credit_code(value) -> str:
    """A unified social credit code (统一社会信用代码), checked with python-stdnum.

    >>> to_credit_code("91110000600037341L")
    '91110000600037341L'
    """
    from stdnum.cn import uscc
    from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength

    text = as_text(value)
    try:
        return uscc.validate(text)
    except InvalidLength:
        reason = "it must have 18 characters"
    except InvalidChecksum:
        reason = "the check digit does not match"
    except InvalidFormat:
        reason = "it contains characters a credit code cannot have"
    raise PydanticCustomError("bad_credit_code", "'{value}' is not a valid unified social credit code: {reason}.",
                              {"value": text, "reason": reason})


_INDUSTRY_CODE = re.compile(r"([A-T])?(\d{2,4})?")


def to_industry_code(value) -> str:
    """A GB/T 4754-2017 industry code: digits as written (a section letter before them is dropped,
    since the digits already name the division), or a section letter alone.

    >>> to_industry_code("C3825"), to_industry_code(3825.0), to_industry_code("c"), to_industry_code("38")
    ('3825', '3825', 'C', '38')
    """
    text = as_text(value).upper().replace(" ", "")
    m = _INDUSTRY_CODE.fullmatch(text)
    if not text or m is None:
        raise PydanticCustomError("bad_industry_code", "'{value}' is not a GB/T 4754-2017 industry code.",
                                  {"value": as_text(value)})
    return m.group(2) or m.group(1)
