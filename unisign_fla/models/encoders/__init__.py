"""Visual encoders: keypoints (and RGB hand crops through PGF) -> visual tokens."""
from unisign_fla.models.encoders.pose_encoder import PoseEncoder
from unisign_fla.models.encoders.prior_guided_fusion import PriorGuidedFusion
from unisign_fla.models.encoders.rgb_backbone import HandCropBackbone
from unisign_fla.models.encoders.unisign_pose_encoder import UniSignPoseEncoder
from unisign_fla.models.encoders.unisign_rgb_fusion import UniSignRGBFusion

__all__ = ['PoseEncoder', 'PriorGuidedFusion', 'HandCropBackbone', 'UniSignPoseEncoder',
           'UniSignRGBFusion']
