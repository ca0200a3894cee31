"""A small quiz with confidence-based marking, in a fixed order, shared by the AppTest and the
browser test of CBM: a single choice, a multiple choice (no certainty: partial credit), a must-pass
true/false, a number with ``cbm: false`` and a diagram question."""

from __future__ import annotations

QUIZ = "cbmtest"
BANK = """id: cbmtest
title: CBM quiz
version: 1
lesson: history
settings: {pass_mark: 50, shuffle_questions: false, shuffle_options: false, cbm: true}
questions:
  - id: cbm-single
    type: single
    prompt: "Which option is right?"
    objective: founding-story
    explanation: "Right one."
    options:
      - {text: Right one, correct: true}
      - {text: Wrong one}
  - id: cbm-multiple
    type: multiple
    prompt: "Tick the right ones."
    objective: founding-story
    points: 2
    explanation: "A and C."
    options:
      - {text: A-ok, correct: true}
      - {text: B-bad}
      - {text: C-ok, correct: true}
  - id: cbm-tf
    type: true_false
    prompt: "This statement is false."
    objective: key-dates
    critical: true
    answer: false
    explanation: "It is false."
  - id: cbm-numeric
    type: numeric
    prompt: "How deep, in mm?"
    objective: key-dates
    answer: 0.86
    tolerance: 0.1
    cbm: false
    explanation: "0.86 mm."
  - id: cbm-diagram
    type: diagram
    prompt: "Click the papillary dermis."
    objective: founding-story
    region: forehead
    answer: papillary-dermis
    explanation: "The thin upper dermis."
"""
