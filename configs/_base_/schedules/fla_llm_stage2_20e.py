# FLa-LLM stage 2 (docs/recipes.md): the LM fully fine-tuned at LR 1e-5, the MLP adapter at 1e-3
# (lr_mult 100), on Uni-Sign's 20-epoch cosine schedule. LoRA recipes raise the base LR instead.
_base_ = ['./uni_sign_20e.py']
optim_wrapper = dict(optimizer=dict(lr=1e-5),
                     paramwise_cfg=dict(custom_keys={'head.adapter': dict(lr_mult=100.0)},
                                        bypass_duplicate=True))  # tied LM embeddings
