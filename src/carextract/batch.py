"""Batches: `extract_many` streams results in input order, in bounded memory, on one or more processes.

A document that fails (a wrong type, an error inside extraction) never stops
the batch and is never dropped: its place holds a result whose `error` says
what went wrong. Input is read at most n_process x batch_size x 2 documents
ahead of the results, so memory stays flat however many documents come.

With several processes, each item is turned into its text and source info in
this process before it is sent, so an item that cannot be pickled (or whose
`.text` raises) fails alone, as with one process. A worker process that dies
(killed for memory, `os._exit`) breaks the pool: the documents it had in hand
are run again one at a time in a new pool, the one that kills its worker again
is marked failed with a `WorkerError`, and the batch goes on. If the input
iterator raises, the results of the documents read before it are handed out
first, then its exception is raised, with one process or several.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from .errors import InputTypeError, WorkerError
from .results import DocumentExtraction, SourceInfo

_worker_extractor = None


def _text_of(item: Any) -> tuple[str, SourceInfo | None]:
    if isinstance(item, str):
        return item, None
    text = getattr(item, "text", None)
    if isinstance(text, str):
        return text, SourceInfo(path=getattr(item, "path", None), title=getattr(item, "title", None),
                                url=getattr(item, "url", None), date=getattr(item, "date", None))
    raise InputTypeError.expected("a str or a SourceDocument", item, argument="item")


def _indexed(result: DocumentExtraction, index: int) -> DocumentExtraction:
    if result.source is None:
        result.source = SourceInfo(index=index)
    else:
        result.source.index = index
    return result


def _failed(error: BaseException, source: SourceInfo | None, index: int) -> DocumentExtraction:
    from .results import failed

    return _indexed(failed(error, source), index)


def _extract(extractor, index: int, text: str, source: SourceInfo | None) -> DocumentExtraction:
    try:
        result = extractor.extract(text, source=source)
    except (Exception, SystemExit) as e:  # noqa: BLE001 - one bad document never stops the batch
        return _failed(e, source, index)
    return _indexed(result, index)


def _one(extractor, index: int, item: Any) -> DocumentExtraction:
    try:
        text, source = _text_of(item)
    except (Exception, SystemExit) as e:  # noqa: BLE001 - an item whose .text raises is a bad item
        return _failed(e, None, index)
    return _extract(extractor, index, text, source)


def _init_worker(extractor) -> None:
    global _worker_extractor
    _worker_extractor = extractor
    # a forked worker shares its parent's memory until it writes to it; its garbage collector would visit, and so
    # copy, every object it inherited (a notebook's whole heap): those are set aside, only its own are collected
    gc.freeze()


def _work(jobs: list[tuple[int, str, SourceInfo | None]]) -> list[DocumentExtraction]:
    return [_extract(_worker_extractor, *job) for job in jobs]


class _Chunk:
    """Consecutive documents: those that failed before they were sent (results already) and the jobs sent to
    the pool as one task, whose results are merged back in input order."""

    __slots__ = ("done", "jobs", "future", "pool")

    def __init__(self) -> None:
        self.done: dict[int, DocumentExtraction] = {}
        self.jobs: list[tuple[int, str, SourceInfo | None]] = []
        self.future = None
        self.pool = 0  # which pool it was sent to (the number of restarts before)

    def __len__(self) -> int:
        return len(self.done) + len(self.jobs)

    def merged(self, results: list[DocumentExtraction]) -> list[DocumentExtraction]:
        out = dict(self.done)
        out.update((r.source.index, r) for r in results)
        return [out[i] for i in sorted(out)]


class _Pool:
    """A process pool that is started again when a worker dies."""

    def __init__(self, extractor, n_process: int) -> None:
        self.extractor, self.n_process = extractor, n_process
        self.ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
        self.executor: ProcessPoolExecutor | None = None
        self.restarts = 0

    def submit(self, jobs):
        if self.executor is None:
            self.executor = ProcessPoolExecutor(self.n_process, mp_context=self.ctx, initializer=_init_worker,
                                                initargs=(self.extractor,))
        return self.executor.submit(_work, jobs)

    def restart(self) -> None:
        self.close()
        self.restarts += 1

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = None

    def alone(self, job) -> DocumentExtraction:
        """One job run by itself in the pool: a worker dying now died of this document."""
        try:
            return self.submit([job]).result()[0]
        except BrokenProcessPool:
            self.restart()
            index, _, source = job
            return _failed(WorkerError(
                f"the worker process extracting document {index} died (killed, out of memory or os._exit); "
                "the pool was restarted and the batch went on"), source, index)


def _parallel(extractor, jobs: Iterator[tuple[int, Any]], n_process: int,
              batch_size: int) -> Iterator[DocumentExtraction]:
    # one stream of small tasks keeps every process busy to the end; at most `window` documents are in hand
    window = n_process * batch_size * 2
    size = max(1, batch_size // 8)
    pool = _Pool(extractor, n_process)
    in_flight: deque[_Chunk] = deque()
    held = 0
    stopped: BaseException | None = None  # what the input iterator raised
    exhausted = False
    try:
        while True:
            while not exhausted and held < window:
                chunk, exhausted, error = _next_chunk(jobs, size)
                stopped = stopped or error
                if not len(chunk):
                    break
                if chunk.jobs:
                    chunk.pool = pool.restarts
                    try:
                        chunk.future = pool.submit(chunk.jobs)
                    except BrokenProcessPool:  # the pool broke since the last result: found when that comes
                        chunk.future = None
                in_flight.append(chunk)
                held += len(chunk)
            if not in_flight:
                break
            chunk = in_flight.popleft()
            held -= len(chunk)
            yield from chunk.merged(_results(chunk, pool, in_flight) if chunk.jobs else [])
        if stopped is not None:
            raise stopped
    finally:
        pool.close()


def _next_chunk(jobs: Iterator[tuple[int, Any]], size: int) -> tuple["_Chunk", bool, BaseException | None]:
    """Up to `size` documents read off the input (a bad item fails alone, in its place); whether the input is
    exhausted, and what its iterator raised (handed on once what was read before it is out)."""
    chunk = _Chunk()
    try:
        while len(chunk) < size:
            index, item = next(jobs)
            try:
                text, source = _text_of(item)
            except (Exception, SystemExit) as e:  # noqa: BLE001 - a bad item fails alone
                chunk.done[index] = _failed(e, None, index)
                continue
            chunk.jobs.append((index, text, source))
    except StopIteration:
        return chunk, True, None
    except Exception as e:  # noqa: BLE001 - handed on once what was read before it is out
        return chunk, True, e
    return chunk, False, None


def _results(chunk: "_Chunk", pool: "_Pool", in_flight: "deque[_Chunk]") -> list:
    """A chunk's results from its worker; when a worker died, every document it may have had in hand is run
    again alone in a new pool, so that only the one that kills its worker fails."""
    try:
        if chunk.future is None:
            raise BrokenProcessPool
        return chunk.future.result()
    except BrokenProcessPool:
        broken = chunk.pool
        if broken == pool.restarts:
            pool.restart()
        for later in in_flight:
            if later.pool == broken and later.future is not None and not (
                    later.future.done() and not later.future.cancelled() and later.future.exception() is None):
                later.future = None
        return [pool.alone(job) for job in chunk.jobs]


def extract_many(extractor, items: Iterable[Any], *, batch_size: int = 64, n_process: int = 1,
                 progress: bool = False) -> Iterator[DocumentExtraction]:
    """Results for `items` (str or SourceDocument), in input order; see the module docstring."""
    if isinstance(items, (str, bytes)) or not isinstance(items, Iterable):
        raise InputTypeError.expected("an iterable of str or SourceDocument", items, argument="items")
    if not isinstance(n_process, int) or n_process < 1:
        raise InputTypeError.expected("a positive int", n_process, argument="n_process")
    if not isinstance(batch_size, int) or batch_size < 1:
        raise InputTypeError.expected("a positive int", batch_size, argument="batch_size")
    jobs = enumerate(items)
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(unit="doc", total=_length(items))
    try:
        results = (_one(extractor, index, item) for index, item in jobs) if n_process == 1 else \
            _parallel(extractor, jobs, n_process, batch_size)
        for result in results:
            yield result
            if bar is not None:
                bar.update()
    finally:
        if bar is not None:
            bar.close()


def _length(items: Any) -> int | None:
    try:
        return len(items)
    except TypeError:
        return None
