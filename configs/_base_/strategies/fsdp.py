# FSDP (FullyShardedDataParallel, torch) for stage 2 with a large LM: parameters, gradients and
# AdamW state sharded across the processes of
#   torchrun --nproc_per_node N tools/train.py CONFIG --launcher pytorch
# tools/train.py trains a config with ``strategy`` through mmengine's FlexibleRunner.
# * each decoder layer (by class name: add yours to layer_names) is one FSDP unit, and so is the
#   frozen encoder (no gradient memory: a unit keeps a gradient shard for all its weights when
#   any of them trains); the rest (adapter, embeddings, output layer) is the root unit;
# * use_orig_params=True: FSDP keeps the original parameters (as views of its shards), so a
#   frozen encoder or a LoRA-frozen LM can share a unit with trained weights, and the optimizer
#   sees the model's own names (paramwise_cfg keys work);
# * tools/train.py sets optim_wrapper.type='ShardedOptimWrapper' (clips by the global gradient
#   norm, not each rank's shard's) and constructor='TrainableParamsOptimWrapperConstructor' (the
#   optimizer only gets parameters that train: the frozen encoder has no optimizer state);
# * state_dict_cfg 'full': rank 0 writes one ordinary checkpoint (tools/test.py, tools/infer.py,
#   tools/export.py load it on one process, weights-only).
# bf16 on GPUs: add strategy.model_wrapper.mixed_precision (see fla_stage2_qwen2.5-7b_fsdp_*).
strategy = dict(
    type='FSDPStrategy',
    model_wrapper=dict(
        type='ShardedLanguageModelFSDP',
        use_orig_params=True,
        sharding_strategy='FULL_SHARD',
        # mmengine looks the policy up without the default scope: hence the prefix.
        auto_wrap_policy=dict(type='unisign_fla.decoder_layer_wrap_policy',
                              layer_names=('LlamaDecoderLayer', 'Qwen2DecoderLayer',
                                           'PoseEncoder', 'UniSignPoseEncoder'))),
    state_dict_cfg=dict(
        state_dict_type='FULL_STATE_DICT',
        state_dict_config=dict(type='FullStateDictConfig', rank0_only=True, offload_to_cpu=True),
        optim_state_dict_config=dict(type='FullOptimStateDictConfig', rank0_only=True,
                                     offload_to_cpu=True)))
