# Uni-Sign's pose-only model exactly as Uni-Sign's code builds it, to run Uni-Sign's own
# checkpoints after `python tools/convert_checkpoint.py unisign SRC.pth --out DST.pth`
# (docs/encoder.md, "Uni-Sign's architecture"): its ST-GCN (UniSignPoseEncoder) -> 768-wide
# tokens straight into mT5-base (no adapter), the prompt followed by EOS and the same prompt for
# every task, targets cut to 50 tokens, beam 4 and 100 new tokens. Its input must be Uni-Sign's
# normalisation: NormalizeKeypoints(mode='uni_sign') (unisign_compat_pipelines.py).
_base_ = ['./unisign_pose_encoder.py']
slt_prompt = 'Translate sign language video to {language}: '
model = dict(
    type='SignTranslator',
    encoder=_base_.unisign_pose_encoder,
    head=dict(type='LanguageModelHead', pretrained_dir='checkpoints/mt5-base', adapter=None,
              prompt_eos=True, label_smoothing=0.2, max_target_length=50),
    prompts=dict(slt=slt_prompt, cslr=slt_prompt, islr=slt_prompt),
    generation=dict(max_new_tokens=100, num_beams=4))
