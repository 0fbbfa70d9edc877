# The RGB hand branch at reference sizes: HandCropBackbone over 112 px crops (14 x 14 maps) and
# prior-guided fusion with our learning gate (sigmoid, starts at 0.05; docs/encoder.md).
# Recipes set ``model.encoder.rgb = _base_.rgb_branch`` and the RGB crop steps in the pipelines.
rgb_branch = dict(backbone=dict(type='HandCropBackbone'),
                  fusion=dict(type='PriorGuidedFusion', gate='sigmoid', gate_init=0.05))
