from __future__ import annotations

from ..mentions import Mention
from ..segment import Document


class MetricRecognizer:
    name = "metric"

    def __call__(self, doc: Document) -> list[Mention]:
        return []
