"""Showing user-typed text (names, answers) inside markdown without it acting as markdown.

Streamlit never renders raw HTML here, but markdown itself can still add links, images
(a remote image is a request to someone else's server) or formatting. Escaping every
markdown punctuation character keeps a learner's name exactly as typed.
"""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:/])")


def escape_markdown(text: str) -> str:
    """Backslash-escape markdown punctuation so the text renders literally.

    >>> print(escape_markdown("**Ann** [x](y)"))
    \\*\\*Ann\\*\\* \\[x\\]\\(y\\)
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)
