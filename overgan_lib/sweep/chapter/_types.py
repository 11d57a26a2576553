"""The type every section function of :mod:`overgan_lib.sweep.chapter` takes."""

from __future__ import annotations

from ..view import SweepView

Views = dict[str, dict[str, SweepView]]
