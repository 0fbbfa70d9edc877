"""Bytes per rank of parameters, gradients and AdamW state for stage 2 under FSDP.

    python benchmarks/lm_memory.py              # measures the tiny model on 1 and 2 CPU ranks

Measured: the tiny Llama stage 2 (a frozen PoseEncoder, the MLP adapter, a 2-layer Llama),
wrapped as configs/_base_/strategies/fsdp.py wraps it (one FSDP unit per decoder layer and one
for the encoder, ``use_orig_params=True``), one AdamW step on 1 and 2 gloo processes
(torchrun); per rank: the local flat-parameter shards, their gradient shards after backward, and
the optimizer's state tensors (``step`` counters left out). Computed: the same accounting from
the models' configs (public config.json values, written below), which must reproduce the
measured tiny figures exactly (the check that the formula is the one FSDP follows), then applied
to Qwen2.5-7B and mBART-large-cc25 at 1, 2 and 8 ranks, full fine-tuning and LoRA (r 16, as
our LoRA configs).

What the formula assumes (FSDP1 FULL_SHARD, ``use_orig_params=True``, torch 2.13):

* parameters: fp32 shards, each unit's parameters (every tensor start aligned to 16 bytes)
  padded to a multiple of the world size and split evenly; with ``mixed_precision`` bf16 these
  fp32 shards are the master copy, and the bf16 copies exist only while a unit runs
  (``transient_bf16``: the root unit plus two layers, all-gathered for compute and prefetch);
* gradients: an fp32 shard for the *whole* unit whenever any of its parameters trains, so with
  LoRA every decoder layer keeps gradient memory for its frozen weights too (FSDP1 flattens a
  unit into one parameter); a unit with nothing to train (the frozen encoder) has none;
* AdamW: exp_avg + exp_avg_sq in fp32 for the trained elements only, 8 bytes each, split across
  ranks (TrainableParamsOptimWrapperConstructor: the frozen weights are not in the optimizer);
  a rank holds the trained elements that fall in its shards, so the split is even on average
  only (with LoRA's small tensors one rank can hold most of them: the tiny model's per-rank
  figures show it);
* activations, the CUDA context and allocator caches are not counted (they depend on batch and
  sequence length; gradient checkpointing keeps one layer's worth).
Ends with one JSON line.
"""
import argparse
import json
import math
import os
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

ADAPTER_IN = {'tiny': 256, 'large': 512}   # the stage-1 encoder's width (synthsign / Light-T)
# Public config.json values. Qwen2.5-7B: 7.61 B parameters, 6.53 B without embeddings (its model
# card); mBART-large-cc25: about 610 M.
MODELS_CFG = {
    'tiny-llama': dict(kind='causal', hidden=32, intermediate=64, layers=2, heads=2, kv_heads=2,
                       vocab=400, tied=False, qkv_bias=False, adapter_in=ADAPTER_IN['tiny']),
    'qwen2.5-7b': dict(kind='causal', hidden=3584, intermediate=18944, layers=28, heads=28,
                       kv_heads=4, vocab=152064, tied=False, qkv_bias=True,
                       adapter_in=ADAPTER_IN['large'], published=7.61e9),
    'mbart-large-cc25': dict(kind='seq2seq', hidden=1024, intermediate=4096, layers=12,
                             vocab=250027, max_positions=1024, adapter_in=ADAPTER_IN['large'],
                             published=610e6),
}
LORA_RANK = 16
ALIGN = 4   # fp32 elements in FSDP's 16-byte alignment of each tensor start


def linear(out, inp, bias=True):
    return [out * inp] + ([out] if bias else [])


def lora(out, inp, r):
    return [r * inp, out * r]


def causal_layer(c, r):
    """(frozen-or-trained base tensors, LoRA tensors) of one Llama/Qwen2 decoder layer."""
    h, kv = c['hidden'], c['hidden'] // c['heads'] * c['kv_heads']
    base = (linear(h, h, c['qkv_bias']) + linear(kv, h, c['qkv_bias']) * 2
            + linear(h, h, False) + linear(c['intermediate'], h, False) * 2
            + linear(h, c['intermediate'], False) + [h, h])
    adapters = (lora(h, h, r) + lora(kv, h, r) * 2 + lora(h, h, r)) if r else []
    return base, adapters


def seq2seq_layer(c, r, decoder):
    """mBART encoder / decoder layer: attention(s) with biases, layer norms, feed-forward."""
    d, f = c['hidden'], c['intermediate']
    attentions = 2 if decoder else 1
    base = (linear(d, d) * 4 + [d, d]) * attentions + linear(f, d) + linear(d, f) + [d, d]
    adapters = lora(d, d, r) * 4 * attentions if r else []
    return base, adapters


def units(c, r, encoder_params):
    """FSDP units as (tensor sizes, trained tensor sizes): root, encoder, one per layer."""
    h = c['hidden']
    adapter = linear(h, c['adapter_in']) + linear(h, h)
    if c['kind'] == 'causal':
        root = [c['vocab'] * h, h] + ([] if c['tied'] else [c['vocab'] * h])
        layers = [causal_layer(c, r) for _ in range(c['layers'])]
    else:
        positions = (c['max_positions'] + 2) * h   # mBART's learned positions start at 2
        root = [c['vocab'] * h] + [positions, 2 * h, 2 * h] * 2
        layers = [seq2seq_layer(c, r, decoder) for decoder in (False, True)
                  for _ in range(c['layers'])]
    full = not r
    result = [(root + adapter, (root if full else []) + adapter), (encoder_params, [])]
    result += [(base + adapters, (base if full else []) + adapters) for base, adapters in layers]
    return result


def lm_params(c):
    """Parameters of the language model alone (no adapter, no encoder)."""
    root, *layers = units(c, 0, [])
    adapter = linear(c['hidden'], c['adapter_in']) + linear(c['hidden'], c['hidden'])
    return sum(root[0]) - sum(adapter) + sum(sum(t) for t, _ in layers)


def per_rank(unit_list, world):
    """Bytes per rank (see the module docstring); optimizer state split evenly."""
    params = grads = trained = 0
    for tensors, trained_tensors in unit_list:
        padded = sum(math.ceil(n / ALIGN) * ALIGN for n in tensors)
        shard = math.ceil(padded / world)
        params += 4 * shard
        grads += 4 * shard if trained_tensors else 0
        trained += sum(trained_tensors)
    largest_layer = max(sum(t) for t, _ in unit_list[2:])
    return dict(params=params, grads=grads, optimizer=8 * trained / world,
                total=params + grads + 8 * trained / world,
                transient_bf16=2 * (sum(unit_list[0][0]) + 2 * largest_layer),
                trained_params=trained)


def stage1_encoder_params(config):
    from mmengine.config import Config

    from unisign_fla.registry import MODELS
    encoder = MODELS.build(Config.fromfile(os.path.join(REPO, config)).model.encoder)
    return [p.numel() for p in encoder.parameters()], encoder


def tiny_model(lora_rank):
    """The tiny stage 2: frozen synthsign PoseEncoder -> MLP adapter -> 2-layer Llama."""
    import torch
    from torch import nn
    from transformers import LlamaConfig, LlamaForCausalLM
    c = MODELS_CFG['tiny-llama']
    _, encoder = stage1_encoder_params('configs/_base_/models/synthsign_stage1.py')

    class TinyStage2(nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = encoder.requires_grad_(False).eval()
            self.adapter = nn.Sequential(nn.Linear(c['adapter_in'], c['hidden']), nn.GELU(),
                                         nn.Linear(c['hidden'], c['hidden']))
            self.lm = LlamaForCausalLM(LlamaConfig(
                vocab_size=c['vocab'], hidden_size=c['hidden'],
                intermediate_size=c['intermediate'], num_hidden_layers=c['layers'],
                num_attention_heads=c['heads'], num_key_value_heads=c['kv_heads'],
                tie_word_embeddings=c['tied']))
            if lora_rank:
                from peft import LoraConfig, get_peft_model
                self.lm = get_peft_model(self.lm, LoraConfig(
                    r=lora_rank, target_modules=['q_proj', 'k_proj', 'v_proj', 'o_proj']))

        def forward(self, keypoints, mask, labels):
            visual, _ = self.encoder(keypoints, mask)
            return self.lm(inputs_embeds=self.adapter(visual),
                           labels=labels[:, :visual.shape[1]]).loss

    torch.manual_seed(0)
    return TinyStage2()


def measure_worker(lora_rank):
    """One AdamW step under FSDP on this torchrun rank; rank 0 prints every rank's bytes."""
    from functools import partial

    import torch
    import torch.distributed as dist
    from torch.distributed.fsdp import FullyShardedDataParallel as FSDP

    from unisign_fla.engine.sharded_training import (
        ShardedLanguageModelFSDP,
        TrainableParamsOptimWrapperConstructor,
        decoder_layer_wrap_policy,
    )
    dist.init_process_group('gloo')
    policy = partial(decoder_layer_wrap_policy, layer_names=('LlamaDecoderLayer', 'PoseEncoder'))
    model = ShardedLanguageModelFSDP(tiny_model(lora_rank), auto_wrap_policy=policy,
                                     use_orig_params=True)
    wrapper = TrainableParamsOptimWrapperConstructor(
        dict(type='OptimWrapper', optimizer=dict(type='AdamW', lr=1e-3)))(model)
    generator = torch.Generator().manual_seed(dist.get_rank())
    keypoints = torch.rand(2, 16, 133, 3, generator=generator)
    loss = model(keypoints, torch.ones(2, 16, dtype=torch.bool),
                 torch.randint(0, 400, (2, 16), generator=generator))
    loss.backward()
    handles = [m._handle.flat_param for m in FSDP.fsdp_modules(model) if m._handle]
    grads = sum(p.grad.numel() * p.grad.element_size() for p in handles if p.grad is not None)
    wrapper.optimizer.step()
    params = sum(p.numel() * p.element_size() for p in handles)
    optimizer = sum(v.numel() * v.element_size() for state in wrapper.optimizer.state.values()
                    for k, v in state.items() if k != 'step' and torch.is_tensor(v))
    rows = [None] * dist.get_world_size()
    dist.all_gather_object(rows, dict(params=params, grads=grads, optimizer=optimizer))
    if dist.get_rank() == 0:
        print('MEASURED ' + json.dumps(rows))
    dist.destroy_process_group()


def measure(world, lora_rank, port):
    command = [sys.executable, '-m', 'torch.distributed.run', '--nproc_per_node', str(world),
               '--master_port', str(port), os.path.abspath(__file__), '--worker',
               '--lora', str(lora_rank)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPO,
                            env=dict(os.environ, OMP_NUM_THREADS='1'), timeout=600)
    lines = [x for x in result.stdout.splitlines() if x.startswith('MEASURED ')]
    if result.returncode or not lines:
        raise SystemExit(f'measurement failed ({world} ranks, lora {lora_rank}):\n'
                         + result.stdout[-2000:] + result.stderr[-3000:])
    return json.loads(lines[0][len('MEASURED '):])


def gib(n):
    return f'{n / 2**30:8.2f}'


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--worker', action='store_true', help=argparse.SUPPRESS)
    parser.add_argument('--lora', type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument('--port', type=int, default=29655)
    args = parser.parse_args(argv)
    if args.worker:
        return measure_worker(args.lora)
    start = time.time()
    tiny_encoder, _ = stage1_encoder_params('configs/_base_/models/synthsign_stage1.py')
    large_encoder, _ = stage1_encoder_params('configs/_base_/models/stage1_light_t.py')
    report = dict(measured={}, computed={}, checks={})
    print('tiny model, measured per rank (bytes) against the formula:')
    for mode, r in (('full', 0), ('lora', LORA_RANK)):
        for world in (1, 2):
            rows = measure(world, r, args.port + world + (10 if r else 0))
            formula = per_rank(units(MODELS_CFG['tiny-llama'], r, tiny_encoder), world)
            mean_optimizer = sum(row['optimizer'] for row in rows) / world
            ratios = {k: max(row[k] for row in rows) / formula[k] for k in ('params', 'grads')}
            ratios['optimizer'] = mean_optimizer / formula['optimizer']
            report['measured'][f'tiny-llama/{mode}/{world}'] = rows
            report['checks'][f'tiny-llama/{mode}/{world}'] = ratios
            print(f'  {mode:4} {world} ranks: ' + '  '.join(
                f'{k} {max(row[k] for row in rows)} (formula {formula[k]:.0f}, ratio '
                f'{ratios[k]:.4f})' for k in ('params', 'grads'))
                + f'  optimizer mean {mean_optimizer:.0f} (formula {formula["optimizer"]:.0f}, '
                f'ratio {ratios["optimizer"]:.4f}; per rank {[r["optimizer"] for r in rows]})')
            if any(abs(v - 1) > 1e-9 for v in ratios.values()):
                raise SystemExit(f'the formula does not match FSDP on the tiny model: {ratios}')
    print('\ncomputed from the configs, GiB per rank (fp32 shards + fp32 grads + AdamW):')
    print(f'{"model":18} {"mode":5} {"ranks":>5} {"params":>8} {"grads":>8} {"adamw":>8} '
          f'{"total":>8} {"bf16 gathered":>13}')
    for name in ('qwen2.5-7b', 'mbart-large-cc25'):
        c = MODELS_CFG[name]
        total = lm_params(c)
        report['checks'][f'{name}/lm_params'] = total
        report['checks'][f'{name}/lm_params_vs_published'] = total / c['published']
        for mode, r in (('full', 0), ('lora', LORA_RANK)):
            for world in (1, 2, 8):
                row = per_rank(units(c, r, large_encoder), world)
                report['computed'][f'{name}/{mode}/{world}'] = row
                print(f'{name:18} {mode:5} {world:5} ' + ' '.join(
                    gib(row[k]) for k in ('params', 'grads', 'optimizer', 'total'))
                    + f' {gib(row["transient_bf16"]):>13}')
        print(f'  {name}: LM parameters from the config {total / 1e9:.3f} B '
              f'(published {c["published"] / 1e9:.2f} B)')
    report['wall_s'] = round(time.time() - start, 1)
    print(json.dumps(report))


if __name__ == '__main__':
    main()
