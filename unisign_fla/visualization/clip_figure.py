"""A per-clip figure of score-aware sampling: why these frames got a hand crop.

Top: each hand's mean keypoint score per frame with the candidate threshold, the frames that
are candidates (a crop whose hand mean score clears the threshold) and the frames chosen (the
least reliable fingertips among them). Below: the chosen crops themselves, one strip per hand,
so a person can see whether the crops RGB learns from actually show a hand.
"""

import matplotlib
import numpy as np

from unisign_fla.keypoints import HAND_SCORE_THRESHOLD
from unisign_fla.visualization.crop_choice import HAND_LETTERS, CropChoice
from unisign_fla.visualization.pose_drawing import CROP_COLORS

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the file-only backend)

MAX_STRIP_CROPS = 16
FIGURE_SIZE = (10.0, 6.5)   # inches; at 100 dpi a 1000 x 650 px PNG
DPI = 100


def crop_strip(crops: np.ndarray, gap: int = 2) -> np.ndarray:
    """(K, S, S, 3) crops side by side with white gaps -> (S, K*S + (K-1)*gap, 3)."""
    side = crops.shape[1]
    strip = np.full((side, len(crops) * (side + gap) - gap, 3), 255, np.uint8)
    for k, crop in enumerate(crops):
        strip[:, k * (side + gap):k * (side + gap) + side] = crop
    return strip


def _hand_color(hand: str) -> tuple:
    return tuple(c / 255 for c in CROP_COLORS[HAND_LETTERS[hand]])


def _plot_scores(ax, choice: dict[str, CropChoice], threshold: float) -> None:
    lanes = {}
    for n, (hand, crops) in enumerate(choice.items()):
        color = _hand_color(hand)
        frames = np.arange(len(crops.scores))
        ax.plot(frames, crops.scores, color=color, lw=1.5,
                label=f'{hand.replace("_", " ")}: mean score')
        ax.plot(frames, crops.tip_scores, color=color, lw=1, ls=':',
                label=f'{HAND_LETTERS[hand]} fingertips (lowest chosen)')
        # Candidates as small ticks in a lane per hand below the curves; chosen as rings on the
        # fingertip curve (what they are chosen by) and a shaded column.
        lane = lanes[f'{HAND_LETTERS[hand]} cand.'] = -0.08 - 0.07 * n
        ax.plot(crops.candidates, np.full(len(crops.candidates), lane), '|', color=color, ms=8,
                label=f'{HAND_LETTERS[hand]} candidates ({len(crops.candidates)})')
        ax.plot(crops.chosen, crops.tip_scores[crops.chosen], 'o', color=color, ms=9, mfc='none',
                mew=2, label=f'{HAND_LETTERS[hand]} chosen ({len(crops.chosen)})')
        for row in crops.chosen:
            ax.axvspan(row - 0.5, row + 0.5, color=color, alpha=0.15, lw=0)
    ax.axhline(threshold, color='gray', ls='--', lw=1)
    ax.text(0.0, threshold + 0.01, f'candidate threshold {threshold}', color='gray', fontsize=8,
            va='bottom')
    ax.set_ylim(-0.25, 1.05)
    ticks = np.linspace(0, 1, 6)    # the score axis, and a name for each candidate lane
    ax.set_yticks(list(lanes.values()) + list(ticks))
    ax.set_yticklabels(list(lanes) + [f'{t:.1f}' for t in ticks], fontsize=8)
    ax.set_xlim(-0.5, len(next(iter(choice.values())).scores) - 0.5)
    ax.set_xlabel('frame (pose row)')
    ax.set_ylabel('mean keypoint score')
    ax.legend(loc='upper left', bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)


def _plot_strip(ax, hand: str, crops: CropChoice) -> None:
    shown = crops.chosen_crops[:MAX_STRIP_CROPS]
    ax.set_anchor('W')   # under the start of the score plot, not floating in the middle
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_color(_hand_color(hand))
        spine.set_linewidth(2)
    more = len(crops.chosen) - len(shown)
    title = f'{hand.replace("_", " ")}: chosen crops' + (f' (first {len(shown)}, {more} more)'
                                                          if more else '')
    ax.set_title(title, fontsize=9, loc='left')
    if not len(shown):
        ax.text(0.5, 0.5, 'no crop chosen', ha='center', va='center', transform=ax.transAxes)
        return
    side = shown.shape[1]
    ax.imshow(crop_strip(shown))
    for k, row in enumerate(crops.chosen[:len(shown)]):
        ax.text(k * (side + 2) + side / 2, side + 1, f'frame {row}', ha='center', va='top',
                fontsize=7)


def clip_figure(choice: dict[str, CropChoice], title: str,
                threshold: float = HAND_SCORE_THRESHOLD,
                path: str | None = None):
    """The figure (a matplotlib Figure); written as a PNG to ``path`` when given."""
    fig = plt.figure(figsize=FIGURE_SIZE, dpi=DPI)
    grid = fig.add_gridspec(3, 1, height_ratios=(2.2, 1, 1), hspace=0.45)
    _plot_scores(fig.add_subplot(grid[0]), choice, threshold)
    for n, (hand, crops) in enumerate(choice.items()):
        _plot_strip(fig.add_subplot(grid[n + 1]), hand, crops)
    fig.suptitle(title, fontsize=10)
    fig.subplots_adjust(left=0.09, right=0.78, top=0.92, bottom=0.04)
    if path:
        fig.savefig(path, dpi=DPI)
        plt.close(fig)
    return fig
