"""The one owner of persistence: the tables, the CSV store, group commit and per-version memos."""
