"""Measure the matcher on a labelled set of pairs (pure): precision and recall of the automatic
merges, recall of the review band.

Each labelled pair goes through :func:`find_matches` on its own (blocking included), so a pair the
blocking never compares counts as found apart.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from agenda.matching.candidate import Candidate
from agenda.matching.finder import find_matches


@dataclass(frozen=True)
class LabelledPair:
    case: str
    same: bool
    a: Candidate
    b: Candidate


@dataclass
class Quality:
    pairs: int = 0
    same: int = 0
    merged: int = 0            # pairs merged automatically
    merged_right: int = 0      # of which really the same
    reviewed_same: int = 0     # same pairs found in the review band
    wrong: list = field(default_factory=list)   # (case, same, verdict) of every mistake

    @property
    def merge_precision(self) -> float:
        return self.merged_right / self.merged if self.merged else 1.0

    @property
    def merge_recall(self) -> float:
        return self.merged_right / self.same if self.same else 1.0

    @property
    def review_recall(self) -> float:
        """Same pairs found at all: merged or sent to review."""
        return (self.merged_right + self.reviewed_same) / self.same if self.same else 1.0


def candidate_from_dict(row: dict) -> Candidate:
    values = dict(row)
    values["start"] = datetime.fromisoformat(values["start"])
    values["end"] = datetime.fromisoformat(values["end"])
    return Candidate(**values)


def read_pairs(path: Path) -> list[LabelledPair]:
    pairs = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                row = json.loads(line)
                pairs.append(LabelledPair(row["case"], bool(row["same"]),
                                          candidate_from_dict(row["a"]),
                                          candidate_from_dict(row["b"])))
    return pairs


def verdict_of(pair: LabelledPair, tz: ZoneInfo) -> str:
    """"merge", "review" or "apart"."""
    found = find_matches([pair.a, pair.b], tz=tz)
    return found[0].verdict if found else "apart"


def measure(pairs: list[LabelledPair], tz: ZoneInfo) -> Quality:
    quality = Quality()
    for pair in pairs:
        verdict = verdict_of(pair, tz)
        quality.pairs += 1
        quality.same += pair.same
        quality.merged += verdict == "merge"
        quality.merged_right += verdict == "merge" and pair.same
        quality.reviewed_same += verdict == "review" and pair.same
        if (verdict == "merge") != pair.same:
            quality.wrong.append((pair.case, pair.same, verdict))
    return quality
