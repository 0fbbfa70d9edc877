"""Signers: body proportions, placement in the frame, signing speed, estimator noise and colours.

Variation is realistic but bounded (proportions +-10 %, a few pixels of noise) so that a model
trained on some signers can recognise the same signs from others; splits are by signer.
"""
from dataclasses import asdict, dataclass

import numpy as np

NUM_SIGNERS = 12
SPLIT_SIGNERS = (('train', 8), ('dev', 2), ('test', 2))
FRAME_SIZE = (224, 224)                   # width, height


@dataclass(frozen=True)
class Signer:
    """One synthetic person. Lengths are in shoulder widths; ``scale`` is pixels per unit."""
    id: str
    split: str
    scale: float
    neck: tuple[float, float]             # neck base in pixels
    upper_arm: float
    forearm: float
    hand: float
    head: float                           # head width
    speed: float                          # > 1 = slower signing (more frames per sign)
    transition: int                       # frames between signs
    noise_px: float
    dropout: float                        # probability that a hand drops out in a frame
    skin: tuple[int, int, int]            # BGR colours
    shirt: tuple[int, int, int]
    hair: tuple[int, int, int]
    background: tuple[int, int, int]

    def to_json(self) -> dict:
        return asdict(self)


def _colour(rng: np.random.Generator, low: tuple[int, int, int],
            high: tuple[int, int, int]) -> tuple[int, int, int]:
    return tuple(int(rng.integers(lo, hi + 1)) for lo, hi in zip(low, high))


def make_signers(seed: int) -> list[Signer]:
    """Twelve signers, the first eight for training, then two dev and two test signers."""
    rng = np.random.default_rng([seed, 7001])
    splits = [name for name, count in SPLIT_SIGNERS for _ in range(count)]
    width, height = FRAME_SIZE
    signers = []
    for i, split in enumerate(splits):
        vary = lambda: float(rng.uniform(0.9, 1.1))  # noqa: E731  (one proportion draw)
        scale = 72.0 * float(rng.uniform(0.9, 1.08))
        skin_tone = float(rng.uniform(0, 1))
        skin = tuple(int(round(a + (b - a) * skin_tone)) for a, b in
                     zip((70, 95, 140), (170, 200, 235)))
        signers.append(Signer(
            id=f'S{i:02d}', split=split, scale=scale,
            neck=(width / 2 + float(rng.uniform(-10, 10)),
                  height * 0.45 + float(rng.uniform(-6, 6))),
            upper_arm=0.8 * vary(), forearm=0.75 * vary(), hand=0.46 * vary(), head=0.58 * vary(),
            speed=float(rng.uniform(0.85, 1.15)), transition=int(rng.integers(2, 4)),
            noise_px=float(rng.uniform(0.6, 1.4)), dropout=float(rng.uniform(0.01, 0.04)),
            skin=skin, shirt=_colour(rng, (20, 20, 20), (120, 110, 110)),
            hair=_colour(rng, (10, 10, 10), (60, 80, 110)),
            background=_colour(rng, (150, 150, 150), (235, 235, 235))))
    return signers


def signers_by_split(signers: list[Signer]) -> dict[str, list[Signer]]:
    out: dict[str, list[Signer]] = {name: [] for name, _ in SPLIT_SIGNERS}
    for s in signers:
        out[s.split].append(s)
    return out
