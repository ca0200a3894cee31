"""Question banks as GIFT, Moodle's plain-text import format.

Written the way Moodle's own GIFT exporter writes (``qformat_gift``): a ``$CATEGORY:`` line per
bank, then one question per paragraph, ``::id::`` as its name, ``[markdown]`` text (the
course renders prompts as markdown too), answers in braces, ``#`` feedback and ``####``
general feedback. The characters GIFT reserves (``~ = # { } :`` and the backslash) are
escaped with a backslash, and line breaks written as ``\\n``, so any text survives.

GIFT has no ordering question, and cannot carry a picture: such questions are skipped with
the reason. Units of numeric answers are not carried either (GIFT grades the number alone).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from course.content.bibliography import Reference
from course.interop.questions import (
    Export,
    Skipped,
    bank_note,
    category_path,
    diagram_options,
    diagram_prompt,
    format_weight,
    general_feedback,
    multiple_skip_reason,
    multiple_weights,
    tags,
)
from course.quiz.models import (
    Bank,
    DiagramQuestion,
    MatchingQuestion,
    MultipleQuestion,
    NumericQuestion,
    Option,
    OrderingQuestion,
    Question,
    SingleQuestion,
    TrueFalseQuestion,
)

_RESERVED = {
    "\\": "\\\\",
    "#": "\\#",
    "=": "\\=",
    "~": "\\~",
    "{": "\\{",
    "}": "\\}",
    ":": "\\:",
    "\n": "\\n",
    "\r": "",
}


def escape(text: str) -> str:
    """``text`` with GIFT's reserved characters escaped (Moodle's ``repchar``).

    >>> escape("a=b: {c} ~d #e \\\\")
    'a\\\\=b\\\\: \\\\{c\\\\} \\\\~d \\\\#e \\\\\\\\'
    """
    return "".join(_RESERVED.get(char, char) for char in text)


def unescape(text: str) -> str:
    """The inverse of :func:`escape` (Moodle's import: ``\\\\`` first, then each escape).

    >>> unescape(escape("x = {y}: ~z #1 \\\\n"))
    'x = {y}: ~z #1 \\\\n'
    """
    out = []
    i = 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append("\n" if nxt == "n" else nxt)
            i += 2
            continue
        out.append(text[i])
        i += 1
    return "".join(out)


def write_gift(banks: Sequence[Bank], references: Mapping[str, Reference]) -> Export:
    """Every question of ``banks`` that GIFT can carry, and the list of those it cannot."""
    parts: list[str] = []
    exported: list[str] = []
    skipped: list[Skipped] = []
    for bank in banks:
        note = bank_note(bank)
        if note is not None:
            skipped.append(note)
            continue
        header = f"// Meso Academy question bank '{bank.id}', version {bank.version}"
        parts.append(f"{header}\n$CATEGORY: {category_path(bank)}")
        for question in bank.questions:
            body = _question(question, references)
            if isinstance(body, Skipped):
                skipped.append(Skipped(bank.id, question.id, body.reason))
                continue
            parts.append(body)
            exported.append(question.id)
    return Export("\n\n".join(parts) + "\n" if parts else "", tuple(exported), tuple(skipped))


def _question(question: Question, references: Mapping[str, Reference]) -> str | Skipped:
    if question.image is not None:
        return Skipped("", question.id, f"GIFT cannot carry the picture it shows ({question.image.path})")
    prompt = question.prompt
    match question:
        case SingleQuestion():
            answers = _choices(question.options, [100.0 if o.correct else 0.0 for o in question.options], single=True)
        case MultipleQuestion():
            weights = multiple_weights(question)
            if weights is None:
                return Skipped("", question.id, multiple_skip_reason(question))
            answers = _choices(question.options, weights, single=False)
        case TrueFalseQuestion():
            notes = question.feedback or {}
            right, wrong = notes.get(question.answer), notes.get(not question.answer)
            answers = "TRUE" if question.answer else "FALSE"
            if wrong or right:
                answers += "#" + escape(wrong or "")
            if right:
                answers += "#" + escape(right)
        case NumericQuestion():
            answers = f"#{question.answer:g}:{question.tolerance:g}"
        case OrderingQuestion():
            return Skipped("", question.id, "GIFT has no ordering question type (Moodle XML carries it)")
        case MatchingQuestion():
            if any("->" in pair.left for pair in question.pairs):
                return Skipped("", question.id, "a left-hand entry contains '->', which GIFT reads as the pair's arrow")
            lines = [f"\t={escape(p.left)} -> {escape(p.right)}" for p in question.pairs]
            lines += [f"\t= -> {escape(text)}" for text in question.distractors]
            answers = "\n" + "\n".join(lines) + "\n"
        case DiagramQuestion():
            options = diagram_options(question)
            if options is None:
                return Skipped("", question.id, f"unknown skin region '{question.region}'")
            prompt = diagram_prompt(question)
            answers = _choices(options, [100.0 if o.correct else 0.0 for o in options], single=True)
    comment = " ".join([f"[id:{question.id}]", *(f"[tag:{t}]" for t in tags(question))])
    feedback = f"####{escape(general_feedback(question, references))}"
    closing = f"\t{feedback}\n}}" if answers.endswith("\n") else f"{feedback}}}"
    return f"// {comment}\n::{escape(question.id)}::[markdown]{escape(prompt)}{{{answers}{closing}"


def _choices(options: Sequence[Option], weights: Sequence[float], *, single: bool) -> str:
    """The answer lines of a choice question: ``=`` for the one right answer of a single
    choice, ``~%w%`` for a weighted option, ``~`` for a wrong one."""
    lines = []
    for option, weight in zip(options, weights, strict=True):
        mark = ("=" if weight == 100.0 else "~") if single else f"~%{format_weight(weight)}%"
        line = f"\t{mark}{escape(option.text)}"
        if option.feedback:
            line += f"#{escape(option.feedback)}"
        lines.append(line)
    return "\n" + "\n".join(lines) + "\n"
