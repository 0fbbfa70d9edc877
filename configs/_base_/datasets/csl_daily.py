# CSL-Daily (Chinese, 18401 / 1077 / 1176 clips): shards from tools/extract_pose.py.
_base_ = ['./shard_splits.py']
data_root = 'data/csl_daily/shards'
train_dataloader = dict(dataset=dict(data_root=data_root, ann_file='csl_daily-train.index.json'))
val_dataloader = dict(dataset=dict(data_root=data_root, ann_file='csl_daily-dev.index.json'))
test_dataloader = dict(dataset=dict(data_root=data_root, ann_file='csl_daily-test.index.json'))
