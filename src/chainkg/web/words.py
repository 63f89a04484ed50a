"""The explorer's words: the declared vocabulary (:mod:`chainkg.graph_model.vocabulary`) as pages show it.

A page asks for the word of a key with ``t(key)``: the same word a report's column of that key has,
its English capitalised as a label (words of values, such as yes/no, stay lower case).
"""

from __future__ import annotations

from functools import cache

from ..graph_model.vocabulary import VALUE_WORDS, headers

LANGS = ("zh", "en")


@cache
def _words(lang: str) -> dict[str, str]:
    words = headers(lang)
    if lang == "en":
        words = {k: w if k in VALUE_WORDS or not w else w[0].upper() + w[1:] for k, w in words.items()}
    return words


def word(key: str, lang: str) -> str:
    """A word of the explorer in ``lang``; an unknown key is an error (a page asking for a word nobody declared).

    >>> word("overview", "zh"), word("overview", "en"), word("local_firms", "en"), word("yes", "en")
    ('总览', 'Overview', 'Local firms', 'yes')
    """
    return _words(lang)[key]


#: every word of the explorer: key -> (zh, en), as pages show them
WORDS: dict[str, tuple[str, str]] = {k: (w, _words("en")[k]) for k, w in _words("zh").items()}
