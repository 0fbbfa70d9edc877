"""A trained model as one self-contained folder, and back.

``export_model`` writes:

- ``config.py``: the resolved config, its language model and tokenizer paths made relative to
  the folder, no earlier-stage checkpoint;
- ``model.safetensors``: every weight outside the language model (the encoder, the adapter,
  Light-T);
- ``language_model/``: the language model in Hugging Face's format with its tokenizer (LoRA
  merged into its weights), or ``tokenizer/`` for a Light-T model;
- ``lora_adapter/`` with ``--keep-lora``: the LoRA weights as peft saves an adapter, beside the
  unmerged language model;
- ``README.md``: a model card.

No optimizer state, no stage-1 file and no original LM folder are needed to load it. The folder
is written under a fresh hidden name beside it and renamed when complete (removed if anything
fails), so a folder that exists is whole, and nothing else is touched.
"""
import json
import os
import os.path as osp
import shutil
import tempfile

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from safetensors.torch import load_file, save_file

from unisign_fla.engine import load_model_weights, load_run_config
from unisign_fla.registry import MODELS

WEIGHTS, CONFIG, CARD = 'model.safetensors', 'config.py', 'README.md'
LM_DIR, TOKENIZER_DIR, ADAPTER_DIR = 'language_model', 'tokenizer', 'lora_adapter'
LM_PREFIX = 'head.lm.'
EARLIER_STAGES = ('encoder_checkpoint', 'init_checkpoint')


def build_model(cfg: Config) -> torch.nn.Module:
    """The config's model, without reading the checkpoints of earlier stages."""
    init_default_scope(cfg.get('default_scope', 'unisign_fla'))
    for key in EARLIER_STAGES:
        if key in cfg.model:
            cfg.model[key] = None
    return MODELS.build(cfg.model)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _make_readable(path: str) -> None:
    """``path`` (recursively) with the umask's usual modes: the folder is meant for sharing."""
    if osp.isdir(path):
        for name in os.listdir(path):
            _make_readable(osp.join(path, name))
        os.chmod(path, 0o777 & ~_umask())
    else:
        os.chmod(path, 0o666 & ~_umask())


def _has_lora(head) -> bool:
    return hasattr(getattr(head, 'lm', None), 'peft_config')


def export_model(config: str, checkpoint: str, out: str, cfg_options: dict | None = None,
                 keep_lora: bool = False, card: str = '', metrics: dict | None = None) -> dict:
    """Write the folder ``out`` (which must not exist); returns what was written. ``card``
    (free text) and ``metrics`` (a ``metrics.json`` of tools/test.py) go into the model card."""
    if osp.exists(out):
        raise FileExistsError(f'{out}: already exists (export writes a new folder)')
    cfg = load_run_config(config, cfg_options or {})
    model = build_model(cfg)
    load_model_weights(model, checkpoint)
    out = osp.abspath(out)
    os.makedirs(osp.dirname(out), exist_ok=True)
    # A fresh hidden folder beside ``out``, renamed when complete; removed if anything fails.
    part = tempfile.mkdtemp(dir=osp.dirname(out), prefix=f'.{osp.basename(out)}.part-')
    try:
        head, written = model.head, {}
        if hasattr(head, 'lm'):
            lm = head.lm
            if _has_lora(head):
                if keep_lora:   # the adapter alone, then the LM without LoRA's layers
                    lm.save_pretrained(osp.join(part, ADAPTER_DIR))
                    lm, written['lora'] = lm.unload(), 'adapter'
                else:
                    lm, written['lora'] = lm.merge_and_unload(), 'merged'
                    cfg.model.head.lora = None
            lm.save_pretrained(osp.join(part, LM_DIR))
            head.tokenizer.save_pretrained(osp.join(part, LM_DIR))
            cfg.model.head.pretrained_dir, cfg.model.head.tokenizer_dir = LM_DIR, None
        else:
            head.tokenizer.save_pretrained(osp.join(part, TOKENIZER_DIR))
            cfg.model.head.tokenizer_dir = TOKENIZER_DIR
        weights = {k: v.detach().contiguous() for k, v in model.state_dict().items()
                   if not k.startswith(LM_PREFIX)}
        save_file(weights, osp.join(part, WEIGHTS), metadata={'format': 'pt'})
        cfg.dump(osp.join(part, CONFIG))
        written.update(weights=len(weights), source_config=osp.abspath(config),
                       source_checkpoint=osp.abspath(checkpoint),
                       source_options=[f'{k}={v}' for k, v in (cfg_options or {}).items()])
        with open(osp.join(part, CARD), 'w', encoding='utf-8') as f:
            f.write(model_card(cfg, written, card, metrics or {}))
        _make_readable(part)   # mkdtemp and safetensors make owner-only files
        os.replace(part, out)
    except BaseException:
        shutil.rmtree(part, ignore_errors=True)
        raise
    return written


HEADLINE = ('bleu4', 'rouge_l', 'wer', 'top1_instance', 'top1_class', 'num_samples')


def model_card(cfg: Config, written: dict, notes: str, metrics: dict) -> str:
    """README.md of an exported folder: what it is, how it was made, its scores, how to run
    it."""
    source_config, source_checkpoint = written['source_config'], written['source_checkpoint']
    options = (' --cfg-options ' + ' '.join(written['source_options'])
               if written['source_options'] else '')
    lines = ['# unisign_fla model', '',
             f'- encoder: `{cfg.model.encoder.type}`; head: `{cfg.model.head.type}`'
             + (f' (LoRA {written["lora"]})' if 'lora' in written else ''),
             f'- exported from `{source_config}` and `{source_checkpoint}`',
             f'- training data of the config: {_data_line(cfg, "train_dataloader")}',
             f'- test data of the config: {_data_line(cfg, "test_dataloader")}',
             f'- generation: `{json.dumps(cfg.model.get("generation", {}))}`', '',
             *metric_lines(metrics), '## Commands', '', '```bash',
             f'python tools/infer.py THIS_FOLDER video.mp4 --language '
             f'{metrics.get("language", "LANGUAGE")}',
             '# how the model was trained and scored (the source files, not this folder)',
             f'python tools/train.py {source_config}{options}',
             f'python tools/test.py {source_config} {source_checkpoint}{options}',
             '```', '']
    if notes:
        lines += ['## Notes', '', notes.strip(), '']
    return '\n'.join(lines)


def _data_line(cfg: Config, loader: str) -> str:
    """The shards and task a loader of ``cfg`` reads (one entry per set of a mixed loader)."""
    dataset = cfg.get(loader, {}).get('dataset', {})
    parts = dataset.get('datasets', [dataset])
    return '; '.join(f'`{d.get("data_root", "")}` `{d.get("ann_file", "")}` '
                     f'(task `{d.get("task", "slt")}`)' for d in parts)


def metric_lines(metrics: dict) -> list:
    """The headline scores of a tools/test.py ``metrics.json`` (per set for mixed sets)."""
    sets = metrics.get('sets', {'': metrics}) if metrics else {}
    lines = []
    for name, report in sorted(sets.items()):
        scores = ', '.join(f'{key} {report[key]:.2f}' if isinstance(report[key], float)
                           else f'{key} {report[key]}' for key in HEADLINE if key in report)
        lines.append(f'- {name + ": " if name else ""}{scores} '
                     f'(`{report.get("signature", "")}`)'.replace(' (``)', ''))
    return ['## Test scores', '', *lines, ''] if lines else []


def load_exported_model(folder: str, cfg_options: dict | None = None
                        ) -> tuple[Config, torch.nn.Module]:
    """``(cfg, model)`` from an ``export_model`` folder; every weight outside the language model
    must be in ``model.safetensors`` (any missing or unexpected one is an error naming it)."""
    cfg = load_run_config(osp.join(folder, CONFIG), cfg_options or {})
    for key in ('pretrained_dir', 'tokenizer_dir'):
        if cfg.model.head.get(key):
            cfg.model.head[key] = osp.join(folder, cfg.model.head[key])
    model = build_model(cfg)
    state = load_file(osp.join(folder, WEIGHTS))
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = [k for k in missing if not k.startswith(LM_PREFIX)]
    if missing or unexpected:
        raise ValueError(f'{folder}: {WEIGHTS} lacks {missing[:8]} and has unexpected '
                         f'{unexpected[:8]}')
    if osp.isdir(osp.join(folder, ADAPTER_DIR)):
        from peft import set_peft_model_state_dict
        set_peft_model_state_dict(model.head.lm, load_file(
            osp.join(folder, ADAPTER_DIR, 'adapter_model.safetensors')))
    return cfg, model
