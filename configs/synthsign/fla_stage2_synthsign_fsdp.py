# The quick-start stage 2 sharded with FSDP (a check of the FSDP path on any machine: gloo on
# CPUs, NCCL on GPUs). The LM must be decoder-only with a decoder layer class named in
# strategy.model_wrapper.auto_wrap_policy.layer_names (Llama, Qwen2):
#   torchrun --nproc_per_node 2 tools/train.py configs/synthsign/fla_stage2_synthsign_fsdp.py \
#       --launcher pytorch --cfg-options model.head.pretrained_dir=PATH/TO/LLAMA_OR_QWEN \
#       model.encoder_checkpoint=work_dirs/fla_stage1_synthsign/iter_500.pth
_base_ = ['./fla_stage2_synthsign.py', '../_base_/strategies/fsdp.py']
