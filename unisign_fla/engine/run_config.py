"""The config of a tools/train.py or tools/test.py run, resolved as OpenMMLab tools do."""
import copy
import os.path as osp

from mmengine.config import Config

from unisign_fla.engine.config_options import (
    ConfigOptionError,
    check_cfg_options,
    fill_none_settings,
    rescale_schedule,
    sync_sampler_batch_size,
)


def load_run_config(config: str, cfg_options: dict, launcher: str = 'none',
                    work_dir: str | None = None) -> Config:
    """Load ``config``, apply ``--cfg-options`` (checked first: an unknown or ignored key is an
    error naming it; a new ``train_cfg.max_iters``/``max_epochs`` moves the schedule with it),
    set the launcher and the work dir (argument, then the config's ``work_dir``, then
    ``work_dirs/<config name>``)."""
    if not osp.isfile(config):
        raise SystemExit(f'error: config file not found: {config}')
    cfg = Config.fromfile(config)
    try:
        fill_none_settings(cfg, check_cfg_options(cfg, cfg_options))
    except ConfigOptionError as error:
        raise SystemExit(f'error: {config}: {error}') from None
    old_train_cfg = copy.deepcopy(cfg.get('train_cfg', {}))
    cfg.merge_from_dict(cfg_options)
    rescale_schedule(cfg, old_train_cfg, cfg_options)
    sync_sampler_batch_size(cfg, cfg_options)
    cfg.launcher = launcher
    cfg.work_dir = work_dir or cfg.get('work_dir') or osp.join(
        'work_dirs', osp.splitext(osp.basename(config))[0])
    return cfg
