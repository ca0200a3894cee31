"""Spaced review: cards from each learner's mistakes, rated from what they did, scheduled by FSRS, exported to Anki."""
