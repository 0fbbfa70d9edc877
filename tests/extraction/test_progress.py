import io
import logging

from unisign_fla.extraction.progress import Progress, format_duration


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_terminal_line_shows_clips_rate_failures_and_eta(monkeypatch):
    clock = iter([100.0, 110.0, 110.0, 130.0, 130.0])   # start; each update: now, line()
    monkeypatch.setattr('unisign_fla.extraction.progress.time.perf_counter', lambda: next(clock))
    terminal = FakeTerminal()
    progress = Progress(total_clips=8, stream=terminal)
    progress.update(clips=1, frames=250)              # t = 10 s: 1 of 8 done
    assert terminal.getvalue().startswith('\r[###.....................] 1/8 clips  250 frames  '
                                          '25.0 frames/s  failures 0  ETA 0:01:10')
    progress.update(failures=1)                        # t = 30 s: 2 of 8, 15 s each
    assert terminal.getvalue().endswith('2/8 clips  250 frames  8.3 frames/s  failures 1  '
                                        'ETA 0:01:30')


def test_log_file_gets_a_line_every_interval(caplog):
    caplog.set_level(logging.INFO, logger='unisign_fla.extraction.progress')
    progress = Progress(total_clips=3, stream=io.StringIO(), log_every=3600)
    progress.update(clips=1, frames=10)
    assert caplog.records == []                        # within the interval: quiet
    progress.close()
    assert '1/3 clips  10 frames' in caplog.records[-1].getMessage()
    assert format_duration(3725) == '1:02:05'
