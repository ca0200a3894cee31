"""Review cards as an Anki deck (``.apkg``), built with ``genanki``.

Each note's GUID comes from the question id (or drill id) alone, so importing a newer deck
into Anki updates the notes already there instead of adding copies; a learner's deck and the
course's deck share those GUIDs. The model and deck ids are fixed numbers (a learner's deck id
comes from their login), as genanki asks, so a re-import lands in the same deck.

Every text is HTML-escaped: Anki fields are HTML, and the course's texts are plain.

The package is written without temporary files: genanki fills an in-memory SQLite collection,
which is serialised into the zip (``collection.anki2`` and an empty ``media`` list).
"""

from __future__ import annotations

import hashlib
import html
import io
import itertools
import json
import sqlite3
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

import genanki

from course.clock import utc_now
from course.quiz.answers import choice_order, describe_right_answer
from course.quiz.models import MatchingQuestion, OrderingQuestion, Question, TrueFalseQuestion

MODEL_ID = 1_707_315_460  # fixed forever: Anki keys the note type on it
COURSE_DECK_ID = 1_707_315_461
DECK_NAME = "Meso Academy"

MODEL = genanki.Model(
    MODEL_ID,
    "Meso Academy review",
    fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Item"}],
    templates=[
        {
            "name": "Card 1",
            "qfmt": "{{Front}}",
            "afmt": '{{FrontSide}}<hr id="answer">{{Back}}',
        }
    ],
    css=".card { font-family: sans-serif; font-size: 18px; text-align: left; }",
)


@dataclass(frozen=True)
class Note:
    """One Anki note: the item id (its GUID's source), the front and back as plain text lines, tags."""

    item: str
    front: tuple[str, ...]
    back: tuple[str, ...]
    tags: tuple[str, ...] = ()


def note_guid(item: str) -> str:
    """The note's GUID: from the item id only, so every export of it is the same Anki note.

    >>> note_guid("history-founder") == note_guid("history-founder") != note_guid("history-date")
    True
    """
    return str(genanki.guid_for("meso-academy", item))


def question_note(question: Question, lesson: str | None = None) -> Note:
    """A question as a note: the prompt and its choices (bank order) in front; the right
    answer, the explanation and the lesson (and section) to revise on the back."""
    front = [question.prompt]
    choices = choice_order(question, seed=0, shuffle_options=False)
    if isinstance(question, MatchingQuestion):
        front.append("Match each of: " + "; ".join(p.left for p in question.pairs))
        front.append("with one of: " + "; ".join(sorted(choices)))
    elif isinstance(question, OrderingQuestion):
        front.append("Put in order: " + "; ".join(sorted(choices)))
    elif isinstance(question, TrueFalseQuestion):
        front.append("True or false?")
    else:
        front += [f"• {text}" for text in choices]
    back = [f"Right answer: {describe_right_answer(question)}", question.explanation]
    if lesson:
        back.append(f"Revise: {lesson}")
    tags = ["must-pass"] if question.critical else []
    if question.lesson:
        tags.append(question.lesson)
    return Note(question.id, tuple(front), tuple(back), tuple(tags))


def _field(lines: Iterable[str]) -> str:
    return "<br>".join(html.escape(line) for line in lines)


def deck_id(learner: str | None) -> int:
    """The course deck's id, or a learner's (stable, from the login)."""
    if learner is None:
        return COURSE_DECK_ID
    return int.from_bytes(hashlib.blake2b(learner.encode(), digest_size=4).digest(), "big") | (1 << 31)


def build_package(notes: Iterable[Note], learner: str | None = None, title: str | None = None) -> bytes:
    """The ``.apkg`` bytes of a deck of ``notes`` (a learner's when ``learner`` is given)."""
    name = title or (DECK_NAME if learner is None else f"{DECK_NAME}::{learner}")
    deck = genanki.Deck(deck_id(learner), name)
    seen: set[str] = set()
    for note in notes:
        if note.item in seen:
            continue
        seen.add(note.item)
        tags = [tag.replace(" ", "-") for tag in note.tags]
        deck.add_note(
            genanki.Note(
                model=MODEL,
                fields=[_field(note.front), _field(note.back), html.escape(note.item)],
                guid=note_guid(note.item),
                tags=tags,
            )
        )
    timestamp = utc_now().timestamp()
    connection = sqlite3.connect(":memory:")
    try:
        genanki.Package(deck).write_to_db(connection.cursor(), timestamp, itertools.count(int(timestamp * 1000)))
        connection.commit()
        collection = connection.serialize()
    finally:
        connection.close()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("collection.anki2", collection)
        package.writestr("media", json.dumps({}))
    return buffer.getvalue()
