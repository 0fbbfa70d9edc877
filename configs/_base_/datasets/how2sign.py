# How2Sign (English, ~31k training sentences). Uni-Sign's label files have no dev split: with
# them, point val_dataloader at the test index (or set val_cfg=None); the official release has one.
_base_ = ['./shard_splits.py']
data_root = 'data/how2sign/shards'
train_dataloader = dict(dataset=dict(data_root=data_root, ann_file='how2sign-train.index.json'))
val_dataloader = dict(dataset=dict(data_root=data_root, ann_file='how2sign-dev.index.json'))
test_dataloader = dict(dataset=dict(data_root=data_root, ann_file='how2sign-test.index.json'))
# How2Sign's sentences run long: at 1.3 tokens per word 0.1 % exceed 113 tokens and the longest
# test sentence has 132 (docs/recipes.md). Recipes size targets and generation with this.
target_tokens = 160
