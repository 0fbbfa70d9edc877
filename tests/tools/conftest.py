"""A tiny real SynthSign data set, extracted into shards, shared by the tool tests."""
import json
import os

import pytest

from tests.scripts import load_tool  # noqa: F401  (the tool tests import it from here)
from unisign_fla.engine import logged_scalars
from unisign_fla.extraction.job import ExtractionConfig, ExtractionJob
from unisign_fla.lm import train_tokenizer
from unisign_fla.synthsign import generate_dataset

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture(scope='session')
def tiny_synthsign(tmp_path_factory):
    """SynthSign ``tiny`` -> shards of every split + a tokenizer trained on the training text."""
    root = tmp_path_factory.mktemp('synthsign')
    generate_dataset(str(root), size='tiny', seed=0)
    shards = root / 'shards'
    for split in ('train', 'dev', 'test'):
        ExtractionJob(ExtractionConfig(manifest=str(root / 'manifests' / f'{split}.jsonl'),
                                       video_root=str(root), out=str(shards), crop_size=32,
                                       threads=1)).run()
    with open(root / 'manifests' / 'train.jsonl') as f:
        texts = [json.loads(line)['text'] for line in f]
    train_tokenizer(texts, str(root / 'tokenizer'), vocab_size=400, language='en')
    return root


def data_options(shard_dir, test_split='test'):
    """--cfg-options pointing the SynthSign configs at ``shard_dir`` (the test loader at any
    split)."""
    options = []
    for loader, split in (('train', 'train'), ('val', 'dev'), ('test', test_split)):
        options += [f'{loader}_dataloader.dataset.data_root={shard_dir}',
                    f'{loader}_dataloader.dataset.ann_file=synthsign-{split}.index.json']
    return options


def schedule_options(max_iters, checkpoint_interval=None, batch_size=8):
    warmup = max(1, min(10, max_iters // 2))
    return [f'train_cfg.max_iters={max_iters}', f'train_cfg.val_interval={max_iters}',
            f'param_scheduler.0.end={warmup}', f'param_scheduler.1.begin={warmup}',
            f'param_scheduler.1.end={max_iters}',
            f'default_hooks.checkpoint.interval={checkpoint_interval or max_iters}',
            'default_hooks.logger.interval=1', f'train_dataloader.batch_size={batch_size}',
            f'train_dataloader.sampler.batch_size={batch_size}']


def read_losses(work_dir):
    """Training losses logged by mmengine, ``(iteration, loss)``."""
    return logged_scalars(str(work_dir), 'loss')


