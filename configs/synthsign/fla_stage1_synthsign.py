# Quick-start stage 1 on SynthSign, sized for a 2-core CPU: a narrow per-part ST-GCN and a small
# Light-T with the tokenizer of the language model that tools/quickstart.py prepares.
#   python tools/train.py configs/synthsign/fla_stage1_synthsign.py
_base_ = ['../_base_/schedules/cpu_iters.py', '../_base_/datasets/synthsign.py',
          '../_base_/models/synthsign_stage1.py']
