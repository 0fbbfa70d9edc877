"""From Uni-Sign's files to Uni-Sign's translations with the toolkit's tools: pose pickles and
videos -> manifest -> tools/extract_pose.py --backend precomputed -> shards;
tools/convert_checkpoint.py unisign; tools/test.py configs/unisign/unisign_pose_slt.py writes
the greedy generations of Uni-Sign's own pose-only model, and unisign_rgb_pose_slt.py (crops cut
from the videos, frames chosen by weight) those of its RGB-pose model as far as the crop frames
allow: Uni-Sign drew them at random (with a fixed numpy seed), so they may differ."""
import json
import os
import shutil

import pytest
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


@pytest.mark.parametrize('variant, beams', [('pose_only', 1), ('pose_only', 4), ('rgb_pose', 1)])
def test_unisign_files_to_unisign_translations(tmp_path, single_thread, variant, beams):
    manifest = write_manifest(tmp_path / 'videos')
    load_tool('extract_pose').main(['--manifest', manifest, '--video-root',
                                    str(tmp_path / 'videos'), '--out', str(tmp_path / 'shards'),
                                    '--backend', 'precomputed', '--no-crops', '--threads', '1'])
    rgb = variant == 'rgb_pose'
    state = {k: v for k, v in unisign_state_dict().items()
             if rgb or not k.startswith(RGB_PREFIXES)}
    torch.save({'model': state}, tmp_path / 'unisign.pth')
    load_tool('convert_checkpoint').main(['unisign', str(tmp_path / 'unisign.pth'),
                                          '--out', str(tmp_path / 'converted.pth')])
    recipe = 'unisign_rgb_pose_slt.py' if rgb else 'unisign_pose_slt.py'
    videos = [f'test_dataloader.dataset.pipeline.3.video_root={tmp_path / "videos"}'] if rgb \
        else []
    hypotheses = {}
    for language in ('zh', 'en'):
        out_dir = tmp_path / f'test_{language}'
        load_tool('test').main([
            os.path.join(REPO, 'configs', 'unisign', recipe),
            str(tmp_path / 'converted.pth'), '--work-dir', str(tmp_path / 'work'),
            '--out-dir', str(out_dir), '--cfg-options',
            f'model.head.pretrained_dir={os.path.join(reference_dir(), "mt5-tiny")}',
            f'model.generation.num_beams={beams}', 'model.generation.max_new_tokens=20',
            f'test_dataloader.dataset.data_root={tmp_path / "shards"}',
            f'test_dataloader.dataset.ann_file=unisign_{language}-test.index.json',
            'test_dataloader.num_workers=0', 'test_dataloader.persistent_workers=False',
            *videos])
        with open(out_dir / 'predictions.jsonl', encoding='utf-8') as f:
            hypotheses.update((row['id'], row['hypothesis']) for row in map(json.loads, f))
    expected = {}
    for case in CASES:
        with open(os.path.join(reference_dir(), 'cases', case, 'golden.json'),
                  encoding='utf-8') as f:
            info = json.load(f)
        texts = info if rgb else info['pose_only']
        expected[case] = texts['greedy_text' if beams == 1 else 'beam4_text']
    if not rgb:
        assert hypotheses == expected
        return
    equal = sorted(case for case in CASES if hypotheses[case] == expected[case])
    print(f'RGB-pose, crop frames chosen by weight: {len(equal)} of {len(CASES)} greedy '
          f'translations equal the reference\'s ({", ".join(equal)})')
    # Without hand crops (placeholders only) the crop frames cannot differ.
    assert hypotheses['zh_no_hands'] == expected['zh_no_hands']
