"""The verdicts a comparison of two years can reach: the vocabulary an office's ``verdicts.csv`` gives its own
words for (helpers.data.outline), and the comparison (helpers.model.comparison) decides between."""

from __future__ import annotations

from enum import Enum


class Verdict(Enum):
    IMPROVED = ("improved", "↑", "改善")
    DECLINED = ("declined", "↓", "退步")
    UNCHANGED = ("unchanged", "→", "持平")
    DESCRIBED = ("described", "·", "仅作描述")
    NOT_COMPARED = ("not_compared", "–", "未比较")

    def __init__(self, key: str, symbol: str, words: str):
        self.key, self.symbol, self.words = key, symbol, words

    @property
    def label(self) -> str:
        """Symbol and words together, so the verdict never rests on colour alone."""
        return f"{self.symbol} {self.words}"
