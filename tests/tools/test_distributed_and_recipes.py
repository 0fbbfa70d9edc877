"""Two-process training under torchrun on CPU, and the reference CSL-News recipe at reduced size."""
import os
import subprocess
import sys

import numpy as np

from unisign_fla.engine import logged_scalars
from unisign_fla.lm import build_small_lm, train_tokenizer

from ..conftest import write_shard_set
from .conftest import REPO, data_options, load_tool, read_losses, schedule_options

STAGE1 = os.path.join(REPO, 'configs/synthsign/fla_stage1_synthsign.py')


def test_torchrun_two_processes_on_cpu(tiny_synthsign, tmp_path):
    env = dict(os.environ, OMP_NUM_THREADS='1')
    command = [sys.executable, '-m', 'torch.distributed.run', '--nproc_per_node', '2',
               '--master_port', '29631', os.path.join(REPO, 'tools/train.py'), STAGE1,
               '--launcher', 'pytorch', '--work-dir', str(tmp_path), '--cfg-options',
               f'model.head.tokenizer_dir={tiny_synthsign / "tokenizer"}',
               *data_options(tiny_synthsign / 'shards'), *schedule_options(3, batch_size=4)]
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    log = result.stdout + result.stderr
    assert 'Distributed launcher: pytorch' in log and 'Distributed training: True' in log
    # DefaultSampler splits the 16 training clips between the two ranks: 8 each.
    assert (tmp_path / 'iter_3.pth').exists()
    assert len(read_losses(tmp_path)) == 3


def test_pretrain_cslnews_recipe_runs_on_chinese_shards(tmp_path):
    """configs/pretrain_cslnews.py as shipped (ST-GCN + mT5-style seq2seq LM, epoch schedule; its
    bf16 AMP wrapper falls back to fp32 without a GPU), sizes reduced through --cfg-options."""
    texts = ['今天天气很好。', '他今年四岁。', '我们明天去北京。', '新闻联播现在开始。',
             '这个苹果很甜。', '请大家注意安全。']
    records = [dict(id=f'news{i}', language='zh', text=t) for i, t in enumerate(texts)]
    shards = tmp_path / 'shards'
    shards.mkdir()
    for split in ('train', 'dev', 'test'):
        write_shard_set(shards, 'csl_news', split, records, frames=10)
    lm_dir = tmp_path / 'mt5-tiny'
    tokenizer = train_tokenizer(texts, str(lm_dir), vocab_size=200, language='zh')
    build_small_lm('t5', tokenizer, hidden=32, layers=2, heads=2).save_pretrained(lm_dir)
    options = [f'model.head.pretrained_dir={lm_dir}', 'model.encoder.embed_channels=8',
               'model.encoder.spatial_channels=[8,16]', 'model.encoder.temporal_layers=1',
               'model.encoder.out_channels=16', 'model.generation.max_new_tokens=8',
               'model.generation.num_beams=2', 'train_cfg.max_epochs=2',
               'param_scheduler.0.end=2']
    for loader in ('train', 'val', 'test'):
        options += [f'{loader}_dataloader.dataset.data_root={shards}',
                    f'{loader}_dataloader.batch_size=3', f'{loader}_dataloader.num_workers=0',
                    f'{loader}_dataloader.persistent_workers=False']
    work_dir = tmp_path / 'work'
    load_tool('train').main([os.path.join(REPO, 'configs/pretrain_cslnews.py'), '--work-dir',
                             str(work_dir), '--cfg-options', *options])
    assert (work_dir / 'epoch_2.pth').exists()
    losses = [loss for _, loss in read_losses(work_dir)]
    assert len(losses) >= 1 and np.isfinite(losses).all()
    assert logged_scalars(str(work_dir), 'translation/bleu4')  # validation ran on the dev split
