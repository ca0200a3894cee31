"""Quizzes: question models, banks, the quiz a learner takes, scoring, and an attempt's life."""
