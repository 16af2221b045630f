"""Batches: `extract_many` streams results in input order, in bounded memory, on one or more processes.

A document that fails (a wrong type, an error inside extraction) never stops
the batch and is never dropped: its place holds a result whose `error` says
what went wrong. Input is read at most n_process x batch_size x 2 documents
ahead of the results, so memory stays flat however many documents come.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import threading
from collections.abc import Iterable, Iterator
from typing import Any

from .errors import InputTypeError
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


def _one(extractor, index: int, item: Any) -> DocumentExtraction:
    from .pipeline import failed

    source = None
    try:
        text, source = _text_of(item)
        result = extractor.extract(text, source=source)
    except Exception as e:  # noqa: BLE001 - one bad document never stops the batch
        result = failed(e, source)
    if result.source is None:
        result.source = SourceInfo(index=index)
    else:
        result.source.index = index
    return result


def _init_worker(extractor) -> None:
    global _worker_extractor
    _worker_extractor = extractor
    # a forked worker shares its parent's memory until it writes to it; its garbage collector would visit, and so
    # copy, every object it inherited (a notebook's whole heap): those are set aside, only its own are collected
    gc.freeze()


def _work(job: tuple[int, Any]) -> DocumentExtraction:
    return _one(_worker_extractor, *job)


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

        bar = tqdm(unit="doc", total=len(items) if hasattr(items, "__len__") else None)
    try:
        if n_process == 1:
            for index, item in jobs:
                yield _one(extractor, index, item)
                if bar is not None:
                    bar.update()
            return
        ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
        # One stream of small tasks keeps every process busy to the end; the pool's feeder thread may run at
        # most `window` documents ahead of the results handed back, so memory stays flat.
        window = n_process * batch_size * 2
        room = threading.Semaphore(window)
        stop = threading.Event()

        def feed() -> Iterator[tuple[int, Any]]:
            for job in jobs:
                room.acquire()
                if stop.is_set():
                    return
                yield job

        chunksize = max(1, batch_size // 8)
        with ctx.Pool(n_process, initializer=_init_worker, initargs=(extractor,)) as pool:
            try:
                for result in pool.imap(_work, feed(), chunksize=chunksize):
                    room.release()
                    yield result
                    if bar is not None:
                        bar.update()
            finally:
                stop.set()
                room.release()  # a feeder waiting for room wakes, sees the stop and ends
    finally:
        if bar is not None:
            bar.close()
