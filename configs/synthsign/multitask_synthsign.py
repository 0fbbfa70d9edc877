# One SynthSign model for three tasks at once: translation and gloss recognition of the sentence
# clips, and recognition of the single-sign clips (shards_islr, see islr_synthsign.py), each
# sample with its own task prompt, an equal share of every epoch each; the stage-1 encoder and
# Light-T, whose tokenizer must cover sentences, glosses and class words
# (benchmarks/multitask.py prepares one). Each task is scored with its own metric.
#   python tools/train.py configs/synthsign/multitask_synthsign.py
_base_ = ['../_base_/schedules/cpu_iters.py', '../_base_/datasets/synthsign.py',
          '../_base_/models/synthsign_stage1.py']
members = [('data/synthsign/shards', 'slt'), ('data/synthsign/shards', 'cslr'),
           ('data/synthsign/shards_islr', 'islr')]
ratios = [1, 1, 1]


def _members(split, pipeline):
    return [dict(type='SignShardDataset', data_root=root, task=task,
                 ann_file=f'synthsign-{split}.index.json', pipeline=pipeline)
            for root, task in members]


train_dataloader = dict(dataset=dict(_delete_=True, type='MultiTaskDataset', ratios=ratios,
                                     datasets=_members('train', _base_.train_pipeline)))
val_dataloader = dict(dataset=dict(_delete_=True, type='MultiTaskDataset', test_mode=True,
                                   datasets=_members('dev', _base_.test_pipeline)))
test_dataloader = dict(dataset=dict(_delete_=True, type='MultiTaskDataset', test_mode=True,
                                    datasets=_members('test', _base_.test_pipeline)))
