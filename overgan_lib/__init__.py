"""overgan_lib: the shared library of the overgan book.

Rooms are named after the paper's objects: :mod:`~overgan_lib.theory` (Sec. 2, App. A),
:mod:`~overgan_lib.profiles`, :mod:`~overgan_lib.store` (results with provenance),
:mod:`~overgan_lib.book` (chapter helpers), :mod:`~overgan_lib.bench` and
:mod:`~overgan_lib.cli`.
"""

from .errors import ParameterError
from .profiles import PROFILES

__version__ = "0.1.0"
__all__ = ["ParameterError", "PROFILES", "__version__"]
