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
from typing import Any


def _data(name: str):
    return resources.files("carextract").joinpath("data", name)


@cache
def load_json(name: str) -> Any:
    with _data(name).open("r", encoding="utf-8") as fh:
        return json.load(fh)


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
