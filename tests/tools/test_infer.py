"""tools/infer.py: videos in, text out, no manifest or reference. On SynthSign's test videos (and
their keypoint files) it prints what tools/test.py predicts for the same clips."""
import json
import os

import pytest

from tests.models.heads.lm_families import save_family
from tests.tools.conftest import REPO, data_options, load_tool, schedule_options

STAGE1 = os.path.join(REPO, 'configs/synthsign/fla_stage1_synthsign.py')
GENERATION = ['model.generation.max_new_tokens=6', 'model.generation.num_beams=2']


@pytest.fixture(scope='module')
def trained(tiny_synthsign, tmp_path_factory):
    """A stage-1 checkpoint (4 iterations) and tools/test.py's predictions on the test split."""
    work_dir = tmp_path_factory.mktemp('infer_model')
    options = [f'model.head.tokenizer_dir={tiny_synthsign / "tokenizer"}', *GENERATION]
    load_tool('train').main([STAGE1, '--work-dir', str(work_dir), '--cfg-options', *options,
                             *data_options(tiny_synthsign / 'shards'),
                             *schedule_options(4, batch_size=4)])
    checkpoint = str(work_dir / 'iter_4.pth')
    load_tool('test').main([STAGE1, checkpoint, '--work-dir', str(work_dir), '--out-dir',
                            str(work_dir / 'test'), '--cfg-options', *options,
                            *data_options(tiny_synthsign / 'shards')])
    with open(work_dir / 'test' / 'predictions.jsonl', encoding='utf-8') as f:
        predicted = {row['id']: row['hypothesis'] for row in map(json.loads, f)}
    return checkpoint, options, predicted


def infer(tiny_synthsign, trained, *extra):
    checkpoint, options, _ = trained
    return [STAGE1, *extra, '--checkpoint', checkpoint, '--language', 'en',
            '--keypoints', str(tiny_synthsign / 'keypoints'), '--cfg-options', *options]


def test_infer_prints_what_test_predicts(tiny_synthsign, trained, tmp_path, capsys):
    predicted = trained[2]
    videos = [str(tiny_synthsign / 'videos' / f'{clip}.mp4') for clip in sorted(predicted)]
    out = tmp_path / 'results.jsonl'
    load_tool('infer').main(infer(tiny_synthsign, trained, *videos[:2], '--json',
                                  '--out', str(out)))
    load_tool('infer').main(infer(tiny_synthsign, trained, *videos, '--json', '--out', str(out)))
    captured = capsys.readouterr()
    assert captured.err.count('[1/') == 2 and '[1/4]' in captured.err   # resumed: 4 left
    with open(out, encoding='utf-8') as f:
        rows = [json.loads(line) for line in f]
    assert [row['video'] for row in rows] == videos
    assert {os.path.basename(row['video'])[:-4]: row['text'] for row in rows} == predicted


def test_folder_plain_lines_and_windows(tiny_synthsign, trained, tmp_path, capsys):
    predicted = trained[2]
    folder = tmp_path / 'videos'
    folder.mkdir()
    clip = sorted(predicted)[0]
    os.symlink(tiny_synthsign / 'videos' / f'{clip}.mp4', folder / f'{clip}.mp4')
    load_tool('infer').main(infer(tiny_synthsign, trained, str(folder)))
    line = capsys.readouterr().out.strip()
    assert line == f'{folder / clip}.mp4\t{predicted[clip]}'
    load_tool('infer').main(infer(tiny_synthsign, trained, str(folder), '--json',
                                  '--window', '1.0', '--stride', '0.5'))
    windows = [json.loads(row) for row in capsys.readouterr().out.splitlines()]
    assert len(windows) > 1 and windows[0]['start'] == 0
    assert all(b['start'] - a['start'] == pytest.approx(0.48, abs=0.05)
               for a, b in zip(windows, windows[1:-1]))
    assert all(w['end'] - w['start'] == pytest.approx(1.0, abs=0.1) for w in windows)


def test_a_video_without_keypoints_or_backend_is_an_error(trained, tmp_path):
    video = tmp_path / 'clip.mp4'
    video.write_bytes(b'')
    with pytest.raises(SystemExit, match='no keypoint file'):
        load_tool('infer').main([STAGE1, str(video), '--checkpoint', trained[0],
                                 '--language', 'en'])


def test_a_video_that_cannot_be_read_is_reported_and_the_rest_go_on(tiny_synthsign, trained,
                                                                   tmp_path, capsys):
    predicted = trained[2]
    clip = sorted(predicted)[0]
    broken = tmp_path / 'broken.mp4'
    broken.write_bytes(b'not a video')
    os.symlink(tiny_synthsign / 'keypoints' / f'{clip}.npy', tmp_path / 'broken.npy')
    good = str(tiny_synthsign / 'videos' / f'{clip}.mp4')
    load_tool('infer').main(infer(tiny_synthsign, trained, str(broken), good, '--json'))
    rows = [json.loads(row) for row in capsys.readouterr().out.splitlines()]
    assert 'error' in rows[0] and rows[0]['video'] == str(broken)
    assert rows[1] == {'video': good, 'text': predicted[clip]}


def test_resume_retries_errors_and_ignores_a_torn_last_line(tiny_synthsign, trained, tmp_path,
                                                             capsys):
    predicted = trained[2]
    clip = sorted(predicted)[0]
    video = str(tiny_synthsign / 'videos' / f'{clip}.mp4')
    out = tmp_path / 'results.jsonl'
    out.write_text(json.dumps({'video': video, 'error': 'no person'}) + '\n'
                   + '{"video": "/half/writ')
    load_tool('infer').main(infer(tiny_synthsign, trained, video, '--out', str(out)))
    captured = capsys.readouterr()
    assert f'{out}:2: not a complete JSON line, ignored' in captured.err
    assert json.loads(out.read_text().splitlines()[-1]) == {'video': video,
                                                            'text': predicted[clip]}


def test_user_mistakes_are_one_line_errors(tiny_synthsign, trained, tmp_path, capsys):
    clip = sorted(trained[2])[0]
    video = str(tiny_synthsign / 'videos' / f'{clip}.mp4')
    with pytest.raises(SystemExit):   # argparse: a folder is not a results file
        load_tool('infer').main(infer(tiny_synthsign, trained, video, '--out', str(tmp_path)))
    with pytest.raises(SystemExit) as exited:   # before any model is loaded
        load_tool('infer').main(infer(tiny_synthsign, trained, video, '--backend', 'rtmpose',
                                      '--backend-args', '{"pose_modle": "x.onnx"}'))
    assert exited.value.code == 2
    assert "--backend-args for rtmpose: unknown 'pose_modle'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:   # keypoint files: read by precomputed
        load_tool('infer').main(infer(tiny_synthsign, trained, video, '--backend-args', '[1]'))
    assert exited.value.code == 2
    assert '--backend-args must be a JSON object' in capsys.readouterr().err
    stage2 = os.path.join(REPO, 'configs/synthsign/fla_stage2_synthsign.py')
    llama = save_family('llama', tmp_path / 'llama')   # CI has no quick-start LM folder
    with pytest.raises(SystemExit, match=r'^error: .*(missing|unexpected)'):
        load_tool('infer').main([stage2, video, '--checkpoint', trained[0], '--language', 'en',
                                 '--keypoints', str(tiny_synthsign / 'keypoints'),
                                 '--cfg-options', f'model.head.pretrained_dir={llama}'])


class Terminal:
    """A stderr that says it is a terminal, recording what is written to it."""

    def __init__(self):
        self.text = ''

    def isatty(self):
        return True

    def write(self, text):
        self.text += text

    def flush(self):
        pass


def test_a_terminal_watching_a_redirected_run_gets_one_redrawn_bar(tiny_synthsign, trained,
                                                                    tmp_path, monkeypatch,
                                                                    capsys):
    predicted = trained[2]
    videos = [str(tiny_synthsign / 'videos' / f'{clip}.mp4') for clip in sorted(predicted)]
    terminal = Terminal()
    monkeypatch.setattr('sys.stderr', terminal)
    load_tool('infer').main(infer(tiny_synthsign, trained, *videos[:3]))
    bars = terminal.text.split('\r\033[K')
    assert [bar.split(' ')[0] for bar in bars[-4:]] == [
        '[' + '#' * filled + '.' * (24 - filled) + ']' for filled in (0, 8, 16, 24)]
    assert '[3/3]' in bars[-2] and bars[-1].endswith('3 videos\n')
    assert len(capsys.readouterr().out.splitlines()) == 3      # the translations, on stdout
