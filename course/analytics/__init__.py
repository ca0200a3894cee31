"""What the results say: a learner's progress, the tutors' results, item analysis, charts and safe exports."""
