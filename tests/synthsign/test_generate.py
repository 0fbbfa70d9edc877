import importlib.util
import json
import os

import cv2
import numpy as np
import pytest

from unisign_fla.formats.manifest import read_manifest
from unisign_fla.synthsign import PRESETS, generate_dataset
from unisign_fla.synthsign.generate import SPLITS

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _manifests(out):
    return {name: read_manifest(os.path.join(out, 'manifests', f'{name}.jsonl'))[0]
            for split in SPLITS for name in (split, f'islr_{split}')}


def test_layout_counts_and_manifests(tiny_dataset):
    out, summary = tiny_dataset
    manifests = _manifests(out)
    preset = PRESETS['tiny']
    for k, split in enumerate(SPLITS):
        assert len(manifests[split]) == preset.sentences[k] == summary['counts'][split]['sentences']
        assert len(manifests[f'islr_{split}']) == summary['counts'][split]['islr']
        for rec in manifests[split]:
            assert rec['text'][0].isupper() and rec['text'][-1] in '.?'
            assert 3 <= len(rec['gloss']) <= 7 and all(g.isupper() for g in rec['gloss'])
        for rec in manifests[f'islr_{split}']:
            assert rec['label'] == rec['label'].lower() and 'gloss' not in rec
    with open(os.path.join(out, 'synthsign.json')) as f:
        saved = json.load(f)
    assert saved['seed'] == 0 and saved['size'] == 'tiny' and saved['fps'] == 12.5
    assert len(saved['vocabulary']) >= 100 and saved['vocabulary'][0]['params']['handshape']
    assert not [p for p in os.listdir(out / 'videos') if p.startswith('.tmp')]


def test_split_by_signer(tiny_dataset):
    out, _ = tiny_dataset
    signers = {split: set() for split in SPLITS}
    for name, records in _manifests(out).items():
        for rec in records:
            signers[rec['split']].add(rec['signer'])
    assert not signers['train'] & signers['dev'] and not signers['train'] & signers['test']
    assert not signers['dev'] & signers['test']


def test_videos_match_keypoints(tiny_dataset):
    out, summary = tiny_dataset
    for records in _manifests(out).values():
        for rec in records[:3]:
            kp = np.load(out / rec['keypoints'], allow_pickle=False)
            assert kp.dtype == np.float32 and kp.shape[1:] == (133, 3)
            cap = cv2.VideoCapture(str(out / rec['video']))
            assert cap.isOpened()
            assert (cap.get(cv2.CAP_PROP_FRAME_WIDTH), cap.get(cv2.CAP_PROP_FRAME_HEIGHT)) == (
                summary['width'], summary['height'])
            frames = 0
            while cap.read()[0]:
                frames += 1
            assert frames == len(kp)


def test_deterministic_across_workers_and_rerun(tiny_dataset, tmp_path):
    out, summary = tiny_dataset
    again = generate_dataset(str(tmp_path), size='tiny', seed=0, workers=2)
    assert again['counts'] == summary['counts']
    for sub in ('keypoints', 'manifests'):
        names = sorted(os.listdir(out / sub))
        assert names == sorted(os.listdir(tmp_path / sub))
        for name in names:
            assert (out / sub / name).read_bytes() == (tmp_path / sub / name).read_bytes(), name
    assert (out / 'synthsign.json').read_bytes() == (tmp_path / 'synthsign.json').read_bytes()
    quick = generate_dataset(str(tmp_path), size='tiny', seed=0)
    assert quick['seconds'] < 1.0 and quick['counts'] == summary['counts']
    with pytest.raises(ValueError, match='seed=1'):
        generate_dataset(str(tmp_path), size='tiny', seed=1)


def test_other_seed_gives_other_data(tmp_path):
    from unisign_fla.synthsign import plan_clips
    a, b = plan_clips(0, 'tiny'), plan_clips(1, 'tiny')
    assert [s.text for s in a] != [s.text for s in b]
    with pytest.raises(ValueError, match='unknown size'):
        plan_clips(0, 'huge')
    with pytest.raises(ValueError, match='workers'):
        generate_dataset(str(tmp_path), workers=0)


def test_cli_prints_counts(tiny_dataset, capsys):
    out, summary = tiny_dataset
    spec = importlib.util.spec_from_file_location('synthsign_cli',
                                                  os.path.join(ROOT, 'data_prep', 'synthsign.py'))
    cli = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cli)
    assert cli.main(['--out', str(out), '--size', 'tiny', '--seed', '0']) == 0
    printed = capsys.readouterr().out
    assert f"{'train':6} {summary['counts']['train']['sentences']:9d}" in printed
