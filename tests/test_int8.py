"""The int8 linear layer: close to float32, and each row computed on its own."""

from __future__ import annotations

import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from newsprism.analyse.int8 import TokenInt8Linear, quantise


def _layer(seed: int) -> torch.nn.Linear:
    torch.manual_seed(seed)
    return torch.nn.Linear(64, 48)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**16), rows=st.integers(1, 40), spread=st.floats(0.01, 100.0))
def test_rows_are_independent_and_close_to_float(seed: int, rows: int, spread: float) -> None:
    linear = _layer(seed)
    quick = TokenInt8Linear(linear)
    x = torch.randn(rows, 64) * torch.logspace(-1, 1, rows)[:, None] * spread
    with torch.no_grad():
        together, exact = quick(x), linear(x)
        alone = torch.cat([quick(x[i : i + 1]) for i in range(rows)])
    assert torch.equal(together, alone)  # a row's result never depends on its batch
    cosine = torch.nn.functional.cosine_similarity(together, exact, dim=1)
    assert cosine.min() > 0.99


def test_keeps_leading_dimensions_and_replaces_every_linear() -> None:
    model = torch.nn.Sequential(_layer(1), torch.nn.ReLU(), torch.nn.Sequential(_layer(2)))
    model[2][0] = torch.nn.Linear(48, 8, bias=False)
    x = torch.randn(3, 5, 64)
    with torch.no_grad():
        exact = model(x)
        quantise(model)
        quick = model(x)
    assert quick.shape == (3, 5, 8)
    assert not any(isinstance(m, torch.nn.Linear) for m in model.modules())
    assert torch.allclose(quick, exact, atol=0.05 * float(exact.abs().max()))
