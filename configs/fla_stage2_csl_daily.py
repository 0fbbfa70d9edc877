# FLa-LLM stage 2 on CSL-Daily: the stage-1 encoder frozen, MLP adapter (LR 1e-3) + mBART-large-cc25
# fully fine-tuned (LR 1e-5), as in the paper. For LoRA instead: model.head.lora=dict(r=16, ...).
#   python tools/train.py configs/fla_stage2_csl_daily.py \
#       --cfg-options model.encoder_checkpoint=work_dirs/fla_stage1_csl_daily/epoch_20.pth
_base_ = [
    '_base_/default_runtime.py', '_base_/schedules/uni_sign_epochs.py',
    '_base_/datasets/csl_daily.py', '_base_/models/stage2_llm.py',
]
model = dict(encoder_checkpoint='work_dirs/fla_stage1_csl_daily/epoch_20.pth',
             head=dict(pretrained_dir='checkpoints/mbart-large-cc25'))
optim_wrapper = dict(optimizer=dict(lr=1e-5),
                     paramwise_cfg=dict(custom_keys={'head.adapter': dict(lr_mult=100.0)},
                                        bypass_duplicate=True))  # tied LM embeddings
default_hooks = dict(checkpoint=dict(by_epoch=True, interval=1))
log_processor = dict(by_epoch=True)
