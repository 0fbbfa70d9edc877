"""Distributed training on CPU machines with mmengine's Runner.

mmengine 0.10's ``init_dist`` calls ``torch.cuda.set_device`` unconditionally and its DDP wrapper
pins ``device_ids`` to the local rank; both fail without a GPU. Initialising the gloo process group
first (mmengine then skips its own) and wrapping with ``device_ids=None`` makes
``torchrun --nproc_per_node N tools/train.py ... --launcher pytorch`` work on CPU.
"""
import torch
import torch.distributed as dist
from mmengine.config import Config


def prepare_cpu_distributed(cfg: Config) -> None:
    """When launched by torchrun on a machine without CUDA, set up gloo and a CPU DDP wrapper."""
    if torch.cuda.is_available() or cfg.get('launcher', 'none') == 'none':
        return
    if not dist.is_initialized():
        dist.init_process_group(backend='gloo')
    cfg.env_cfg = dict(cfg.get('env_cfg', {}), dist_cfg=dict(backend='gloo'))
    wrapper = dict(cfg.get('model_wrapper_cfg') or {}, device_ids=None)
    wrapper.setdefault('type', 'MMDistributedDataParallel')
    cfg.model_wrapper_cfg = wrapper
