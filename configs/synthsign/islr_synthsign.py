# Isolated sign recognition on SynthSign, cast as translation: the stage-1 encoder and Light-T
# generate the sign's citation word; scored by top-1 accuracy (TranslationMetric, task 'islr').
# The ISLR clips are extracted into their own folder (their manifests reuse the split names):
#   python tools/extract_pose.py --manifest data/synthsign/manifests/islr_train.jsonl \
#       --video-root data/synthsign --out data/synthsign/shards_islr --crop-size 64   # dev, test
#   python tools/train.py configs/synthsign/islr_synthsign.py
_base_ = ['./fla_stage1_synthsign.py']
data_root = 'data/synthsign/shards_islr'
train_dataloader = dict(dataset=dict(data_root=data_root, task='islr'))
val_dataloader = dict(dataset=dict(data_root=data_root, task='islr'))
test_dataloader = dict(dataset=dict(data_root=data_root, task='islr'))
model = dict(head=dict(max_target_length=8), generation=dict(max_new_tokens=6))
