# PHOENIX-2014T (German weather forecasts, 7096 / 519 / 642 clips): sentences and glosses.
_base_ = ['./shard_splits.py']
data_root = 'data/phoenix2014t/shards'
train_dataloader = dict(dataset=dict(data_root=data_root, ann_file='phoenix2014t-train.index.json'))
val_dataloader = dict(dataset=dict(data_root=data_root, ann_file='phoenix2014t-dev.index.json'))
test_dataloader = dict(dataset=dict(data_root=data_root, ann_file='phoenix2014t-test.index.json'))
