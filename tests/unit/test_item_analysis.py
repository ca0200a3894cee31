"""Item statistics against a worked example small enough to compute by hand, and against numpy.

The worked example is six attempts at four questions (1 = right). Its facility, corrected
item-total and point-biserial correlations and Cronbach's alpha were worked out by hand to four
decimals; q1 discriminates weakly and q4 negatively (the weakest attempt gets it right).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from course.analytics.item_analysis import (
    NOT_ENOUGH,
    ItemStats,
    answer_options,
    corrected_item_total,
    cronbach_alpha,
    distractors,
    facility,
    item_stats,
    point_biserial,
    score_matrix,
)

WORKED = np.array(
    [
        [1, 1, 1, 1],
        [1, 1, 1, 0],
        [1, 1, 0, 0],
        [1, 0, 1, 0],
        [1, 0, 0, 0],
        [0, 0, 0, 1],
    ],
    dtype=float,
)


def responses_of(matrix: np.ndarray, maxima: np.ndarray | None = None) -> pd.DataFrame:
    """Long response rows from an attempts x questions matrix (NaN = question not drawn)."""
    maxima = np.ones(matrix.shape[1]) if maxima is None else maxima
    rows = [
        {
            "attempt_id": f"a{a:03d}",
            "question_id": f"q{q + 1}",
            "points": matrix[a, q],
            "max_points": maxima[q],
            "answer": "x",
        }
        for a in range(matrix.shape[0])
        for q in range(matrix.shape[1])
        if not np.isnan(matrix[a, q])
    ]
    return pd.DataFrame(rows)


def test_worked_example_matches_the_reference_values() -> None:
    x, maxima = score_matrix(responses_of(WORKED))
    assert facility(x, maxima).round(4).tolist() == [0.8333, 0.5, 0.5, 0.3333]
    assert corrected_item_total(x).round(4).tolist() == [0.1581, 0.4472, 0.4472, -0.2209]
    assert point_biserial(x).round(4).tolist() == [0.4889, 0.7809, 0.7809, 0.2209]
    reliability = cronbach_alpha(x, min_attempts=1)
    assert reliability.alpha == pytest.approx(0.3252, abs=5e-5)
    assert not reliability.approximate


def test_worked_example_flags() -> None:
    x, maxima = score_matrix(responses_of(WORKED))
    stats = {s.question_id: s for s in item_stats(x, maxima, min_attempts=1)}
    assert [str(f) for f in stats["q1"].flags] == ["statistic: discrimination 0.16 below 0.2 (weak)"]
    assert stats["q2"].flags == ()
    assert [str(f) for f in stats["q4"].flags] == [
        "statistic: discrimination -0.22 below 0 (negative: check the key and the wording)"
    ]


@pytest.mark.parametrize("seed", range(5))
def test_random_data_agrees_with_numpy(seed: int) -> None:
    rng = np.random.default_rng(seed)
    maxima = rng.integers(1, 4, 8).astype(float)
    matrix = np.floor(rng.random((40, 8)) * (maxima + 1))
    x, m = score_matrix(responses_of(matrix, maxima))
    total = matrix.sum(axis=1)
    expected_corrected = [np.corrcoef(matrix[:, q], total - matrix[:, q])[0, 1] for q in range(8)]
    expected_pbis = [np.corrcoef(matrix[:, q], total)[0, 1] for q in range(8)]
    np.testing.assert_allclose(facility(x, m).to_numpy(), (matrix / maxima).mean(axis=0))
    np.testing.assert_allclose(corrected_item_total(x).to_numpy(), expected_corrected)
    np.testing.assert_allclose(point_biserial(x).to_numpy(), expected_pbis)
    k = matrix.shape[1]
    alpha = k / (k - 1) * (1 - matrix.var(axis=0, ddof=1).sum() / total.var(ddof=1))
    assert cronbach_alpha(x).alpha == pytest.approx(alpha)


def test_random_draws_use_only_the_attempts_that_saw_each_question() -> None:
    rng = np.random.default_rng(7)
    matrix = (rng.random((60, 6)) < 0.6).astype(float)
    matrix[rng.random((60, 6)) < 0.3] = np.nan
    x, m = score_matrix(responses_of(matrix))
    total = np.nansum(matrix, axis=1)
    seen = ~np.isnan(matrix[:, 2])
    expected = np.corrcoef(matrix[seen, 2], total[seen] - matrix[seen, 2])[0, 1]
    assert corrected_item_total(x)["q3"] == pytest.approx(expected)
    assert facility(x, m)["q3"] == pytest.approx(np.nanmean(matrix[:, 2]))
    reliability = cronbach_alpha(x)
    assert reliability.approximate and reliability.alpha is not None


def test_zero_variance_is_na_and_small_data_is_not_enough_never_nan() -> None:
    everyone_right = np.column_stack([np.ones(12), np.tile([0.0, 1.0], 6), np.tile([1.0, 1.0, 0.0], 4)])
    x, m = score_matrix(responses_of(everyone_right))
    stats = {s.question_id: s for s in item_stats(x, m)}
    assert stats["q1"].facility == 1.0
    assert stats["q1"].discrimination is None and stats["q1"].note.startswith("n/a")
    assert [str(f) for f in stats["q1"].flags] == ["statistic: facility 1.00 above 0.9 (too easy)"]
    assert stats["q2"].discrimination is not None
    few = item_stats(*score_matrix(responses_of(WORKED)))
    assert all(s.note == NOT_ENOUGH and s.facility is None and s.discrimination is None for s in few)
    assert cronbach_alpha(score_matrix(responses_of(WORKED))[0]).display == NOT_ENOUGH
    flat = cronbach_alpha(score_matrix(responses_of(np.ones((12, 3))))[0])
    assert flat.alpha is None and flat.display.startswith("n/a")


def test_empty_matrix_gives_no_statistics() -> None:
    x, m = score_matrix(pd.DataFrame(columns=["attempt_id", "question_id", "points", "max_points", "answer"]))
    assert item_stats(x, m) == []
    assert cronbach_alpha(x).display == NOT_ENOUGH


def test_flags_use_the_quality_bands() -> None:
    (hard,) = ItemStats("q", 20, 0.2, 0.5, 0.6, "").flags
    assert (hard.kind, hard.name, hard.detail) == ("statistic", "facility", "0.20 below 0.3 (too hard, or a wrong key)")
    (weak,) = ItemStats("q", 20, 0.5, 0.1, 0.3, "").flags
    assert (weak.name, weak.short) == ("discrimination", "discrimination 0.10 below 0.2 (weak)")
    assert ItemStats("q", 20, 0.6, 0.4, 0.5, "").flags == ()


def test_distractors_share_and_mean_total() -> None:
    responses = pd.DataFrame(
        {
            "attempt_id": ["a1", "a1", "a2", "a2", "a3", "a3"],
            "question_id": ["q1", "q2", "q1", "q2", "q1", "q2"],
            "answer": ["Right", "x", "Wrong", "x", '["Right", "Wrong"]', ""],
            "points": [1.0, 1.0, 0.0, 1.0, 0.0, 0.0],
            "max_points": [1.0] * 6,
        }
    )
    table = distractors(responses, "q1").set_index("option")
    assert table.loc["Right", "chosen"] == 2 and table.loc["Wrong", "chosen"] == 2
    assert table.loc["Right", "share"] == pytest.approx(2 / 3)
    assert table.loc["Right", "mean_total_pct"] == pytest.approx((100 + 0) / 2)
    assert table.loc["Wrong", "mean_total_pct"] == pytest.approx((50 + 0) / 2)
    assert distractors(responses, "q2").set_index("option").loc["(no answer)", "chosen"] == 1
    assert distractors(responses, "gone").empty


def test_answer_options_reads_json_lists_and_plain_values() -> None:
    assert answer_options('["a", "b"]') == ("a", "b")
    assert answer_options("[not json") == ("[not json",)
    assert answer_options("  ") == ("(no answer)",)
    assert answer_options("true") == ("true",)


def test_ordering_answers_are_counted_whole_when_lists_are_not_split() -> None:
    responses = pd.DataFrame(
        {
            "attempt_id": ["a1", "a2", "a3"],
            "question_id": ["order"] * 3,
            "answer": ['["x", "y"]', '["y", "x"]', '["x", "y"]'],
            "points": [1.0, 0.0, 1.0],
            "max_points": [1.0] * 3,
        }
    )
    table = distractors(responses, "order", split_lists=False).set_index("option")
    assert table.loc['["x", "y"]', "chosen"] == 2 and table.loc['["y", "x"]', "chosen"] == 1
    assert len(distractors(responses, "order")) == 2  # split: x and y, each chosen by all three
    assert set(distractors(responses, "order")["chosen"]) == {3}


def test_distractors_are_shown_in_words_with_the_question_describer() -> None:
    """An ordering's stored JSON reads as the items in order (the real describer of the question type)."""
    from course.quiz.answers import decode_answer, describe_answer
    from course.quiz.models import OrderingQuestion

    question = OrderingQuestion.model_validate(
        {
            "id": "order",
            "type": "ordering",
            "prompt": "Order these.",
            "items": ["Clean", "Inject"],
            "explanation": ".",
            "objective": "o",
        }
    )
    responses = pd.DataFrame(
        {
            "attempt_id": ["a1", "a2", "a3"],
            "question_id": ["order"] * 3,
            "answer": ['["Clean", "Inject"]', '["Inject", "Clean"]', ""],
            "points": [1.0, 0.0, 0.0],
            "max_points": [1.0] * 3,
        }
    )
    table = distractors(
        responses,
        "order",
        split_lists=False,
        describe=lambda text: describe_answer(question, decode_answer(question, text)),
    )
    options = list(table["option"])
    assert not any(option.startswith("[") for option in options), options
    assert "(no answer)" in options
    assert any("Clean" in o and "Inject" in o and o.index("Clean") < o.index("Inject") for o in options)
