"""Engines other than the local one; today the Ray engine (issue 7).

Names are resolved lazily so that `import newsprism.engines` never needs Ray or
pyarrow: they are an optional extra (`pip install 'newsprism[ray]'`).
"""

from __future__ import annotations

from typing import Any

__all__ = ["LoadReport", "RayReport", "analyse_on_ray", "load_analysed"]

RAY_HINT = "the Ray engine needs the optional extra: pip install 'newsprism[ray]'"


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import ray_engine

        return getattr(ray_engine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
