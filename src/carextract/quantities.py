"""Numbers as people write them: "83.7%", "83.7 per cent", "83.7pc", "100per cent",
"sixty per cent", "one in five", "three-quarters", "nearly half", "0.8 percentage points".

`find_quantities` returns every quantity in a span of text with its value,
unit and whether it is approximate (words with no exact number); `parse_percent`
parses one written percentage. All patterns are linear-time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .segment import lower_same_length
from .trie import scanning

_UNITS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
_SMALL = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19,
}
_DENOM = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
          "twenty": 20, "hundred": 100}
_FRACTIONS = {
    "half": 50.0, "a half": 50.0, "one half": 50.0, "a third": 100 / 3, "one third": 100 / 3, "one-third": 100 / 3,
    "two thirds": 200 / 3, "two-thirds": 200 / 3, "a quarter": 25.0, "one quarter": 25.0, "one-quarter": 25.0,
    "three quarters": 75.0, "three-quarters": 75.0, "a fifth": 20.0, "one fifth": 20.0, "one-fifth": 20.0,
    "a tenth": 10.0, "one tenth": 10.0,
}

_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORD_NUM = (r"(?:(?:" + "|".join(_UNITS) + r")(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|"
             + "|".join(sorted(_SMALL, key=len, reverse=True)) + r"|(?:a|one) hundred)")
_PCT_UNIT = r"(?:\s?%|\s?per\s?cent\b|\s?percent\b|\s?pc\b|\s?pct\b)"
_PP_UNIT = r"(?:\s?(?:percentage|per\s?cent(?:age)?)\s+points?\b|\s?pp\b)"

QUANTITY = scanning(
    rf"(?P<pp>(?<![\w.,])(?P<ppnum>{_DIGITS}){_PP_UNIT})"
    rf"|(?P<pct>(?<![\w.,])(?P<num>{_DIGITS}){_PCT_UNIT})"
    rf"|(?P<wpct>\b(?P<wnum>{_WORD_NUM})\s+(?:per\s?cent|percent)\b)"
    rf"|(?P<ratio>\b(?P<rnum>one|two|three|four|five|six|seven|eight|nine|\d{{1,2}})\s+(?:in|out of)\s+(?P<rden>{'|'.join(_DENOM)}|\d{{1,3}})\b(?!\s*(?:%|per\s?cent)))"
    rf"|(?P<frac>\b(?:{'|'.join(sorted((re.escape(f) for f in _FRACTIONS), key=len, reverse=True))})\b)",
    re.IGNORECASE,
)
_HEDGE = re.compile(r"(?:nearly|almost|around|about|roughly|approximately|just (?:over|under)|some|over|more than|"
                    r"fewer than|less than|under|close to)\s+$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Quantity:
    start: int
    end: int
    value: float
    unit: str  # "percent" | "percentage_points"
    approximate: bool
    hedged: bool = False  # "over 90%", "nearly half"


def words_to_number(words: str) -> int | None:
    w = words.lower().replace("-", " ").split()
    if w in (["a", "hundred"], ["one", "hundred"]):
        return 100
    total = 0
    for part in w:
        if part in _UNITS:
            total += _UNITS[part]
        elif part in _SMALL:
            total += _SMALL[part]
        else:
            return None
    return total


def parse_percent(s: str) -> float | None:
    """'83.7%' -> 83.7, '100per cent' -> 100.0, 'sixty per cent' -> 60.0; None if not a percentage."""
    m = QUANTITY.fullmatch(s.strip())
    if not m:
        return None
    q = _quantity(m, s)
    return q.value if q and q.unit == "percent" and not q.approximate else None


def _quantity(m: re.Match, text: str) -> Quantity | None:
    hedged = bool(_HEDGE.search(text[max(0, m.start() - 20): m.start()]))
    if m.group("pp"):
        return Quantity(m.start(), m.end(), float(m.group("ppnum").replace(",", "")), "percentage_points", False, hedged)
    if m.group("pct"):
        return Quantity(m.start(), m.end(), float(m.group("num").replace(",", "")), "percent", False, hedged)
    if m.group("wpct"):
        n = words_to_number(m.group("wnum"))
        return None if n is None else Quantity(m.start(), m.end(), float(n), "percent", False, hedged)
    if m.group("ratio"):
        num = m.group("rnum").lower()
        den = m.group("rden").lower()
        a = int(num) if num.isdigit() else _SMALL.get(num)
        b = int(den) if den.isdigit() else _DENOM.get(den)
        if not a or not b or a >= b:
            return None
        return Quantity(m.start(), m.end(), round(100 * a / b, 2), "percent", True, hedged)
    value = _FRACTIONS[m.group("frac").lower().replace("  ", " ")]
    return Quantity(m.start(), m.end(), round(value, 2), "percent", True, hedged)


# Every quantity holds one of these. Each pattern starts with a literal, so that `re` finds it by a fast
# substring search; together they find a superset of the places a quantity can be, over the lower-cased text.
_COUNT = r"(?:two|three|four|five|six|seven|eight|nine|ten|twenty|hundred|\d)"
_TRIGGERS = [re.compile(p) for p in (
    "%", r"per\s?cent",  # 83.7%, per cent, percent, percentage
    r"pct?\b", r"pp\b", r"half\b", "third", "quarter", "fifth", "tenth",
    rf"in {_COUNT}", rf"out of {_COUNT}",
)]
_REACH_BEFORE, _REACH_AFTER = 44, 16  # characters a quantity reaches before and after its trigger, at most


def find_quantities(text: str, start: int = 0, end: int | None = None, *, lower: str | None = None) -> list[Quantity]:
    """Every percentage-like quantity in text[start:end], in order.

    The full pattern runs only around the trigger words every quantity holds ("%", "per cent", "half", "in
    five"): a window from 44 characters before each to 16 after, within its line. `lower` is text lower-cased
    (same length), if the caller has it.
    """
    end = len(text) if end is None else end
    if lower is None:  # lower-case only the span: a caller asking about one line of a long text pays for the line
        low, base = lower_same_length(text[start:end]), start
    else:
        low, base = lower, 0
    hits = sorted((m.start() + base, m.end() + base) for rx in _TRIGGERS for m in rx.finditer(low, start - base, end - base))
    out: list[Quantity] = []
    lo = start
    windows: list[list[int]] = []
    for t_start, t_end in hits:
        # the line's ends are looked for within the reach only: a line of a million "%" costs no more per trigger
        line_start = text.rfind("\n", max(start, t_start - _REACH_BEFORE), t_start) + 1
        line_end = text.find("\n", t_end, min(end, t_end + _REACH_AFTER))
        ws = max(start, line_start, t_start - _REACH_BEFORE)
        we = min(end, line_end if line_end != -1 else end, t_end + _REACH_AFTER)
        if windows and ws <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], we)
        else:
            windows.append([ws, we])
    for ws, we in windows:
        for m in QUANTITY.finditer(text, max(ws, lo), we):
            q = _quantity(m, text)
            if q is not None:
                out.append(q)
        lo = we
    return out


RATE_BASE = re.compile(r"(?=[pP])\bper\s+(?P<base>1(?:00)?,?000|100k)\b", re.IGNORECASE)
_BARE = re.compile(r"(?<![\w.,£$/–-])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\w%/–-]|[.,]\d)")


_AGE_BEFORE = re.compile(r"\b(?:aged|age|ages|over|under)\s+(?:\d{1,3}\s*(?:-|–|to)\s*)?$", re.IGNORECASE)
_AGE_AFTER = re.compile(r"\s*(?:\+|(?:and|or)\s+(?:over|older|above|under)\b|-?\s*(?:to|–|-)\s*\d{1,3}\s+year)", re.IGNORECASE)


_DURATION = re.compile(r"(?=\d)(?<![\w.,£$/–-])(?P<num>\d{1,3}(?:,\d{3})*(?:\.\d+)?)\s*(?P<unit>days?|weeks?|months?)\b",
                       re.IGNORECASE)


def find_durations(text: str, start: int = 0, end: int | None = None) -> list[Quantity]:
    """Numbers of days, weeks or months, in order ("a median wait of 41 days, against 27 days in the region"):
    waits and times to discharge are compared with averages too. Unit 'days', 'weeks' or 'months'."""
    end = len(text) if end is None else end
    out = []
    for m in _DURATION.finditer(text, start, end):
        unit = m.group("unit").lower().rstrip("s") + "s"
        out.append(Quantity(m.start(), m.end(), float(m.group("num").replace(",", "")), unit, False, False))
    return out


def find_rates(text: str, start: int, end: int, *, lower: str | None = None) -> list[Quantity]:
    """Numbers in a sentence that speaks of a rate per 1,000/10,000/100,000 ("347 enquiries per 100,000
    adults ... the England rate of 451"): every bare number but the base itself and years."""
    if (lower.find("per", start, end) == -1) if lower is not None else ("per" not in text[start:end].lower()):
        return []
    base = RATE_BASE.search(text, start, end)
    if not base:
        return []
    unit = "per " + base.group("base").replace("100k", "100,000")
    out = []
    for m in _BARE.finditer(text, start, end):
        if base.start() <= m.start() < base.end():
            continue
        value = float(m.group("num").replace(",", ""))
        if 1990 <= value <= 2099 and "." not in m.group("num"):
            continue
        if _AGE_BEFORE.search(text, max(start, m.start() - 12), m.start()) or _AGE_AFTER.match(text, m.end(), end):
            continue  # "per 100,000 people aged 65 and over": the age band, not a rate
        out.append(Quantity(m.start(), m.end(), value, unit, False, False))
    return out
