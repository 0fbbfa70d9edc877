"""Named stages joined by bounded queues, each timed on its own: the machinery of the
extraction job.

The job (job.py) runs every clip through ``decode -> estimate -> crops`` here and writes the
results itself, in manifest order. What this module guarantees:

- a stage runs on its own worker threads; a stage given several functions runs one worker per
  function (the ``estimate`` stage gets one pose backend per worker, so a backend never runs
  concurrently with itself);
- at most ``max_in_flight`` items are between entering the first stage and being taken by the
  caller, which bounds the decoded frames held in memory; the queues between stages are bounded
  by the same number;
- items come out in input order, each with the error that stopped it, if any. An exception of
  one of the ``recoverable`` types stops only its item (a clip that cannot be read); any other
  exception (a bug, ``KeyboardInterrupt`` raised into a worker) is raised to the caller when its
  item's turn comes, and the pipeline stops;
- ``StageTimes`` records, per stage, the wall time spent inside its functions and those threads'
  CPU time, so a profile of a run costs nothing extra (benchmarks/extract.py prints it).
"""
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

_POLL_SECONDS = 0.05   # how often a blocked thread checks whether the pipeline has stopped
_END = object()        # passed down the stages after the last item


@dataclass
class StageTime:
    seconds: float = 0.0       # wall time inside the stage, summed over its workers
    cpu_seconds: float = 0.0   # CPU time of the threads inside the stage
    items: int = 0


class StageTimes:
    """Thread-safe accumulator of ``StageTime`` by stage name."""

    def __init__(self):
        self.stages: dict[str, StageTime] = {}
        self._lock = threading.Lock()

    @contextmanager
    def measure(self, name: str):
        wall, cpu = time.perf_counter(), time.thread_time()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - wall, time.thread_time() - cpu)

    def add(self, name: str, seconds: float, cpu_seconds: float = 0.0, items: int = 1) -> None:
        with self._lock:
            entry = self.stages.setdefault(name, StageTime())
            entry.seconds += seconds
            entry.cpu_seconds += cpu_seconds
            entry.items += items

    def merge(self, other: 'StageTimes') -> None:
        for name, entry in other.stages.items():
            self.add(name, entry.seconds, entry.cpu_seconds, entry.items)


@dataclass
class Stage:
    """A step applied to every item: ``function(item) -> next item``, one worker per function."""
    name: str
    functions: Sequence[Callable[[Any], Any]]

    @classmethod
    def replicated(cls, name: str, function: Callable[[Any], Any], workers: int) -> 'Stage':
        """A stateless step run by ``workers`` threads."""
        return cls(name, [function] * max(1, workers))


@dataclass
class _Slot:
    """An item on its way: its input position, its current value and what stopped it."""
    position: int
    value: Any
    error: BaseException | None = None
    fatal: bool = False


@dataclass
class _StageRun:
    stage: Stage
    inbox: 'queue.Queue'
    outbox: 'queue.Queue'
    workers_left: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class Pipeline:
    """Run items through ``stages``; ``run`` yields ``(value, error)`` in input order (see the
    module docstring). One ``run`` at a time per instance."""

    def __init__(self, stages: list[Stage], max_in_flight: int,
                 recoverable: tuple[type, ...] = (), times: StageTimes | None = None):
        if max_in_flight < 1:
            raise ValueError(f'max_in_flight must be >= 1, got {max_in_flight}')
        self.stages, self.max_in_flight = stages, max_in_flight
        self.recoverable = recoverable
        self.times = times if times is not None else StageTimes()

    def run(self, items: Iterable[Any]) -> Iterator[tuple[Any, BaseException | None]]:
        stop = threading.Event()
        tokens = threading.Semaphore(self.max_in_flight)
        queues = [queue.Queue(self.max_in_flight + 1) for _ in range(len(self.stages) + 1)]
        runs = [_StageRun(stage, queues[i], queues[i + 1], len(stage.functions))
                for i, stage in enumerate(self.stages)]
        threads = [threading.Thread(target=self._feed, args=(items, queues[0], tokens, stop),
                                    name='pipeline-feed', daemon=True)]
        threads += [threading.Thread(target=self._work, args=(run, function, stop),
                                     name=f'pipeline-{run.stage.name}-{k}', daemon=True)
                    for run in runs for k, function in enumerate(run.stage.functions)]
        for thread in threads:
            thread.start()
        try:
            yield from self._in_order(queues[-1], tokens, stop)
        finally:
            stop.set()
            for thread in threads:
                thread.join()

    def _in_order(self, outbox, tokens, stop) -> Iterator[tuple[Any, BaseException | None]]:
        waiting, following = {}, 0
        while True:
            start = time.perf_counter()
            slot = _get(outbox, stop)
            self.times.add('waiting', time.perf_counter() - start, items=0)
            if slot is _END:
                break
            if isinstance(slot, BaseException):   # the input iterator itself failed
                raise slot
            waiting[slot.position] = slot
            while following in waiting:
                ready = waiting.pop(following)
                following += 1
                if ready.fatal:
                    raise ready.error
                yield ready.value, ready.error
                tokens.release()    # only now: the caller has finished with the item

    @staticmethod
    def _feed(items, inbox, tokens, stop) -> None:
        try:
            for position, item in enumerate(items):
                while not tokens.acquire(timeout=_POLL_SECONDS):
                    if stop.is_set():
                        return
                if not _put(inbox, _Slot(position, item), stop):
                    return
        except BaseException as error:   # noqa: BLE001  (handed to the caller, raised there)
            _put(inbox, error, stop)
            return
        _put(inbox, _END, stop)

    def _work(self, run: _StageRun, function, stop) -> None:
        name = run.stage.name
        while True:
            slot = _get(run.inbox, stop)
            if slot is None:
                return
            if slot is _END or isinstance(slot, BaseException):
                _put(run.inbox, slot, stop)          # for this stage's other workers
                with run.lock:
                    run.workers_left -= 1
                    last = run.workers_left == 0
                if last:
                    _get_nowait(run.inbox)           # take it back: nobody is left to read it
                    _put(run.outbox, slot, stop)
                return
            if slot.error is None:
                with self.times.measure(name):
                    try:
                        slot.value = function(slot.value)
                    except self.recoverable as error:
                        slot.error = error
                    except BaseException as error:   # noqa: BLE001  (raised in the caller)
                        slot.error, slot.fatal = error, True
            if not _put(run.outbox, slot, stop):
                return


def _get(box: 'queue.Queue', stop: threading.Event):
    """The next entry, or None once the pipeline stops."""
    while not stop.is_set():
        try:
            return box.get(timeout=_POLL_SECONDS)
        except queue.Empty:
            continue
    return None


def _get_nowait(box: 'queue.Queue') -> None:
    try:
        box.get_nowait()
    except queue.Empty:
        pass


def _put(box: 'queue.Queue', entry, stop: threading.Event) -> bool:
    while not stop.is_set():
        try:
            box.put(entry, timeout=_POLL_SECONDS)
            return True
        except queue.Full:
            continue
    return False
