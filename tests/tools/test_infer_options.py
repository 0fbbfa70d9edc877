"""tools/infer.py's options that test_infer.py leaves out: a pose backend instead of keypoint
files, --task, --num-beams (and --max-new-tokens), the keypoint file found beside the video, the
evenly spaced frames of a clip longer than the model takes, and run-to-run determinism.

The 4-iteration model of test_infer.py says much the same for every clip, so what an option
changes is checked where it acts: ``model_calls`` records what reaches the model (the keypoints
its encoder gets, the prompt and generation settings its head's ``predict`` gets)."""
import json

import numpy as np
import pytest
import torch

from tests.conftest import write_video
from tests.tools.conftest import load_tool
from tests.tools.test_infer import STAGE1, infer, trained  # noqa: F401  (trained: a fixture)
from unisign_fla.formats.shard_index import load_split_index
from unisign_fla.formats.shards import read_sample
from unisign_fla.models.heads import LightTranslator
from unisign_fla.models.sign_translator import DEFAULT_PROMPTS, SignTranslator
from unisign_fla.tasks import TASKS

LONG_FRAMES = 300        # SynthSign's test pipeline samples at most 256 frames
FRAME_LIMIT = 'test_dataloader.dataset.pipeline.2.max_frames'   # SampleFrames' max_frames


@pytest.fixture
def model_calls(monkeypatch):
    """One dict per clip the model translates: ``keypoints`` (the encoder's input), ``prompts``
    and the generation arguments (``num_beams``, ``max_new_tokens``) of the head's predict."""
    calls = []
    forward, predict = SignTranslator.forward, LightTranslator.predict

    def spy_forward(self, inputs, data_samples, mode='tensor'):
        if mode == 'predict':
            calls.append(dict(keypoints=inputs['keypoints'].clone()))
        return forward(self, inputs, data_samples, mode)

    def spy_predict(self, visual, visual_mask, prompts=None, languages=None, **generation):
        calls[-1].update(prompts=prompts, **generation)
        return predict(self, visual, visual_mask, prompts, languages, **generation)

    monkeypatch.setattr(SignTranslator, 'forward', spy_forward)
    monkeypatch.setattr(LightTranslator, 'predict', spy_predict)
    return calls


def run_infer(argv, capsys) -> list:
    """tools/infer.py's JSON lines for ``argv`` (which must have ``--json``)."""
    load_tool('infer').main(argv)
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def without_keypoints(trained, *extra):
    """infer()'s arguments minus ``--keypoints``: the keypoints come from elsewhere."""
    checkpoint, options, _ = trained
    return [STAGE1, *extra, '--checkpoint', checkpoint, '--language', 'en',
            '--cfg-options', *options]


def synthsign_clip(tiny_synthsign, trained, number=0):
    """A SynthSign test clip's name and video."""
    clip = sorted(trained[2])[number]
    return clip, str(tiny_synthsign / 'videos' / f'{clip}.mp4')


@pytest.fixture
def long_clip(tiny_synthsign, tmp_path):
    """A 300-frame video (black: only its length matters) with a keypoint file of as many
    distinct frames, given by --keypoints."""
    pose = np.load(sorted((tiny_synthsign / 'keypoints').glob('synthsign-test-*.npy'))[0])
    pose = np.resize(pose.astype(np.float32), (LONG_FRAMES,) + pose.shape[1:])
    pose[..., :2] += np.random.default_rng(0).normal(0, 1.0, pose[..., :2].shape)
    write_video(str(tmp_path / 'long.mp4'), np.zeros((LONG_FRAMES, 224, 224, 3), np.uint8),
                fps=12.5)
    np.save(tmp_path / 'long_pose.npy', pose)
    return str(tmp_path / 'long.mp4'), str(tmp_path / 'long_pose.npy')


def test_backend_estimates_the_keypoints(tiny_synthsign, trained, model_calls, tmp_path, capsys):
    """--backend rtmpose --backend-args: the stand-in RTMPose (random weights) estimates the
    keypoints of a video that has no keypoint file; the shard says so, and the model gets
    exactly what a keypoint file holding those keypoints gives it, not the file's keypoints."""
    pytest.importorskip('onnxruntime')
    pytest.importorskip('onnx')
    from unisign_fla.testing.rtm_architectures import export_rtmpose
    pose_model = export_rtmpose(str(tmp_path / 'pose.onnx'), deepen=0.33, widen=0.125)
    clip = 'synthsign-islr-test-00000'   # 16 frames
    video = str(tiny_synthsign / 'videos' / f'{clip}.mp4')
    work_dir = tmp_path / 'work'
    [estimated] = run_infer(without_keypoints(
        trained, video, '--json', '--work-dir', str(work_dir), '--backend', 'rtmpose',
        '--backend-args', json.dumps({'pose_model': pose_model, 'batch_size': 8})), capsys)
    assert set(estimated) == {'video', 'text'}, estimated      # translated, not an error
    dataset = json.loads((work_dir / 'manifest.jsonl').read_text())['dataset']
    [entry] = load_split_index(str(work_dir / 'shards'), dataset, 'test')
    sample = read_sample(entry, with_crops=False)
    assert sample['meta']['estimator']['name'] == 'rtmpose'
    assert sample['meta']['estimator']['version'] == 'pose=pose.onnx'
    assert len(sample['pose']) == 16

    np.save(tmp_path / 'estimated.npy', sample['pose'])
    [from_file] = run_infer(without_keypoints(trained, video, '--json', '--keypoints',
                                              str(tmp_path / 'estimated.npy')), capsys)
    run_infer(infer(tiny_synthsign, trained, video, '--json'), capsys)   # SynthSign's file
    backend, file, synthsign = (call['keypoints'] for call in model_calls)
    assert torch.equal(backend, file) and from_file == estimated
    assert not torch.equal(backend, synthsign)


def test_task_chooses_the_prompt(tiny_synthsign, trained, model_calls, capsys):
    """--task: the head is prompted for that task (JSON lines record only video and text)."""
    _, video = synthsign_clip(tiny_synthsign, trained)
    for task in TASKS:
        [row] = run_infer(infer(tiny_synthsign, trained, video, '--json', '--task', task),
                          capsys)
        assert set(row) == {'video', 'text'}
    assert [call['prompts'] for call in model_calls] == [
        [DEFAULT_PROMPTS[task].format(language='English')] for task in TASKS]
    assert len({DEFAULT_PROMPTS[task] for task in TASKS}) == len(TASKS)
    with pytest.raises(SystemExit):   # argparse: not a task
        load_tool('infer').main(infer(tiny_synthsign, trained, video, '--task', 'gloss'))


def test_num_beams_and_max_new_tokens_override_the_config(tiny_synthsign, trained, model_calls,
                                                          capsys):
    """--num-beams / --max-new-tokens on the command line beat the config's generation (2 beams,
    6 tokens, from test_infer.GENERATION's --cfg-options), which applies without them."""
    _, video = synthsign_clip(tiny_synthsign, trained)
    runs = [[], ['--num-beams', '1'], ['--num-beams', '3'], ['--max-new-tokens', '2']]
    rows = [run_infer(infer(tiny_synthsign, trained, video, '--json', *extra), capsys)
            for extra in runs]
    assert [(call['num_beams'], call['max_new_tokens']) for call in model_calls] == [
        (2, 6), (1, 6), (3, 6), (2, 2)]
    assert all(len(row) == 1 and 'text' in row[0] for row in rows)
    assert len(rows[3][0]['text'].split()) <= 2


def test_keypoint_file_beside_the_video(tiny_synthsign, trained, model_calls, tmp_path, capsys):
    """Without --keypoints the file named like the video beside it is read (here the clip's
    keypoints mirrored, so they cannot come from anywhere else), odd names included."""
    clip, video = synthsign_clip(tiny_synthsign, trained)
    pose = np.load(tiny_synthsign / 'keypoints' / f'{clip}.npy').astype(np.float32)
    pose[..., 0] = 223 - pose[..., 0]
    folder = tmp_path / 'clips'
    folder.mkdir()
    (folder / 'signer 1.take.mp4').symlink_to(video)
    np.save(folder / 'signer 1.take.npy', pose)
    np.save(folder / 'signer 1.npy', pose[::-1].copy())   # another video's name: not read
    [beside] = run_infer(without_keypoints(trained, str(folder), '--json'), capsys)
    [named] = run_infer(without_keypoints(trained, str(folder / 'signer 1.take.mp4'), '--json',
                                          '--keypoints', str(folder / 'signer 1.take.npy')),
                        capsys)
    [original] = run_infer(infer(tiny_synthsign, trained, video, '--json'), capsys)
    assert beside == named and beside['video'] == str(folder / 'signer 1.take.mp4')
    assert torch.equal(model_calls[0]['keypoints'], model_calls[1]['keypoints'])
    assert not torch.equal(model_calls[0]['keypoints'], model_calls[2]['keypoints'])
    assert original['text'] == trained[2][clip]


def test_a_long_clip_is_cut_to_evenly_spaced_frames(tiny_synthsign, trained, model_calls,
                                                    long_clip, capsys):
    """300 frames, a limit of 256 (the config's): the model gets 256 of the clip's frames,
    first and last included, evenly spaced (steps of 1 or 2), as normalised for the whole clip."""
    video, keypoints = long_clip
    whole = without_keypoints(trained, video, '--json', '--keypoints', keypoints)
    [cut] = run_infer(whole, capsys)
    [uncut] = run_infer(whole + [f'{FRAME_LIMIT}={LONG_FRAMES}'], capsys)
    assert 'text' in cut and 'text' in uncut
    sampled, every = (call['keypoints'][0] for call in model_calls)
    assert sampled.shape[0] == 256 and every.shape[0] == LONG_FRAMES
    same = (sampled[:, None] == every[None]).flatten(2).all(-1)   # (256, 300)
    assert same.sum(1).eq(1).all()   # each sampled frame is exactly one of the clip's
    rows = same.float().argmax(1)
    assert rows[0] == 0 and rows[-1] == LONG_FRAMES - 1
    assert set(rows.diff().tolist()) == {1, 2}
    # The spacing is even: the k-th frame is at k * 299 / 255, give or take rounding.
    spacing = torch.arange(256, dtype=torch.float64) * (LONG_FRAMES - 1) / 255
    assert torch.allclose(rows.double(), spacing, atol=0.5)


def test_two_runs_write_the_same_bytes(tiny_synthsign, trained, model_calls, long_clip, tmp_path,
                                      capsys):
    """Same videos, same options: identical stdout and --out files, beam search and the long
    clip's sampling included, from identical model inputs."""
    clip, video = synthsign_clip(tiny_synthsign, trained, number=1)
    long_video, long_keypoints = long_clip
    folder = tmp_path / 'videos'
    folder.mkdir()
    (folder / 'long.mp4').symlink_to(long_video)
    (folder / 'long.npy').symlink_to(long_keypoints)
    (folder / f'{clip}.mp4').symlink_to(video)
    (folder / f'{clip}.npy').symlink_to(tiny_synthsign / 'keypoints' / f'{clip}.npy')
    outputs = []
    for run in ('first', 'second'):
        out = tmp_path / f'{run}.jsonl'
        load_tool('infer').main(without_keypoints(trained, str(folder), '--json', '--num-beams',
                                                  '3', '--out', str(out)))
        outputs.append((capsys.readouterr().out.encode(), out.read_bytes()))
    assert outputs[0] == outputs[1]
    assert len(model_calls) == 4 and all(torch.equal(a['keypoints'], b['keypoints'])
                                         for a, b in zip(model_calls[:2], model_calls[2:]))
    assert outputs[0][0] == outputs[0][1] and len(outputs[0][1].splitlines()) == 2
