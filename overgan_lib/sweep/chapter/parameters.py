"""A sweep chapter's parameters: its ``overrides``, checked against the sweeps it names, and
the views of those sweeps (:func:`load_views`)."""

from __future__ import annotations

from collections.abc import Sequence

from ...errors import ParameterError
from ..view import available_views
from ._types import Views


def check_overrides(overrides: object, names: Sequence[str]) -> dict[str, dict]:
    """``overrides`` as ``{sweep: settings}``, every key one of ``names`` and every value a
    mapping; otherwise a one-line error naming the key and the valid names (the flat form of
    the other chapters, ``{"widths": [8, 64]}``, or a misspelt sweep, would otherwise leave
    the stored defaults rendered as if the override applied)."""
    if overrides is None:
        return {}
    example = f"{{{names[0]!r}: {{'widths': [8, 64]}}}}"
    if not isinstance(overrides, dict):
        raise ParameterError(f"overrides={overrides!r} must be a mapping from sweep name to "
                             f"settings, e.g. {example}")
    for key, value in overrides.items():
        if key not in names:
            raise ParameterError(f"overrides key {key!r} is not a sweep of this chapter; key "
                                 f"the settings by one of {', '.join(names)}, e.g. {example}")
        if not isinstance(value, dict):
            raise ParameterError(f"overrides[{key!r}]={value!r} must be a mapping of settings, "
                                 f"e.g. {example}")
    return dict(overrides)


def load_views(names: Sequence[str], profile: str, seed: int, overrides: object,
               train_missing: bool | None, rerun: bool) -> Views:
    """Every sweep of ``names`` at ``profile`` and each other stored profile
    (:func:`..view.available_views`), after :func:`check_overrides`."""
    per_sweep = check_overrides(overrides, names)
    return {name: available_views(name, profile, seed, per_sweep.get(name), train_missing,
                                  rerun) for name in names}
