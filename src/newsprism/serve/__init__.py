"""The web app (issue 6): `create_app(db, settings, token)` and `run(db, host, port, token)`.

Server-rendered pages with a JSON twin each, over the same `Workspace` API the CLI uses.
"""

from .app import create_app, run

__all__ = ["create_app", "run"]
