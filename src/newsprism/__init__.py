"""newsprism: read one event across many news sources.

The public surface is small on purpose: open a `Workspace` on a database, run the
stages, read the results. Errors are the `NewsprismError` tree in `newsprism.errors`.
"""

from ._version import __version__
from .api import Workspace
from .errors import ConfigError, InputError, ModelError, NewsprismError, StoreError
from .models import Note, Rejected
from .settings import SETTINGS, Setting, Settings, load_settings

__all__ = [
    "SETTINGS",
    "ConfigError",
    "InputError",
    "ModelError",
    "NewsprismError",
    "Note",
    "Rejected",
    "Setting",
    "Settings",
    "StoreError",
    "Workspace",
    "__version__",
    "load_settings",
]
