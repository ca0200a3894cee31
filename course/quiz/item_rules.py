"""Item-writing rules: the cues that let a learner pass a quiz without knowing the answer.

Each rule looks at valid questions (after the bank loaded) and reports a *warning* at the
question's line; ``python -m course check --strict`` (CI) turns warnings into errors. A tutor
who keeps an item on purpose waives one rule for it in the bank, with a written reason:

.. code-block:: yaml

    waive:
      longest-key: "The right answer must name all three layers; the distractors name one."

The rules (``RULES`` holds their one-line descriptions, which quizzes/README.md explains):

>>> sorted(RULES)  # doctest: +NORMALIZE_WHITESPACE
['absolute-cue', 'all-none-of-above', 'critical-unsourced', 'longest-key', 'narrow-tolerance',
 'near-duplicate', 'tick-all-pays', 'unequal-options']

Pure functions of the models: no file is read here (line numbers come with the bank).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from course.content.problems import Problem
from course.quiz.models import (
    Bank,
    MatchingQuestion,
    MultipleQuestion,
    NumericQuestion,
    OrderingQuestion,
    Question,
    QuizCatalog,
    SingleQuestion,
    TrueFalseQuestion,
    WaivableRule,
)

RuleId = WaivableRule
RULES: dict[str, str] = {
    "longest-key": "in more of a bank's single-choice questions than chance allows, the key is the longest option",
    "unequal-options": "one option is far longer than another, so its length stands out",
    "all-none-of-above": 'an option says "all of the above" or "none of the above"',
    "absolute-cue": "an absolute word (always, never, every...) marks the false statement or the wrong options",
    "near-duplicate": "two questions that one quiz can draw together ask nearly the same thing",
    "narrow-tolerance": "a numeric answer is accepted with no tolerance, or one narrower than sources can support",
    "critical-unsourced": "a must-pass question has no 'safety' tag or cites no source",
    "tick-all-pays": "ticking every option of a multiple-response question earns more than half the points",
}

CHANCE_MARGIN = 0.10  # a bank may have the key longest in chance + 10 points of its single-choice items
LENGTH_RATIO = 3.0  # longest option at least 3x the shortest...
LENGTH_GAP = 25  # ...and at least 25 characters longer
MIN_TOLERANCE_SHARE = 0.01  # a tolerance under 1 % of the answer is narrower than any measurement
DUPLICATE_SIMILARITY = 0.6  # share of shared content words between two stems
ABSOLUTES = re.compile(
    r"\b(always|never|every|everyone|all|none|nothing|only|proves?|proven|guarantee[sd]?|entirely|completely)\b",
    re.IGNORECASE,
)
ABOVE = re.compile(r"\b(all|none|both|neither) of (the )?(above|these)\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    {
        *("the", "a", "an", "of", "in", "on", "at", "to", "for", "and", "or", "is", "are", "was", "were", "be"),
        *("by", "with", "as", "from", "that", "this", "which", "what", "when", "how", "why", "who", "does", "do"),
        *("it", "its", "into", "than", "then", "there", "their", "they", "you", "your"),
    }
)


@dataclass(frozen=True)
class Finding:
    """One rule broken by one question (``other`` names the second question of a pair)."""

    rule: str
    question: Question
    message: str


def _length(text: str) -> int:
    return len(text.strip())


def key_is_longest(question: SingleQuestion) -> bool:
    """Whether the right option is strictly longer than every wrong one.

    >>> from course.quiz.models import SingleQuestion
    >>> q = SingleQuestion.model_validate({"id": "q", "type": "single", "prompt": "?", "objective": "o",
    ...     "explanation": ".", "options": [{"text": "a longer right answer", "correct": True}, {"text": "no"}]})
    >>> key_is_longest(q)
    True
    """
    right = max(_length(o.text) for o in question.options if o.correct)
    wrong = [_length(o.text) for o in question.options if not o.correct]
    return bool(wrong) and right > max(wrong)


def tick_all_share(question: MultipleQuestion) -> float:
    """The share of the points earned by ticking every option (each right option earns
    ``1/R`` of the points, each wrong one costs the same, never below 0)."""
    right = sum(o.correct for o in question.options)
    wrong = len(question.options) - right
    return max(0.0, (right - wrong) / right) if right else 0.0


def _content_words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2)


def stem_similarity(first: str, second: str) -> float:
    """The share of content words two stems share (Jaccard), 0 to 1.

    >>> stem_similarity("Which layer has no blood vessels?", "Which skin layer has no vessels?")
    0.6
    """
    a, b = _content_words(first), _content_words(second)
    return len(a & b) / len(a | b) if a and b else 0.0


def _question_findings(question: Question) -> list[Finding]:
    found: list[Finding] = []

    def report(rule: str, message: str) -> None:
        found.append(Finding(rule, question, message))

    if isinstance(question, SingleQuestion | MultipleQuestion):
        lengths = [_length(o.text) for o in question.options]
        if max(lengths) >= LENGTH_RATIO * min(lengths) and max(lengths) - min(lengths) >= LENGTH_GAP:
            report("unequal-options", f"options run from {min(lengths)} to {max(lengths)} characters")
        for option in question.options:
            if ABOVE.search(option.text):
                report("all-none-of-above", f"option '{option.text}' lets a learner answer by elimination")
    if isinstance(question, TrueFalseQuestion) and not question.answer:
        match = ABSOLUTES.search(question.prompt)
        if match:
            report("absolute-cue", f"the false statement says '{match.group(0)}', which gives it away")
    if isinstance(question, SingleQuestion):
        key_text = question.right
        if not ABSOLUTES.search(key_text):
            cued = [o.text for o in question.options if not o.correct and ABSOLUTES.search(o.text)]
            if len(cued) >= 2:
                report("absolute-cue", f"{len(cued)} wrong options use absolute words; the right one does not")
    if isinstance(question, NumericQuestion) and (
        question.tolerance == 0 or question.tolerance < MIN_TOLERANCE_SHARE * abs(question.answer)
    ):
        report(
            "narrow-tolerance", f"tolerance ±{question.tolerance:g} on {question.answer:g}: accept the sources' range"
        )
    if isinstance(question, MultipleQuestion) and tick_all_share(question) > 0.5:
        report("tick-all-pays", f"ticking every option earns {tick_all_share(question):.0%} of the points")
    if question.critical and ("safety" not in question.tags or not question.sources):
        missing = [] if "safety" in question.tags else ["a 'safety' tag"]
        missing += [] if question.sources else ["a cited source"]
        report("critical-unsourced", f"a must-pass question needs {' and '.join(missing)}")
    return found


def _longest_key_findings(bank: Bank) -> list[Finding]:
    singles = [q for q in bank.questions if isinstance(q, SingleQuestion)]
    if not singles:
        return []
    cued = [q for q in singles if key_is_longest(q) and "longest-key" not in q.waive]
    chance = sum(1 / len(q.options) for q in singles) / len(singles)
    if len(cued) / len(singles) <= chance + CHANCE_MARGIN:
        return []
    rate = f"{len(cued)} of {len(singles)} single-choice questions in this bank; chance is {chance:.0%}"
    return [Finding("longest-key", q, f"the right answer is the longest option ({rate})") for q in cued]


def _stem(question: Question) -> str:
    """What a question asks: its prompt, and for ordering and matching the entries it names
    (their prompts alone, "Put these events in order", say little)."""
    if isinstance(question, OrderingQuestion):
        return " ".join([question.prompt, *question.items])
    if isinstance(question, MatchingQuestion):
        return " ".join([question.prompt, *(pair.left for pair in question.pairs)])
    return question.prompt


def _duplicate_findings(pools: Iterable[Sequence[Question]]) -> list[Finding]:
    found: dict[tuple[str, str], Finding] = {}
    for pool in pools:
        words = [(q, _content_words(_stem(q))) for q in pool]
        for i, (first, a) in enumerate(words):
            for second, b in words[i + 1 :]:
                if not a or not b or first.id == second.id:
                    continue
                similarity = len(a & b) / len(a | b)
                if similarity >= DUPLICATE_SIMILARITY and (first.id, second.id) not in found:
                    found[(first.id, second.id)] = Finding(
                        "near-duplicate",
                        second,
                        f"asks nearly what '{first.id}' asks ({similarity:.0%} of the words shared); "
                        "one quiz can draw both",
                    )
    return list(found.values())


def catalog_findings(catalog: QuizCatalog) -> list[Finding]:
    """Every rule over every valid bank; near-duplicates within each quiz's pool of questions
    (a bank's own questions; the final exam draws from every bank, so across banks too)."""
    findings = [f for bank in catalog.banks for q in bank.questions for f in _question_findings(q)]
    findings += [f for bank in catalog.banks for f in _longest_key_findings(bank)]
    pools = [tuple(quiz.questions.values()) for bank in catalog.banks if (quiz := catalog.quiz(bank.id)) is not None]
    findings += _duplicate_findings(pools)
    return [f for f in findings if f.rule not in f.question.waive]


def quiz_findings(catalog: QuizCatalog, quiz_id: str) -> list[Finding]:
    """The findings about the questions one quiz can draw, as :func:`catalog_findings` reports
    them, with near-duplicates counted only within this quiz's pool (two questions of different
    banks are a pair for the final exam, not for either bank's own quiz).

    An unknown quiz, or one with no bank, has none.
    """
    quiz = catalog.quiz(quiz_id)
    if quiz is None:
        return []
    pool = quiz.questions
    findings = [f for q in pool.values() for f in _question_findings(q)]
    findings += [f for bank in catalog.banks for f in _longest_key_findings(bank) if f.question.id in pool]
    findings += _duplicate_findings([tuple(pool.values())])
    return [f for f in findings if f.rule not in f.question.waive]


def item_problems(catalog: QuizCatalog) -> list[Problem]:
    """The findings as ``check`` warnings at each question's line in its bank."""
    where = {q.id: (bank.path, bank.lines.get(q.id)) for bank in catalog.banks for q in bank.questions}
    problems = []
    for finding in catalog_findings(catalog):
        path, line = where[finding.question.id]
        message = f"question '{finding.question.id}' [{finding.rule}]: {finding.message}"
        problems.append(Problem(path, line, message, "warning"))
    return problems


@dataclass(frozen=True)
class BankStats:
    """What ``check --stats`` prints per bank: the cue rate and the share of applied questions."""

    bank: str
    questions: int
    singles: int
    longest_key: int
    application: int


def bank_stats(catalog: QuizCatalog) -> list[BankStats]:
    rows = []
    for bank in catalog.banks:
        singles = [q for q in bank.questions if isinstance(q, SingleQuestion)]
        rows.append(
            BankStats(
                bank.id,
                len(bank.questions),
                len(singles),
                sum(key_is_longest(q) for q in singles),
                sum(q.level == "application" for q in bank.questions),
            )
        )
    return rows
