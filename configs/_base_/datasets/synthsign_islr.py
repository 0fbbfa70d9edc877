# SynthSign's single-sign clips, extracted into their own folder (their manifests reuse the
# split names), for isolated sign recognition: the target is the sign's citation word.
#   python tools/extract_pose.py --manifest data/synthsign/manifests/islr_train.jsonl \
#       --video-root data/synthsign --out data/synthsign/shards_islr --crop-size 64   # dev, test
_base_ = ['./synthsign.py']
data_root = 'data/synthsign/shards_islr'
train_dataloader = dict(dataset=dict(data_root=data_root, task='islr'))
val_dataloader = dict(dataset=dict(data_root=data_root, task='islr'))
test_dataloader = dict(dataset=dict(data_root=data_root, task='islr'))
