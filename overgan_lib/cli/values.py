"""Helpers shared by the ``overgan`` subcommands."""

from __future__ import annotations

import json


def parse_overrides(option: str, pairs: list[str]) -> dict:
    """``KEY=VALUE`` strings (``--set`` / ``--param``) as a dict of parsed values, or a
    one-line error naming the malformed one."""
    from ..errors import ParameterError

    out = {}
    for kv in pairs:
        key, sep, raw = kv.partition("=")
        if not sep or not key:
            raise ParameterError(f"{option} {kv!r} must be KEY=VALUE, e.g. {option} iters=200")
        out[key] = parse_value(raw)
    return out


def parse_value(raw: str):
    """A ``key=value`` override's value: JSON where it parses (numbers, lists, booleans),
    otherwise the raw string (a name such as ``cifar10``)."""
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return raw
