# SynthSign shards as written by tools/quickstart.py (data_prep/synthsign.py + tools/extract_pose.py).
# Small clips on a 2-core CPU: loading in the main process is faster than worker processes.
_base_ = ['./shard_splits.py']
data_root = 'data/synthsign/shards'
_loader = dict(num_workers=0, persistent_workers=False)
train_dataloader = dict(**_loader,
                        sampler=dict(infinite=True),
                        dataset=dict(data_root=data_root, ann_file='synthsign-train.index.json'))
val_dataloader = dict(**_loader, dataset=dict(data_root=data_root,
                                              ann_file='synthsign-dev.index.json'))
test_dataloader = dict(**_loader, dataset=dict(data_root=data_root,
                                               ann_file='synthsign-test.index.json'))
