"""Helpers shared by the ``overgan`` subcommands."""

from __future__ import annotations

import argparse
import json
import sys
from typing import NoReturn


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line on stderr, exit status 2, like
    every other bad input of ``overgan``; ``hint`` (optional) is appended to them."""

    def __init__(self, *args, hint: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.hint = hint

    def error(self, message: str) -> NoReturn:
        hint = f"; {self.hint}" if self.hint else ""
        print(f"{self.prog}: error: {message}{hint} (see {self.prog} --help)", file=sys.stderr)
        raise SystemExit(2)


def positive_int(text: str) -> int:
    """argparse type: an integer >= 1 (a 0 must not fall back to a default unnoticed)."""
    return _int_at_least(text, 1, "a positive integer (e.g. 8)")


def nonnegative_int(text: str) -> int:
    """argparse type: an integer >= 0 (``--eval-every 0``: FID only at the end)."""
    return _int_at_least(text, 0, "an integer >= 0")


def _int_at_least(text: str, minimum: int, what: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = minimum - 1
    if value < minimum:
        raise argparse.ArgumentTypeError(f"{text!r} must be {what}")
    return value


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
