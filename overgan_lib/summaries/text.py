"""Number formatting the readings share."""

from __future__ import annotations

import numpy as np


def sci_text(x: float) -> str:
    """``x`` as 2-digit scientific notation without the exponent's plus sign and leading zeros:
    4.4e7, 2.6e-10."""
    mant, exp = format(float(x), ".1e").split("e")
    return f"{mant}e{int(exp)}"


def span_text(values: list[float] | np.ndarray, fmt: str) -> str:
    """"a–b" (or "a" when both ends format alike) for the smallest and largest of ``values``;
    ``fmt`` "sci" writes them with :func:`sci_text`."""
    show = sci_text if fmt == "sci" else (lambda x: format(float(x), fmt))
    lo, hi = show(np.min(values)), show(np.max(values))
    return lo if lo == hi else f"{lo}–{hi}"
