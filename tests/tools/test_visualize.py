"""tools/visualize.py: each subcommand writes the one file a person opens; mistakes are one line."""
import os

import cv2
import numpy as np
import pytest
from PIL import Image

from tests.conftest import write_shard_set, write_video
from tests.tools.conftest import REPO, data_options, load_tool, schedule_options

visualize = load_tool('visualize')
PGF_STAGE1 = os.path.join(REPO, 'configs/synthsign/pgf_stage1_synthsign.py')
FRAMES = 12


@pytest.fixture
def shards(tmp_path):
    """Clips 'a' and 'b' in one test shard, and a video for 'a' under tmp_path / 'videos'."""
    write_shard_set(tmp_path, 'synthsign', 'test', [{'id': 'a', 'text': 'hi'},
                                                    {'id': 'b', 'text': 'ho'}], frames=FRAMES)
    os.makedirs(tmp_path / 'videos')
    write_video(str(tmp_path / 'videos' / 'a.mp4'),
                np.full((FRAMES, 256, 256, 3), (30, 90, 200), np.uint8))
    return tmp_path


def _clip(shards, *more):
    return [str(shards), '--dataset', 'synthsign', '--split', 'test', *more]


def _assert_picture(path, size):
    image = Image.open(path)
    assert image.size == size
    assert len(np.unique(np.asarray(image.convert('RGB')).reshape(-1, 3), axis=0)) > 50


def test_overlay_mp4_and_sheet(shards, tmp_path):
    out = tmp_path / 'out' / 'a.mp4'
    visualize.main(['overlay', *_clip(shards, '--id', 'a', '--video-root',
                                      str(shards / 'videos'), '--out', str(out))])
    capture = cv2.VideoCapture(str(out))
    frames = []
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        frames.append(frame)
    assert len(frames) == FRAMES
    assert np.abs(frames[5][250, 60].astype(int) - (200, 90, 30)).max() < 15   # the video (BGR)
    sheet = tmp_path / 'out' / 'b.png'
    visualize.main(['overlay', *_clip(shards, '--index', '1', '--sheet', '4', '--tile-width',
                                      '200', '--out', str(sheet))])
    _assert_picture(sheet, (4 * 200 + 3 * 4, 200))


def test_clip_figure(shards, tmp_path):
    out = tmp_path / 'clip.png'
    visualize.main(['clip', *_clip(shards, '--id', 'b', '--fraction', '0.5', '--out', str(out))])
    _assert_picture(out, (1000, 650))


@pytest.mark.parametrize('args, message', [
    (['--id', 'nope', '--out', 'x.png'], "no clip 'nope'"),
    (['--index', '7', '--out', 'x.png'], '--index 7 is out of range'),
    (['--id', 'a', '--out', 'x.mp4'], 'clip writes a .png file'),
])
def test_mistakes_are_one_line_errors(shards, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit, match='error: .*' + message):
        visualize.main(['clip', *_clip(shards, *args)])
    with pytest.raises(SystemExit, match='error: .*no such split index file or shard folder'):
        visualize.main(['clip', str(tmp_path / 'missing'), '--out', 'new/x.png'])
    assert not os.path.exists(tmp_path / 'x.png') and not os.path.exists(tmp_path / 'new')


@pytest.mark.parametrize('option', [['--sheet', '0'], ['--sheet', '2', '--columns', '0'],
                                    ['--sheet', '2', '--tile-width', '0']])
def test_sheet_sizes_must_be_positive(shards, tmp_path, option, capsys):
    with pytest.raises(SystemExit):
        visualize.main(['overlay', *_clip(shards, '--id', 'a', '--out',
                                          str(tmp_path / 'x.png'), *option)])
    assert 'must be at least 1' in capsys.readouterr().err


def test_gate_heatmap_of_a_two_iteration_pgf_model(tiny_synthsign, tmp_path, single_thread):
    train_tool = load_tool('train')
    work_dir = tmp_path / 'pgf'
    train_tool.main([PGF_STAGE1, '--work-dir', str(work_dir), '--cfg-options',
                     f'model.head.tokenizer_dir={tiny_synthsign / "tokenizer"}',
                     *data_options(tiny_synthsign / 'shards'), *schedule_options(2, batch_size=4)])
    out = tmp_path / 'gate.png'
    visualize.main(['gate', str(tiny_synthsign / 'shards'), '--dataset', 'synthsign', '--split',
                    'test', '--index', '0', '--model', str(work_dir / 'pgf_stage1_synthsign.py'),
                    '--checkpoint', str(work_dir / 'iter_2.pth'), '--out', str(out)])
    _assert_picture(out, (1200, 600))
