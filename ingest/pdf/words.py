"""Word lists: the French dictionary of `pyspellchecker` (its French frequency list,
~140,000 words; a declared dependency, though the code still runs without it), and the
function words every French or English page is full of, which need no package."""

from __future__ import annotations

import gzip
import json
import re
from functools import lru_cache
from importlib import resources

WORD = re.compile(r"[^\W\d_]+")

FUNCTION_WORDS = frozenset(
    "le la les l un une des du de d au aux et ou mais donc ni car en dans sur sous par pour avec sans entre vers chez "
    "ce cet cette ces se sa son ses leur leurs qui que qu quoi dont où il ils elle elles on nous vous je j tu ne n pas "
    "plus est sont être a ont été fait peut tout tous toute comme si y à "
    "the a an of and or to in on at by for with from is are be this that it as not".split()
)


@lru_cache(maxsize=1)
def french_words() -> frozenset[str]:
    """The French dictionary of pyspellchecker, lowercased; empty when it is not installed."""
    try:
        data = resources.files("spellchecker").joinpath("resources", "fr.json.gz").read_bytes()
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return frozenset()
    return frozenset(word.lower() for word in json.loads(gzip.decompress(data)))


def dictionary_name() -> str:
    return "pyspellchecker (fr)" if french_words() else ""


def words(text: str) -> list[str]:
    """Letter-only tokens, lowercased."""
    return [w.lower() for w in WORD.findall(text)]
