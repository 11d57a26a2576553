"""Helpers shared by the ``overgan`` subcommands."""

from __future__ import annotations

import json


def parse_overrides(option: str, pairs: list[str]) -> dict:
    """``KEY=VALUE`` strings (``--set`` / ``--param``) as a dict of parsed values, or a
    one-line error naming the malformed one (no ``=``, or a list or mapping that is not
    valid JSON, such as ``widths=[8,24``)."""
    from ..errors import ParameterError

    out = {}
    for kv in pairs:
        key, sep, raw = kv.partition("=")
        if not sep or not key:
            raise ParameterError(f"{option} {kv!r} must be KEY=VALUE, e.g. {option} iters=200")
        if raw.lstrip().startswith(("[", "{")) and not _is_json(raw):
            raise ParameterError(
                f"{option} {kv!r}: {raw!r} is not valid JSON, so not a list; write a list as "
                f"JSON, e.g. {option} '{key}=[8,16]' (quoted for the shell)")
        out[key] = parse_value(raw)
    return out


def parse_value(raw: str):
    """A ``key=value`` override's value: JSON where it parses (numbers, lists, booleans),
    otherwise the raw string (a name such as ``cifar10``)."""
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return raw


def _is_json(raw: str) -> bool:
    try:
        json.loads(raw)
    except json.JSONDecodeError:
        return False
    return True
