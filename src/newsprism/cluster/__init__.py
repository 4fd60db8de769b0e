"""Story clustering: group articles that report the same real-world event (issue 4).

`cluster_new` assigns new articles incrementally; `list_stories` and `story_detail`
read the result; `metrics` scores a clustering against gold labels.
"""

from __future__ import annotations

from .metrics import bcubed, pairwise
from .stories import ClusterReport, cluster_new, list_stories, story_detail

__all__ = ["ClusterReport", "bcubed", "cluster_new", "list_stories", "pairwise", "story_detail"]
