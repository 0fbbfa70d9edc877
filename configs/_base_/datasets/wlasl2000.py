# WLASL-2000 isolated signs (English class words, 14289 / 3916 / 2878 clips).
_base_ = ['./islr_splits.py']
data_root = 'data/wlasl2000/shards'
train_dataloader = dict(dataset=dict(data_root=data_root, ann_file='wlasl2000-train.index.json'))
val_dataloader = dict(dataset=dict(data_root=data_root, ann_file='wlasl2000-dev.index.json'))
test_dataloader = dict(dataset=dict(data_root=data_root, ann_file='wlasl2000-test.index.json'))
