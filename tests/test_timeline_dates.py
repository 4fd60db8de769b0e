"""Timeline dates as a reader reads them, at the precision the sources gave."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from newsprism.report.timeline import display_date


def test_each_precision() -> None:
    assert display_date("2025-08-15") == "August 15, 2025"
    assert display_date("2025-08") == "August 2025"
    assert display_date("2013") == "2013"
    assert display_date("--08-15") == "August 15 (year not given)"


def test_unknown_shapes_are_shown_as_they_are() -> None:
    for value in ("", "2025-13-01", "--13-01", "soon", "2025-W33"):
        assert display_date(value) == value


@given(st.text(max_size=20))
def test_never_raises_and_never_invents_digits(value: str) -> None:
    shown = display_date(value)
    assert set(re.findall(r"\d+", shown)) <= {str(int(d)) for d in re.findall(r"\d+", value)} | {
        d for d in re.findall(r"\d+", value)
    }
