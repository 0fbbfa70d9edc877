"""Mistakes on the command line are one line on stderr, exit status 2, and nothing written;
an invalid manifest line is logged under its id."""
import json

import pytest

from tests.scripts import load_tool
from unisign_fla.extraction.job import ExtractionConfig, ExtractionJob

extract_pose = load_tool('extract_pose')


@pytest.mark.parametrize('change, named', [
    ({'--manifest': 'missing.jsonl'}, ['--manifest', 'missing.jsonl', 'no such file']),
    ({'--video-root': 'no_such_dir'}, ['--video-root', 'no_such_dir', 'no such folder']),
    ({'--backend': 'rtmpos'}, ["'rtmpos'", "'precomputed'", "'rtmpose'", "'mediapipe'"]),
    ({'--num-shards': '2', '--shard-index': '2'}, ['worker index 2 is not in 0..1']),
    ({'--backend': 'rtmpose', '--backend-args': '{"pose_modle": "x.onnx"}'},
     ['--backend-args for rtmpose', "unknown 'pose_modle'", 'it takes pose_model, detector']),
    ({'--backend': 'rtmpose', '--backend-args': '{}'}, ["missing 'pose_model'"]),
    ({'--backend-args': '[1]'}, ['--backend-args must be a JSON object', 'got [1]'])])
def test_bad_arguments_are_one_line_before_anything_is_written(toy_dataset, tmp_path, capsys,
                                                               change, named):
    manifest, root, _ = toy_dataset
    options = {'--manifest': manifest, '--video-root': root, '--out': str(tmp_path / 'out')}
    for key, value in change.items():
        options[key] = str(tmp_path / value) if key in ('--manifest', '--video-root') else value
    with pytest.raises(SystemExit) as exited:
        extract_pose.main([word for pair in options.items() for word in pair])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.count('\n') == 1 and ': error: ' in err and 'Traceback' not in err
    assert all(word in err for word in named), err
    assert not (tmp_path / 'out').exists()


def test_an_invalid_manifest_line_is_logged_under_its_id(toy_dataset, tmp_path, helpers):
    manifest, root, records = toy_dataset
    no_video = {k: v for k, v in records[1].items() if k != 'video'}
    helpers.write_jsonl(manifest, [records[0], no_video, '[1, 2]', '{"id": '])
    job = ExtractionJob(ExtractionConfig(manifest=manifest, video_root=root,
                                         out=str(tmp_path / 'out'), crops=False))
    job.run()
    failures = [json.loads(line)
                for line in (tmp_path / 'out' / 'failures.jsonl').read_text().splitlines()]
    assert [(f['id'], f['manifest_line']) for f in failures] == \
        [('clip1', 2), (None, 3), (None, 4)]
    assert "missing required field 'video'" in failures[0]['reason']
