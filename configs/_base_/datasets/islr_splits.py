# Loaders of an isolated-recognition set: target = the class word (task 'islr', scored by
# top-1 accuracy), and ``islr_frames`` per clip (pose_pipelines.py).
_base_ = ['./shard_splits.py']
train_pipeline = [dict(step, max_frames=_base_.islr_frames) if step['type'] == 'SampleFrames'
                  else step for step in _base_.train_pipeline]
test_pipeline = [dict(step, max_frames=_base_.islr_frames) if step['type'] == 'SampleFrames'
                 else step for step in _base_.test_pipeline]
train_dataloader = dict(dataset=dict(task='islr', pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(task='islr', pipeline=test_pipeline))
test_dataloader = dict(dataset=dict(task='islr', pipeline=test_pipeline))
