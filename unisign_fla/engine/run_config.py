"""The config of a tools/train.py or tools/test.py run, resolved as OpenMMLab tools do."""
import os.path as osp
from typing import Optional

from mmengine.config import Config


def load_run_config(config: str, cfg_options: dict, launcher: str = 'none',
                    work_dir: Optional[str] = None) -> Config:
    """Load ``config``, apply ``--cfg-options``, set the launcher and the work dir (argument, then
    the config's ``work_dir``, then ``work_dirs/<config name>``)."""
    if not osp.isfile(config):
        raise SystemExit(f'error: config file not found: {config}')
    cfg = Config.fromfile(config)
    cfg.merge_from_dict(cfg_options)
    cfg.launcher = launcher
    cfg.work_dir = work_dir or cfg.get('work_dir') or osp.join(
        'work_dirs', osp.splitext(osp.basename(config))[0])
    return cfg
