"""tools/train.py --vis tensorboard: the scalars a researcher watches (loss, learning rate, the
PGF gate, dev metrics) reach TensorBoard through mmengine's visualiser, and a run prints no
"Failed to search registry" warning (unisign_fla registers the visualiser registries)."""
import glob
import os

import pytest

from tests.tools.conftest import REPO, data_options, load_tool, schedule_options

PGF_STAGE1 = os.path.join(REPO, 'configs/synthsign/pgf_stage1_synthsign.py')


def test_tensorboard_gets_loss_lr_gate_and_dev_metrics(tiny_synthsign, tmp_path):
    event_accumulator = pytest.importorskip(
        'tensorboard.backend.event_processing.event_accumulator')
    load_tool('train').main([PGF_STAGE1, '--work-dir', str(tmp_path), '--vis', 'tensorboard',
                             '--cfg-options',
                             f'model.head.tokenizer_dir={tiny_synthsign / "tokenizer"}',
                             *data_options(tiny_synthsign / 'shards'),
                             *schedule_options(2, batch_size=4),
                             'val_dataloader.dataset.indices=4',
                             'model.generation.max_new_tokens=4', 'model.generation.num_beams=1'])
    events = glob.glob(str(tmp_path / '*' / 'vis_data' / '**' / 'events.out.tfevents.*'),
                       recursive=True)
    assert len(events) == 1, events
    accumulator = event_accumulator.EventAccumulator(events[0])
    accumulator.Reload()
    tags = set(accumulator.Tags()['scalars'])
    assert {'loss', 'lr', 'pgf_gate', 'translation/bleu4'} <= tags, tags
    assert len(accumulator.Scalars('loss')) == 2
    logs = glob.glob(str(tmp_path / '*' / '*.log'))
    assert logs and not any('Failed to search registry' in open(f).read() for f in logs)


def test_vis_names_its_choices():
    with pytest.raises(SystemExit):
        load_tool('train').parse_args(['config.py', '--vis', 'visdom'])
