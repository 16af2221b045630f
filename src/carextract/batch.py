"""Batches: extract_many streams results in input order; a failing document becomes a result with `error`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from .errors import InputTypeError
from .results import DocumentExtraction, SourceInfo


def _text_of(item: Any) -> tuple[str, SourceInfo | None]:
    if isinstance(item, str):
        return item, None
    text = getattr(item, "text", None)
    if isinstance(text, str):
        return text, SourceInfo(path=getattr(item, "path", None), title=getattr(item, "title", None),
                                url=getattr(item, "url", None), date=getattr(item, "date", None))
    raise InputTypeError.expected("a str or a SourceDocument", item, argument="item")


def extract_many(extractor, items: Iterable[Any], *, batch_size: int = 64, n_process: int = 1,
                 progress: bool = False) -> Iterator[DocumentExtraction]:
    from .pipeline import failed

    for i, item in enumerate(items):
        try:
            text, source = _text_of(item)
            result = extractor.extract(text, source=source)
        except Exception as e:  # one bad document never stops the batch
            result = failed(e)
        if result.source is None:
            result.source = SourceInfo(index=i)
        else:
            result.source.index = i
        yield result
