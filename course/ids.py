"""The shapes of the names the course puts in files and URLs.

A login becomes part of a history file name (``<time>--<login>.md``) and of every results row,
so its shape is one rule, checked wherever a login arrives:

>>> bool(LOGIN_PATTERN.match("ada.l")), bool(LOGIN_PATTERN.match("../etc"))
(True, False)
"""

from __future__ import annotations

import re

LOGIN_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,31}$")
"""3 to 32 characters: lowercase letters, digits, ``.``, ``_`` or ``-``, starting with a letter or digit."""
