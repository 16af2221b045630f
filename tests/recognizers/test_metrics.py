"""MetricRecognizer: figures compared with a benchmark, the comparator, and the catalogue metric."""

import json
from pathlib import Path

import pytest

from carextract.recognizers.metrics import MetricRecognizer, identify
from carextract.results import Comparator, MetricComparison
from carextract.segment import segment
from carextract.vocab import metrics as catalogue

recognize = MetricRecognizer()


def comparisons(text) -> list[MetricComparison]:
    return [m.value for m in recognize(segment(text))]


def matches(expected, got: MetricComparison) -> bool:
    metric, value, comparator, comparator_value = expected
    return ((metric is None or got.metric == metric) and got.value == value
            and got.comparator == Comparator(comparator) and got.comparator_value == comparator_value)


@pytest.mark.cases("metrics.json", "positive")
def test_positive(case):
    got = comparisons(case["text"])
    assert len(got) == len(case["metrics"]), got
    for expected, mc in zip(case["metrics"], got):
        assert matches(expected, mc), (expected, mc)


@pytest.mark.cases("metrics.json", "negative")
def test_negative(case):
    assert comparisons(case["text"]) == []


@pytest.mark.cases("metrics.json", "approximate")
def test_approximate_figures_are_flagged(case):
    [mc] = comparisons(case["text"])
    assert (mc.value, mc.comparator_value) == (case["value"], case["comparator_value"])
    assert mc.approximate


def test_every_catalogue_metric_has_a_positive_case():
    cases = json.loads((Path(__file__).parents[1] / "cases" / "metrics.json").read_text(encoding="utf-8"))
    covered = {c["metrics"][0][0] for c in cases["positive"] if not c.get("xfail")}
    assert set(catalogue()) - {"other"} <= covered


@pytest.mark.parametrize("value, bench, metric, direction", [
    (92.9, 83.7, "home_91_days_after_discharge", "better"),
    (80.0, 83.7, "home_91_days_after_discharge", "worse"),
    (83.7, 83.7, "home_91_days_after_discharge", "same"),
])
def test_direction_follows_higher_is_better(value, bench, metric, direction):
    text = (f"Some {value}% of older people were still at home 91 days after discharge, "
            f"compared with the England average of {bench}%.")
    [mc] = comparisons(text)
    assert mc.metric == metric and mc.direction == direction


def test_direction_for_lower_is_better_metric():
    [mc] = comparisons("Staff turnover was 28%, higher than the regional average of 24%.")
    assert mc.direction == "worse"


def test_evidence_spans_index_the_text():
    text = "Staff turnover was 28%, higher than the regional average of 24%."
    [mc] = comparisons(text)
    assert {e.field for e in mc.evidence} == {"value", "comparator_value", "comparator", "measure"}
    for e in mc.evidence:
        assert text[e.start:e.end] == e.text
    by_field = {e.field: e.text for e in mc.evidence}
    assert by_field["value"] == "28%" and by_field["comparator_value"] == "24%"


@pytest.mark.parametrize("text, period", [
    ("Staff turnover was 28% in 2023, higher than the regional average of 24%.", "2023"),
    ("In 2023-24 staff turnover was 28%, higher than the regional average of 24%.", "2023-24"),
    ("Staff turnover was 28%, higher than the regional average of 24% in 2023/24.", "2023/24"),
])
def test_period(text, period):
    [mc] = comparisons(text)
    assert mc.period == period


def test_significance_flag():
    [mc] = comparisons("Some 60% of people felt safe, significantly below the England average of 70%.")
    assert mc.significant


@pytest.mark.parametrize("window, metric", [
    ("the weather on the day of the report", "other"),
    ("people receiving direct payments", "direct_payments"),
    ("adult social care staff turnover", "workforce_turnover_rate"),
    ("carers who found it easy to find information about support", "easy_to_find_information"),
    ("carers finding information and advice helpful", "other"),  # another survey question: helpfulness, not ease
])
def test_identify(window, metric):
    assert identify(window)[0] == metric


# -- properties --------------------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PIECES = ["83.7%", "45pc", "the England average of 26.70%", "compared with 12% nationally", "(10% vs 25%)",
           "carers", "direct payments", "This was worse than", "the London average (30%)", "similar councils",
           "per 100,000", "451", ". ", ", ", " and ", "Kent", "vacancy rate of 9.9%"]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=25))
def test_no_comparator_value_without_a_comparator(pieces):
    from carextract.recognizers.metrics import MetricRecognizer
    from carextract.segment import segment

    text = " ".join(pieces)
    for m in MetricRecognizer()(segment(text)):
        mc = m.value
        assert mc.comparator_value is None or mc.comparator is not None
        for ev in mc.evidence:
            assert text[ev.start:ev.end] == ev.text


def test_table_with_two_benchmark_columns():
    text = ("Measure                                    Redcar      North East    England\n"
            "Older people at home 91 days after\n"
            "discharge into reablement                  80.2%       84.9%         83.7%\n")
    got = sorted((m.comparator.value, m.value, m.comparator_value, m.metric) for m in comparisons(text))
    assert got == [("england", 80.2, 83.7, "home_91_days_after_discharge"),
                   ("regional", 80.2, 84.9, "home_91_days_after_discharge")]


def _values(text):
    return [(m.value.value, m.value.comparator_value) for m in MetricRecognizer()(segment(text))]


def test_a_figure_pairs_with_a_benchmark_within_its_reach(monkeypatch):
    from carextract.recognizers import metrics

    near = "In Eastshire 45% of carers felt supported, " + "x" * 150 + " compared with the England average of 26.7%."
    assert _values(near) == [(45.0, 26.7)]
    far = "In Eastshire 45% of carers felt supported, " + "x" * 400 + " compared with the England average of 26.7%."
    assert _values(far) == []
    monkeypatch.setattr(metrics, "REACH", 600)  # a module constant, read at each call
    assert _values(far) == [(45.0, 26.7)]


def test_a_run_of_benchmarks_pairs_neighbours_not_the_first_figure():
    run = "1% average " * 200
    pairs = MetricRecognizer()(segment(run))
    assert pairs  # the first figures of the run are compared ...
    for m in pairs:  # ... each with a benchmark within the reach, not every benchmark with the first figure
        value, benchmark = m.value.evidence[0], m.value.evidence[1]
        assert abs(benchmark.start - value.start) <= 300


def test_mark_benchmarks_alone():
    from carextract.recognizers.metrics import _Figures, mark_benchmarks

    doc = segment("In Camden 86% of people were at home 91 days after discharge, against an England average of 83.7%.")
    qs = _Figures(doc).of_sentence(doc.sentences[0].start, doc.sentences[0].end)
    assert [q.value for q in qs] == [86.0, 83.7]
    marks = mark_benchmarks(doc, 0, qs)
    assert list(marks) == [1] and marks[1].comparator.value == "england"


def test_pairing_takes_the_figure_before_then_the_first_free_one_after():
    from carextract.recognizers.metrics import _Figures, _Pairing, mark_benchmarks

    doc = segment("Against an England average of 62.9%, the council reached 70.1% this year.")
    qs = _Figures(doc).of_sentence(0, len(doc.text))
    marks = mark_benchmarks(doc, 0, qs)
    assert list(marks) == [0]
    assert _Pairing(doc.text, qs, marks).value_for(0, marks[0]).value == 70.1


def test_a_region_named_over_a_line_break_is_the_regional_comparator():
    text = ("Staff turnover in the adult social care workforce was 26.5%, compared with 19.9% in the South\n"
            "East.")
    [m] = [x.value for x in MetricRecognizer()(segment(text))]
    assert (m.value, m.comparator, m.comparator_value) == (26.5, Comparator.REGIONAL, 19.9)


def test_rows_of_a_table_whose_figures_have_no_percent_sign_find_the_head_above_them():
    text = ("Measure (2023/24) | North Somerset | Comparator group | England\n"
            "People who use services satisfied with their care and support (%) | 59.8 | 61.2 | 62.0\n"
            "People who use services who feel safe (%) | 72.4 | 70.9 | 71.1\n")
    got = {(m.value.metric, m.value.value, m.value.comparator.value) for m in MetricRecognizer()(segment(text))}
    assert ("feel_safe", 72.4, "england") in got and ("feel_safe", 72.4, "comparator_group") in got


def test_two_bracketed_benchmarks_in_one_sentence_are_both_benchmarks():
    text = ("Some 89.3% of older people were still at home 91 days after leaving hospital into reablement "
            "(England: 83.8%), and 84.7% of people needed no further support after short-term care (England: 79.4%).")
    got = {(m.value.value, m.value.comparator_value) for m in MetricRecognizer()(segment(text))}
    assert got == {(89.3, 83.8), (84.7, 79.4)}


def test_carers_who_could_take_a_break_is_the_carers_break_measure():
    text = "14.6% of carers said they could take a break when they wanted, compared with 12.1% across England."
    [m] = MetricRecognizer()(segment(text))
    assert m.value.metric == "carers_break"


def test_a_target_is_its_own_benchmark_not_the_average_named_beside_it():
    from carextract.recognizers.metrics import MetricRecognizer

    text = ("Camden Council's performance report showed that 84% of people who received reablement needed no further "
            "support. This figure surpasses the target of 80% and exceeds the London average.")
    got = [(m.value.value, m.value.comparator.value, m.value.comparator_value) for m in MetricRecognizer()(segment(text))]
    assert got == [(84.0, "other", 80.0)]
