"""SQLite storage: one database file, migrations, and one write gate."""

from .database import Database

__all__ = ["Database"]
