"""The rule records, validated on load, and `explain`: from an evidence's rule id back to what produced it.

Rules live as records in the package's data files (`data/rules/*.json`: ratings, scores, statement phrases,
tallies, scope): each names its id, its kind, its pattern written in readable pieces, its flags, and the examples
it must fire on and the counter-examples it must not; every record must have both (tests/test_rules.py), and
each file's recognizer tests run them through the whole pipeline. A few ids name a mechanism of code rather
than a pattern (a statement score shared along a list, a council's name from the vocabulary, the findings
model). `explain` resolves both:

>>> explain("statement_phrase:some_shortfalls")[0].kind
'score_term'
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

from .errors import RuleError
from .vocab import load_records


class RuleRecord(BaseModel):
    """One rule: what it is called, what it yields, how it reads, and where it must and must not fire."""

    model_config = ConfigDict(extra="allow", frozen=True)

    id: str
    kind: str
    pattern: list[str] | None = None
    examples: list[Any] = []
    counter_examples: list[Any] = []
    source: str = ""
    description: str = ""
    # how a pattern is matched and trusted (the rating and score records use them)
    needs_context: bool = False
    case_sensitive: bool = False
    multiline: bool = False
    layout: bool = False
    role: str | None = None  # where a statement-score pattern is tried (data/rules/statement_scores.json)
    value: str | int | None = None  # what a pattern with no value group yields (a rank phrase: "good"; a score term: 4)

    @field_validator("id")
    @classmethod
    def _namespaced(cls, v: str) -> str:
        if ":" not in v or "+" in v:
            raise ValueError(f"a rule id is 'family:name' without '+': {v!r}")
        return v

    @property
    def regex(self) -> str | None:
        """The pattern as one regex string (its pieces joined), placeholders not expanded."""
        return None if self.pattern is None else "".join(self.pattern)


@cache
def rule_records() -> dict[str, RuleRecord]:
    """Every record of every rule file, by id; raises RuleError on a malformed file or record."""
    return load_records("rules", "rules", RuleRecord, "rule record")


def records_of(file_name: str) -> list[RuleRecord]:
    """The records of one rule file (`ratings.json`), in the file's order: the order a recognizer tries them."""
    source = f"data/rules/{file_name}"
    return [r for r in rule_records().values() if r.source == source]


# ids that name a mechanism of code, not a pattern: (family, name prefix) -> (kind, description)
_MECHANISMS: dict[tuple[str, str], tuple[str, str]] = {
    ("council", ""): ("council", "a council's name, short name or alias from data/councils.csv and "
                                 "data/council_names.json (recognizers/councils.py)"),
    ("finding", "model"): ("finding", "a clause the findings model classed as a strength or an improvement of a "
                                      "theme (findings/; the model card is models/FINDINGS_MODEL_CARD.md)"),
    ("finding", ""): ("finding", "a finding (findings/)"),
    ("metric", "measure"): ("metric", "the measure named by a cue of data/metrics.json (recognizers/metrics.py)"),
    ("metric", "comparator"): ("metric", "the benchmark a figure is compared with (recognizers/metrics.py)"),
    ("metric", ""): ("metric", "a figure compared with a benchmark (recognizers/metrics.py)"),
    ("statement_score", "listed_before"): ("statement_score", "a statement named in a list before a statement "
                                                              "scored after it ('X and Y were each scored 2')"),
    ("statement_score", "count_list"): ("statement_score", "a statement listed after a counted score ('4 in two "
                                                           "statements: X and Y')"),
    ("score", "gapped"): ("score", "a council's percentage listed after another's 'scored N%' in a round-up "
                                   "('Darlington scored 67 per cent, Hartlepool 69 per cent'; recognizers/scores.py)"),
    ("tally", "implied_total"): ("tally", "a tally's total the text does not state: the sum of counts that run along "
                                          "the scale without a gap ('8 Good and 4 Requires Improvement' is 12; "
                                          "recognizers/tallies.py)"),
    ("score", "respectively"): ("score", "scores listed in the order of the councils named before them ('Dudley and "
                                         "Wolverhampton ... with scores of 67 and 69 per cent respectively'; "
                                         "recognizers/scores.py)"),
    ("page", ""): ("layout", "a label or heading of CQC's own page layouts (recognizers/pages.py)"),
    ("table", ""): ("layout", "a cell of a table read by the layout layer (layout.py, recognizers/tables.py)"),
    ("scope", ""): ("scope", "a scope cue (scope.py, data/rules/scope.json)"),
}


def _one(rule_id: str) -> RuleRecord:
    records = rule_records()
    if rule_id in records:
        return records[rule_id]
    family, _, name = rule_id.partition(":")
    for (fam, prefix), (kind, description) in _MECHANISMS.items():
        if fam == family and name.startswith(prefix):
            return RuleRecord(id=rule_id, kind=kind, description=description, source="code")
    raise KeyError(rule_id)


def explain(what: Any) -> list[RuleRecord]:
    """The records behind an evidence's rule (an `Evidence`, or its `rule` string). A rule joined with '+' (a
    count built from several terms, a score shared along a list: 'after_name+list') names each part; '+list'
    means the score was carried along a list of statement names.

    Raises KeyError for an id no record, pattern or mechanism answers to.
    """
    rule_id = getattr(what, "rule", what)
    if not isinstance(rule_id, str):
        raise TypeError(f"explain takes an Evidence or a rule id, got {type(what).__name__}")
    family = rule_id.partition(":")[0]
    out: list[RuleRecord] = []
    for part in rule_id.split("+"):
        if part == "list":
            continue
        part_id = part if ":" in part else f"{family}:{part}"
        out.append(_one(part_id))
    return out


__all__ = ["RuleError", "RuleRecord", "explain", "records_of", "rule_records"]
