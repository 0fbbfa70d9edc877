"""Figures and videos a person opens to check a clip: the pose overlay, the crop choice of
score-aware sampling and the PGF gate (``tools/visualize.py`` is the command line)."""
from unisign_fla.visualization.clip_figure import clip_figure
from unisign_fla.visualization.clip_selection import select_clip
from unisign_fla.visualization.crop_choice import CropChoice, choose_crops
from unisign_fla.visualization.gate_figure import gate_figure
from unisign_fla.visualization.gate_record import HandGates, clip_gates, fusion_module
from unisign_fla.visualization.pose_drawing import draw_pose, mark_crops, score_color
from unisign_fla.visualization.pose_overlay import (
           clip_frames,
           contact_sheet,
           render_overlay,
           sheet_rows,
           write_mp4,
           write_png,
)

__all__ = ['CropChoice', 'HandGates', 'choose_crops', 'clip_figure', 'clip_frames', 'clip_gates',
           'contact_sheet', 'draw_pose', 'fusion_module', 'gate_figure', 'mark_crops',
           'render_overlay', 'score_color', 'select_clip', 'sheet_rows', 'write_mp4', 'write_png']
