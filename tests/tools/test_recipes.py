"""Every recipe under configs/ runs as shipped: built (model + data pipelines) and trained for 2
iterations, then validated, on small shards labelled as its data sets (Chinese, German or English
text, glosses, class words) and tiny language models of the families it names, laid out where
the recipe expects them (``data/<set>/shards``, ``checkpoints/<lm>``). Only sizes change, through
``--cfg-options``; a recipe whose keys drift from the code fails here."""
import glob
import os

import numpy as np
import pytest
import torch
from mmengine.config import Config

from tests.conftest import write_shard_set, write_video
from tests.models.heads.lm_families import TINY, save_family
from tests.tools.conftest import REPO, load_tool, read_losses
from unisign_fla.engine import logged_scalars
from unisign_fla.lm import build_small_lm, train_tokenizer

RECIPES = sorted(p for p in glob.glob(os.path.join(REPO, 'configs', '**', '*.py'),
                                      recursive=True) if '_base_' not in p)
# What each data set's clips say, in its language: sentences, glosses, class words.
LABELS = {
    'zh': dict(text=['今天天气很好。', '他今年四岁。', '我们明天去北京。', '请大家注意安全。'],
               gloss=[['今天', '天气', '好'], ['他', '四', '岁'], ['明天', '北京', '去'],
                      ['大家', '安全', '注意']]),
    'de': dict(text=['regen im norden .', 'morgen wird es sonnig .', 'der wind weht stark .',
                     'am abend schnee .'],
               gloss=[['REGEN', 'NORD'], ['MORGEN', 'SONNE'], ['WIND', 'STARK'],
                      ['ABEND', 'SCHNEE']]),
    'en': dict(text=['the cat sat on the mat.', 'we like green tea.', 'a dog runs.',
                     'they read a book today.'],
               gloss=[['CAT', 'SIT'], ['WE', 'LIKE', 'TEA'], ['DOG', 'RUN'],
                      ['THEY', 'READ', 'BOOK']],
               label=['book', 'drink', 'computer', 'before']),
}
LANGUAGES = {'csl_daily': 'zh', 'csl_news': 'zh', 'phoenix2014t': 'de', 'phoenix2014': 'de'}
TINY_ENCODER = ['model.encoder.embed_channels=8', 'model.encoder.spatial_channels=[8,8]',
                'model.encoder.temporal_layers=1', 'model.encoder.out_channels=16',
                'model.generation.max_new_tokens=4', 'model.generation.num_beams=2']
TINY_LIGHT_T = ['model.head.d_model=16', 'model.head.num_heads=2', 'model.head.ffn_channels=32',
                'model.head.num_encoder_layers=1', 'model.head.num_decoder_layers=1']
TINY_RGB = ['model.encoder.rgb.backbone.stage_channels=[8,8]',
            'model.encoder.rgb.backbone.stage_strides=[1,2]',
            'model.encoder.rgb.backbone.norm_groups=4', 'model.encoder.rgb.fusion.num_heads=2']
# Uni-Sign's PGF at the tiny encoder's width (EfficientNet-B0 has no size options).
TINY_UNISIGN_RGB = ['model.encoder.rgb.fusion.channels=8', 'model.encoder.rgb.fusion.heads=2',
                    'model.encoder.rgb.fusion.head_channels=4']


def records(dataset):
    language = LANGUAGES.get(dataset, 'en')
    labels = LABELS[language]
    rows = []
    for i, text in enumerate(labels['text']):
        row = dict(id=f'{dataset}{i}', language=language, text=text, gloss=labels['gloss'][i])
        if 'label' in labels:
            row['label'] = labels['label'][i]
        rows.append(row)
    return rows


def write_videos(root, pipeline, rows, frames):
    """The videos ``DecodeClipFrames`` reads (the shards' meta names ``<id>.mp4``, 256 x 256)."""
    step = next((s for s in pipeline if s['type'] == 'DecodeClipFrames'), None)
    if step is None:
        return
    folder = root / step['video_root']
    folder.mkdir(parents=True, exist_ok=True)
    pixels = np.random.default_rng(0).integers(0, 256, (frames, 256, 256, 3), dtype=np.uint8)
    for row in rows:
        write_video(str(folder / f'{row["id"]}.mp4'), pixels)


def dataset_configs(cfg, loader):
    dataset = cfg[loader].dataset
    return list(dataset.datasets) if 'datasets' in dataset else [dataset]


def write_lm(folder, kind):
    """The tiny LM a recipe's directory name asks for (mT5, mBART, Qwen2), or for SynthSign's own
    LM a small Llama with a tokenizer trained here."""
    if kind == 'synthsign':
        texts = [t for labels in LABELS.values() for t in labels['text']]
        tokenizer = train_tokenizer(texts + ['book drink computer before'], str(folder),
                                    vocab_size=300)
        build_small_lm('llama', tokenizer, hidden=32, layers=1, heads=2).save_pretrained(folder)
    else:
        save_family(kind, folder)


def lm_kind(path):
    name = os.path.basename(path).lower()
    return next((k for k in ('mt5', 'mbart', 'qwen2') if k in name.replace('qwen', 'qwen2')),
                'synthsign')


def size_options(cfg):
    options = list(TINY_ENCODER)
    rgb = cfg.model.encoder.get('rgb')
    if rgb:
        options += TINY_UNISIGN_RGB if rgb.get('type') == 'UniSignRGBFusion' else TINY_RGB
    if cfg.model.head.type == 'LightTranslator':
        options += TINY_LIGHT_T
    if cfg.model.head.get('adapter', 'mlp') is None:   # tokens enter the LM at its width
        options.append(f'model.encoder.out_channels={TINY["hidden"]}')
    if cfg.model.head.get('dtype'):
        options.append('model.head.dtype=None')
    if cfg.get('strategy'):
        # One process here; the shipped strategy (configs/_base_/strategies/fsdp.py) trains on
        # two processes in tests/engine/test_fsdp_stage2.py (slow).
        options.append('strategy=None')
    for key in ('encoder_checkpoint', 'init_checkpoint'):
        if cfg.model.get(key):
            options.append(f'model.{key}=None')   # earlier stages are not trained here
    if 'max_epochs' in cfg.train_cfg:
        options.append('train_cfg.max_epochs=1')   # 4 clips at batch 2: 2 iterations
    else:
        options.append('train_cfg.max_iters=2')
    if 'epoch_size' in cfg.train_dataloader.dataset:
        options.append('train_dataloader.dataset.epoch_size=4')
    if cfg.train_dataloader.sampler.type == 'LengthGroupedSampler':
        options.append('train_dataloader.sampler.batch_size=2')
    for loader in ('train', 'val', 'test'):
        options += [f'{loader}_dataloader.batch_size=2', f'{loader}_dataloader.num_workers=0',
                    f'{loader}_dataloader.persistent_workers=False']
    return options + ['default_hooks.logger.interval=1', 'optim_wrapper.accumulative_counts=1']


@pytest.fixture(scope='module')
def lm_cache(tmp_path_factory):
    root, made = tmp_path_factory.mktemp('recipe_lms'), {}

    def get(kind):
        if kind not in made:
            torch.manual_seed(0)
            made[kind] = root / kind
            write_lm(made[kind], kind)
        return made[kind]
    return get


@pytest.mark.parametrize('path', RECIPES, ids=lambda p: os.path.relpath(p, REPO))
def test_recipe_trains_two_iterations_and_validates(path, tmp_path, monkeypatch, lm_cache):
    cfg = Config.fromfile(path)
    monkeypatch.chdir(tmp_path)
    for loader, split in (('train_dataloader', 'train'), ('val_dataloader', 'dev')):
        for dataset in dataset_configs(cfg, loader):
            name = dataset.ann_file.rsplit('-', 1)[0]
            shards = tmp_path / dataset.data_root
            if not (shards / dataset.ann_file).exists():
                shards.mkdir(parents=True, exist_ok=True)
                write_shard_set(shards, name, split, records(name), frames=10, crop_size=32)
            write_videos(tmp_path, dataset.pipeline, records(name), frames=10)
    for key in ('pretrained_dir', 'tokenizer_dir'):
        if cfg.model.head.get(key):
            target = tmp_path / cfg.model.head[key]
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.exists():
                os.symlink(lm_cache(lm_kind(cfg.model.head[key])), target)
    load_tool('train').main([path, '--work-dir', str(tmp_path / 'work'), '--cfg-options',
                             *size_options(cfg)])
    losses = [loss for _, loss in read_losses(tmp_path / 'work')]
    assert len(losses) == 2 and np.isfinite(losses).all(), losses
    # Validation ran on the dev split, every data set and task scored with its own metric.
    tasks = {(d.ann_file.rsplit('-', 1)[0], d.get('task', 'slt'))
             for d in dataset_configs(cfg, 'val_dataloader')}
    metric = {'slt': 'bleu4', 'cslr': 'wer', 'islr': 'top1_instance'}
    for dataset, task in tasks:
        key = (f'translation/{dataset}/{task}/{metric[task]}' if len(tasks) > 1
               else f'translation/{metric[task]}')
        assert logged_scalars(str(tmp_path / 'work'), key), key


def test_joint_recipe_keeps_mbarts_own_encoder_at_the_lm_rate(lm_cache):
    """mmengine matches custom keys as substrings: 'encoder' must reach the visual encoder
    only, not mBART's encoder layers (head.lm.model.encoder.*)."""
    from mmengine.optim import build_optim_wrapper
    from mmengine.registry import init_default_scope

    from unisign_fla.registry import MODELS
    init_default_scope('unisign_fla')
    cfg = Config.fromfile(os.path.join(REPO, 'configs/fla_llm/fla_joint_mbart_phoenix2014t.py'))
    cfg.model.head.pretrained_dir = str(lm_cache('mbart'))
    cfg.model.encoder.update(embed_channels=8, spatial_channels=[8, 8], temporal_layers=1,
                             out_channels=16)
    model = MODELS.build(cfg.model)
    cfg.optim_wrapper.type = 'OptimWrapper'
    cfg.optim_wrapper.pop('dtype')
    groups = build_optim_wrapper(model, cfg.optim_wrapper).optimizer.param_groups
    rate = {id(p): group['lr'] for group in groups for p in group['params']}
    named = dict(model.named_parameters())
    lm_encoder = next(n for n in named if n.startswith('head.lm.model.encoder.layers'))
    assert rate[id(named[lm_encoder])] == pytest.approx(1e-5)
    assert rate[id(named['encoder.fuse.0.weight'])] == pytest.approx(3e-4)
    assert rate[id(named['head.adapter.0.weight'])] == pytest.approx(1e-3)
