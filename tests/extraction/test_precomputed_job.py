"""``--backend precomputed`` in the extraction job over each keypoint-file format."""
import os

import numpy as np

from tests.formats.test_keypoint_files import (
    HOLISTIC,
    WIDTH,
    holistic_data,
    save_pickle,
    unisign_pose,
)
from unisign_fla.extraction.job import ExtractionConfig, ExtractionJob
from unisign_fla.formats.shard_index import load_split_index
from unisign_fla.formats.shards import read_sample
from unisign_fla.keypoints import INDEX


def test_job_builds_shards_from_both_formats(tmp_path, helpers, pose_file_writer):
    """tools' job with --backend precomputed over a Uni-Sign pickle and a .pose file; a
    malicious pickle is a logged failure, not code run."""
    root = tmp_path / 'data'
    records = [helpers.make_clip(str(root), f'clip{i}', 6, np.random.default_rng(i), seed=i)
               for i in range(3)]
    pose = unisign_pose(6)
    records[0]['keypoints'] = 'videos/' + save_pickle(root / 'videos' / 'clip0.pkl', pose)
    data, confidence = holistic_data(6)
    pose_file_writer(root / 'videos' / 'clip1.pose', HOLISTIC, data, confidence)
    records[1]['keypoints'] = 'videos/clip1.pose'
    records[2]['keypoints'] = 'videos/' + save_pickle(root / 'videos' / 'clip2.pkl',
                                                      {'keypoints': [os.system], 'scores': []})
    manifest = helpers.write_jsonl(str(tmp_path / 'm.jsonl'), records)
    cfg = ExtractionConfig(manifest=manifest, video_root=str(root), out=str(tmp_path / 'out'),
                           backend='precomputed', crop_size=16, max_failure_rate=0.5)
    summary = ExtractionJob(cfg).run()
    assert (summary.clips, summary.failures) == (2, 1)
    samples = {s['id']: s for s in map(read_sample, load_split_index(cfg.out, 'toy', 'train'))}
    np.testing.assert_allclose(samples['clip0']['pose'][..., 0].astype(np.float32),
                               np.stack(pose['keypoints'])[:, 0, :, 0] * WIDTH, atol=0.05)
    nose = samples['clip1']['pose'][:, INDEX['nose'], :2].astype(np.float32)
    np.testing.assert_allclose(nose, data[:, 0, 0, :2], atol=0.1)
    failure = (tmp_path / 'out' / 'failures.jsonl').read_text()
    assert 'clip2' in failure and 'refuses to load posix.system' in failure
