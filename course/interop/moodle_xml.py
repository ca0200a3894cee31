"""Question banks as Moodle XML, the format of Moodle's question bank import and export.

One ``<question type="category">`` per bank, then its questions: ``multichoice`` (single and
multiple choice, and diagram questions as their keyboard alternative), ``truefalse``,
``numerical`` (tolerance, and the unit as an optional one), ``matching`` (distractors as
sub-questions without text, as Moodle stores them) and ``ordering``. Texts are markdown, as
the course renders them. Every question carries its id as ``<name>`` and ``<idnumber>``, its
points as ``<defaultgrade>``, the explanation and sources as ``<generalfeedback>``, and tags
(``must-pass``, its level and the bank's tags). A picture is embedded in the file (base64) and
shown under the prompt.

**Ordering** is Moodle's ``ordering`` question type: a plugin (``qtype_ordering``) before
Moodle 4.4 and a standard type since. It is written with *absolute position* grading, the share
of items in the right place, which is the course's rule; a Moodle without the type refuses
those questions on import and imports the rest.
"""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from pathlib import Path

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
from course.paths import ASSETS_DIR
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

TEXT_FORMAT = "markdown"


def write_moodle_xml(banks: Sequence[Bank], references: Mapping[str, Reference], assets: Path = ASSETS_DIR) -> Export:
    """Every question of ``banks`` as one Moodle XML document, and what was left out."""
    quiz = ET.Element("quiz")
    exported: list[str] = []
    skipped: list[Skipped] = []
    for bank in banks:
        note = bank_note(bank)
        if note is not None:
            skipped.append(note)
            continue
        quiz.append(ET.Comment(f" Meso Academy question bank '{bank.id}', version {bank.version} "))
        category = ET.SubElement(quiz, "question", type="category")
        _text(ET.SubElement(category, "category"), category_path(bank))
        _text(ET.SubElement(category, "info", format="html"), "")
        ET.SubElement(category, "idnumber").text = bank.id
        for question in bank.questions:
            element = _question(question, references, assets)
            if isinstance(element, str):
                skipped.append(Skipped(bank.id, question.id, element))
                continue
            quiz.append(element)
            exported.append(question.id)
    ET.indent(quiz, space="  ")
    body = ET.tostring(quiz, encoding="unicode")
    return Export(f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n', tuple(exported), tuple(skipped))


def _text(parent: ET.Element, text: str) -> ET.Element:
    ET.SubElement(parent, "text").text = text
    return parent


def _formatted(parent: ET.Element, tag: str, text: str) -> ET.Element:
    return _text(ET.SubElement(parent, tag, format=TEXT_FORMAT), text)


def _question(question: Question, references: Mapping[str, Reference], assets: Path) -> ET.Element | str:
    """The ``<question>`` element, or the reason it cannot be written."""
    match question:
        case SingleQuestion():
            element = _head(question, "multichoice", question.prompt, references, assets)
            _choices(element, question.options, [100.0 if o.correct else 0.0 for o in question.options], single=True)
        case MultipleQuestion():
            weights = multiple_weights(question)
            if weights is None:
                return multiple_skip_reason(question)
            element = _head(question, "multichoice", question.prompt, references, assets)
            _choices(element, question.options, weights, single=False)
        case TrueFalseQuestion():
            element = _head(question, "truefalse", question.prompt, references, assets)
            notes = question.feedback or {}
            for value in (True, False):
                choice = ET.SubElement(
                    element, "answer", fraction="100" if value == question.answer else "0", format="moodle_auto_format"
                )
                _text(choice, "true" if value else "false")
                _formatted(choice, "feedback", notes.get(value, ""))
        case NumericQuestion():
            element = _head(question, "numerical", question.prompt, references, assets)
            number = ET.SubElement(element, "answer", fraction="100", format="moodle_auto_format")
            _text(number, f"{question.answer:g}")
            _formatted(number, "feedback", "")
            ET.SubElement(number, "tolerance").text = f"{question.tolerance:g}"
            if question.unit:
                units = ET.SubElement(ET.SubElement(element, "units"), "unit")
                ET.SubElement(units, "multiplier").text = "1"
                ET.SubElement(units, "unit_name").text = question.unit
            # the unit may be typed or left out, and is not graded (the course reads "0.86 mm" as 0.86)
            _settings(element, {"unitgradingtype": "0", "unitpenalty": "0", "showunits": "0", "unitsleft": "0"})
        case OrderingQuestion():
            element = _head(question, "ordering", question.prompt, references, assets)
            _settings(
                element,
                {
                    "layouttype": "VERTICAL",
                    "selecttype": "ALL",
                    "selectcount": "0",
                    "gradingtype": "ABSOLUTE_POSITION",
                    "showgrading": "SHOW",
                    "numberingstyle": "none",
                },
            )
            _combined_feedback(element)
            for position, item in enumerate(question.items, start=1):
                _text(ET.SubElement(element, "answer", fraction=str(position), format=TEXT_FORMAT), item)
        case MatchingQuestion():
            element = _head(question, "matching", question.prompt, references, assets)
            ET.SubElement(element, "shuffleanswers").text = "true"
            _combined_feedback(element)
            for pair in question.pairs:
                sub = _formatted(element, "subquestion", pair.left)
                _text(ET.SubElement(sub, "answer"), pair.right)
            for text in question.distractors:
                sub = _formatted(element, "subquestion", "")
                _text(ET.SubElement(sub, "answer"), text)
        case DiagramQuestion():
            options = diagram_options(question)
            if options is None:
                return f"unknown skin region '{question.region}'"
            element = _head(question, "multichoice", diagram_prompt(question), references, assets)
            _choices(element, options, [100.0 if o.correct else 0.0 for o in options], single=True)
    _tags(element, tags(question))
    return element


def _head(question: Question, kind: str, prompt: str, references: Mapping[str, Reference], assets: Path) -> ET.Element:
    """What every question has: name, text (with its picture), general feedback, grade, id."""
    element = ET.Element("question", type=kind)
    _text(ET.SubElement(element, "name"), question.id)
    text = ET.SubElement(element, "questiontext", format=TEXT_FORMAT)
    if question.image is not None:
        name = Path(question.image.path).name
        alt = question.image.alt.replace("]", "\\]")
        _text(text, f"{prompt}\n\n![{alt}](@@PLUGINFILE@@/{name})")
        data = (assets / question.image.path).read_bytes()
        ET.SubElement(text, "file", name=name, path="/", encoding="base64").text = base64.b64encode(data).decode()
    else:
        _text(text, prompt)
    _formatted(element, "generalfeedback", general_feedback(question, references))
    ET.SubElement(element, "defaultgrade").text = f"{question.points:g}"
    ET.SubElement(element, "penalty").text = "0"
    ET.SubElement(element, "hidden").text = "0"
    ET.SubElement(element, "idnumber").text = question.id
    return element


def _settings(element: ET.Element, values: Mapping[str, str]) -> None:
    for tag, value in values.items():
        ET.SubElement(element, tag).text = value


def _choices(element: ET.Element, options: Sequence[Option], weights: Sequence[float], *, single: bool) -> None:
    ET.SubElement(element, "single").text = "true" if single else "false"
    ET.SubElement(element, "shuffleanswers").text = "true"
    ET.SubElement(element, "answernumbering").text = "abc"
    ET.SubElement(element, "showstandardinstruction").text = "1"
    _combined_feedback(element)
    for option, weight in zip(options, weights, strict=True):
        answer = ET.SubElement(element, "answer", fraction=format_weight(weight), format=TEXT_FORMAT)
        _text(answer, option.text)
        _formatted(answer, "feedback", option.feedback or "")


def _combined_feedback(element: ET.Element) -> None:
    for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
        _formatted(element, tag, "")
    ET.SubElement(element, "shownumcorrect")


def _tags(element: ET.Element, names: Sequence[str]) -> None:
    if names:
        holder = ET.SubElement(element, "tags")
        for name in names:
            _text(ET.SubElement(holder, "tag"), name)
