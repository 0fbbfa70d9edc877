"""Where each part sits in the 69-joint input, for the per-part encoders."""

from unisign_fla.keypoints import PART_ORDER, UNISIGN_PARTS


def part_slices() -> dict[str, slice]:
    """Part name -> its joints' slice of the (..., 69, C) input, parts in ``PART_ORDER``."""
    ends = {}
    start = 0
    for name in PART_ORDER:
        ends[name] = slice(start, start + UNISIGN_PARTS[name].num_joints)
        start = ends[name].stop
    return ends


def context_joints() -> dict[str, int]:
    """Part name -> the body-part index of the joint whose feature the part receives (the
    matching wrist for a hand, the nose for the face)."""
    body = UNISIGN_PARTS['body'].indices
    return {name: body.index(UNISIGN_PARTS[name].context) for name in PART_ORDER[1:]}
