# Isolated sign recognition on SynthSign, cast as translation: the stage-1 encoder and Light-T
# generate the sign's citation word; scored by top-1 accuracy (TranslationMetric, task 'islr').
#   python tools/train.py configs/synthsign/islr_synthsign.py
_base_ = ['../_base_/schedules/cpu_iters.py', '../_base_/datasets/synthsign_islr.py',
          '../_base_/models/synthsign_stage1.py']
model = dict(head=dict(max_target_length=8), generation=dict(max_new_tokens=6))
