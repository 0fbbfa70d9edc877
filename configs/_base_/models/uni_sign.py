# Uni-Sign's model: the per-part ST-GCN with one token per frame + mT5-base, every weight trained
# (generative pretraining on CSL-News and downstream fine-tuning alike).
_base_ = ['./stage2_llm.py']
model = dict(encoder=dict(temporal_stride=1), freeze_encoder=False,
             head=dict(pretrained_dir='checkpoints/mt5-base'))
