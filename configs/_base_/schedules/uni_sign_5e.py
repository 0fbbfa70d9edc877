# 5 epochs, cosine to 0 (Uni-Sign's RGB-pose pretraining on CSL-News).
_base_ = ['./uni_sign_adamw.py']
max_epochs = 5
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs, val_interval=1)
param_scheduler = [dict(type='CosineAnnealingLR', by_epoch=True, begin=0, end=max_epochs,
                        eta_min=0.0, convert_to_iter_based=True)]
