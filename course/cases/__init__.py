"""Clinical cases: branching virtual patients (models, loading and checks, scoring, replay)."""
