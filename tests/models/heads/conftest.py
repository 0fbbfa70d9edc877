"""Fixtures for the head tests: a tokenizer and tiny random LMs saved like pretrained ones."""
import pytest
import torch

from unisign_fla.lm import build_small_lm, train_tokenizer

PAIRS = ['the cat sat on the mat.', 'a dog runs in the park.', 'we like green tea.',
         'they read a book today.']


@pytest.fixture(autouse=True)
def _tiny_models_on_one_thread(single_thread):
    """See ``single_thread`` in tests/conftest.py."""


@pytest.fixture(scope='session')
def lm_dirs(tmp_path_factory):
    """``{'tokenizer': dir, 'llama': dir, 't5': dir}``: tiny random LMs with our tokenizer."""
    root = tmp_path_factory.mktemp('lms')
    tokenizer = train_tokenizer(PAIRS * 5 + ['Translate sign language video to English:'],
                                root / 'tokenizer', vocab_size=400)
    dirs = dict(tokenizer=str(root / 'tokenizer'))
    torch.manual_seed(0)
    for arch in ('llama', 't5'):
        model = build_small_lm(arch, tokenizer, hidden=32, layers=2, heads=2, ffn=64)
        model.save_pretrained(str(root / arch))
        tokenizer.save_pretrained(str(root / arch))
        dirs[arch] = str(root / arch)
    return dirs


@pytest.fixture
def pairs() -> list[str]:
    return list(PAIRS)


@pytest.fixture
def check_padding_invariance():
    """A checker: a padded mixed batch gives the token-weighted mean of the losses alone, and
    the same predictions. Sample 0 has 4 of 7 valid tokens (garbage in the padded slots) and a
    shorter target than sample 1."""
    from unisign_fla.models.heads.text_sequences import encode_targets

    def check(head, prompts=None, **predict_kwargs):
        torch.manual_seed(1)
        visual = torch.randn(2, 7, 16)
        visual[0, 4:] = 1e3
        mask = torch.tensor([[True] * 4 + [False] * 3, [True] * 7])
        targets = ['we like green tea.', 'a dog runs in the park.']

        def part(i, valid):
            return (visual[i:i + 1, :valid], mask[i:i + 1, :valid],
                    None if prompts is None else prompts[i:i + 1])

        alone = [head.loss(*part(i, int(mask[i].sum()))[:2], targets[i:i + 1],
                           part(i, 0)[2])['loss'] for i in range(2)]
        counts = [len(r) for r in encode_targets(head.tokenizer, targets, head.max_target_length)]
        expected = sum(n * loss for n, loss in zip(counts, alone)) / sum(counts)
        assert torch.allclose(head.loss(visual, mask, targets, prompts)['loss'], expected,
                              atol=1e-5)
        predicted = head.predict(visual, mask, prompts, **predict_kwargs)
        assert head.predict(*part(0, 4), **predict_kwargs) == predicted[:1]
        return predicted

    return check


@pytest.fixture
def visual_batch():
    """Four distinct (6, 16) visual sequences; the second has two padded tokens."""
    generator = torch.Generator().manual_seed(0)
    visual = torch.randn(4, 6, 16, generator=generator)
    mask = torch.ones(4, 6, dtype=torch.bool)
    mask[1, 4:] = False
    return visual, mask
