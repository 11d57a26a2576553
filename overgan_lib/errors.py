"""One-line, actionable errors for bad user input.

Every validator names the offending value and the fix. ``ParameterError`` renders as a
single line in Jupyter/papermill (IPython honours ``_render_traceback_``) and in the CLI.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence


class OneLineError(Exception):
    """An error whose message is the whole story: one line in Jupyter and in the CLI."""

    def _render_traceback_(self) -> list[str]:  # IPython hook: one line instead of a traceback
        return [f"{type(self).__name__}: {self}"]


class ParameterError(OneLineError, ValueError):
    """A user-supplied parameter is invalid; the message says which and how to fix it."""


def check_choice(name: str, value: object, choices: Sequence[str]) -> str:
    """Return ``value`` if it is one of ``choices``; otherwise raise a one-line error."""
    if value not in choices:
        raise ParameterError(f"{name}={value!r} is not valid; use one of {', '.join(choices)}")
    return str(value)


def check_positive_int(name: str, value: object) -> int:
    """Return ``value`` as an int if it is a positive integer (bools rejected)."""
    ok = isinstance(value, int) and not isinstance(value, bool) and value > 0
    if not ok:
        raise ParameterError(f"{name}={value!r} must be a positive integer (e.g. {name}=8)")
    return int(value)  # type: ignore[arg-type]


def check_positive_ints(name: str, values: Iterable[object]) -> list[int]:
    """Validate a non-empty list of positive integers, e.g. a list of widths k. A single
    number or a string (``widths=8``, ``widths="8,16"``) is a one-line error asking for a
    list, not a ``TypeError`` or a complaint about its characters."""
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise ParameterError(f"{name}={values!r} must be a list of positive integers, "
                             f"e.g. {name}=[8, 16]")
    values = list(values)
    if not values:
        raise ParameterError(f"{name} is empty; give at least one positive integer")
    for v in values:
        if not (isinstance(v, int) and not isinstance(v, bool) and v > 0):
            raise ParameterError(
                f"{name} contains {v!r}; every entry must be a positive integer (k >= 1)"
            )
    return [int(v) for v in values]  # type: ignore[arg-type]


def check_positive_float(name: str, value: object, upper: float | None = None) -> float:
    """Return ``value`` as a float if it is finite, > 0 and (optionally) <= ``upper``."""
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ParameterError(f"{name}={value!r} must be a positive number") from None
    if not math.isfinite(x) or x <= 0:
        hint = f" in (0, {upper}]" if upper is not None else " > 0"
        raise ParameterError(f"{name}={value!r} must be a positive step size/number{hint}")
    if upper is not None and x > upper:
        raise ParameterError(f"{name}={value!r} is too large; it must lie in (0, {upper}]")
    return x


def check_int(name: str, value: object, minimum: int = 0) -> int:
    """Return ``value`` as an int if it is an integer >= ``minimum`` (seeds, counts)."""
    if not (isinstance(value, int) and not isinstance(value, bool) and value >= minimum):
        raise ParameterError(f"{name}={value!r} must be an integer >= {minimum}")
    return int(value)  # type: ignore[arg-type]


def check_device_visible(device: str | None) -> str | None:
    """Return ``device`` if torch can use it; a one-line error when it names a CUDA device
    and torch sees none (instead of torch's multi-line driver traceback). None and 'cpu'
    pass: None means "cuda when available" wherever a device is chosen."""
    if device is None or not str(device).startswith("cuda"):
        return device
    import torch

    if not torch.cuda.is_available():
        raise ParameterError(f"device={device!r} but torch sees no CUDA GPU; use device='cpu' "
                             "(--device cpu), or run where a GPU is visible")
    return device
