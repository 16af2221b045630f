"""Batches: order, errors in place, bounded input consumption, parallel equals serial, Dask."""

import itertools
import pickle

import pytest

import carextract

TEXTS = [
    "Camden Council was rated outstanding by the Care Quality Commission.",
    "The CQC rated Barnet as good, with an overall score of 70%.",
    "Adult social care in Croydon requires improvement, the Care Quality Commission has found.",
]


def test_results_come_in_input_order(extractor):
    out = list(extractor.extract_many(TEXTS))
    assert [r.assessments[0].council.short_name for r in out] == ["Camden", "Barnet", "Croydon"]
    assert [r.source.index for r in out] == [0, 1, 2]


def test_a_bad_document_takes_its_place_with_an_error(extractor):
    out = list(extractor.extract_many([TEXTS[0], None, b"bytes", 3, TEXTS[1]]))
    assert len(out) == 5
    assert [r.error is None for r in out] == [True, False, False, False, True]
    assert out[1].error.type == "InputTypeError" and "NoneType" in out[1].error.message


@pytest.mark.parametrize("items", ["a single string", None, 42])
def test_items_must_be_an_iterable_of_texts(extractor, items):
    with pytest.raises(carextract.InputTypeError):
        list(extractor.extract_many(items))


def test_input_is_streamed_not_collected(extractor):
    seen = []

    def source():
        for i in itertools.count():
            seen.append(i)
            yield TEXTS[i % 3]

    stream = extractor.extract_many(source())
    first = list(itertools.islice(stream, 5))
    assert len(first) == 5 and len(seen) <= 6


def test_two_processes_give_the_same_records_in_order(extractor):
    texts = TEXTS * 20
    serial = [r.to_record() for r in extractor.extract_many(texts)]
    parallel = [r.to_record() for r in extractor.extract_many(texts, n_process=2, batch_size=4)]
    assert parallel == serial


def test_the_extractor_pickles_cheaply(extractor):
    blob = pickle.dumps(extractor)
    assert len(blob) < 200
    assert pickle.loads(blob).extract(TEXTS[0]).to_record() == extractor.extract(TEXTS[0]).to_record()


def _extract_record(text):
    return carextract.extract(text).to_record()


def test_dask_distributed_gives_the_same_records(extractor):
    pytest.importorskip("dask.bag")
    distributed = pytest.importorskip("distributed")
    import dask.bag as db

    texts = TEXTS * 4
    expected = [r.to_record() for r in extractor.extract_many(texts)]
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            distributed.Client(cluster):
        got = db.from_sequence(texts, npartitions=3).map(_extract_record).compute()
    assert got == expected


def test_a_parallel_stream_closed_early_stops_at_once():
    """The pool's feeder runs a bounded way ahead of the results; closing the stream mid-way ends it at once."""
    import time

    import carextract

    started = time.perf_counter()
    stream = carextract.Extractor().extract_many(("Camden Council was rated good by the CQC." for _ in range(100_000)),
                                                 n_process=2, batch_size=8)
    first = [next(stream) for _ in range(3)]
    stream.close()
    assert [r.assessments[0].rating.value for r in first] == ["good"] * 3
    assert time.perf_counter() - started < 30
