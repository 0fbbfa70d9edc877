"""tools/train.py and tools/test.py end to end on real (tiny) SynthSign shards."""
import collections
import json
import os

import pytest

from tests.tools.conftest import REPO, data_options, load_tool, read_losses, schedule_options
from unisign_fla.evaluation import corpus_bleu

train_tool, test_tool = load_tool('train'), load_tool('test')

STAGE1 = os.path.join(REPO, 'configs/synthsign/fla_stage1_synthsign.py')
STAGE2 = os.path.join(REPO, 'configs/synthsign/fla_stage2_synthsign.py')
STAGE1_ITERS = 160   # 80 epochs of the 16 tiny training clips (train-clip BLEU-4 53.6)


def _stage1_args(data, work_dir, max_iters, **schedule):
    return [STAGE1, '--work-dir', str(work_dir), '--cfg-options',
            f'model.head.tokenizer_dir={data / "tokenizer"}',
            *data_options(data / 'shards', test_split='train'),
            *schedule_options(max_iters, **schedule)]


@pytest.fixture(scope='module')
def trained_stage1(tiny_synthsign, tmp_path_factory):
    work_dir = tmp_path_factory.mktemp('stage1')
    train_tool.main(_stage1_args(tiny_synthsign, work_dir, STAGE1_ITERS, batch_size=8)
                    + ['optim_wrapper.optimizer.lr=2e-3'])
    return work_dir


def test_stage1_training_lowers_the_loss(trained_stage1):
    losses = [loss for _, loss in sorted(read_losses(trained_stage1))]
    assert len(losses) == STAGE1_ITERS
    assert sum(losses[-5:]) / 5 < 0.5 * sum(losses[:5]) / 5


def test_stage1_translations_depend_on_the_video(tiny_synthsign, trained_stage1):
    """The model must reproduce its training sentences far above a constant guess.

    The floor: a model that learned nothing about the video can at best emit one sentence for
    every clip; we score the most frequent training sentence that way and require 3x its BLEU-4
    (and at least 30), which only a model that distinguishes clips can reach.
    """
    out_dir = trained_stage1 / 'test_train'
    checkpoint = str(trained_stage1 / f'iter_{STAGE1_ITERS}.pth')
    metrics = test_tool.main([STAGE1, checkpoint, '--work-dir',
                              str(trained_stage1), '--out-dir', str(out_dir), '--cfg-options',
                              f'model.head.tokenizer_dir={tiny_synthsign / "tokenizer"}',
                              *data_options(tiny_synthsign / 'shards', test_split='train')])
    predictions = [json.loads(line) for line in open(out_dir / 'predictions.jsonl')]
    references = [p['reference'] for p in predictions]
    report = json.load(open(out_dir / 'metrics.json'))
    assert report['signature'].startswith('nrefs:1') and report['num_samples'] == 16
    constant = collections.Counter(references).most_common(1)[0][0]
    floor = corpus_bleu([constant] * len(references), references, 'en')['bleu4']
    assert metrics['translation/bleu4'] > max(30.0, 3 * floor)


def test_evaluation_is_deterministic(tiny_synthsign, trained_stage1):
    outputs = []
    for run in ('a', 'b'):
        out_dir = trained_stage1 / f'det_{run}'
        test_tool.main([STAGE1, str(trained_stage1 / f'iter_{STAGE1_ITERS}.pth'), '--work-dir',
                        str(trained_stage1), '--out-dir', str(out_dir), '--cfg-options',
                        f'model.head.tokenizer_dir={tiny_synthsign / "tokenizer"}',
                        *data_options(tiny_synthsign / 'shards')])
        outputs.append(open(out_dir / 'predictions.jsonl').read())
    assert outputs[0] == outputs[1] and outputs[0]


def test_resume_continues_from_the_last_checkpoint(tiny_synthsign, tmp_path):
    train_tool.main(_stage1_args(tiny_synthsign, tmp_path, 4, checkpoint_interval=2,
                                 batch_size=4))
    assert (tmp_path / 'iter_4.pth').exists()
    train_tool.main(_stage1_args(tiny_synthsign, tmp_path, 6, checkpoint_interval=2,
                                 batch_size=4) + ['--resume'])
    iterations = [it for it, _ in read_losses(tmp_path)]
    # The second run logs iterations 5 and 6 only: it resumed at 4 instead of starting over.
    assert sorted(iterations) == [1, 2, 3, 4, 5, 6]
    assert (tmp_path / 'iter_6.pth').exists()


def test_stage2_freezes_the_encoder_and_trains_a_lora_or_full_lm(tiny_synthsign, trained_stage1,
                                                                tmp_path):
    import torch
    from safetensors.torch import load_file

    from unisign_fla.engine import load_checkpoint_state_dict
    from unisign_fla.lm import build_small_lm, load_tokenizer

    lm_dir = tmp_path / 'lm'
    tokenizer = load_tokenizer(str(tiny_synthsign / 'tokenizer'))
    build_small_lm('llama', tokenizer, hidden=64, layers=2, heads=2).save_pretrained(lm_dir)
    tokenizer.save_pretrained(lm_dir)
    stage1 = str(trained_stage1 / f'iter_{STAGE1_ITERS}.pth')
    lora_config = tmp_path / 'stage2_lora.py'
    lora_config.write_text(f"_base_ = ['{STAGE2}']\n"
                           "model = dict(head=dict(lora=dict(_delete_=True, r=4, lora_alpha=8, "
                           "target_modules=['q_proj', 'v_proj'])))\n")
    train_tool.main([str(lora_config), '--work-dir', str(tmp_path / 'stage2'), '--cfg-options',
                     f'model.head.pretrained_dir={lm_dir}', f'model.encoder_checkpoint={stage1}',
                     *data_options(tiny_synthsign / 'shards'), *schedule_options(3)])
    before = load_checkpoint_state_dict(stage1, 'encoder.')
    after = load_checkpoint_state_dict(str(tmp_path / 'stage2' / 'iter_3.pth'))
    for name, value in before.items():
        torch.testing.assert_close(after[f'encoder.{name}'], value, rtol=0, atol=0)
    assert any('lora_' in k for k in after)
    losses = read_losses(tmp_path / 'stage2')
    assert len(losses) == 3 and all(loss == loss for _, loss in losses)   # finite, logged

    # Full fine-tuning as configured (the LM's tied input/output embeddings are one parameter).
    train_tool.main([STAGE2, '--work-dir', str(tmp_path / 'full'), '--cfg-options',
                     f'model.head.pretrained_dir={lm_dir}', f'model.encoder_checkpoint={stage1}',
                     *data_options(tiny_synthsign / 'shards'), *schedule_options(2)])
    trained = load_checkpoint_state_dict(str(tmp_path / 'full' / 'iter_2.pth'), 'head.lm.')
    pretrained = load_file(str(lm_dir / 'model.safetensors'))
    name = 'model.layers.0.mlp.up_proj.weight'
    assert not torch.equal(trained[name], pretrained[name])

    # Testing the stage-2 checkpoint reads neither the stage-1 file (the config's default path
    # does not exist here) nor anything but an exact match of its keys.
    checkpoint = str(tmp_path / 'full' / 'iter_2.pth')
    common = ['--work-dir', str(tmp_path / 'full'), '--out-dir', str(tmp_path / 'full_test'),
              '--cfg-options', *data_options(tiny_synthsign / 'shards')]
    metrics = test_tool.main([STAGE2, checkpoint, *common, f'model.head.pretrained_dir={lm_dir}',
                              'model.generation.max_new_tokens=3'])
    assert 'translation/bleu4' in metrics
    with pytest.raises(SystemExit, match=r'iter_2.pth: does not match the model of the config: '
                                         r'missing keys \d+ \(head\..*unexpected keys \d+ '
                                         r'\(head\.adapter'):
        test_tool.main([STAGE1, checkpoint, *common,
                        f'model.head.tokenizer_dir={tiny_synthsign / "tokenizer"}'])


def test_missing_config_and_missing_data_are_named(tiny_synthsign, tmp_path):
    with pytest.raises(SystemExit, match='config file not found: nope.py'):
        train_tool.main(['nope.py'])
    missing = tmp_path / 'none'
    with pytest.raises(FileNotFoundError, match='synthsign-train.index.json'):
        train_tool.main([STAGE1, '--work-dir', str(tmp_path / 'w'), '--cfg-options',
                         f'model.head.tokenizer_dir={tiny_synthsign / "tokenizer"}',
                         *data_options(missing), *schedule_options(2)])
