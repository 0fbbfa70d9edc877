"""The per-clip PNG figures: written at their size, with content; the gate record they read."""
import numpy as np
import pytest
import torch
from PIL import Image

from tests.conftest import write_shard_set
from unisign_fla.formats.shard_index import load_split_index
from unisign_fla.formats.shards import read_sample
from unisign_fla.models.encoders.prior_guided_fusion import PriorGuidedFusion
from unisign_fla.visualization import HandGates, choose_crops, clip_figure, gate_figure


def _is_a_picture(path, size):
    image = Image.open(path)
    assert image.size == size
    pixels = np.asarray(image.convert('RGB')).reshape(-1, 3)
    assert len(np.unique(pixels, axis=0)) > 50        # lines, text, crops: not a flat image


def test_clip_figure_is_written(tmp_path):
    write_shard_set(tmp_path, 'synthsign', 'test', [{'id': 'a', 'text': 'hi'}], frames=12)
    sample = read_sample(load_split_index(str(tmp_path), 'synthsign', 'test')[0])
    path = tmp_path / 'clip.png'
    clip_figure(choose_crops(sample, 0.5), 'a: "hi"', path=str(path))
    _is_a_picture(path, (1000, 650))


def test_gate_figure_is_written_with_a_hand_without_crops(tmp_path):
    gates = {'left_hand': HandGates(np.array([0, 3, 5]), np.random.rand(3, 21).astype('f4')),
             'right_hand': HandGates(np.zeros(0, np.int64), np.zeros((0, 21), np.float32))}
    path = tmp_path / 'gate.png'
    gate_figure(gates, 'clip', path=str(path))
    _is_a_picture(path, (1200, 600))


def test_fusion_records_the_gate_of_every_crop_and_joint():
    torch.manual_seed(0)
    fusion = PriorGuidedFusion(channels=8, num_heads=2).eval()
    hands = torch.randn(4, 5, 21, 8)                    # 2 clips, left hands first
    crop_index = torch.tensor([[0, 1, 0], [1, 4, 1], [1, 2, 0]])
    with torch.no_grad():
        fusion(hands, torch.randn(3, 8, 4, 4), crop_index, torch.rand(3, 21, 2))
    record = fusion.last_record
    assert record['gate'].shape == (3, 21) and not record['gate'].requires_grad
    assert torch.equal(record['crop_index'], crop_index)
    assert record['gate'].mean() == pytest.approx(float(fusion.last_gate))
    fusion(hands, torch.zeros(0, 8, 4, 4), crop_index[:0], torch.zeros(0, 21, 2))
    assert fusion.last_record is None and fusion.last_gate is None
