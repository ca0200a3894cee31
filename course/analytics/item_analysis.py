"""Classical item analysis of a quiz: how good each question is (pure pandas/numpy).

Definitions follow Moodle's quiz statistics (classical test theory): with ``x[a][q]`` the
points of attempt ``a`` on question ``q``, ``m[q]`` its maximum and ``T[a]`` the total,

* facility ``F_q`` = mean of ``x[a][q] / m[q]`` (share of the marks earned);
* discrimination = Pearson correlation of ``x[.][q]`` with ``T - x[.][q]`` (the *corrected*
  item-total correlation, so an item is not correlated with itself);
* point-biserial = correlation of ``x[.][q]`` with ``T`` (uncorrected; shown only labelled);
* Cronbach's alpha = ``k/(k-1) * (1 - sum var(x_q) / var(T))``, computed in the equivalent
  covariance form ``k * mean_cov / (mean_var + (k-1) * mean_cov)`` so that it also works
  when questions are drawn at random from a pool (then it is approximate, and says so).

Questions drawn at random are seen by only some attempts, so each item's statistics are
computed over the attempts that saw it. Small or degenerate data never yields NaN: below
:data:`MIN_ATTEMPTS` a value is "not enough data", a zero variance is "n/a".
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from course.text import escape_markdown

MIN_ATTEMPTS = 10
FACILITY_BAND = (0.3, 0.9)
MIN_DISCRIMINATION = 0.2
NOT_ENOUGH = "not enough data"
NOT_AVAILABLE = "n/a"
NO_ANSWER = "(no answer)"


def score_matrix(responses: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Attempts x questions matrix of points (NaN where an attempt did not see a question).

    ``responses`` needs ``attempt_id``, ``question_id``, ``points`` and ``max_points``. The
    maximum of each question is the largest ``max_points`` recorded for it. Built from
    factorised codes rather than ``pivot_table``, which is several times slower.
    """
    attempt_codes, attempts = pd.factorize(responses["attempt_id"], sort=True)
    question_codes, questions = pd.factorize(responses["question_id"], sort=True)
    values = np.full((len(attempts), len(questions)), np.nan)
    values[attempt_codes, question_codes] = responses["points"].to_numpy(float)
    maxima = np.zeros(len(questions))
    np.maximum.at(maxima, question_codes, responses["max_points"].to_numpy(float))
    columns = pd.Index(questions, name="question_id")
    return pd.DataFrame(values, index=pd.Index(attempts, name="attempt_id"), columns=columns), pd.Series(
        maxima, index=columns
    )


def _pearson(a: np.ndarray, b: np.ndarray) -> float:
    """Pearson's r, or NaN when either side has no variance (the value is undefined)."""
    a = a - a.mean()
    b = b - b.mean()
    denominator = np.sqrt((a * a).sum() * (b * b).sum())
    if denominator <= 1e-12 * max(1.0, len(a)):
        return float("nan")
    return float((a * b).sum() / denominator)


def facility(x: pd.DataFrame, maxima: pd.Series) -> pd.Series:
    """Facility index per question: mean share of the marks, over attempts that saw it."""
    return (x / maxima.where(maxima > 0)).mean(axis=0)


def _item_correlations(x: pd.DataFrame, corrected: bool) -> pd.Series:
    values = x.to_numpy(float)
    total = np.nansum(values, axis=1)
    out = np.full(values.shape[1], np.nan)
    for q in range(values.shape[1]):
        seen = ~np.isnan(values[:, q])
        if seen.sum() >= 2:
            item = values[seen, q]
            out[q] = _pearson(item, total[seen] - item if corrected else total[seen])
    return pd.Series(out, index=x.columns, dtype=float)


def corrected_item_total(x: pd.DataFrame) -> pd.Series:
    """Discrimination: correlation of each item with the rest of the test (NaN if undefined)."""
    return _item_correlations(x, corrected=True)


def point_biserial(x: pd.DataFrame) -> pd.Series:
    """Uncorrected item-total correlation (inflated on short tests; label it if shown)."""
    return _item_correlations(x, corrected=False)


@dataclass(frozen=True)
class Reliability:
    """Cronbach's alpha of a quiz, or why there is none."""

    alpha: float | None
    attempts: int
    items_per_attempt: float
    approximate: bool
    note: str = ""

    @property
    def display(self) -> str:
        return self.note if self.alpha is None else f"{self.alpha:.2f}"


def cronbach_alpha(x: pd.DataFrame, min_attempts: int = MIN_ATTEMPTS) -> Reliability:
    """Cronbach's alpha (KR-20 for 0/1 items), approximate when forms differ per attempt.

    Uses pairwise-complete item covariances: for a fixed form (every attempt saw every
    question) this equals the textbook formula exactly.
    """
    attempts = len(x)
    per_attempt = float(x.notna().sum(axis=1).mean()) if attempts else 0.0
    approximate = bool(x.isna().any(axis=None))
    if attempts < min_attempts:
        return Reliability(None, attempts, per_attempt, approximate, NOT_ENOUGH)
    if x.shape[1] < 2 or per_attempt < 2:
        return Reliability(None, attempts, per_attempt, approximate, "n/a (fewer than 2 questions)")
    cov = x.cov(min_periods=2).to_numpy(float)
    variances = np.diag(cov)
    off = cov[~np.eye(len(cov), dtype=bool)]
    off = off[~np.isnan(off)]
    mean_var = float(np.nanmean(variances))
    mean_cov = float(off.mean()) if len(off) else float("nan")
    k = per_attempt
    denominator = mean_var + (k - 1) * mean_cov
    if not np.isfinite(denominator) or abs(denominator) < 1e-12:
        return Reliability(None, attempts, per_attempt, approximate, "n/a (no variance in the totals)")
    return Reliability(float(k * mean_cov / denominator), attempts, per_attempt, approximate)


@dataclass(frozen=True)
class Flag:
    """One reason to review a question, saying what raised it: an item-writing rule it breaks
    (``kind="rule"``, ``name`` the rule's id as ``check`` prints it, ``location`` its bank line)
    or a statistic outside its band (``kind="statistic"``, ``name`` the statistic).

    >>> print(Flag("statistic", "facility", "0.95 above 0.9 (too easy)"))
    statistic: facility 0.95 above 0.9 (too easy)
    >>> print(Flag("rule", "longest-key", "the right answer is the longest option", "quizzes/x.yaml:42"))
    rule longest-key: the right answer is the longest option (quizzes/x.yaml:42)
    """

    kind: Literal["rule", "statistic"]
    name: str
    detail: str
    location: str = ""

    def __str__(self) -> str:
        where = f" ({self.location})" if self.location else ""
        if self.kind == "rule":
            return f"rule {self.name}: {self.detail}{where}"
        return f"statistic: {self.name} {self.detail}{where}"

    @property
    def markdown(self) -> str:
        """The flag for ``st.markdown``: the rule id and the bank line as code, the rest
        escaped (a rule's message may quote an option's text)."""
        where = f" (`{self.location}`)" if self.location else ""
        if self.kind == "rule":
            return f"rule `{self.name}`: {escape_markdown(self.detail)}{where}"
        return f"statistic: {self.name} {escape_markdown(self.detail)}{where}"

    @property
    def short(self) -> str:
        """A few words for a table cell: ``rule longest-key``, ``facility 0.95 above 0.9 (too easy)``."""
        return f"rule {self.name}" if self.kind == "rule" else f"{self.name} {self.detail}"


@dataclass(frozen=True)
class ItemStats:
    """One question's statistics; None means "not enough data" or "n/a" (see ``note``)."""

    question_id: str
    attempts: int
    facility: float | None
    discrimination: float | None
    point_biserial: float | None
    note: str

    @property
    def flags(self) -> tuple[Flag, ...]:
        """The statistics outside their bands (empty when it looks healthy or data is short)."""
        reasons = []
        low, high = FACILITY_BAND
        if self.facility is not None and self.facility > high:
            reasons.append(Flag("statistic", "facility", f"{self.facility:.2f} above {high} (too easy)"))
        if self.facility is not None and self.facility < low:
            reasons.append(Flag("statistic", "facility", f"{self.facility:.2f} below {low} (too hard, or a wrong key)"))
        if self.discrimination is not None and self.discrimination < 0:
            reasons.append(
                Flag(
                    "statistic",
                    "discrimination",
                    f"{self.discrimination:.2f} below 0 (negative: check the key and the wording)",
                )
            )
        elif self.discrimination is not None and self.discrimination < MIN_DISCRIMINATION:
            reasons.append(
                Flag("statistic", "discrimination", f"{self.discrimination:.2f} below {MIN_DISCRIMINATION} (weak)")
            )
        return tuple(reasons)


def _finite(value: float | None) -> float | None:
    return float(value) if value is not None and np.isfinite(value) else None


def item_stats(x: pd.DataFrame, maxima: pd.Series, min_attempts: int = MIN_ATTEMPTS) -> list[ItemStats]:
    """Facility, discrimination and point-biserial of every question of a score matrix.

    Build ``x, maxima`` with :func:`score_matrix` from one quiz's responses, already limited
    to each learner's first attempt.
    """
    seen = x.notna().sum(axis=0)
    fac, disc, pbis = facility(x, maxima), corrected_item_total(x), point_biserial(x)
    stats = []
    for question in x.columns:
        n = int(seen[question])
        if n < min_attempts:
            stats.append(ItemStats(str(question), n, None, None, None, NOT_ENOUGH))
            continue
        d = _finite(disc[question])
        note = "" if d is not None else f"{NOT_AVAILABLE}: every attempt scored the same"
        stats.append(ItemStats(str(question), n, _finite(fac[question]), d, _finite(pbis[question]), note))
    return stats


def answer_options(answer: str) -> tuple[str, ...]:
    """The options an answer chose: a JSON list gives several, anything else is one value.

    >>> answer_options('["b", "c"]')
    ('b', 'c')
    >>> answer_options("")
    ('(no answer)',)
    """
    text = answer.strip()
    if text.startswith("["):
        try:
            value = json.loads(text)
        except ValueError:
            value = None
        if isinstance(value, list):
            return tuple(str(v) for v in value) or (NO_ANSWER,)
    return (text,) if text else (NO_ANSWER,)


def distractors(
    responses: pd.DataFrame,
    question_id: str,
    split_lists: bool = True,
    top: int = 12,
    describe: Callable[[str], str] | None = None,
) -> pd.DataFrame:
    """For each option chosen on one question: share of the attempts that chose it and the
    mean total score (in % of the maximum) of those attempts.

    A distractor nobody picks is useless; one picked by strong learners may be a second
    right answer. ``split_lists`` counts each option of a multiple-choice answer (a JSON
    list) apart; for an ordering, whose answer is also a list, pass False to count whole
    answers. ``describe`` turns a stored answer (an ordering's or a matching's JSON) into the
    words a tutor reads. Columns: ``option``, ``chosen``, ``share``, ``mean_total_pct``.
    """
    columns = ["option", "chosen", "share", "mean_total_pct"]
    codes, _ = pd.factorize(responses["attempt_id"])
    points = np.bincount(codes, weights=responses["points"].to_numpy(float))
    maxima = np.bincount(codes, weights=responses["max_points"].to_numpy(float))
    total_pct = 100 * points / np.where(maxima > 0, maxima, np.nan)
    mine = (responses["question_id"] == question_id).to_numpy()
    if not mine.any():
        return pd.DataFrame(columns=columns)
    answers, which = np.unique(responses.loc[mine, "answer"].astype(str).to_numpy(), return_inverse=True)
    options = [  # each distinct answer is parsed once, however many attempts gave it
        (index, option)
        for index, answer in enumerate(answers)
        for option in dict.fromkeys(answer_options(answer) if split_lists else (answer.strip() or NO_ANSWER,))
    ]
    picks = pd.DataFrame({"answer": which, "code": codes[mine]}).merge(
        pd.DataFrame(options, columns=["answer", "option"]), on="answer"
    )
    picks["total_pct"] = total_pct[picks["code"].to_numpy()]
    grouped = picks.groupby("option").agg(chosen=("code", "nunique"), mean_total_pct=("total_pct", "mean"))
    grouped["share"] = grouped["chosen"] / len(np.unique(codes[mine]))
    grouped = grouped.sort_values("chosen", ascending=False, kind="stable").head(top).reset_index()
    if describe is not None:
        grouped["option"] = [option if option == NO_ANSWER else describe(option) for option in grouped["option"]]
    return grouped[columns]
