"""Moodle's GIFT import, read step by step from ``qformat_gift::readquestion`` (Moodle 4.x), for tests.

``pygiftparser`` (the independent parser the tests also use) ends an answer block at an
escaped ``\\}``, a bug in its regular expression; Moodle does not. So the escaping of the
course's export is checked here against the algorithm Moodle runs: escaped characters become
placeholders first, the name is what lies between the first two ``::``, the answers between the
first ``{`` and the first ``}``, the general feedback after the last ``####``, the type is told
by ``#`` / ``~`` / ``=`` and ``->`` / ``T``/``F``, then the placeholders turn back into characters.
Only the question types the course exports are read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

_ESCAPES = {
    "\\:": "&&058;",
    "\\#": "&&035;",
    "\\=": "&&061;",
    "\\{": "&&123;",
    "\\}": "&&125;",
    "\\~": "&&126;",
    "\\n": "&&010",
}
_CHARS = {"&&058;": ":", "&&035;": "#", "&&061;": "=", "&&123;": "{", "&&125;": "}", "&&126;": "~", "&&010": "\n"}


def _pre(text: str) -> str:
    text = text.replace("\\\\", "&&092;")
    for escaped, placeholder in _ESCAPES.items():
        text = text.replace(escaped, placeholder)
    return text.replace("&&092;", "\\")


def _post(text: str) -> str:
    for placeholder, char in _CHARS.items():
        text = text.replace(placeholder, char)
    return text


def _with_format(text: str) -> tuple[str, str]:
    text = text.strip()
    fmt = "moodle"
    if text.startswith("[") and "]" in text:
        name = text[1 : text.index("]")]
        if name in ("html", "moodle", "plain", "markdown"):
            fmt, text = name, text[text.index("]") + 1 :]
    return fmt, _post(text).strip()


@dataclass
class MoodleQuestion:
    """What Moodle's importer makes of one GIFT question."""

    qtype: str
    name: str = ""
    text: str = ""
    text_format: str = ""
    general_feedback: str = ""
    category: str = ""
    answers: list[tuple[str, float, str]] = field(default_factory=list)  # text, fraction (0-1), feedback
    single: bool = True
    correct: bool | None = None  # true/false
    feedback_true: str = ""
    feedback_false: str = ""
    numbers: list[tuple[float, float]] = field(default_factory=list)  # answer, tolerance
    pairs: list[tuple[str, str]] = field(default_factory=list)


def read_gift(text: str) -> list[MoodleQuestion]:
    """Every question (and category change) of a GIFT file, split on blank lines as Moodle does."""
    blocks: list[list[str]] = [[]]
    for line in text.split("\n"):
        if line.strip() == "":
            blocks.append([])
        else:
            blocks[-1].append(line)
    return [q for block in blocks if block and (q := read_question(block)) is not None]


def _comment_parts(answer: str, fmt: str) -> tuple[str, str]:
    bits = answer.split("#", 1)
    return _with_format(f"[{fmt}]" + bits[0].strip())[1], (
        _with_format(f"[{fmt}]" + bits[1].strip())[1] if len(bits) > 1 else ""
    )


def read_question(lines: list[str]) -> MoodleQuestion | None:
    lines = [" " if line.strip().startswith("//") else line for line in lines]
    text = "\n".join(lines).strip()
    if not text:
        return None
    text = _pre(text)
    if text.startswith("$CATEGORY:"):
        return MoodleQuestion("category", category=text[10:].strip())
    name = ""
    if text.startswith("::"):
        text = text[2:]
        end = text.index("::")
        name, text = _post(text[:end]), text[end + 2 :].strip()
    start, finish = text.index("{"), text.index("}")
    answertext = text[start + 1 : finish].strip()
    questiontext = text[:start] + text[finish + 1 :]
    general = ""
    if "####" in answertext:
        split = answertext.rindex("####")
        general, answertext = answertext[split + 4 :], answertext[:split].strip()
    fmt, qtext = _with_format(questiontext)
    question = MoodleQuestion("", name=name, text=qtext, text_format=fmt)
    question.general_feedback = _with_format(f"[{fmt}]" + general)[1]
    if answertext.startswith("#"):
        question.qtype = "numerical"
        for answer in [a for a in answertext[1:].split("=") if a.strip()]:
            value, _feedback = _comment_parts(answer, fmt)
            number, tolerance = value.split(":") if ":" in value else (value, "0")
            question.numbers.append((float(number), float(tolerance)))
    elif "~" in answertext:
        question.qtype = "multichoice"
        question.single = "=" in answertext
        answers = answertext.replace("=", "~=").split("~")
        for raw in [a.strip() for a in answers if a.strip()]:
            if raw.startswith("="):
                fraction, rest = 1.0, raw[1:]
            elif raw.startswith("%"):
                weight, rest = raw[1:].split("%", 1)
                fraction = float(weight) / 100
            else:
                fraction, rest = 0.0, raw
            body, feedback = _comment_parts(rest, fmt)
            question.answers.append((body, fraction, feedback))
    elif "=" in answertext and "->" in answertext:
        question.qtype = "match"
        for answer in [a.strip() for a in answertext.split("=") if a.strip()]:
            left, right = answer.split("->", 1)
            question.pairs.append((_with_format(f"[{fmt}]" + left)[1], _post(right).strip()))
    else:
        bits = answertext.split("#", 2)
        question.qtype = "truefalse"
        value = bits[0].strip()
        assert value in ("T", "TRUE", "F", "FALSE"), value
        wrong = _with_format(f"[{fmt}]" + bits[1])[1] if len(bits) > 1 else ""
        right = _with_format(f"[{fmt}]" + bits[2])[1] if len(bits) > 2 else ""
        question.correct = value in ("T", "TRUE")
        question.feedback_true, question.feedback_false = (right, wrong) if question.correct else (wrong, right)
    return question
