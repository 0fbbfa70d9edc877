"""``--cfg-options`` that are checked before anything is built, and a schedule that follows them.

mmengine merges any dotted key into a config, so a typo (``model.head.lable_smoothing``) or a
file-level variable (``max_iters``, already substituted where the file used it) is accepted and
silently ignored: a run of hours with a setting the user never got. Here every key must exist in
the merged config, or name an argument of the class its parent dict builds (``type=...``; a
data loader's: ``torch.utils.data.DataLoader``; a ``lora`` dict's: peft's ``LoraConfig``), or
extend a setting that is ``None`` and takes a dict (``model.head.lora.r=16``); anything else is
an error naming the key and the closest one. Keys are let through unchecked where the target
takes ``**kwargs`` (most mmengine hooks) or where a plain dict outside ``model`` is read by
mmengine itself (``randomness``, ``env_cfg``).

Changing ``train_cfg.max_iters`` (or ``max_epochs``) also moves what was sized from it, unless
the same command sets it: scheduler ``begin``/``end`` milestones and ``T_max`` scale by new / old
(a value equal to the old length becomes the new one); the validation and checkpoint intervals
of the same unit that equalled the old length, or exceed the new one, become the new length.
Changing ``train_dataloader.batch_size`` also sets a ``LengthGroupedSampler``'s batch size.
"""
import difflib
import inspect
from collections.abc import Iterator
from typing import Any

from mmengine.config import Config

from unisign_fla import registry

# Keys mmengine's Runner (and our tools) read at the top level of a config; any other top-level
# name is a variable of the config file.
RUNNER_KEYS = frozenset((
    'auto_scale_lr', 'custom_hooks', 'data_preprocessor', 'default_hooks', 'default_scope',
    'env_cfg', 'experiment_name', 'launcher', 'load_from', 'log_level', 'log_processor', 'model',
    'optim_wrapper', 'param_scheduler', 'randomness', 'resume', 'test_cfg', 'test_dataloader',
    'test_evaluator', 'train_cfg', 'train_dataloader', 'val_cfg', 'val_dataloader',
    'val_evaluator', 'visualizer', 'work_dir', 'model_wrapper_cfg', 'compile', 'strategy'))
REGISTRIES = (registry.MODELS, registry.DATASETS, registry.DATA_SAMPLERS, registry.TRANSFORMS,
              registry.FUNCTIONS, registry.METRICS, registry.HOOKS, registry.LOOPS,
              registry.OPTIMIZERS, registry.OPTIM_WRAPPERS, registry.PARAM_SCHEDULERS)


class ConfigOptionError(ValueError):
    """A ``--cfg-options`` key that the run would not use."""


def _paths(node: Any, prefix: str = '') -> Iterator[str]:
    """Every dotted path of a config tree (list items by index)."""
    items = (node.items() if isinstance(node, dict)
             else enumerate(node) if isinstance(node, (list, tuple)) else ())
    for key, value in items:
        path = f'{prefix}{key}'
        yield path
        yield from _paths(value, path + '.')


def _constructor_arguments(node: dict, path: list[str]) -> dict[str, inspect.Parameter] | None:
    """The parameters of what the dict ``node`` at ``path`` is passed to (see the module
    docstring); ``None`` when its keys cannot be checked."""
    type_name = node.get('type')
    if type_name is None:
        if path and path[-1] == 'lora':
            from peft import LoraConfig
            target = LoraConfig
        elif len(path) == 1 and path[0].endswith('_dataloader'):
            from torch.utils.data import DataLoader
            target = DataLoader
        else:
            return {} if path[:1] == ['model'] else None
    elif not isinstance(type_name, str):
        return None
    else:
        target = next((t for t in (reg.get(type_name) for reg in REGISTRIES) if t is not None),
                      None)
        if target is None:
            return None
    try:
        parameters = inspect.signature(target).parameters
    except (TypeError, ValueError):
        return None
    if any(p.kind is p.VAR_KEYWORD for p in parameters.values()):
        return None
    return dict(parameters)


def _takes_dict(parameter: inspect.Parameter | None) -> bool:
    """Whether an argument left at ``None`` may be given sub-keys (its annotation allows a dict)."""
    return parameter is None or parameter.annotation is inspect.Parameter.empty or \
        'dict' in str(parameter.annotation).lower()


def _closest(key: str, candidates: list[str]) -> str:
    match = difflib.get_close_matches(key, candidates, n=1, cutoff=0.6)
    if not match:
        last = key.rsplit('.', 1)[-1]
        match = [c for c in candidates if c.rsplit('.', 1)[-1] == last][:1]
    return f'; closest existing key: {match[0]}' if match else ''


def check_cfg_options(cfg: Config, options: dict, source: str = '--cfg-options') -> list[str]:
    """Raise ``ConfigOptionError`` for the first key of ``options`` that the run would ignore.

    Returns the paths of settings that are ``None`` in the config and that options fill in
    (``model.head.lora`` for ``model.head.lora.r=16``): they must become dicts before merging.
    """
    tree = cfg.to_dict()
    known = list(_paths(tree))
    to_fill = []
    for key in options:
        parts = key.split('.')
        if parts[0] not in RUNNER_KEYS:
            hint = _closest(key, [p for p in known if p.split('.')[0] in RUNNER_KEYS])
            what = ('a variable of the config file, already substituted where the file uses it'
                    if parts[0] in tree else 'not a config key')
            raise ConfigOptionError(f'{source}: {key!r} is {what}{hint}')
        node = tree
        for depth, part in enumerate(parts):
            last = depth == len(parts) - 1
            if isinstance(node, (list, tuple)) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
                continue
            arguments = (_constructor_arguments(node, parts[:depth])
                         if isinstance(node, dict) else {})
            if isinstance(node, dict) and part in node:
                if node[part] is None and not last:   # model.head.lora=None, lora.r=16
                    if not _takes_dict((arguments or {}).get(part)):
                        raise ConfigOptionError(
                            f'{source}: {key!r}: {".".join(parts[:depth + 1])} is not a dict '
                            f'setting ({arguments[part].annotation})')
                    to_fill.append('.'.join(parts[:depth + 1]))
                    node = {}
                else:
                    node = node[part]
                continue
            if arguments is None:
                break
            if part in arguments and (last or (arguments[part].default is None
                                               and _takes_dict(arguments[part]))):
                break   # an argument left at its default (sub-keys of a dict one)
            extra = [f'{".".join(parts[:depth])}.{name}' for name in sorted(arguments)]
            raise ConfigOptionError(f'{source}: {key!r} does not exist in the config'
                                    f'{_closest(key, known + extra)}')
    return to_fill


def fill_none_settings(cfg: Config, paths: list[str]) -> None:
    """Replace the ``None`` settings at ``paths`` by empty dicts, so options can merge into them
    (mmengine refuses to merge a dict into ``None``)."""
    for path in paths:
        *parents, last = path.split('.')
        node = cfg
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        node[last] = {}


def _total(train_cfg: dict) -> tuple[str, int] | None:
    for unit in ('max_iters', 'max_epochs'):
        if isinstance(train_cfg.get(unit), int):
            return unit, train_cfg[unit]
    return None


def _scaled(value: int, old: int, new: int) -> int:
    return new if value == old else max(1, round(value * new / old)) if value else 0


def _interval(value: int, old: int, new: int) -> int:
    return new if value == old or value > new else value


def rescale_schedule(cfg: Config, old_train_cfg: dict, options: dict) -> None:
    """After ``train_cfg.max_iters``/``max_epochs`` changed, move what was sized from the old
    length (see the module docstring); keys the options set themselves are left alone."""
    before, after = _total(old_train_cfg), _total(cfg.get('train_cfg', {}))
    if before is None or after is None or before[0] != after[0] or before[1] == after[1]:
        return
    unit, old, new = before[0], before[1], after[1]
    by_epoch = unit == 'max_epochs'
    schedulers = cfg.get('param_scheduler') or []
    listed = isinstance(schedulers, list)
    for i, scheduler in enumerate(schedulers if listed else [schedulers]):
        if scheduler.get('by_epoch', True) != by_epoch:
            continue
        for field in ('begin', 'end', 'T_max'):
            key = f'param_scheduler.{i}.{field}' if listed else f'param_scheduler.{field}'
            if isinstance(scheduler.get(field), int) and key not in options:
                scheduler[field] = _scaled(scheduler[field], old, new)
    if 'train_cfg.val_interval' not in options and isinstance(cfg.train_cfg.get('val_interval'),
                                                               int):
        cfg.train_cfg.val_interval = _interval(cfg.train_cfg.val_interval, old, new)
    checkpoint = cfg.get('default_hooks', {}).get('checkpoint')
    if checkpoint and checkpoint.get('by_epoch', True) == by_epoch and isinstance(
            checkpoint.get('interval'), int) and \
            'default_hooks.checkpoint.interval' not in options:
        checkpoint['interval'] = _interval(checkpoint['interval'], old, new)


def sync_sampler_batch_size(cfg: Config, options: dict) -> None:
    """A ``LengthGroupedSampler`` groups clips into batches of its own ``batch_size``: it follows
    ``train_dataloader.batch_size`` when only that is set."""
    sampler = cfg.get('train_dataloader', {}).get('sampler', {})
    if sampler.get('type') == 'LengthGroupedSampler' and \
            'train_dataloader.batch_size' in options and \
            'train_dataloader.sampler.batch_size' not in options:
        sampler['batch_size'] = cfg.train_dataloader.batch_size
