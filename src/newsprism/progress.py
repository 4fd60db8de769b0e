"""Progress of a long step, told the way the output can show it (issue 14).

`analyse` of a large corpus used to run for an hour without a word. Now every long
step (ingest, analyse, cluster) reports through `progress_bar`:

- in a terminal, a tqdm bar on stderr (redrawn in place, gone when done);
- elsewhere (a log file, CI, a pipe), one line per `every` items —
  ``analyse: 500/10000 articles (5%), 12.1/s`` — never a bar's carriage returns;
- with `--quiet` (``show=False``), nothing.
"""

from __future__ import annotations

import sys
import time
from typing import IO, Any

# One line per this many items when stderr is not a terminal (the setting
# `progress_every` overrides it): a line every few seconds to minutes on a 2-core box.
DEFAULT_EVERY = 500


class Progress:
    """Counts done items and reports them; a context manager that closes the bar."""

    def __init__(
        self, total: int, desc: str, unit: str, mode: str, every: int, stream: IO[str]
    ) -> None:
        self.total, self.desc, self.unit, self.mode = total, desc, unit, mode
        self.every, self.stream = max(1, every), stream
        self.done = 0
        self._next_line = self.every
        self._started = time.perf_counter()
        self._bar: Any = None
        if mode == "bar":
            from tqdm import tqdm

            self._bar = tqdm(total=total, unit=unit, desc=desc, file=stream, leave=False)

    def update(self, n: int = 1) -> None:
        self.done += n
        if self._bar is not None:
            self._bar.update(n)
        elif self.mode == "lines" and self.done >= self._next_line:
            self._next_line = (self.done // self.every + 1) * self.every
            self.stream.write(self.line() + "\n")
            self.stream.flush()

    def line(self) -> str:
        """``desc: done/total units (pct%), rate/s``."""
        rate = self.done / max(time.perf_counter() - self._started, 1e-9)
        share = f" ({100 * self.done / self.total:.0f}%)" if self.total else ""
        return (
            f"{self.desc}: {self.done}/{self.total} {self.unit}s{share}, {rate:.1f} {self.unit}s/s"
        )

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def progress_bar(
    total: int,
    desc: str,
    unit: str,
    show: bool | None,
    every: int = DEFAULT_EVERY,
    stream: IO[str] | None = None,
) -> Progress:
    """A `Progress` for `total` items: `show` None decides by whether stderr is a
    terminal (bar) or not (lines); True forces the bar; False is silent."""
    out = sys.stderr if stream is None else stream
    if show is False or total <= 0:
        mode = "off"
    elif show is True or out.isatty():
        mode = "bar"
    else:
        mode = "lines"
    return Progress(total, desc, unit, mode, every, out)
