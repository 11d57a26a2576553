"""The one-line stop before a chapter computes, at gpu and paper, records this machine should
not compute (overgan_lib.stored_guard)."""

from __future__ import annotations

import pytest

from overgan_lib.errors import OneLineError, ParameterError
from overgan_lib.stored_guard import GPU_PROFILES, require_stored


def test_require_stored_stops_only_at_gpu_profiles_with_work_to_do():
    assert GPU_PROFILES == ("gpu", "paper")
    require_stored("chapter 9", "smoke", ["a"], "why")  # below gpu: this machine's work
    require_stored("chapter 9", "cpu", ["a"], "why", rerun=True)
    require_stored("chapter 9", "gpu", [], "why")  # nothing to compute
    with pytest.raises(OneLineError) as err:
        require_stored("chapter 9", "gpu", ["a"], "it needs a GPU")
    assert str(err.value) == ("chapter 9 at profile gpu: 1 record not stored (a); this chapter "
                              "would compute it here, it needs a GPU")
    with pytest.raises(OneLineError, match=r"^chapter 9 at profile paper: 2 records not stored "
                                           r"\(a, b\); this chapter would compute them here, x$"):
        require_stored("chapter 9", "paper", ["a", "b"], "x")
    with pytest.raises(OneLineError, match=r"rerun=True would recompute its 2 records \(a, b\) "
                                           r"here, x$"):
        require_stored("chapter 9", "paper", ["a", "b"], "x", rerun=True)
    with pytest.raises(ParameterError):
        require_stored("chapter 9", "tpu", ["a"], "x")
