"""Batching of variable-length clips: pad in time, keep a validity mask, flatten hand crops."""

import torch

from unisign_fla.keypoints import HANDS
from unisign_fla.registry import FUNCTIONS
from unisign_fla.structures.hand_crops import ROW, XYXY


@FUNCTIONS.register_module()
def sign_collate(batch: list[dict]) -> dict:
    """Collate packed samples into ``{'inputs': ..., 'data_samples': [...]}``.

    ``inputs['keypoints']`` is (B, T_max, J, 3) zero-padded and ``inputs['mask']`` (B, T_max) is
    True on real frames. Hand crops of the whole batch are concatenated into
    ``inputs['crops']`` (N, S, S, 3) uint8 with ``inputs['crop_index']`` (N, 3) = (batch, frame,
    hand) and ``inputs['crop_boxes']`` (N, 4), so an RGB branch can process them in one pass.
    When the hands carry ``joints`` (``ScoreAwareCropSampling``), ``inputs['crop_joints']``
    (N, 21, 2) holds each crop's hand joints in [0, 1] of the crop. A hand may have no crops.
    Uni-Sign's own crops (``UniSignHandCrops``) are concatenated per hand instead, as Uni-Sign
    batches them: ``inputs['{hand}_hands']``, ``{hand}_sampled_indices`` (-1: a placeholder),
    ``{hand}_skeletons_norm`` and ``{hand}_batch_index`` (the clip of each crop).
    Clips the data set skipped and replaced (bad_samples.py) are listed in ``'skipped'``.
    """
    skipped = [record for item in batch for record in item.get('skipped', ())]
    lengths = [len(item['inputs']['keypoints']) for item in batch]
    first = batch[0]['inputs']['keypoints']
    keypoints = first.new_zeros((len(batch), max(lengths)) + tuple(first.shape[1:]))
    mask = torch.zeros(len(batch), max(lengths), dtype=torch.bool)
    for i, item in enumerate(batch):
        keypoints[i, :lengths[i]] = item['inputs']['keypoints']
        mask[i, :lengths[i]] = True
    inputs = {'keypoints': keypoints, 'mask': mask}

    if HANDS[0] in batch[0]['inputs']:
        with_joints = 'joints' in batch[0]['inputs'][HANDS[0]]
        crops, index, boxes, joints = [], [], [], []
        for i, item in enumerate(batch):
            for h, hand in enumerate(HANDS):
                part = item['inputs'][hand]
                rows = part['boxes'][:, ROW].long()
                crops.append(part['crops'])
                boxes.append(part['boxes'][:, XYXY])
                index.append(torch.stack([torch.full_like(rows, i), rows,
                                          torch.full_like(rows, h)], dim=1))
                if with_joints:
                    joints.append(part['joints'])
        inputs['crops'] = _cat(crops)
        inputs['crop_index'] = _cat(index)
        inputs['crop_boxes'] = _cat(boxes)
        if with_joints:
            inputs['crop_joints'] = _cat(joints)
    if 'unisign_rgb' in batch[0]['inputs']:
        inputs.update(_unisign_rgb([item['inputs']['unisign_rgb'] for item in batch]))
    collated = {'inputs': inputs, 'data_samples': [item['data_samples'] for item in batch]}
    if skipped:
        collated['skipped'] = skipped
    return collated


def _unisign_rgb(samples: list[dict]) -> dict:
    """Per-sample ``unisign_hand_crops`` dicts -> the batch's, with each crop's batch row."""
    out = {}
    for hand in ('left', 'right'):
        for key in ('hands', 'sampled_indices', 'skeletons_norm'):
            out[f'{hand}_{key}'] = torch.cat([s[f'{hand}_{key}'] for s in samples])
        out[f'{hand}_batch_index'] = torch.cat([
            torch.full((len(s[f'{hand}_sampled_indices']),), i, dtype=torch.long)
            for i, s in enumerate(samples)])
    return out


def _cat(tensors: list[torch.Tensor]) -> torch.Tensor:
    """Concatenate along dim 0, skipping empty pieces: a hand without crops may come with a
    placeholder shape (e.g. (0, 0, 0, 3) when the crop size is unknown) that ``torch.cat``
    rejects. If every piece is empty, the first one is the (empty) result."""
    filled = [t for t in tensors if len(t)]
    return torch.cat(filled) if filled else tensors[0]
