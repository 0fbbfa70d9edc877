# PHOENIX-2014 multi-signer (German, 5672 / 540 / 629 clips): glosses only, so CSLR.
_base_ = ['./shard_splits.py']
data_root = 'data/phoenix2014/shards'
train_dataloader = dict(dataset=dict(data_root=data_root, ann_file='phoenix2014-train.index.json'))
val_dataloader = dict(dataset=dict(data_root=data_root, ann_file='phoenix2014-dev.index.json'))
test_dataloader = dict(dataset=dict(data_root=data_root, ann_file='phoenix2014-test.index.json'))
