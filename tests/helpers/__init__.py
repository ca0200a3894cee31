"""Helpers shared by the tests (data sets, fixture loaders, AppTest drivers).

Test files import helpers from here and never from one another; ``conftest.py`` holds
fixtures only. Browser-only helpers that need Playwright live in ``tests/browser/helpers.py``.
"""
