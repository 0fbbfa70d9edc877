"""Progress of an extraction worker: clips done of clips to do, frames/s, failures and ETA.

On a terminal one line is redrawn in place (at most twice a second); in a batch job's log file
(no terminal) a line is logged every ``log_every`` seconds instead, so logs stay readable.
"""
import logging
import sys
import time

logger = logging.getLogger(__name__)


def progress_bar(done: int, total: int, width: int = 24) -> str:
    """``[#####...]`` for ``done`` of ``total``."""
    filled = int(width * done / total) if total else width
    return f'[{"#" * filled}{"." * (width - filled)}]'


def format_duration(seconds: float) -> str:
    seconds = int(round(seconds))
    return f'{seconds // 3600:d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}'


class Progress:

    def __init__(self, total_clips: int, stream=None, log_every: float = 30.0):
        self.total = total_clips
        self.stream = stream if stream is not None else sys.stderr
        self.interactive = getattr(self.stream, 'isatty', lambda: False)()
        self.interval = 0.5 if self.interactive else log_every
        self.clips = self.frames = self.failures = 0
        self.start = self.last_report = time.perf_counter()

    def line(self) -> str:
        elapsed = max(time.perf_counter() - self.start, 1e-9)
        done = self.clips + self.failures
        eta = (self.total - done) * elapsed / done if done else float('nan')
        return (f'{progress_bar(done, self.total)} {done}/{self.total} clips  '
                f'{self.frames} frames  {self.frames / elapsed:.1f} frames/s  '
                f'failures {self.failures}  ETA {format_duration(eta) if done else "?"}')

    def update(self, clips: int = 0, frames: int = 0, failures: int = 0) -> None:
        self.clips += clips
        self.frames += frames
        self.failures += failures
        now = time.perf_counter()
        if now - self.last_report >= self.interval:
            self.last_report = now
            self.report()

    def report(self) -> None:
        if self.interactive:
            self.stream.write('\r' + self.line())
            self.stream.flush()
        else:
            logger.info(self.line())

    def close(self) -> None:
        self.report()
        if self.interactive:
            self.stream.write('\n')
