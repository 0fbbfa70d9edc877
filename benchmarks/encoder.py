"""Encoder forward + backward time and peak memory at the reference sizes (docs/encoder.md).

    python benchmarks/encoder.py                      # batch 8 x 256 frames, 112 px crops
    python benchmarks/encoder.py --frames 64 --rgb-frames 32 --repeats 1
    python benchmarks/encoder.py --device cuda --bf16 --repeats 10   # a GPU, bf16 autocast

Variants, all with the reference widths: ``pose`` (one token per frame), ``pose_s4`` (FLa-LLM's
stride-4 tokens), ``rgb10`` (pose + RGB branch + PGF with score-aware sampling's 10 % of frames
per hand cropped), ``rgb100`` (every frame of both hands cropped) and ``unisign`` (Uni-Sign's
own pose encoder, ``UniSignPoseEncoder``, at its reference sizes: 768-wide tokens, one per frame),
so that ours and Uni-Sign's are timed side by side in one run (``unisign_over_pose`` and
``unisign_over_pose_s4``: these machines are noisy, compare ratios); ``--variants pose pose_s4
unisign`` runs just those. Each variant gets one warm-up step, then the median of ``--repeats``
timed steps. Peak memory is the process's peak
resident set size after all variants (the largest one dominates); on a GPU also the largest
memory torch allocated there for one variant (``peak_gpu_mb``). Ends with one JSON line.

The two RGB variants run on ``--rgb-frames`` (default 64) so that they compare at equal sizes
on a CPU machine: 100 % RGB at 256 frames is 4096 crops of 112 px in one batch, whose
activations need about 40 GB (5 GB measured for 512 crops, growing linearly).
"""
import argparse
import contextlib
import json
import resource
import statistics
import time

import torch

from unisign_fla.models.encoders import PoseEncoder, UniSignPoseEncoder

RGB = dict(backbone=dict(type='HandCropBackbone'), fusion=dict(type='PriorGuidedFusion'))
# name -> (encoder class, its config, fraction of frames with hand crops, RGB-sized clip?)
VARIANTS = {'pose': (PoseEncoder, dict(temporal_stride=1), 0.0, False),
            'pose_s4': (PoseEncoder, dict(temporal_stride=4), 0.0, False),
            'rgb10': (PoseEncoder, dict(temporal_stride=1, rgb=RGB), 0.1, True),
            'rgb100': (PoseEncoder, dict(temporal_stride=1, rgb=RGB), 1.0, True),
            'unisign': (UniSignPoseEncoder, dict(), 0.0, False)}
RATIOS = {'rgb10_over_rgb100': ('rgb10', 'rgb100'), 'pose_s4_over_pose': ('pose_s4', 'pose'),
          'unisign_over_pose': ('unisign', 'pose'), 'unisign_over_pose_s4': ('unisign', 'pose_s4')}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--batch', type=int, default=8)
    parser.add_argument('--frames', type=int, default=256)
    parser.add_argument('--rgb-frames', type=int, default=64,
                        help='frames per clip for the two RGB variants')
    parser.add_argument('--crop-size', type=int, default=112)
    parser.add_argument('--repeats', type=int, default=2)
    parser.add_argument('--threads', type=int, default=None, help='torch threads (default: all)')
    parser.add_argument('--variants', nargs='+', default=list(VARIANTS), choices=list(VARIANTS))
    parser.add_argument('--device', default='cpu', help="e.g. 'cuda'")
    parser.add_argument('--bf16', action='store_true', help='run under bf16 autocast')
    return parser.parse_args(argv)


def make_batch(batch: int, frames: int, crop_size: int, rgb_fraction: float, seed: int = 0):
    """Random normalised keypoints and, per hand, crops on an evenly spread ``rgb_fraction``."""
    g = torch.Generator().manual_seed(seed)
    inputs = dict(keypoints=torch.randn(batch, frames, 69, 3, generator=g) * 0.3,
                  mask=torch.ones(batch, frames, dtype=torch.bool))
    if rgb_fraction:
        step = max(1, round(1 / rgb_fraction))
        b, t, h = torch.meshgrid(torch.arange(batch), torch.arange(0, frames, step),
                                 torch.arange(2), indexing='ij')
        index = torch.stack([b.flatten(), t.flatten(), h.flatten()], dim=1)
        inputs.update(crops=torch.randint(0, 256, (len(index), crop_size, crop_size, 3),
                                          dtype=torch.uint8, generator=g),
                      crop_index=index, crop_joints=torch.rand(len(index), 21, 2, generator=g))
    return inputs


def time_step(encoder: torch.nn.Module, inputs: dict, repeats: int, bf16: bool = False) -> float:
    """Median milliseconds of forward + backward (after one warm-up step)."""
    device = next(encoder.parameters()).device
    autocast = (torch.autocast(device.type, dtype=torch.bfloat16) if bf16
                else contextlib.nullcontext())
    times = []
    for step in range(repeats + 1):
        encoder.zero_grad(set_to_none=True)
        if device.type == 'cuda':
            torch.cuda.synchronize(device)
        start = time.perf_counter()
        with autocast:
            tokens, _ = encoder(**inputs)
            loss = tokens.float().square().mean()
        loss.backward()
        if device.type == 'cuda':
            torch.cuda.synchronize(device)
        if step:
            times.append(1000 * (time.perf_counter() - start))
    return statistics.median(times)


def main(argv=None):
    args = parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    device = torch.device(args.device)
    results, params, peak_gpu = {}, {}, 0
    for name in args.variants:
        encoder_class, config, fraction, rgb_sized = VARIANTS[name]
        frames = args.rgb_frames if rgb_sized else args.frames
        encoder = encoder_class(**config).train().to(device)
        params[name] = sum(p.numel() for p in encoder.parameters())
        inputs = {key: value.to(device) for key, value in
                  make_batch(args.batch, frames, args.crop_size, fraction).items()}
        if device.type == 'cuda':
            torch.cuda.reset_peak_memory_stats(device)
        results[f'{name}_ms'] = round(time_step(encoder, inputs, args.repeats, args.bf16), 1)
        if device.type == 'cuda':
            peak_gpu = max(peak_gpu, torch.cuda.max_memory_allocated(device))
        crops = len(inputs.get('crops', ()))
        print(f'{name:>8}: {results[f"{name}_ms"]:9.1f} ms  ({params[name]:,} parameters, '
              f'{args.batch} x {frames} frames, {crops} crops)', flush=True)
    for ratio, (num, den) in RATIOS.items():
        if num in params and den in params:
            results[ratio] = round(results[f'{num}_ms'] / results[f'{den}_ms'], 3)
    results['peak_mb'] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    if device.type == 'cuda':
        results['peak_gpu_mb'] = round(peak_gpu / 2**20, 1)
    if 'rgb10' in params:
        results['params'] = params['rgb10']
    results.update({f'params_{name}': count for name, count in params.items()
                    if name in ('pose', 'unisign')})
    results.update(batch=args.batch, frames=args.frames, rgb_frames=args.rgb_frames,
                   crop_size=args.crop_size, threads=torch.get_num_threads(),
                   device=str(device), bf16=args.bf16)
    print(json.dumps(results))
    return results


if __name__ == '__main__':
    main()
