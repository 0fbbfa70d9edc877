# Continuous sign recognition on SynthSign, cast as translation: the stage-1 encoder and Light-T
# generate the clip's glosses (task 'cslr', scored by WER against the gloss transcription).
#   python tools/train.py configs/synthsign/cslr_synthsign.py
_base_ = ['../_base_/schedules/cpu_iters.py', '../_base_/datasets/synthsign.py',
          '../_base_/models/synthsign_stage1.py']
train_dataloader = dict(dataset=dict(task='cslr'))
val_dataloader = dict(dataset=dict(task='cslr'))
test_dataloader = dict(dataset=dict(task='cslr'))
