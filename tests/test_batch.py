"""Batches: order, errors in place, bounded input consumption, parallel equals serial, Dask."""

import itertools
import os
import pickle
import signal
import threading

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
    """The pool is fed a bounded way ahead of the results; closing the stream mid-way ends it at once, having read
    no more of the input than that window (counted, not timed)."""
    read = []

    def source():
        for i in range(100_000):
            read.append(i)
            yield "Camden Council was rated good by the CQC."

    stream = carextract.Extractor().extract_many(source(), n_process=2, batch_size=8)
    first = [next(stream) for _ in range(3)]
    stream.close()
    assert [r.assessments[0].rating.value for r in first] == ["good"] * 3
    assert len(read) <= 2 * 8 * 2 + 8


# -- faults: a worker that dies, items that cannot be sent, an input that breaks --------------------------------

class _Saboteur:
    """A recognizer that ends its process on a marker word: as a worker killed for memory would end."""

    name = "saboteur"

    def __call__(self, doc):
        if "EXIT_NOW" in doc.text:
            os._exit(3)
        if "KILL_NOW" in doc.text:
            os.kill(os.getpid(), signal.SIGKILL)
        if "STOP_NOW" in doc.text:
            raise SystemExit(4)
        return []


@pytest.fixture(scope="module")
def saboteur():
    from carextract.pipeline import default_recognizers

    return carextract.Extractor([_Saboteur()] + default_recognizers())


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the saboteur is sent to workers by fork")
def test_a_worker_that_dies_fails_its_document_and_the_batch_goes_on(saboteur):
    texts = [TEXTS[i % 3] for i in range(12)]
    texts[2], texts[7], texts[9] = "EXIT_NOW", "KILL_NOW", "STOP_NOW"
    out = list(saboteur.extract_many(texts, n_process=2, batch_size=2))
    assert [r.source.index for r in out] == list(range(12))
    errors = {r.source.index: r.error for r in out if r.error is not None}
    assert sorted(errors) == [2, 7, 9]
    assert errors[2].type == errors[7].type == "WorkerError" and "died" in errors[2].message
    assert errors[9].type == "builtins.SystemExit"  # raised, not died: an ordinary per-document error
    good = [r.to_record() for i, r in enumerate(out) if i not in errors]
    assert good == [r.to_record() for i, r in enumerate(carextract.Extractor().extract_many(texts)) if i not in errors]


class _Unpicklable:
    text = "Barnet was rated good by the CQC."

    def __reduce__(self):
        raise TypeError("cannot pickle this")


class _TextRaises:
    @property
    def text(self):
        raise RuntimeError("no text today")


@pytest.mark.parametrize("n_process", [1, 2])
def test_items_that_cannot_be_sent_fail_alone(extractor, n_process):
    items = [TEXTS[0], threading.Lock(), _Unpicklable(), _TextRaises(), TEXTS[1]]
    out = list(extractor.extract_many(items, n_process=n_process, batch_size=2))
    assert [r.source.index for r in out] == [0, 1, 2, 3, 4]
    assert [r.error.type if r.error else None for r in out] == [None, "InputTypeError", None, "builtins.RuntimeError", None]
    assert out[2].assessments[0].council.short_name == "Barnet"  # sent as its text and source, not pickled whole


@pytest.mark.parametrize("n_process", [1, 2])
def test_an_input_that_raises_hands_out_what_was_read_first(extractor, n_process):
    def source():
        yield from TEXTS * 3
        raise OSError("the source broke")

    got = []
    with pytest.raises(OSError, match="the source broke"):
        for r in extractor.extract_many(source(), n_process=n_process, batch_size=2):
            got.append(r)
    assert [r.source.index for r in got] == list(range(9))
    assert all(r.error is None for r in got)
