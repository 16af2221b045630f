"""The grammar pieces (carextract/grammar.py, data/grammar/*.json): each loads, matches its examples and none of
its counter-examples the way its code applies it, and is used by the code; no recognizer keeps a phrasing inline."""

import ast
import json
import re
from pathlib import Path

import pytest

from carextract.errors import RuleError
from carextract.grammar import Piece, piece, pieces
from carextract.recognizers.tables import ORDER

SRC = Path(__file__).resolve().parents[1] / "src" / "carextract"
PIECES = sorted(pieces().values(), key=lambda p: p.id)


def test_the_grammar_files_load():
    assert len(PIECES) > 150
    assert {p.source for p in PIECES} == {f"data/grammar/{f.name}" for f in (SRC / "data" / "grammar").glob("*.json")}


@pytest.mark.parametrize("p", PIECES, ids=[p.id for p in PIECES])
def test_each_piece_matches_its_examples_and_none_of_its_counter_examples(p):
    for text in p.examples:
        assert p.matches(text), f"{p.id} ({p.source}, {p.use}) does not match its example {text!r}"
    for text in p.counter_examples:
        assert not p.matches(text), f"{p.id} ({p.source}, {p.use}) matches its counter-example {text!r}"


def _used_ids() -> set[str]:
    ids = set()
    for f in SRC.rglob("*.py"):
        ids |= set(re.findall(r'(?:piece|scanner)\("([a-z_]+:[a-z_0-9]+)"\)', f.read_text(encoding="utf-8")))
    return ids | {f"tables:label_{sid}" for sid in ORDER}  # asked for by statement id (recognizers/tables.py)


def test_every_piece_is_used_and_every_use_names_a_piece():
    used, defined = _used_ids(), set(pieces())
    assert not defined - used, f"pieces no code asks for: {sorted(defined - used)}"
    assert not used - defined, f"code asks for pieces no file defines: {sorted(used - defined)}"


def test_a_piece_is_the_same_compiled_pattern_wherever_it_is_asked_for():
    assert piece("segment:bullet") is piece("segment:bullet")


def test_an_unknown_piece_is_a_rule_error():
    with pytest.raises(RuleError, match="no grammar piece"):
        piece("metrics:no_such_piece")


@pytest.mark.parametrize("raw, message", [
    ({"id": "metrics:x", "pattern": ["a"], "examples": ["a"]}, "counter_examples"),
    ({"id": "metrics:x", "pattern": ["a"], "examples": [], "counter_examples": ["b"]}, "examples"),
    ({"id": "Metrics x", "pattern": ["a"], "examples": ["a"], "counter_examples": ["b"]}, "module:name"),
    ({"id": "metrics:x", "pattern": ["a"], "flags": ["VERBOSE"], "examples": ["a"], "counter_examples": ["b"]}, "flags"),
    ({"id": "metrics:x", "pattern": ["a"], "use": "findall", "examples": ["a"], "counter_examples": ["b"]}, "use"),
])
def test_a_malformed_piece_is_refused(raw, message):
    with pytest.raises(ValueError, match=message):
        Piece(**raw)


def test_a_pattern_that_does_not_compile_is_a_rule_error():
    p = Piece(id="metrics:broken", pattern=["(unclosed"], examples=["x"], counter_examples=["y"])
    with pytest.raises(RuleError, match="does not compile"):
        p.compile()


def test_every_file_says_what_it_holds():
    for f in sorted((SRC / "data" / "grammar").glob("*.json")):
        assert json.loads(f.read_text(encoding="utf-8")).get("_doc"), f"{f.name} has no _doc"


# generic helpers a module may keep: one character or white space to split on, a run of letters or digits, the
# parts of regexes read by the regex tools themselves
_GENERIC = {
    "layout.py": {"_PIPE", "_TAB", "_COMMA", "_SPACES", "_WORD"},
    "recognizers/tables.py": {"_SPACES"},
    "recognizers/scores.py": {"_NUMBER"},
    "findings/recognizer.py": {"_DIGIT"},
    "findings/features.py": {"_HEADING_WORD"},
    "segment.py": {"_CASELESS_GROUP"},
}
_READERS = ["recognizers/*.py", "layout.py", "attribution.py", "scope.py", "segment.py", "findings/features.py",
            "findings/recognizer.py"]


def _literal_patterns(path: Path) -> list[str]:
    """Names (or line numbers) of regexes a module writes as literals: `re.compile("...")`, `re.search("...", ...)`
    and `scanning("...")` with a string literal as the pattern."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {id(s.value): s.targets[0].id for s in tree.body
             if isinstance(s, ast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], ast.Name)}
    out = []
    for node in ast.walk(tree):
        regex_call = (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                      and isinstance(node.func.value, ast.Name) and node.func.value.id == "re" and node.func.attr != "escape")
        scanning_call = isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "scanning"
        if ((regex_call or scanning_call) and node.args and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)):
            out.append(names.get(id(node), f"line {node.lineno}"))
    return out


@pytest.mark.parametrize("pattern", _READERS)
def test_no_reader_keeps_a_phrasing_inline(pattern):
    for path in sorted(SRC.glob(pattern)):
        rel = path.relative_to(SRC).as_posix()
        if rel == "recognizers/base.py":
            continue  # reads the rule records' own regexes (their escapes and flags), no text
        left = [n for n in _literal_patterns(path) if n not in _GENERIC.get(rel, set())]
        assert not left, f"{rel} writes regexes inline (move them to data/grammar/): {left}"
