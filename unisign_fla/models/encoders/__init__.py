"""Visual encoders: keypoints (and RGB hand crops through PGF) -> visual tokens."""
from .pose_encoder import PoseEncoder
from .prior_guided_fusion import PriorGuidedFusion
from .rgb_backbone import HandCropBackbone
from .unisign_pose_encoder import UniSignPoseEncoder
from .unisign_rgb_fusion import UniSignRGBFusion

__all__ = ['PoseEncoder', 'PriorGuidedFusion', 'HandCropBackbone', 'UniSignPoseEncoder',
           'UniSignRGBFusion']
