"""One base for every error the package raises on purpose.

Each subclass (a content file that cannot be used, a store that cannot write, a refused
sign-in, an answer that cannot be scored...) carries a message written for the person on the
page, so a page catches :class:`MesoError` once and shows ``str(error)``:

>>> try:
...     raise MesoError("The data folder is busy: please try again in a moment.")
... except MesoError as error:
...     print(error)
The data folder is busy: please try again in a moment.

Anything else that escapes (a ``KeyError``, a ``TypeError``) is a bug, and is left to surface
as one.
"""

from __future__ import annotations


class MesoError(Exception):
    """An expected failure whose message (``str(error)``) is safe and useful to show to a user."""
