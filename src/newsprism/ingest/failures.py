"""Unexpected reader errors, described well enough to act on.

A reader bug must not end a batch, so `read_input` turns any exception into a
Rejected. `f"{type(exc).__name__}: {exc}"` read `AssertionError: ` for a bare assert
deep in a library (issue 14), which tells nobody anything; the place it was raised
(file, line, function of the innermost frame) always does.
"""

from __future__ import annotations

import traceback
from pathlib import Path

_MAX_MESSAGE_CHARS = 300


def describe(exc: BaseException) -> str:
    """`Type: message (raised at package/module.py:LINE in function)`.

    >>> try:
    ...     assert False
    ... except AssertionError as exc:
    ...     describe(exc).startswith("AssertionError (no message) (raised at ")
    True
    """
    message = " ".join(str(exc).split())
    if len(message) > _MAX_MESSAGE_CHARS:
        message = message[:_MAX_MESSAGE_CHARS] + "…"
    text = f"{type(exc).__name__}: {message}" if message else f"{type(exc).__name__} (no message)"
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return text
    last = frames[-1]
    where = "/".join(Path(last.filename).parts[-2:])
    return f"{text} (raised at {where}:{last.lineno} in {last.name})"
