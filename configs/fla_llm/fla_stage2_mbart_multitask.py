# One stage-2 model for every task: mBART-large-cc25 fine-tuned at once on translation
# (PHOENIX-2014T, CSL-Daily, How2Sign), continuous recognition (PHOENIX-2014, CSL-Daily) and
# isolated recognition (WLASL-2000), each sample with its own task and language prompt, over the
# frozen pose encoder of Uni-Sign's CSL-News pretraining (stage 1: one token per frame). Each set
# fills an equal share of a 60,000-sample epoch (ratios); tools/test.py scores each data set and
# task with its own metric (metrics.json keyed by them).
#   python tools/train.py configs/fla_llm/fla_stage2_mbart_multitask.py
# The How2Sign base brings its target length (and the shared loaders, replaced below).
_base_ = ['../_base_/schedules/fla_llm_stage2_20e.py', '../_base_/datasets/how2sign.py',
          '../_base_/models/stage2_llm.py']
model = dict(encoder=dict(temporal_stride=1),
             encoder_checkpoint='work_dirs/unisign_stage1_pose_csl-news/epoch_20.pth',
             head=dict(max_target_length=_base_.target_tokens),
             generation=dict(max_new_tokens=_base_.target_tokens))
members = [('phoenix2014t', 'slt'), ('csl_daily', 'slt'), ('how2sign', 'slt'),
           ('phoenix2014', 'cslr'), ('csl_daily', 'cslr'), ('wlasl2000', 'islr')]
ratios = [1, 1, 1, 1, 1, 1]


def _frames(pipeline, task):
    """Isolated signs get the ISLR frame count, as in their single-task recipes."""
    frames = _base_.islr_frames if task == 'islr' else _base_.max_frames
    return [dict(step, max_frames=frames) if step['type'] == 'SampleFrames' else step
            for step in pipeline]


def _members(split, pipeline):
    return [dict(type='SignShardDataset', data_root=f'data/{name}/shards', task=task,
                 ann_file=f'{name}-{split}.index.json', pipeline=_frames(pipeline, task))
            for name, task in members]


train_dataloader = dict(
    dataset=dict(_delete_=True, type='MultiTaskDataset', ratios=ratios, epoch_size=60000,
                 datasets=_members('train', _base_.train_pipeline)))
val_dataloader = dict(dataset=dict(_delete_=True, type='MultiTaskDataset', test_mode=True,
                                   datasets=_members('dev', _base_.test_pipeline)))
test_dataloader = dict(dataset=dict(_delete_=True, type='MultiTaskDataset', test_mode=True,
                                    datasets=_members('test', _base_.test_pipeline)))
