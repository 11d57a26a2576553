"""Helpers shared by the ``overgan`` subcommands."""

from __future__ import annotations

import json


def parse_value(raw: str):
    """A ``key=value`` override's value: JSON where it parses (numbers, lists, booleans),
    otherwise the raw string (a name such as ``cifar10``)."""
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return raw
