"""The staged pipeline behind the extraction job: order, bounds, errors and timing, each on its
own."""
import random
import threading
import time

import pytest

from unisign_fla.extraction.pipeline import Pipeline, Stage, StageTimes


class ClipUnreadable(ValueError):
    pass


def jitter(seed):
    """A stage function that sleeps a random few milliseconds, so workers finish out of order."""
    rng = random.Random(seed)
    lock = threading.Lock()

    def step(item):
        with lock:
            delay = rng.uniform(0, 0.004)
        time.sleep(delay)
        return item
    return step


def test_items_come_out_in_input_order_through_parallel_stages():
    stages = [Stage.replicated('decode', jitter(0), 3),
              Stage('estimate', [lambda x: x * 10, lambda x: x * 10]),
              Stage.replicated('crops', jitter(1), 2)]
    out = list(Pipeline(stages, max_in_flight=4).run(range(40)))
    assert out == [(10 * i, None) for i in range(40)]


def test_no_more_than_max_in_flight_items_between_feed_and_caller():
    active, peak, lock = set(), [0], threading.Lock()

    def enter(item):
        with lock:
            active.add(item)
            peak[0] = max(peak[0], len(active))
        return item

    stages = [Stage.replicated('decode', enter, 4), Stage.replicated('crops', jitter(2), 4)]
    for item, _ in Pipeline(stages, max_in_flight=3).run(range(30)):
        time.sleep(0.002)           # a slow writer: the pipeline must wait for it
        with lock:
            active.discard(item)
    assert peak[0] == 3


def test_a_recoverable_error_stops_only_its_item():
    calls = []

    def decode(item):
        if item == 2:
            raise ClipUnreadable(f'clip {item}: cannot read')
        return item

    def crops(item):
        calls.append(item)
        return item

    stages = [Stage.replicated('decode', decode, 2), Stage.replicated('crops', crops, 2)]
    out = list(Pipeline(stages, 2, recoverable=(ClipUnreadable,)).run(range(5)))
    assert [value for value, error in out] == [0, 1, 2, 3, 4]
    assert [str(error) if error else None for _, error in out] == [
        None, None, 'clip 2: cannot read', None, None]
    assert sorted(calls) == [0, 1, 3, 4]     # later stages skip the failed item


@pytest.mark.parametrize('fatal', [KeyError, KeyboardInterrupt])
def test_any_other_exception_reaches_the_caller_in_turn_and_stops_every_thread(fatal):
    def estimate(item):
        if item == 3:
            raise fatal('a bug')
        return item

    before = threading.active_count()
    results = []
    with pytest.raises(fatal):
        for value, _ in Pipeline([Stage.replicated('estimate', estimate, 2)], 2,
                                 recoverable=(ClipUnreadable,)).run(range(100)):
            results.append(value)
    assert results == [0, 1, 2]
    assert threading.active_count() == before


def test_a_caller_that_stops_early_leaves_no_thread_behind():
    before = threading.active_count()
    run = Pipeline([Stage.replicated('decode', jitter(3), 2)], 2).run(range(1000))
    assert next(run) == (0, None)
    run.close()
    assert threading.active_count() == before


def test_stage_times_count_every_item_and_the_time_inside():
    times = StageTimes()
    stages = [Stage.replicated('decode', lambda x: time.sleep(0.01) or x, 2),
              Stage.replicated('crops', lambda x: x, 1)]
    assert len(list(Pipeline(stages, 2, times=times).run(range(6)))) == 6
    recorded = times.stages
    assert recorded['decode'].items == 6 and recorded['crops'].items == 6
    assert recorded['decode'].seconds >= 0.06
    assert recorded['decode'].cpu_seconds < recorded['decode'].seconds   # it slept
    assert 'waiting' in recorded


def test_max_in_flight_must_be_positive():
    with pytest.raises(ValueError, match='max_in_flight must be >= 1, got 0'):
        Pipeline([], 0)
