"""prove's cross-check time limit: a flag the search's visitor reads first, then, for one long
call that reads no flag (computing initial states), an exception raised in the thread."""

from __future__ import annotations

import time

import pytest

from checker.prove.crosscheck import GRACE, _Limit, _OutOfTime, _time_limit


def test_a_search_that_reads_the_flag_stops_without_an_exception() -> None:
    limit = _Limit()
    start = time.monotonic()
    with _time_limit(0.2, limit):
        while not limit.expired:
            time.sleep(0.01)
    assert time.monotonic() - start < 0.2 + GRACE
    time.sleep(GRACE + 0.2)  # nothing is raised after the block either


def test_one_long_call_is_interrupted_after_the_grace() -> None:
    limit = _Limit()
    start = time.monotonic()
    with pytest.raises(_OutOfTime):
        with _time_limit(0.2, limit):
            while True:  # reads no flag
                pass
    assert limit.expired
    assert 0.2 + GRACE <= time.monotonic() - start < 0.2 + GRACE + 5
