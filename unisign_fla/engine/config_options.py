"""``--cfg-options`` that are checked before anything is built, and a schedule that follows them.

mmengine merges any dotted key into a config, so a typo (``model.head.lable_smoothing``) or a
file-level variable (``max_iters``, already substituted where the file used it) is accepted and
silently ignored: a run of hours with a setting the user never got. Here every key must exist in
the merged config, or name an argument of the class its parent dict builds (``type=...``), or
extend a setting that is ``None``; anything else is an error naming the key and the closest one.

Changing ``train_cfg.max_iters`` (or ``max_epochs``) also moves what was sized from it: scheduler
``begin``/``end`` milestones, ``T_max``, the validation interval and the checkpoint interval of
the same unit scale by new / old (a value equal to the old length becomes the new one), unless
the same command sets them itself.
"""
import difflib
import inspect
from typing import Any, Iterator

from mmengine.config import Config

from unisign_fla import registry

# Keys mmengine's Runner (and our tools) read at the top level of a config; any other top-level
# name is a variable of the config file.
RUNNER_KEYS = frozenset((
    'auto_scale_lr', 'custom_hooks', 'data_preprocessor', 'default_hooks', 'default_scope',
    'env_cfg', 'experiment_name', 'launcher', 'load_from', 'log_level', 'log_processor', 'model',
    'optim_wrapper', 'param_scheduler', 'randomness', 'resume', 'test_cfg', 'test_dataloader',
    'test_evaluator', 'train_cfg', 'train_dataloader', 'val_cfg', 'val_dataloader',
    'val_evaluator', 'visualizer', 'work_dir'))
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


def _constructor_arguments(node: dict, name: str) -> dict[str, Any] | None:
    """``{argument: default}`` of what the dict ``node`` (at key ``name``) is passed to: the
    class or function its ``type`` names, peft's ``LoraConfig`` for a ``lora`` dict, nothing for
    other plain dicts. ``None`` when that takes ``**kwargs`` or cannot be resolved (then any key
    is let through)."""
    type_name = node.get('type')
    if type_name is None:
        if name != 'lora':
            return {}
        from peft import LoraConfig
        target = LoraConfig
    elif not isinstance(type_name, str):
        return None
    else:
        target = next((t for t in (reg.get(type_name) for reg in REGISTRIES) if t is not None),
                      None)
        if target is None:
            return None
    try:
        parameters = inspect.signature(target).parameters.values()
    except (TypeError, ValueError):
        return None
    if any(p.kind is p.VAR_KEYWORD for p in parameters):
        return None
    return {p.name: p.default for p in parameters}


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
            if isinstance(node, (list, tuple)) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
                continue
            if isinstance(node, dict) and part in node:
                node = node[part]
                if node is None and depth < len(parts) - 1:   # model.head.lora=None, lora.r=16
                    to_fill.append('.'.join(parts[:depth + 1]))
                    node = {}
                continue
            arguments = (_constructor_arguments(node, parts[depth - 1] if depth else '')
                         if isinstance(node, dict) else {})
            if arguments is None or (part in arguments and (
                    depth == len(parts) - 1 or arguments[part] is None)):
                break   # an argument left at its default (sub-keys of one that defaults to None)
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


def rescale_schedule(cfg: Config, old_train_cfg: dict, options: dict) -> None:
    """After ``train_cfg.max_iters``/``max_epochs`` changed, move what was sized from the old
    length (see the module docstring); keys the options set themselves are left alone."""
    before, after = _total(old_train_cfg), _total(cfg.get('train_cfg', {}))
    if before is None or after is None or before[0] != after[0] or before[1] == after[1]:
        return
    unit, old, new = before[0], before[1], after[1]
    by_epoch = unit == 'max_epochs'
    schedulers = cfg.get('param_scheduler') or []
    for i, scheduler in enumerate(schedulers if isinstance(schedulers, list) else [schedulers]):
        if scheduler.get('by_epoch', True) != by_epoch:
            continue
        for field in ('begin', 'end', 'T_max'):
            if isinstance(scheduler.get(field), int) and \
                    f'param_scheduler.{i}.{field}' not in options:
                scheduler[field] = _scaled(scheduler[field], old, new)
    if 'train_cfg.val_interval' not in options and isinstance(cfg.train_cfg.get('val_interval'),
                                                               int):
        cfg.train_cfg.val_interval = _scaled(cfg.train_cfg.val_interval, old, new)
    checkpoint = cfg.get('default_hooks', {}).get('checkpoint')
    if checkpoint and checkpoint.get('by_epoch', True) == by_epoch and isinstance(
            checkpoint.get('interval'), int) and \
            'default_hooks.checkpoint.interval' not in options:
        checkpoint['interval'] = _scaled(checkpoint['interval'], old, new)
