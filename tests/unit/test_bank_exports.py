"""Question banks out as GIFT and Moodle XML: golden files, parsed back, and the partial credit.

GIFT is read back with ``pygiftparser`` (an independent parser from PyPI, pinned in
requirements-dev.txt), Moodle XML with ElementTree against the elements Moodle's XML format
documents for each question type. For every subset of a multiple-choice question's options,
Moodle's grading of the exported weights (the ticked weights added, kept within 0-100 %) must
give what the course's own scoring gives.

Set ``UPDATE_GOLDEN=1`` to rewrite the golden files after an intended change (then read the diff).
"""

from __future__ import annotations

import io
import itertools
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pygiftparser import parser as gift_parser
from pygiftparser.utils import transformSpecials

from course.__main__ import main
from course.interop.exports import export_banks, file_name
from course.interop.gift import escape, unescape
from course.interop.questions import MOODLE_GRADES, ExportError
from course.quiz.banks import load_quizzes
from course.quiz.models import MultipleQuestion, QuizCatalog
from course.quiz.scoring import score_question
from tests.helpers.banks import FIXTURES, fixture_context
from tests.helpers.gift_moodle import read_gift

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
LESSONS = FIXTURES / "lessons"
ASSETS = FIXTURES / "assets"


@pytest.fixture(scope="module")
def catalog() -> QuizCatalog:
    loaded = load_quizzes(EXPORTS / "banks", fixture_context())
    assert not loaded.broken
    return loaded


def _export(fmt, catalog):  # type: ignore[no-untyped-def]
    return export_banks(fmt, catalog, lessons=LESSONS, assets=ASSETS)


@pytest.mark.parametrize(
    ("fmt", "golden"), [("gift", "export-bank.gift.txt"), ("moodle-xml", "export-bank.moodle.xml")]
)
def test_golden_file(catalog: QuizCatalog, fmt, golden: str) -> None:  # type: ignore[no-untyped-def]
    text = _export(fmt, catalog).text
    path = EXPORTS / golden
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_skipped_questions_say_why(catalog: QuizCatalog) -> None:
    gift = {s.question: s.reason for s in _export("gift", catalog).skipped}
    assert set(gift) == {"ex-ordering", "ex-matching-arrow", "ex-picture", "ex-eleven-right"}
    assert "no ordering question type" in gift["ex-ordering"]
    assert "'->'" in gift["ex-matching-arrow"]
    assert "picture" in gift["ex-picture"] and "pixel.png" in gift["ex-picture"]
    assert "1/11" in gift["ex-eleven-right"]
    xml = {s.question: s.reason for s in _export("moodle-xml", catalog).skipped}
    assert set(xml) == {"ex-eleven-right"}  # Moodle XML carries ordering, arrows and pictures


# --- GIFT, read back by an independent parser ------------------------------------------------


def test_gift_reads_back_as_moodle_reads_it(catalog: QuizCatalog) -> None:
    export = _export("gift", catalog)
    read = read_gift(export.text)
    assert [q.category for q in read if q.qtype == "category"] == [
        "$course$/top/Meso Academy/Export: a bank//with {special} characters"
    ]
    parsed = {q.name: q for q in read if q.qtype != "category"}
    assert list(parsed) == list(export.exported)
    bank = {q.id: q for q in catalog.banks[0].questions}
    for qid, found in parsed.items():
        question = bank[qid]
        assert found.text_format == "markdown"
        if question.type != "diagram":
            assert found.text == question.prompt
        assert found.general_feedback.startswith(question.explanation)

    single = parsed["ex-single"]
    assert (single.qtype, single.single) == ("multichoice", True)
    assert single.answers == [
        ("1:2", 1.0, "Yes: 1:2 = one to two."),
        ("{1=2}", 0.0, "No ~ that is # not a ratio."),
        ("C\\D", 0.0, ""),
    ]
    assert "Sources:" in single.general_feedback
    assert "Fixture A. A work the fixture banks cite. Test J 2020;1:1. https://example.org/test-fixture" in (
        single.general_feedback
    )

    tf = parsed["ex-true-false"]
    assert (tf.qtype, tf.correct) == ("truefalse", True)
    assert (tf.feedback_true, tf.feedback_false) == ("Right: always.", "No = it always comes first.")

    numeric = parsed["ex-numeric"]
    assert (numeric.qtype, numeric.numbers) == ("numerical", [(2.5, 0.1)])

    matching = parsed["ex-matching"]
    assert matching.qtype == "match"
    assert matching.pairs == [
        ("Nappage", "Very superficial: < 1 mm"),
        ("Papule", "Dermo-epidermal junction"),
        ("", "Muscle = never"),
    ]

    diagram = parsed["ex-diagram"]
    assert [a[0] for a in diagram.answers if a[1] == 1.0] == ["Papillary dermis"]
    assert diagram.text.startswith(bank["ex-diagram"].prompt) and "choose the layer" in diagram.text


def test_gift_parses_with_an_independent_parser(catalog: QuizCatalog) -> None:
    """pygiftparser (PyPI) reads every exported question with its type. It ends an answer block at an
    escaped brace (its bug), so the brace-free questions are compared in detail."""
    export = _export("gift", catalog)
    questions = gift_parser.parseFile(io.StringIO(export.text))
    assert all(q.valid for q in questions)
    parsed = {q.title: q for q in questions}
    assert sorted(parsed) == sorted(export.exported)
    kinds = {qid: type(q.answers).__name__ for qid, q in parsed.items()}
    assert kinds == {
        "ex-single": "SelectSet",
        "ex-multiple": "MultipleChoicesSet",
        "ex-multiple-three": "MultipleChoicesSet",
        "ex-true-false": "TrueFalseSet",
        "ex-numeric": "NumericAnswerSet",
        "ex-matching": "MatchingSet",
        "ex-diagram": "SelectSet",
    }
    assert parsed["ex-true-false"].answers.answer is True
    assert transformSpecials(parsed["ex-true-false"].answers.feedbackWrong) == "No = it always comes first."
    numeric = parsed["ex-numeric"].answers.answers[0]
    assert (float(numeric.value), float(numeric.tolerance)) == (2.5, 0.1)
    pairs = [
        (transformSpecials(a.question).strip(), transformSpecials(a.answer).strip())
        for a in parsed["ex-matching"].answers.answers
    ]
    assert pairs == [
        ("Nappage", "Very superficial: < 1 mm"),
        ("Papule", "Dermo-epidermal junction"),
        ("", "Muscle = never"),
    ]
    multiple = parsed["ex-multiple"].answers.answers
    assert [(a.answer.strip(), a.fraction) for a in multiple] == [("A", 50.0), ("B", -50.0), ("C", 50.0)]
    assert transformSpecials(parsed["ex-multiple"].answers.answers[1].feedback) == "B = wrong."


def _moodle_grade(weights: list[float], ticked: set[int]) -> float:
    """Moodle's multiple-answer grading: the ticked weights added, kept within 0-100 %."""
    return min(100.0, max(0.0, sum(weights[i] for i in ticked)))


def _assert_same_partial_credit(question: MultipleQuestion, weights: list[float]) -> None:
    texts = [o.text for o in question.options]
    for size in range(len(texts) + 1):
        for ticked in itertools.combinations(range(len(texts)), size):
            course = score_question(question, frozenset(texts[i] for i in ticked))
            expected = 100 * course.points / course.max_points
            assert _moodle_grade(weights, set(ticked)) == pytest.approx(expected, abs=1e-4), (question.id, ticked)


def test_gift_weights_give_the_course_partial_credit(catalog: QuizCatalog) -> None:
    parsed = {q.name: q for q in read_gift(_export("gift", catalog).text)}
    for qid in ("ex-multiple", "ex-multiple-three"):
        question = next(q for q in catalog.banks[0].questions if q.id == qid)
        assert isinstance(question, MultipleQuestion)
        found = parsed[qid]
        assert (found.qtype, found.single) == ("multichoice", False)  # no '=': Moodle makes it multiple-answer
        weights = [100 * fraction for _, fraction, _ in found.answers]
        assert all(any(abs(abs(w) - g) < 1e-5 for g in MOODLE_GRADES) for w in weights)
        _assert_same_partial_credit(question, weights)


@given(st.text(alphabet=st.sampled_from(list("~=#{}:\\n ab\n")), max_size=40))
def test_gift_escaping_round_trips(text: str) -> None:
    escaped = escape(text)
    assert unescape(escaped) == text
    assert "\n" not in escaped
    # every reserved character is preceded by a backslash that is not itself escaped
    i = 0
    while i < len(escaped):
        if escaped[i] == "\\":
            assert escaped[i + 1] in "\\~=#{}:n"
            i += 2
            continue
        assert escaped[i] not in "~=#{}:"
        i += 1


def test_gift_reserved_characters_do_not_break_the_parser() -> None:
    prompt = "a ~ b = c # d { e } f : g"
    text = f"::q::[markdown]{escape(prompt)}{{=one#{escape('x = y')} ~two}}\n"
    [question] = gift_parser.parseFile(io.StringIO(text))
    assert question.valid and transformSpecials(question.text) == prompt
    assert [transformSpecials(a.answer) for a in question.answers.answers] == ["one", "two"]
    assert transformSpecials(question.answers.answers[0].feedback) == "x = y"
    [moodle] = read_gift(text)
    assert moodle.text == prompt and moodle.answers == [("one", 1.0, "x = y"), ("two", 0.0, "")]


# --- Moodle XML, against its documented structure --------------------------------------------


def _xml_questions(text: str) -> tuple[list[ET.Element], dict[str, ET.Element]]:
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "quiz"
    categories = [q for q in root.findall("question") if q.get("type") == "category"]
    questions = {q.findtext("name/text"): q for q in root.findall("question") if q.get("type") != "category"}
    return categories, questions  # type: ignore[return-value]


def test_moodle_xml_structure(catalog: QuizCatalog) -> None:
    export = _export("moodle-xml", catalog)
    categories, questions = _xml_questions(export.text)
    assert [c.findtext("category/text") for c in categories] == [
        "$course$/top/Meso Academy/Export: a bank//with {special} characters"
    ]
    assert sorted(questions) == sorted(export.exported)
    expected_types = {
        "ex-single": "multichoice",
        "ex-multiple": "multichoice",
        "ex-multiple-three": "multichoice",
        "ex-true-false": "truefalse",
        "ex-numeric": "numerical",
        "ex-ordering": "ordering",
        "ex-matching": "matching",
        "ex-matching-arrow": "matching",
        "ex-diagram": "multichoice",
        "ex-picture": "multichoice",
    }
    assert {k: q.get("type") for k, q in questions.items()} == expected_types
    bank = {q.id: q for q in catalog.banks[0].questions}
    for qid, element in questions.items():
        question = bank[qid]
        assert element.find("questiontext").get("format") == "markdown"  # type: ignore[union-attr]
        assert element.findtext("idnumber") == qid
        assert float(element.findtext("defaultgrade") or "nan") == question.points
        assert (element.findtext("generalfeedback/text") or "").startswith(question.explanation)
        if question.type != "diagram":
            assert (element.findtext("questiontext/text") or "").startswith(question.prompt)
    single = questions["ex-single"]
    assert single.findtext("single") == "true"
    assert [a.findtext("text") for a in single.findall("answer")] == ["1:2", "{1=2}", "C\\D"]
    assert [a.get("fraction") for a in single.findall("answer")] == ["100", "0", "0"]
    assert single.findall("answer")[0].findtext("feedback/text") == "Yes: 1:2 = one to two."
    assert "https://example.org/test-fixture" in (single.findtext("generalfeedback/text") or "")

    tf = questions["ex-true-false"]
    assert [(a.findtext("text"), a.get("fraction")) for a in tf.findall("answer")] == [("true", "100"), ("false", "0")]
    assert [a.findtext("feedback/text") for a in tf.findall("answer")] == [
        "Right: always.",
        "No = it always comes first.",
    ]
    assert [t.findtext("text") for t in tf.findall("tags/tag")] == ["safety", "must-pass", "recall"]

    numeric = questions["ex-numeric"]
    answer = numeric.find("answer")
    assert answer is not None and answer.findtext("text") == "2.5" and answer.findtext("tolerance") == "0.1"
    assert numeric.findtext("units/unit/unit_name") == "mm"

    ordering = questions["ex-ordering"]
    assert ordering.findtext("gradingtype") == "ABSOLUTE_POSITION"  # the share of items in place: the course's rule
    assert [(a.get("fraction"), a.findtext("text")) for a in ordering.findall("answer")] == [
        ("1", "Clean: the skin"),
        ("2", "Inject {slowly}"),
        ("3", "Dispose of the needle"),
    ]

    matching = questions["ex-matching"]
    subs = [(s.findtext("text"), s.findtext("answer/text")) for s in matching.findall("subquestion")]
    assert subs == [
        ("Nappage", "Very superficial: < 1 mm"),
        ("Papule", "Dermo-epidermal junction"),
        ("", "Muscle = never"),
    ]

    diagram = questions["ex-diagram"]
    rights = [a.findtext("text") for a in diagram.findall("answer") if a.get("fraction") == "100"]
    assert rights == ["Papillary dermis"] and len(diagram.findall("answer")) >= 3

    picture = questions["ex-picture"]
    file = picture.find("questiontext/file")
    assert file is not None and file.get("name") == "pixel.png" and file.get("encoding") == "base64"
    assert "@@PLUGINFILE@@/pixel.png" in (picture.findtext("questiontext/text") or "")
    assert (ASSETS / "pixel.png").read_bytes() == __import__("base64").b64decode(file.text or "")


def test_moodle_xml_weights_give_the_course_partial_credit(catalog: QuizCatalog) -> None:
    _, questions = _xml_questions(_export("moodle-xml", catalog).text)
    for qid in ("ex-multiple", "ex-multiple-three"):
        question = next(q for q in catalog.banks[0].questions if q.id == qid)
        assert isinstance(question, MultipleQuestion)
        element = questions[qid]
        assert element.findtext("single") == "false"
        weights = [float(a.get("fraction") or "nan") for a in element.findall("answer")]
        _assert_same_partial_credit(question, weights)


def test_the_whole_course_exports(tmp_path: Path) -> None:
    from course.quiz.banks import current_quizzes

    quizzes = current_quizzes()
    total = sum(len(b.questions) for b in quizzes.banks)
    for fmt in ("gift", "moodle-xml"):
        export = export_banks(fmt, quizzes)
        question_skips = [s for s in export.skipped if s.question]
        assert len(export.exported) + len(question_skips) == total
    _, questions = _xml_questions(export_banks("moodle-xml", quizzes).text)
    assert len(questions) == total  # Moodle XML carries every question of the course
    gift = export_banks("gift", quizzes)
    assert [q.name for q in read_gift(gift.text) if q.qtype != "category"] == list(gift.exported)
    independent = gift_parser.parseFile(io.StringIO(gift.text))
    assert [q.title for q in independent if q.valid] == list(gift.exported)


# --- the command line ------------------------------------------------------------------------


def test_cli_writes_the_file_and_lists_what_it_skipped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from course.quiz.banks import current_quizzes

    history = current_quizzes().bank("history")
    assert history is not None
    orderings = [q.id for q in history.questions if q.type == "ordering"]
    out = tmp_path / "history.gift.txt"
    assert main(["export", "gift", "history", "-o", str(out)]) == 0
    written = [q.name for q in read_gift(out.read_text(encoding="utf-8")) if q.qtype != "category"]
    assert written == [q.id for q in history.questions if q.type != "ordering"]
    err = capsys.readouterr().err
    for qid in orderings:
        assert f"skipped history/{qid}: GIFT has no ordering question type" in err
    assert f"{len(written)} questions written, {len(orderings)} skipped" in err
    assert main(["export", "moodle-xml", "history"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert f"{len(history.questions)} questions written, 0 skipped" in captured.err
    assert main(["export", "gift", "no-such-bank"]) == 2
    assert "no question bank named 'no-such-bank'" in capsys.readouterr().err


def test_unknown_bank_and_file_names(catalog: QuizCatalog) -> None:
    with pytest.raises(ExportError):
        export_banks("gift", catalog, ["missing"])
    assert file_name("moodle-xml", ["export-bank"]) == "meso-academy-export-bank.moodle.xml"
