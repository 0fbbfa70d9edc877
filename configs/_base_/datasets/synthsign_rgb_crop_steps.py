# RGB crop steps for SynthSign: every candidate frame instead of 10 %. Uni-Sign keeps 10 % on real
# data (25 fps, a sign spans 12-25 frames: 1-3 crops per sign and hand). SynthSign runs at
# 12.5 fps and a single-sign clip is about 17 frames, so 10 % leaves 1-2 crops per clip, and RGB
# did not learn within the ablation's budget; with every candidate frame it did (docs/encoder.md,
# "Does RGB help?").
_base_ = ['./rgb_crop_steps.py']
rgb_crop_fraction = 1.0
rgb_train_steps = [dict(step, fraction=rgb_crop_fraction) if 'fraction' in step else step
                   for step in _base_.rgb_train_steps]
rgb_test_steps = [dict(step, fraction=rgb_crop_fraction) if 'fraction' in step else step
                  for step in _base_.rgb_test_steps]
