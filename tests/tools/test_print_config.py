"""tools/print_config.py, and the --cfg-options checks every tool shares (engine/config_options)."""
import os

import pytest

from tests.tools.conftest import REPO, load_tool

print_config = load_tool('print_config')
STAGE1 = os.path.join(REPO, 'configs/synthsign/fla_stage1_synthsign.py')
STAGE2 = os.path.join(REPO, 'configs/synthsign/fla_stage2_synthsign.py')


def merged(config, *options):
    from mmengine.config import Config
    argv = [config] + (['--cfg-options', *options] if options else [])
    return Config.fromstring(print_config.main(argv), '.py')


@pytest.mark.parametrize('option, message', [
    ('max_iters=3', r"'max_iters' is a variable of the config file.*closest existing key: "
                    r"train_cfg.max_iters"),
    ('model.head.lable_smoothing=0.1', r"'model.head.lable_smoothing' does not exist.*closest "
                                       r"existing key: model.head.label_smoothing"),
    ('optim_wrapper.optimizer.lrr=1', r'closest existing key: optim_wrapper.optimizer.lr$'),
    ('model.generation.num_beam=2', r'closest existing key: model.generation.num_beams$'),
    ('model.head.input_tokn_dropout=0.1', r'closest existing key: '
                                          r'model.head.input_token_dropout$'),
    ('trian_cfg.max_iters=3', r"'trian_cfg.max_iters' is not a config key.*train_cfg.max_iters"),
])
def test_unknown_or_ignored_keys_are_named_with_the_closest(option, message, capsys):
    with pytest.raises(SystemExit, match=message):
        print_config.main([STAGE1, '--cfg-options', option])


def test_arguments_the_built_class_takes_are_accepted(capsys):
    cfg = merged(STAGE1, 'model.head.input_token_dropout=0.2', 'train_dataloader.batch_size=4',
                 'param_scheduler.1.eta_min=0.001')
    assert cfg.model.head.input_token_dropout == 0.2 and cfg.param_scheduler[1].eta_min == 0.001


def test_a_setting_that_is_none_takes_sub_keys(capsys):
    cfg = merged(STAGE2, 'model.head.lora.r=4', 'model.head.lora.lora_alpha=8')
    assert cfg.model.head.lora == dict(r=4, lora_alpha=8)
    with pytest.raises(SystemExit, match='closest existing key: model.head.lora.lora_dropout'):
        print_config.main([STAGE2, '--cfg-options', 'model.head.lora.dropout=0.1'])


def test_iterations_move_the_schedule_and_intervals(capsys):
    """One option: the cosine end, the warm-up, validation and checkpoints follow it."""
    base = merged(STAGE1)
    assert base.train_cfg.max_iters == 500 and base.param_scheduler[0].end == 50
    cfg = merged(STAGE1, 'train_cfg.max_iters=100')
    assert cfg.train_cfg.max_iters == cfg.train_cfg.val_interval == 100
    assert [(s.begin, s.end) for s in cfg.param_scheduler] == [(0, 10), (10, 100)]
    assert cfg.default_hooks.checkpoint.interval == 100
    # What the same command sets itself is kept.
    cfg = merged(STAGE1, 'train_cfg.max_iters=100', 'default_hooks.checkpoint.interval=20',
                 'param_scheduler.0.end=5')
    assert cfg.default_hooks.checkpoint.interval == 20
    assert [(s.begin, s.end) for s in cfg.param_scheduler] == [(0, 5), (10, 100)]


def test_epochs_move_an_epoch_schedule(capsys):
    cfg = merged(os.path.join(REPO, 'configs/fla_llm/fla_stage1_light-t_csl-daily.py'),
                 'train_cfg.max_epochs=2')
    assert cfg.train_cfg.max_epochs == 2 and cfg.param_scheduler[0].end == 2


def test_settings_mmengine_reads_itself_are_accepted(capsys):
    cfg = merged(STAGE2, 'model_wrapper_cfg.find_unused_parameters=True',
                 'randomness.deterministic=True', 'train_dataloader.pin_memory=True',
                 'env_cfg.dist_cfg.timeout=5')
    assert cfg.train_dataloader.pin_memory and cfg.randomness.deterministic
    with pytest.raises(SystemExit, match='closest existing key: train_dataloader.pin_memory'):
        print_config.main([STAGE2, '--cfg-options', 'train_dataloader.pin_memry=True'])
    with pytest.raises(SystemExit, match="'model.init_checkpoint.x'"):
        print_config.main([STAGE2, '--cfg-options', 'model.init_checkpoint.x=1'])


def test_epoch_intervals_stay_per_epoch_and_the_sampler_follows_the_batch(capsys):
    cfg = merged(os.path.join(REPO, 'configs/fla_llm/fla_stage1_light-t_csl-daily.py'),
                 'train_cfg.max_epochs=60')
    assert cfg.param_scheduler[0].end == 60
    assert cfg.train_cfg.val_interval == 1 and cfg.default_hooks.checkpoint.interval == 1
    cfg = merged(STAGE1, 'train_dataloader.batch_size=4')
    assert cfg.train_dataloader.sampler.batch_size == 4
