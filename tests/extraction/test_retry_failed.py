"""Re-runs retry what failed: a shard in which every clip failed is redone by any re-run (the
corrected --video-root case), a shard with some failures by --retry-failed; failures.jsonl then
lists only what still fails, and a retry killed midway never leaves a stale index."""
import json
import os
import shutil

import pytest

from tests.scripts import load_tool
from unisign_fla.extraction import job as job_module
from unisign_fla.extraction.job import ExtractionConfig, ExtractionJob
from unisign_fla.formats.shard_index import load_split_index

extract_pose = load_tool('extract_pose')


def _failed_ids(out):
    return [json.loads(line)['id'] for line in (out / 'failures.jsonl').read_text().splitlines()]


def _argv(manifest, root, out):
    return ['--manifest', manifest, '--video-root', root, '--out', str(out), '--crop-size', '16',
            '--samples-per-shard', '3']


def test_a_corrected_video_root_redoes_the_empty_shards(toy_dataset, tmp_path):
    manifest, root, records = toy_dataset
    out = tmp_path / 'out'
    wrong = tmp_path / 'wrong'
    wrong.mkdir()
    assert extract_pose.main(_argv(manifest, str(wrong), out)) == 1
    assert len(_failed_ids(out)) == 7 and load_split_index(str(out)) == []
    assert extract_pose.main(_argv(manifest, root, out)) == 0
    assert [s.id for s in load_split_index(str(out))] == [r['id'] for r in records]
    assert _failed_ids(out) == []


def test_retry_failed_redoes_only_shards_with_failures(toy_dataset, tmp_path):
    manifest, root, records = toy_dataset
    out = tmp_path / 'out'
    keypoints = os.path.join(root, 'videos', 'clip1.npy')
    shutil.move(keypoints, keypoints + '.away')
    assert extract_pose.main(_argv(manifest, root, out)) == 1            # 1 of 7 failed
    shutil.move(keypoints + '.away', keypoints)
    untouched = os.path.getmtime(out / 'toy-train-000001.tar')
    extract_pose.main(_argv(manifest, root, out))                     # default: shard 0 kept
    assert _failed_ids(out) == ['clip1']
    assert extract_pose.main(_argv(manifest, root, out) + ['--retry-failed']) == 0
    assert _failed_ids(out) == []
    assert [s.id for s in load_split_index(str(out))] == [r['id'] for r in records]
    assert os.path.getmtime(out / 'toy-train-000001.tar') == untouched


def test_a_retry_killed_midway_leaves_the_shard_to_redo(toy_dataset, tmp_path, monkeypatch):
    """The old index must not outlive its tar: a kill during the retry of a shard with samples
    leaves an index without samples, which the next plain run redoes."""
    manifest, root, records = toy_dataset
    out = tmp_path / 'out'
    keypoints = os.path.join(root, 'videos', 'clip1.npy')
    shutil.move(keypoints, keypoints + '.away')
    cfg = ExtractionConfig(manifest=manifest, video_root=root, out=str(out), crop_size=16,
                           samples_per_shard=3)
    ExtractionJob(cfg).run()
    shutil.move(keypoints + '.away', keypoints)

    def killed(*args):
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(job_module, 'estimate_pose', killed)
        with pytest.raises(KeyboardInterrupt):
            ExtractionJob(ExtractionConfig(**dict(vars(cfg), retry_failed=True))).run()
    index = json.loads((out / 'toy-train-000000.json').read_text())
    assert index['num_samples'] == 0 and [f['id'] for f in index['failures']] == ['clip1']
    summary = ExtractionJob(cfg).run()
    assert (summary.shards_written, summary.shards_skipped, summary.failures) == (1, 2, 0)
    assert [s.id for s in load_split_index(str(out))] == [r['id'] for r in records]
    assert _failed_ids(out) == []
