"""Execution profiles, defined once for the whole book.

``smoke``  CI: seconds per chapter; proves the code path, numbers mean nothing.
``cpu``    default: minutes on a 2-core laptop; honest reduced-scale results.
``gpu``    reduced scale sized for minutes of one H200 per experiment (about 8 per sweep).
``paper``  the paper's exact settings where it gives them.

Each experiment has one settings table with a row per profile. The tables live beside the
chapters they serve: :mod:`.theory` (chapters 1-4), :mod:`.metrics` (chapters 5 and 10),
:mod:`.sweeps` (chapters 6-9) and :mod:`.related` (chapters 11-12); :mod:`.validation`
checks every setting, whichever table or override it comes from.
"""

from __future__ import annotations

import copy
from typing import Any

from ..errors import ParameterError, check_choice
from . import metrics, related, sweeps, theory
from .validation import validate_settings

__all__ = ["DEFAULT_PROFILE", "PROFILES", "check_profile", "experiments", "settings",
           "validate_settings"]

PROFILES: tuple[str, ...] = ("smoke", "cpu", "gpu", "paper")
DEFAULT_PROFILE = "cpu"

_TABLES: dict[str, dict[str, dict[str, Any]]] = {}
for _part in (theory, metrics, sweeps, related):
    _twice = sorted(_TABLES.keys() & _part.TABLES.keys())
    if _twice:  # one name, one experiment: a table never silently shadows another
        raise RuntimeError(f"{_part.__name__} redefines the profile tables of {_twice}")
    _TABLES.update(_part.TABLES)


def check_profile(profile: object) -> str:
    """Validate a profile name (one-line error listing the valid ones)."""
    return check_choice("profile", profile, PROFILES)


def settings(experiment: str, profile: str, **overrides: Any) -> dict[str, Any]:
    """The settings of ``experiment`` at ``profile``, with keyword overrides applied.

    Unknown overrides are rejected so that a typo in a chapter parameter cannot be
    silently ignored.
    """
    check_profile(profile)
    if experiment not in _TABLES:
        raise ParameterError(
            f"experiment={experiment!r} is unknown; use one of {', '.join(sorted(_TABLES))}"
        )
    out = copy.deepcopy(_TABLES[experiment][profile])
    for key, value in overrides.items():
        if key not in out:
            raise ParameterError(
                f"{key}={value!r} is not a setting of {experiment!r}; valid: {', '.join(out)}"
            )
        out[key] = value
    validate_settings(out)
    return out


def experiments() -> list[str]:
    """Names of all experiments with profile tables."""
    return sorted(_TABLES)
