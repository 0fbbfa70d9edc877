"""``data_prep/convert.py`` end to end: refused pickles, keypoint links, and shards built by
``tools/extract_pose.py --backend precomputed`` from a converted release."""
import os
import pickle
import re

import cv2
import numpy as np

from tests.conftest import write_pose_file
from tests.scripts import load_script, load_tool
from unisign_fla.formats.manifest import read_manifest
from unisign_fla.formats.shard_index import load_split_index
from unisign_fla.formats.shards import read_sample

ROOT = os.path.join(os.path.dirname(__file__), '..', '..')
convert = load_script('data_prep', 'convert')
extract_pose = load_tool('extract_pose')


class RunsCode:
    def __reduce__(self):
        return os.system, ('touch PWNED',)


def test_a_label_pickle_that_would_run_code_is_refused(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / 'labels').mkdir()
    (tmp_path / 'labels' / 'labels.train').write_bytes(
        pickle.dumps({'S000000_P0000_T00': {'text': RunsCode()}}))
    (tmp_path / 'release' / 'sentence_label').mkdir(parents=True)
    (tmp_path / 'release' / 'sentence_label' / 'csl2020ct_v2.pkl').write_bytes(
        pickle.dumps({'info': [RunsCode()]}))
    (tmp_path / 'release' / 'sentence_label' / 'split_1.txt').write_text('name|split\n')
    for src, file_name in (('labels', 'labels.train'), ('release', 'csl2020ct_v2.pkl')):
        status = convert.main(['csl_daily', '--src', str(tmp_path / src),
                               '--out', str(tmp_path / 'out')])
        error = capsys.readouterr().err
        assert status == 2 and f'{file_name}: refuses to load' in error and 'system' in error
    assert not (tmp_path / 'PWNED').exists() and not (tmp_path / 'out').exists()


HOLISTIC = [('POSE_LANDMARKS', 'XYZC', [f'P{i}' for i in range(33)]),
            ('FACE_LANDMARKS', 'XYZC', [str(i) for i in range(468)]),
            ('LEFT_HAND_LANDMARKS', 'XYZC', [f'L{i}' for i in range(21)]),
            ('RIGHT_HAND_LANDMARKS', 'XYZC', [f'R{i}' for i in range(21)])]


def phoenix_release(root, poses, num_frames):
    """A PHOENIX-2014-T release of PNG frame folders, with Holistic .pose files for all clips
    but the last of each split."""
    rng = np.random.default_rng(0)
    header = 'name|video|start|end|speaker|orth|translation\n'
    for split in ('train', 'dev', 'test'):
        rows = []
        for clip in range(2):
            name = f'{split}_clip{clip}'
            rows.append(f'{name}|{name}/1/*.png|-1|-1|Signer0{clip + 1}|WETTER GUT|das wetter')
            folder = root / 'features' / 'fullFrame-210x260px' / split / name
            folder.mkdir(parents=True)
            for t in range(num_frames):
                cv2.imwrite(str(folder / f'images{t + 1:04d}.png'),
                            rng.integers(0, 255, (26, 21, 3), dtype=np.uint8))
            if clip == 0:
                (poses / split).mkdir(parents=True, exist_ok=True)
                data = rng.uniform(0, 20, (num_frames, 1, 543, 3)).astype(np.float32)
                write_pose_file(poses / split / f'{name}.pose', HOLISTIC, data,
                                np.ones((num_frames, 1, 543), np.float32), version=0.1,
                                size=(21, 26, 0))
        corpus = root / 'annotations' / 'manual' / f'PHOENIX-2014-T.{split}.corpus.csv'
        corpus.parent.mkdir(parents=True, exist_ok=True)
        corpus.write_text(header + '\n'.join(rows) + '\n')


def test_converted_release_to_shards_with_linked_keypoints(tmp_path, capsys):
    release, poses, out = tmp_path / 'PHOENIX-2014-T', tmp_path / 'poses', tmp_path / 'manifests'
    phoenix_release(release, poses, num_frames=5)
    assert convert.main(['phoenix2014t', '--src', str(release), '--out', str(out),
                         '--poses', str(poses)]) == 0
    printed = capsys.readouterr().out
    assert 'keypoint files linked for 3 clips; 3 without one' in printed
    assert re.search(r'^train +2$', printed, re.M) and re.search(r'^test +2$', printed, re.M)
    assert 'clips name a <name>/1/ frame folder, which the T release does not have' in printed
    assert (out / 'without_keypoints.txt').read_text().split() == [
        'train_clip1', 'dev_clip1', 'test_clip1']
    records = read_manifest(str(out / 'test.jsonl'))[0]
    assert records[0]['keypoints'] == str(poses / 'test' / 'test_clip0.pose')
    assert 'keypoints' not in records[1]

    argv = ['--manifest', str(out / 'test.jsonl'), '--video-root', str(release),
            '--crop-size', '16', '--max-failure-rate', '0.5']
    # --poses links absolute paths outside the video root: read only when the user says so
    assert extract_pose.main(argv + ['--out', str(tmp_path / 'refused')]) == 1
    refused = (tmp_path / 'refused' / 'failures.jsonl').read_text()
    assert 'OutsideRootError: keypoints' in refused and 'pass --allow-outside-root' in refused
    status = extract_pose.main(argv + ['--out', str(tmp_path / 'shards'), '--allow-outside-root'])
    assert status == 0
    samples = [read_sample(entry) for entry in
               load_split_index(str(tmp_path / 'shards'), 'phoenix2014t', 'test')]
    assert [s['id'] for s in samples] == ['test_clip0']
    assert samples[0]['pose'].shape == (5, 133, 3)
    assert samples[0]['meta']['width'] == 21 and samples[0]['meta']['height'] == 26
    failures = (tmp_path / 'shards' / 'failures.jsonl').read_text()
    assert 'test_clip1' in failures and "no 'keypoints' field" in failures
