# Train / dev / test dataloaders over the shards of one data set. Data-set configs override each
# (The collate function is looked up by mmengine without the default scope: hence the prefix.)
# loader's ``dataset.data_root`` (the --out of tools/extract_pose.py) and ``dataset.ann_file``
# (``{dataset}-{split}.index.json``); see configs/_base_/datasets/synthsign.py.
_base_ = ['./pose_pipelines.py']
# LengthGroupedSampler: batches of similar lengths, and draws that seed their augmentations.
train_dataloader = dict(
    batch_size=32, num_workers=4, persistent_workers=True,
    sampler=dict(type='LengthGroupedSampler', batch_size=32),
    collate_fn=dict(type='unisign_fla.sign_collate'),
    dataset=dict(type='SignShardDataset', ann_file='train.index.json', task='slt',
                 pipeline={{_base_.train_pipeline}}))
val_dataloader = dict(
    batch_size=32, num_workers=4, persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='unisign_fla.sign_collate'),
    dataset=dict(type='SignShardDataset', ann_file='dev.index.json', task='slt',
                 test_mode=True, pipeline={{_base_.test_pipeline}}))
test_dataloader = dict(
    batch_size=32, num_workers=4, persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='unisign_fla.sign_collate'),
    dataset=dict(type='SignShardDataset', ann_file='test.index.json', task='slt',
                 test_mode=True, pipeline={{_base_.test_pipeline}}))
val_evaluator = dict(type='TranslationMetric')
test_evaluator = dict(type='TranslationMetric')
