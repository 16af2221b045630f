"""A regex for a large set of literal phrases, factored by common prefix.

Python's `re` tries the alternatives of `a|b|c|...` one by one at every position;
factored into a trie (`(?:a(?:b|c)|d)`), a scan dispatches on each character
instead, so one pass over a text costs about the same however many phrases
there are. At a given position the longest phrase wins.
"""

from __future__ import annotations

import re


def trie_regex(phrases: list[str]) -> str:
    """A regex (without flags or boundaries) matching exactly `phrases`, longest first at each position."""
    trie: dict = {}
    for w in phrases:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch != ""]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return build(trie)


def first_chars(phrases: list[str], *, ignore_case: bool = False) -> str:
    """A lookahead on the phrases' first characters, to put before a scanning pattern: Python's `re` then
    jumps from one candidate character to the next instead of trying the whole pattern at every position."""
    chars = {p[0] for p in phrases if p}
    if ignore_case:
        chars |= {c.swapcase() for c in chars}
    return "(?=[" + "".join(re.escape(c) for c in sorted(chars)) + "])"


def scanning(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`pattern` compiled for scanning a long text: when the characters a match can start with are few and
    known, a lookahead on them goes first (the same matches, found several times faster); otherwise as is."""
    chars = None if re.match(r"\(\?[aiLmsux]+\)", pattern) else _first_chars_of(pattern, flags)
    if chars:
        pattern = "(?=[" + "".join(c if c == _DIGIT else re.escape(c) for c in sorted(chars)) + "])(?:" + pattern + ")"
    return re.compile(pattern, flags)


def _sre_parser():
    """The standard library's regex parser (private, but stable since 3.8; `re._parser` from 3.11)."""
    try:
        from re import _parser as parser  # Python 3.11+
    except ImportError:  # pragma: no cover - Python 3.10
        import sre_parse as parser  # type: ignore[no-redef]
    return parser


_DIGIT = r"\d"  # stands for the class of digits among the first characters


def _first_chars_of(pattern: str, flags: int) -> set[str] | None:
    """The characters a match of `pattern` can start with (before case folding), or None when they cannot be
    told (a pattern that can match empty, or starts with a class such as \\w or [^...])."""
    parser = _sre_parser()
    out: set[str] = set()

    def nullable(items) -> bool:
        for op, av in items:
            name = str(op)
            if name in ("AT", "ASSERT", "ASSERT_NOT"):
                continue  # zero-width
            if name == "LITERAL":
                out.add(chr(av))
                return False
            if name == "IN":
                for o, a in av:
                    if str(o) == "LITERAL":
                        out.add(chr(a))
                    elif str(o) == "RANGE":
                        out.update(chr(x) for x in range(a[0], a[1] + 1))
                    elif str(o) == "CATEGORY" and str(a) == "CATEGORY_DIGIT":
                        out.add(_DIGIT)  # any digit \d matches, not only 0-9
                    else:
                        raise ValueError(o)
                return False
            if name == "SUBPATTERN":
                if not nullable(av[-1]):
                    return False
            elif name == "BRANCH":
                if not any([nullable(b) for b in av[1]]):
                    return False
            elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                if not nullable(av[2]) and av[0] >= 1:
                    return False
            else:
                raise ValueError(name)
        return True

    try:
        if nullable(parser.parse(pattern, flags)) or len(out) > 40:
            return None
    except Exception:  # noqa: BLE001 - any pattern this cannot read is compiled as it is
        return None
    return out


_MAX_LITERALS = 16


def literal_starts(pattern: str, limit: int = 12) -> set[str] | None:
    """Strings one of which begins every match of `pattern` (as written: match them case-insensitively where
    the pattern is), each at most `limit` characters, or None when they cannot be told. A scan for these
    literals is much faster than the pattern's own; the pattern then runs only where one occurs."""
    parser = _sre_parser()

    def starts(items) -> tuple[set[str], bool]:
        """(the literal beginnings of this sequence, whether the sequence is wholly literal)"""
        found = {""}
        for k, (op, av) in enumerate(items):
            name = str(op)
            if name in ("MAX_REPEAT", "MIN_REPEAT") and av[0] == 0:
                # optional ("['"]?good", "[ \t]*Good"): a match begins with what the repeated part begins with,
                # or, when it is skipped, with what follows it
                taken, _ = starts(av[2])
                if "" in taken:  # the repeated part begins with a class such as \s: nothing more is known
                    return found, False
                skipped, _ = starts(items[k + 1:])
                longer = {f + g for f in found for g in taken | skipped}
                if len(longer) > _MAX_LITERALS and found != {""}:
                    return found, False
                return longer, False
            if name in ("AT", "ASSERT", "ASSERT_NOT"):
                if found == {""}:
                    continue  # zero-width, before the first character
                return found, False
            if name == "LITERAL":
                found = {f + chr(av) for f in found}
                continue
            if name == "IN" and len(av) <= 8 and all(str(o) == "LITERAL" for o, _ in av):  # [Tt]
                longer = {f + chr(a) for f in found for _, a in av}
                if len(longer) > _MAX_LITERALS and found != {""}:
                    return found, False
                found = longer
                continue
            if name in ("SUBPATTERN", "BRANCH"):
                branches = [av[-1]] if name == "SUBPATTERN" else av[1]
                inner: set[str] = set()
                whole = True
                for branch in branches:
                    got, complete = starts(branch)
                    inner |= got
                    whole = whole and complete
                longer = {f + g for f in found for g in inner}
                if len(longer) > _MAX_LITERALS and found != {""}:
                    return found, False  # a few short literals rather than a great many long ones
                found = longer
                if whole:
                    continue
            return found, False
        return found, True

    try:
        found, _ = starts(parser.parse(pattern))
    except Exception:  # noqa: BLE001 - any pattern this cannot read has no known literals
        return None
    if not found or "" in found:
        return None
    return {f[:limit] for f in found}
