"""The domain vocabularies, loaded once from the package's data files.

councils.csv (the 153 councils), council_names.json (ambiguous names and extra
aliases), statements.json, themes.json, metrics.json and patterns.json.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Callable

from .errors import RuleError


def _data(name: str):
    return resources.files("carextract").joinpath("data", name)


@cache
def load_json(name: str) -> Any:
    with _data(name).open("r", encoding="utf-8") as fh:
        return json.load(fh)


def load_records(folder: str, key: str, model: Callable[..., Any], what: str) -> dict[str, Any]:
    """The records under `key` of every JSON file of data/`folder`, each built by `model` (a pydantic model, which
    validates it) with its `source`, by id: the loader the rule records and the grammar pieces share. Raises
    RuleError, naming the file and the record, on a file that is not JSON, a malformed record or an id defined
    twice."""
    files = sorted((f for f in _data(folder).iterdir() if f.name.endswith(".json")), key=lambda f: f.name)
    out: dict[str, Any] = {}
    for f in files:
        source = f"data/{folder}/{f.name}"
        try:
            data = json.loads(f.read_text(encoding="utf-8"))
        except json.JSONDecodeError as e:
            raise RuleError(f"{source} is not valid JSON: {e}") from e
        for raw in data.get(key, []):
            try:
                rec = model(source=source, **raw)
            except (ValueError, TypeError) as e:  # pydantic's ValidationError is a ValueError
                raise RuleError(f"{source}: a malformed {what} ({raw.get('id', '?')}): {e}") from e
            if rec.id in out:
                raise RuleError(f"{what} {rec.id} is defined twice ({out[rec.id].source}, {rec.source})")
            out[rec.id] = rec
    return out


@dataclass(frozen=True)
class CouncilEntry:
    code: str
    name: str
    short_name: str
    council_type: str
    region: str
    aliases: tuple[str, ...] = field(default=())

    def surface_forms(self) -> set[str]:
        return {self.name, self.short_name, *self.aliases}


@cache
def councils() -> dict[str, CouncilEntry]:
    """ONS code -> council, from councils.csv plus the extra aliases of council_names.json."""
    extra = load_json("council_names.json").get("extra_aliases", {})
    out: dict[str, CouncilEntry] = {}
    with _data("councils.csv").open("r", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            aliases = [a.strip() for a in row["aliases"].split(";") if a.strip()]
            aliases += extra.get(row["ons_code"], [])
            out[row["ons_code"]] = CouncilEntry(
                code=row["ons_code"], name=row["name"], short_name=row["short_name"],
                council_type=row["council_type"], region=row["region"], aliases=tuple(aliases))
    return out


@cache
def statements() -> dict[str, dict[str, Any]]:
    return {s["id"]: s for s in load_json("statements.json")["statements"]}


@cache
def themes() -> dict[str, dict[str, Any]]:
    return {t["id"]: t for t in load_json("themes.json")["themes"]}


@cache
def metrics() -> dict[str, dict[str, Any]]:
    return {m["id"]: m for m in load_json("metrics.json")["metrics"]}


@cache
def patterns() -> dict[str, Any]:
    return load_json("patterns.json")


RATINGS = ("outstanding", "good", "requires_improvement", "inadequate")
