"""The explorer's words: the declared vocabulary (:mod:`chainkg.graph_model.vocabulary`) as pages show it.

A page asks for the word of a key with ``t(key)``: the same word a report's column of that key has,
its English capitalised as a label (words of values, such as yes/no, stay lower case).
"""

from __future__ import annotations

from functools import cache

from ..graph_model.vocabulary import DATA_WORDS as CODE_WORDS
from ..graph_model.vocabulary import PAGE_WORDS, VALUE_WORDS, headers

LANGS = ("zh", "en")


@cache
def _words(lang: str) -> dict[str, str]:
    words = headers(lang)
    if lang == "en":
        words = {k: w if k in VALUE_WORDS or not w else w[0].upper() + w[1:] for k, w in words.items()}
    return {**words, **{k: v[0] if lang == "zh" else v[1] for k, v in PAGE_WORDS.items()}}


def word(key: str, lang: str) -> str:
    """A word of the explorer in ``lang``; an unknown key is an error (a page asking for a word nobody declared).

    >>> word("overview", "zh"), word("overview", "en"), word("local_firms", "en"), word("yes", "en")
    ('总览', 'Overview', 'Local firms', 'yes')
    """
    return _words(lang)[key]


#: every word of the explorer: key -> (zh, en), as pages show them
WORDS: dict[str, tuple[str, str]] = {k: (w, _words("en")[k]) for k, w in _words("zh").items()}


def shown(kind: str, value, lang: str) -> str:
    """A data code in the page's language; an unknown value as it is (it is data).

    >>> shown("project_status", "signed", "zh"), shown("district_kind", "县级市", "en"), shown("tag", "新词", "en")
    ('签约', 'county-level city', '新词')
    """
    if value is None or value == "":
        return ""
    pair = CODE_WORDS.get(kind, {}).get(str(value))
    if pair is None:
        return str(value)
    return pair[0] if lang == "zh" else pair[1]


def number(value, digits: int = 2) -> str:
    """A number rounded for reading: at most ``digits`` decimals, no trailing zeros; None as empty.

    >>> number(153.505715), number(10.019, 1), number(20), number(None), number(0.5)
    ('153.51', '10', '20', '', '0.5')
    """
    if value is None or value == "":
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:.0f}"
    return "0" if text in ("-0", "") else text
