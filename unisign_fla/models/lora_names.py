"""Weight names with and without peft's LoRA wrapping.

peft renames every weight of the model it wraps: ``lm.X`` becomes ``lm.base_model.model.X`` and
a wrapped layer's own ``q.weight`` becomes ``q.base_layer.weight``, beside the new
``q.lora_A.default.weight`` / ``lora_B``. A checkpoint of the plain model (a converted Uni-Sign
checkpoint, an earlier full fine-tuning stage) therefore names none of a LoRA model's weights;
mapping the plain names lets it initialise one.
"""
from collections.abc import Iterable

WRAPPER = '.base_model.model.'
BASE_LAYER = '.base_layer.'


def plain_name(name: str) -> str | None:
    """``name`` as the unwrapped model calls it; ``None`` for LoRA's own weights."""
    if '.lora_' in name or name.startswith('lora_'):
        return None
    return name.replace(WRAPPER, '.', 1).replace(BASE_LAYER, '.')


def names_by_plain_name(names: Iterable[str]) -> dict[str, str]:
    """Plain name -> the wrapped name, for the ``names`` peft renamed."""
    mapping = {}
    for name in names:
        plain = plain_name(name)
        if plain is not None and plain != name:
            mapping[plain] = name
    return mapping
