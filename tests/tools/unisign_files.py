"""Uni-Sign's reference cases as a user's files: videos and pose pickles -> a manifest ->
shards by ``tools/extract_pose.py --backend precomputed`` (one data set per language:
``unisign_zh`` with zh_single and zh_no_hands, ``unisign_en`` with en_long; split ``test``; the
target sentence also as the class ``label``, for the ISLR recipe)."""
import json
import os
import shutil

from tests.models.encoders.unisign_checkpoint import CASES, reference_dir
from tests.tools.conftest import load_tool


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
                         text=info['target'], label=info['target'], language=language))
    with open(root / 'manifest.jsonl', 'w', encoding='utf-8') as f:
        f.writelines(json.dumps(row, ensure_ascii=False) + '\n' for row in rows)
    return str(root / 'manifest.jsonl')


def extract_reference_shards(root):
    """``root / 'videos'`` (the cases' files) and ``root / 'shards'`` (their shards)."""
    manifest = write_manifest(root / 'videos')
    load_tool('extract_pose').main(['--manifest', manifest, '--video-root', str(root / 'videos'),
                                    '--out', str(root / 'shards'), '--backend', 'precomputed',
                                    '--no-crops', '--threads', '1'])
    return root / 'shards'
