"""Visual encoders: keypoints (and later RGB hand crops) -> visual tokens."""
from .pose_encoder import PoseEncoder

__all__ = ['PoseEncoder']
