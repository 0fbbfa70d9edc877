"""A heatmap of the PGF gate per hand joint over the frames that had a crop, for one clip.

Columns are only the crop frames (others have no gate); rows are the 21 hand joints by name.
Both hands share one colour scale, set by the clip's own range with the numbers on the colour
bar: early in training every gate is near its initial 0.05, and a fixed 0-1 scale would show a
flat picture that hides which joints have started to open.
"""

import matplotlib
import numpy as np

from unisign_fla.keypoints import HAND_JOINT_NAMES
from unisign_fla.visualization.gate_record import HandGates

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the file-only backend)

FIGURE_SIZE = (12.0, 6.0)   # inches; at 100 dpi a 1200 x 600 px PNG
DPI = 100
MAX_FRAME_TICKS = 20


def _frame_ticks(ax, frames: np.ndarray) -> None:
    step = max(1, -(-len(frames) // MAX_FRAME_TICKS))
    ticks = np.arange(0, len(frames), step)
    ax.set_xticks(ticks)
    ax.set_xticklabels([str(frames[t]) for t in ticks], fontsize=7, rotation=90)


def gate_figure(gates: dict[str, HandGates], title: str, path: str | None = None):
    """The figure (a matplotlib Figure); written as a PNG to ``path`` when given."""
    values = np.concatenate([g.gates.ravel() for g in gates.values()])
    low, high = (float(values.min()), float(values.max())) if len(values) else (0.0, 1.0)
    if high - low < 1e-6:
        low, high = low - 0.01, high + 0.01
    widths = [max(len(g.frames), 4) for g in gates.values()]
    fig, axes = plt.subplots(1, len(gates), figsize=FIGURE_SIZE, dpi=DPI,
                             gridspec_kw=dict(width_ratios=widths), squeeze=False)
    fig.subplots_adjust(left=0.09, right=0.95, top=0.86, bottom=0.1, wspace=0.08)
    image = None
    for ax, (hand, hand_gates) in zip(axes[0], gates.items()):
        ax.set_title(f'{hand.replace("_", " ")}: {len(hand_gates.frames)} crop frames'
                     + (f', mean gate {hand_gates.gates.mean():.3f}'
                        if len(hand_gates.frames) else ''), fontsize=9)
        ax.set_yticks(range(len(HAND_JOINT_NAMES)))
        ax.set_yticklabels(HAND_JOINT_NAMES if ax is axes[0, 0] else [], fontsize=7)
        if not len(hand_gates.frames):
            ax.set_xticks([])
            ax.set_ylim(len(HAND_JOINT_NAMES) - 0.5, -0.5)
            ax.text(0.5, 0.5, 'no crop', ha='center', va='center', transform=ax.transAxes)
            continue
        image = ax.imshow(hand_gates.gates.T, aspect='auto', cmap='viridis', vmin=low,
                          vmax=high, interpolation='nearest')
        _frame_ticks(ax, hand_gates.frames)
        ax.set_xlabel('frame with a crop')
    if image is not None:
        fig.colorbar(image, ax=axes[0].tolist(), fraction=0.04, pad=0.02).set_label('gate')
    fig.suptitle(title, fontsize=10)
    if path:
        fig.savefig(path, dpi=DPI)
        plt.close(fig)
    return fig
