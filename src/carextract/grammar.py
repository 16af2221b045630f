"""The grammar pieces: the small patterns that recognizers and the layout layer read between facts.

A rule (`data/rules/*.json`, `rules.py`) yields a fact and names itself in the fact's evidence. A grammar piece
yields nothing of its own: it is the connective tissue a rule's code reads around a fact, such as "vs" between a
figure and its benchmark, the words that join a list of statement names, the shape of a table's rule line, or a
hedge ("nearly") before a count. Each piece is a record in `data/grammar/<module>.json`, validated on load:

- `id`: `module:name`, the module that reads it and a name for what it matches;
- `pattern`: the regex, in pieces joined without separators (so a long alternation reads a branch a line);
- `flags`: any of IGNORECASE, MULTILINE, DOTALL;
- `use`: how the code applies it (`search`, `match` at a position, or `fullmatch` of a string), which is how
  its examples are checked;
- `examples`: strings it must match that way; `counter_examples`: strings it must not. Every piece has both,
  and tests/test_grammar.py runs them all, so a change to a piece that breaks what it was written for fails
  there before it moves a record.

Code asks for a piece by id and gets a compiled `re.Pattern` (`scanner(id)` gives one built for scanning a whole
document):

>>> piece("metrics:significant").search("significantly higher") is not None
True
"""

from __future__ import annotations

import re
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .errors import RuleError
from .trie import scanning
from .vocab import load_records

_FLAGS = {"IGNORECASE": re.IGNORECASE, "MULTILINE": re.MULTILINE, "DOTALL": re.DOTALL}


class Piece(BaseModel):
    """One grammar piece: a named pattern with the strings it must and must not match."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    pattern: list[str] = Field(min_length=1)
    flags: list[Literal["IGNORECASE", "MULTILINE", "DOTALL"]] = []
    use: Literal["search", "match", "fullmatch"] = "search"
    description: str = ""
    examples: list[str] = Field(min_length=1)
    counter_examples: list[str] = Field(min_length=1)
    source: str = ""

    @field_validator("id")
    @classmethod
    def _namespaced(cls, v: str) -> str:
        module, _, name = v.partition(":")
        if not re.fullmatch(r"[a-z_]+", module) or not re.fullmatch(r"[a-z_0-9]+", name):
            raise ValueError(f"a grammar piece id is 'module:name' in lower case: {v!r}")
        return v

    @property
    def regex(self) -> str:
        return "".join(self.pattern)

    def compile(self) -> re.Pattern[str]:
        flags = 0
        for name in self.flags:
            flags |= _FLAGS[name]
        try:
            return re.compile(self.regex, flags)
        except re.error as e:
            raise RuleError(f"grammar piece {self.id} ({self.source}) does not compile: {e}") from e

    def matches(self, text: str) -> bool:
        """Whether the piece matches `text` the way its code applies it (`use`): `fullmatch` the whole text,
        `match` something non-empty at its start, `search` something non-empty anywhere (a piece that may match
        nothing, such as optional marks before a word, is judged by what it takes)."""
        rx = self.compile()
        if self.use == "fullmatch":
            return rx.fullmatch(text) is not None
        if self.use == "match":
            m = rx.match(text)
            return m is not None and m.end() > m.start()
        return any(m.end() > m.start() for m in rx.finditer(text))


@cache
def pieces() -> dict[str, Piece]:
    """Every grammar piece, by id; raises RuleError on a malformed file or record, or an id defined twice."""
    return load_records("grammar", "pieces", Piece, "grammar piece")


@cache
def piece(piece_id: str) -> re.Pattern[str]:
    """The compiled pattern of one grammar piece; raises RuleError for an id no file defines."""
    try:
        return pieces()[piece_id].compile()
    except KeyError:
        raise RuleError(f"no grammar piece {piece_id!r} in data/grammar/") from None


@cache
def scanner(piece_id: str) -> re.Pattern[str]:
    """A piece compiled for scanning a long text (`trie.scanning`: a lookahead on the characters a match can start
    with goes first), for pieces searched over a whole document."""
    rx = piece(piece_id)
    return scanning(rx.pattern, rx.flags & ~re.UNICODE)


__all__ = ["Piece", "piece", "pieces", "scanner"]
