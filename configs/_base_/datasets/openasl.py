# OpenASL (English, ~96k training clips; Uni-Sign's label files hold dev and test only).
_base_ = ['./shard_splits.py']
data_root = 'data/openasl/shards'
train_dataloader = dict(dataset=dict(data_root=data_root, ann_file='openasl-train.index.json'))
val_dataloader = dict(dataset=dict(data_root=data_root, ann_file='openasl-dev.index.json'))
test_dataloader = dict(dataset=dict(data_root=data_root, ann_file='openasl-test.index.json'))
