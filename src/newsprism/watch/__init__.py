"""Follow live feeds: poll politely, ingest what is new, analyse and cluster it (issue 15).

- `sources`: SOURCE arguments (feed URLs, or files listing them with an outlet name);
- `http`: the polite HTTP client (conditional GET, bounded bodies, redirects checked,
  one request at a time per host with a minimum delay, robots.txt for pages);
- `state`: each feed's validators, schedule and failures, kept in the database;
- `entries`: a feed body to articles (RSS / Atom through the ingest reader, JSON Feed),
  minus the entries already seen;
- `loop`: the watch loop (`Watcher`), stoppable between units of work.
"""

from .loop import CycleReport, Watcher
from .sources import FeedSource, read_sources

__all__ = ["CycleReport", "FeedSource", "Watcher", "read_sources"]
