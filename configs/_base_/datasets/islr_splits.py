# Loaders of an isolated-recognition set: target = the class word (task 'islr', scored by
# top-1 accuracy), and 64 frames per clip as Uni-Sign samples for WLASL and MS-ASL.
_base_ = ['./shard_splits.py']
islr_frames = 64
train_pipeline = [dict(step, max_frames=islr_frames) if step['type'] == 'SampleFrames' else step
                  for step in _base_.train_pipeline]
test_pipeline = [dict(step, max_frames=islr_frames) if step['type'] == 'SampleFrames' else step
                 for step in _base_.test_pipeline]
train_dataloader = dict(dataset=dict(task='islr', pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(task='islr', pipeline=test_pipeline))
test_dataloader = dict(dataset=dict(task='islr', pipeline=test_pipeline))
