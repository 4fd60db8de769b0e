"""`newsprism watch`: the command's glue (sources, signals, one line per event).

Ctrl-C and SIGTERM only set the watcher's stop flag: the feed being polled (or the
analyse / cluster run in progress) finishes and is recorded, then the command exits 0.
A second Ctrl-C falls back to Python's default and interrupts at once.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from types import FrameType

import click

from ..api import Workspace
from .loop import CycleReport, FeedReport, Watcher
from .sources import read_sources


def run_watch(
    workspace: Callable[[], AbstractContextManager[Workspace]],
    args: Sequence[str],
    interval: float | None,
    cycles: int | None,
    fetch: bool,
) -> int:
    """Run the watch; the exit code (0, or 1 when some SOURCE could not be used).

    The sources are checked before `workspace()` opens (and maybe creates) the store."""
    feeds, rejected = read_sources(args)
    for rej in rejected:
        click.echo(f"rejected: {rej}", err=True)
    if not feeds:
        raise click.UsageError("no feed to watch: give feed URLs or files listing them")
    with workspace() as ws:
        watcher = Watcher(ws, feeds, interval=interval, fetch=fetch, on_feed=_print_feed)
        click.echo(f"watching {len(feeds)} feeds every {watcher.interval:g} s (Ctrl-C to stop)")
        try:
            with _stop_on_signals(watcher.stop):
                done = watcher.run(cycles, on_cycle=_print_cycle)
        finally:
            watcher.close()
    click.echo(f"watch: stopped after {done} cycles")
    return 1 if rejected else 0


def _print_feed(report: FeedReport) -> None:
    if report.outcome == "failed":
        click.echo(f"feed {report.url}: failed: {report.error} (retried later)", err=True)
    for rej in report.rejected:
        click.echo(f"rejected: {rej}", err=True)
    if report.outcome == "changed":
        click.echo(f"feed {report.url}: {report.new} new, {report.updated} updated entries")


def _print_cycle(report: CycleReport) -> None:
    click.echo(report.summary())
    for change in report.changes:
        click.echo(f"  story {change.story_id}: {change.summary()}")


@contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGINT / SIGTERM set `stop` (main thread only; elsewhere signals stay as they are)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handle(signum: int, _frame: FrameType | None) -> None:
        if stop.is_set():  # a second Ctrl-C: the user means it
            signal.signal(signal.SIGINT, signal.default_int_handler)
        stop.set()
        click.echo(
            f"\nstopping after the current unit of work ({signal.Signals(signum).name})", err=True
        )

    previous = {s: signal.signal(s, handle) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
