from unisign_fla.models.lora_names import names_by_plain_name, plain_name

ATTENTION = 'encoder.block.0.layer.0.SelfAttention.q'


def test_peft_names_map_back_to_the_plain_model():
    wrapped = [f'head.lm.base_model.model.{ATTENTION}.base_layer.weight',
               f'head.lm.base_model.model.{ATTENTION}.lora_A.default.weight',
               'head.lm.base_model.model.shared.weight', 'encoder.proj.weight']
    assert plain_name(wrapped[0]) == f'head.lm.{ATTENTION}.weight'
    assert plain_name(wrapped[1]) is None
    assert names_by_plain_name(wrapped) == {f'head.lm.{ATTENTION}.weight': wrapped[0],
                                            'head.lm.shared.weight': wrapped[2]}
