from __future__ import annotations

from ..mentions import Mention
from ..segment import Document


class FindingRecognizer:
    name = "finding"

    def __call__(self, doc: Document) -> list[Mention]:
        return []
