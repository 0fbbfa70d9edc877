# Uni-Sign's pose encoder at the sizes of its released checkpoints (UniSignPoseEncoder, docs/
# encoder.md "Uni-Sign's architecture"): 64 -> 64, 128, 256, 3 temporal blocks of kernel 5, one
# 768-wide token per frame (mT5-base's width). A variable, so that recipes other than Uni-Sign's
# own (FLa-LLM stage 2 over its frozen encoder) can take it in place of ours.
unisign_pose_encoder = dict(type='UniSignPoseEncoder', embed_channels=64,
                            spatial_channels=(64, 128, 256), temporal_layers=3, temporal_kernel=5,
                            out_channels=768)
