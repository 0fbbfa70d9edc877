# MS-ASL-1000 isolated signs (English class words).
_base_ = ['./islr_splits.py']
data_root = 'data/msasl1000/shards'
train_dataloader = dict(dataset=dict(data_root=data_root, ann_file='msasl1000-train.index.json'))
val_dataloader = dict(dataset=dict(data_root=data_root, ann_file='msasl1000-dev.index.json'))
test_dataloader = dict(dataset=dict(data_root=data_root, ann_file='msasl1000-test.index.json'))
