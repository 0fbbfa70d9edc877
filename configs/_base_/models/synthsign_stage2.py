# Stage 2 on SynthSign: the stage-1 encoder frozen, an MLP adapter and the small pretrained
# language model that tools/quickstart.py prepares (loaded with from_pretrained), fully tuned.
_base_ = ['./synthsign_stage1.py']
model = dict(
    encoder_checkpoint='work_dirs/fla_stage1_synthsign/iter_500.pth',
    freeze_encoder=True,
    head=dict(_delete_=True, type='LanguageModelHead', pretrained_dir=_base_.lm_dir,
              lora=None, label_smoothing=0.1, max_target_length=48))
