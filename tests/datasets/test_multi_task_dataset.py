"""One training set over several data sets and tasks, drawn at configured ratios."""
import collections

import pytest
from mmengine.registry import init_default_scope

from tests.conftest import write_shard_set
from unisign_fla.datasets import LengthGroupedSampler, MultiTaskDataset

PIPELINE = [dict(type='LoadShardSample'), dict(type='NormalizeKeypoints'),
            dict(type='SampleFrames', max_frames=16, random=False), dict(type='PackSignInputs')]


@pytest.fixture
def members(tmp_path):
    init_default_scope('unisign_fla')
    sentences = [dict(id=f'p{i}', language='de', text=f'satz {i}', gloss=['A', f'G{i}'])
                 for i in range(12)]
    signs = [dict(id=f'w{i}', language='en', label=f'word{i}') for i in range(3)]
    write_shard_set(tmp_path, 'phoenix2014t', 'train', sentences, frames=8)
    write_shard_set(tmp_path, 'wlasl2000', 'train', signs, frames=6)

    def member(dataset, task):
        return dict(type='SignShardDataset', data_root=str(tmp_path), task=task,
                    ann_file=f'{dataset}-train.index.json', pipeline=PIPELINE)
    return [member('phoenix2014t', 'slt'), member('phoenix2014t', 'cslr'),
            member('wlasl2000', 'islr')]


def test_samples_carry_their_own_task_language_and_dataset(members):
    dataset = MultiTaskDataset(members)
    assert len(dataset) == 27
    seen = {(s['data_samples']['dataset'], s['data_samples']['task'],
             s['data_samples']['language'], s['data_samples']['target'])
            for s in (dataset[i] for i in (0, 12, 24))}
    assert seen == {('phoenix2014t', 'slt', 'de', 'satz 0'),
                    ('phoenix2014t', 'cslr', 'de', 'A G0'),
                    ('wlasl2000', 'islr', 'en', 'word0')}


def test_ratios_set_each_members_share_and_draws_change_every_epoch(members):
    dataset = MultiTaskDataset(members, ratios=[1, 1, 2], epoch_size=40)
    sampler = LengthGroupedSampler(dataset, batch_size=4, seed=0)
    assert len(sampler) == 40
    epochs = []
    for epoch in range(2):
        sampler.set_epoch(epoch)
        order = list(sampler)
        shares = collections.Counter(dataset._locate(i)[0] for i in order)
        assert shares == {0: 10, 1: 10, 2: 20}
        # The small ISLR set (3 clips) is cycled, every clip about equally often.
        islr = collections.Counter(i for i in order if dataset._locate(i)[0] == 2)
        assert max(islr.values()) - min(islr.values()) <= 1
        epochs.append(order)
    assert epochs[0] != epochs[1]
    with pytest.raises(ValueError, match='ratios \\[1, 2\\] must be 3 positive numbers'):
        MultiTaskDataset(members, ratios=[1, 2])
