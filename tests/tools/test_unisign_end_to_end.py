"""From Uni-Sign's files to Uni-Sign's translations with the toolkit's tools: pose pickles and
videos -> manifest -> tools/extract_pose.py --backend precomputed -> shards;
tools/convert_checkpoint.py unisign; tools/test.py configs/unisign/unisign_pose_slt.py writes
the greedy generations of Uni-Sign's own pose-only model."""
import json
import os
import shutil

import torch

from tests.models.encoders.unisign_checkpoint import reference_dir, unisign_state_dict
from unisign_fla.models.unisign_conversion import RGB_PREFIXES

from .conftest import REPO, load_tool

CASES = ('zh_single', 'en_long', 'zh_no_hands')


def write_manifest(root) -> str:
    """Each case's video and pose pickle under ``root``, one manifest record per case; a data
    set per language, since an evaluation set has one language."""
    rows = []
    for case in CASES:
        source = os.path.join(reference_dir(), 'cases', case)
        os.makedirs(root / case)
        for name in ('video.mp4', 'pose.pkl'):
            shutil.copyfile(os.path.join(source, name), root / case / name)
        with open(os.path.join(source, 'golden.json'), encoding='utf-8') as f:
            info = json.load(f)
        language = 'zh' if 'Chinese' in info['prompt'] else 'en'
        rows.append(dict(id=case, dataset=f'unisign_{language}', split='test',
                         video=f'{case}/video.mp4', keypoints=f'{case}/pose.pkl',
                         text=info['target'], language=language))
    with open(root / 'manifest.jsonl', 'w', encoding='utf-8') as f:
        f.writelines(json.dumps(row, ensure_ascii=False) + '\n' for row in rows)
    return str(root / 'manifest.jsonl')


def test_unisign_files_to_unisign_translations(tmp_path, single_thread):
    manifest = write_manifest(tmp_path / 'videos')
    load_tool('extract_pose').main(['--manifest', manifest, '--video-root',
                                    str(tmp_path / 'videos'), '--out', str(tmp_path / 'shards'),
                                    '--backend', 'precomputed', '--no-crops', '--threads', '1'])
    pose_only = {k: v for k, v in unisign_state_dict().items() if not k.startswith(RGB_PREFIXES)}
    torch.save({'model': pose_only}, tmp_path / 'unisign_pose.pth')
    load_tool('convert_checkpoint').main(['unisign', str(tmp_path / 'unisign_pose.pth'),
                                          '--out', str(tmp_path / 'converted.pth')])
    hypotheses = {}
    for language in ('zh', 'en'):
        out_dir = tmp_path / f'test_{language}'
        load_tool('test').main([
            os.path.join(REPO, 'configs', 'unisign', 'unisign_pose_slt.py'),
            str(tmp_path / 'converted.pth'), '--work-dir', str(tmp_path / 'work'),
            '--out-dir', str(out_dir), '--cfg-options',
            f'model.head.pretrained_dir={os.path.join(reference_dir(), "mt5-tiny")}',
            'model.generation.num_beams=1', 'model.generation.max_new_tokens=20',
            f'test_dataloader.dataset.data_root={tmp_path / "shards"}',
            f'test_dataloader.dataset.ann_file=unisign_{language}-test.index.json',
            'test_dataloader.num_workers=0', 'test_dataloader.persistent_workers=False'])
        with open(out_dir / 'predictions.jsonl', encoding='utf-8') as f:
            hypotheses.update((row['id'], row['hypothesis']) for row in map(json.loads, f))
    expected = {}
    for case in CASES:
        with open(os.path.join(reference_dir(), 'cases', case, 'golden.json'),
                  encoding='utf-8') as f:
            expected[case] = json.load(f)['pose_only']['greedy_text']
    assert hypotheses == expected
