import pytest
import torch

from unisign_fla.lm import train_tokenizer
from unisign_fla.models.heads.text_sequences import (
    IGNORE_INDEX,
    encode_targets,
    label_smoothed_loss,
    pack_segments,
    pad_ids,
    resolve_prompts,
    special_token_ids,
    valid_visual_tokens,
)


@pytest.fixture(scope='module')
def tokenizer():
    return train_tokenizer(['one two three four five six.'] * 3, vocab_size=300)


def test_encode_targets_truncates_then_appends_eos(tokenizer):
    rows = encode_targets(tokenizer, ['one two three four five six.', 'one'], max_length=4)
    assert [len(r) for r in rows] == [4, 2]
    assert all(r[-1] == tokenizer.eos_token_id for r in rows)
    assert tokenizer.decode(rows[0][:-1]) == 'one two three'
    with pytest.raises(ValueError, match='max_target_length=1'):
        encode_targets(tokenizer, ['one'], max_length=1)


def test_special_ids_fall_back_when_missing(tokenizer):
    assert special_token_ids(tokenizer) == dict(eos=3, pad=0, bos=2)


def test_pad_ids_and_pack_segments():
    assert pad_ids([[1, 2, 3], [4]]).tolist() == [[1, 2, 3], [4, IGNORE_INDEX, IGNORE_INDEX]]
    assert pad_ids([[1, 2], [4]], value=0, left=True).tolist() == [[1, 2], [0, 4]]
    a, b, c = torch.ones(2, 3), 2 * torch.ones(1, 3), torch.zeros(0, 3)
    right, right_mask = pack_segments([[a, b], [b, c]])
    assert right[:, :, 0].tolist() == [[1, 1, 2], [2, 0, 0]]
    assert right_mask.tolist() == [[True] * 3, [True, False, False]]
    left, left_mask = pack_segments([[a, b], [b]], left=True)
    assert left[1, :, 0].tolist() == [0, 0, 2] and left_mask[1].tolist() == [False, False, True]


def test_valid_visual_tokens_checks_shapes():
    visual = torch.arange(12.).view(2, 3, 2)
    mask = torch.tensor([[True, True, False], [True, True, True]])
    assert [t.shape[0] for t in valid_visual_tokens(visual, mask)] == [2, 3]
    with pytest.raises(ValueError, match=r'visual_mask: expected a bool tensor of shape \(2, 3\)'):
        valid_visual_tokens(visual, mask.long())
    with pytest.raises(ValueError, match='at least one valid visual token'):
        valid_visual_tokens(visual, torch.zeros(2, 3, dtype=torch.bool))
    with pytest.raises(ValueError, match=r'expected \(B, N, C\)'):
        valid_visual_tokens(visual[0], mask[0])


def test_resolve_prompts():
    assert resolve_prompts(None, 'P: ', 2) == ['P: ', 'P: ']
    assert resolve_prompts(None, None, 1) == ['']
    with pytest.raises(ValueError, match='expected 2 prompts, got 1'):
        resolve_prompts(['x'], None, 2)


def test_label_smoothed_loss_ignores_padding():
    logits = torch.randn(2, 3, 5)
    labels = torch.tensor([[1, 2, IGNORE_INDEX], [3, IGNORE_INDEX, IGNORE_INDEX]])
    plain = label_smoothed_loss(logits, labels, 0.0)
    expected = torch.nn.functional.cross_entropy(
        torch.stack([logits[0, 0], logits[0, 1], logits[1, 0]]), torch.tensor([1, 2, 3]))
    assert torch.allclose(plain, expected)
    assert not torch.allclose(label_smoothed_loss(logits, labels, 0.2), plain)
