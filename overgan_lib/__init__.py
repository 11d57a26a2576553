"""overgan_lib: the shared library of the overgan book.

Rooms are named after the paper's objects: :mod:`~overgan_lib.theory` (Sec. 2, App. A),
:mod:`~overgan_lib.profiles`, :mod:`~overgan_lib.store` (results with provenance),
:mod:`~overgan_lib.book` (chapter helpers), :mod:`~overgan_lib.bench` and
:mod:`~overgan_lib.cli`.
"""

import os as _os
import sys as _sys

# OpenMP reads its wait policy when torch loads it: set it before any torch import (see
# overgan_lib.threads for the measurements behind this).
if "torch" not in _sys.modules:
    _os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from .errors import ParameterError  # noqa: E402
from .profiles import PROFILES  # noqa: E402

__version__ = "0.1.0"
__all__ = ["ParameterError", "PROFILES", "__version__"]
