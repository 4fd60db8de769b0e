"""The exception tree, in one place.

    NewsprismError            anything newsprism raises on purpose
    ├── InputError            one input (file, URL, record) cannot be read: path, record, reason
    ├── StoreError            the database cannot be opened, migrated or written
    ├── ModelError            a model cannot be loaded (names the setting that chose it)
    └── ConfigError           a setting is unknown or has a bad value

Readers do not raise InputError across a batch: they yield `Rejected` values so one bad
file never stops the rest. InputError is for the single-input APIs.
"""

from __future__ import annotations


class NewsprismError(Exception):
    """Base class of every error newsprism raises on purpose."""


class InputError(NewsprismError):
    """One input cannot be read."""

    def __init__(self, path: str, reason: str, record: str | None = None) -> None:
        self.path = path
        self.record = record
        self.reason = reason
        where = f"{path}:{record}" if record else path
        super().__init__(f"{where}: {reason}")


class StoreError(NewsprismError):
    """The database cannot be opened, migrated or written."""


class ModelError(NewsprismError):
    """A model cannot be loaded."""


class ConfigError(NewsprismError):
    """A setting is unknown or its value is invalid."""
