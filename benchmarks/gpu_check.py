"""One command for a GPU machine (under 10 minutes): the encoder, extraction and a stage-2 step.

    python benchmarks/gpu_check.py --lm checkpoints/qwen2.5-0.5b      # one GPU
    python benchmarks/gpu_check.py --dry-run                           # CPU, tiny sizes

1. ``encoder``: ``benchmarks/encoder.py`` at the reference sizes (batch 8 x 256 frames) in bf16
   autocast: pose-only at stride 1 and 4, and the RGB branch with PGF at 10 % of the frames.
2. ``extract``: ``benchmarks/extract.py`` with the ONNX models on the GPU (onnxruntime-gpu):
   decoding, the pose model alone, the whole job, the naive loop, in frames per second.
3. ``lm_step``: FLa-LLM's stage 2 with a decoder-only LM (the Qwen2.5 LoRA recipe, frozen
   encoder, bf16 weights): milliseconds per training step (forward, backward, AdamW) on batches
   of 8 clips of 256 frames and 30-token targets, and the peak GPU memory.

Ends with one JSON line holding the three. ``--dry-run`` runs the same code on the CPU at tiny
sizes with a tiny random Qwen2 built here, to check the plumbing before a GPU is lent
(tests/tools/test_gpu_check.py). The LM folder is Qwen/Qwen2.5-0.5B from the Hugging Face hub
(docs/downloads.md).
"""
import argparse
import json
import os
import tempfile
import time

import encoder
import extract
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

from unisign_fla.lm import build_small_lm, train_tokenizer
from unisign_fla.registry import MODELS

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STAGE2 = os.path.join(REPO, 'configs/fla_llm/fla_stage2_qwen2.5-lora_csl-daily.py')
TARGET = 'the weather will be sunny in the north and rain will come from the west tomorrow'


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--lm', default='checkpoints/qwen2.5-0.5b',
                        help='decoder-only LM folder for the stage-2 step')
    parser.add_argument('--dry-run', action='store_true', help='CPU, tiny sizes, tiny LM')
    parser.add_argument('--steps', type=int, default=5, help='timed stage-2 steps')
    parser.add_argument('--work-dir', default=os.path.join(tempfile.gettempdir(),
                                                           'unisign_fla_gpu_check'))
    return parser.parse_args(argv)


def onnx_runs_on_cuda() -> bool:
    import onnxruntime
    return 'CUDAExecutionProvider' in onnxruntime.get_available_providers()


def tiny_qwen2(folder: str) -> str:
    tokenizer = train_tokenizer([TARGET] * 20, folder, vocab_size=300)
    build_small_lm('qwen2', tokenizer, hidden=32, layers=1, heads=2).save_pretrained(folder)
    return folder


def lm_step(lm_dir: str, device: torch.device, steps: int, dry_run: bool) -> dict:
    """Mean milliseconds of a stage-2 training step and the peak GPU memory."""
    init_default_scope('unisign_fla')
    cfg = Config.fromfile(STAGE2)
    cfg.model.encoder_checkpoint = None    # a frozen random encoder costs the same
    cfg.model.head.pretrained_dir = lm_dir
    batch, frames = (2, 16) if dry_run else (8, 256)
    if dry_run:
        cfg.model.encoder.update(embed_channels=8, spatial_channels=(8, 8), temporal_layers=1,
                                 out_channels=16)
        cfg.model.head.dtype = None         # bf16 matrix products are a GPU's
    model = MODELS.build(cfg.model).to(device).train()
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=2e-4)
    inputs = dict(keypoints=torch.randn(batch, frames, 69, 3, device=device) * 0.3,
                  mask=torch.ones(batch, frames, dtype=torch.bool, device=device))
    samples = [dict(task='slt', language='en', target=TARGET)] * batch
    if device.type == 'cuda':
        torch.cuda.reset_peak_memory_stats(device)
    times = []
    for step in range(steps + 1):             # the first step warms up
        if device.type == 'cuda':
            torch.cuda.synchronize(device)
        start = time.perf_counter()
        loss = model(inputs, samples, mode='loss')['loss']
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        if device.type == 'cuda':
            torch.cuda.synchronize(device)
        if step:
            times.append(1000 * (time.perf_counter() - start))
    result = dict(ms_per_step=round(sum(times) / len(times), 1), batch=batch, frames=frames,
                  loss=round(loss.item(), 3),
                  trainable_params=sum(p.numel() for p in trainable),
                  params=sum(p.numel() for p in model.parameters()))
    if device.type == 'cuda':
        result['peak_gpu_mb'] = round(torch.cuda.max_memory_allocated(device) / 2**20, 1)
    return result


def main(argv=None):
    args = parse_args(argv)
    start = time.perf_counter()
    device = torch.device('cpu' if args.dry_run else 'cuda')
    if not args.dry_run and not torch.cuda.is_available():
        raise SystemExit('error: no CUDA device (use --dry-run to check the plumbing on a CPU)')
    lm_dir = args.lm
    if args.dry_run:
        lm_dir = tiny_qwen2(os.path.join(args.work_dir, 'tiny_qwen2'))
    elif not os.path.isfile(os.path.join(lm_dir, 'config.json')):
        raise SystemExit(f'error: --lm {lm_dir}: no Hugging Face model folder (get '
                         f'Qwen/Qwen2.5-0.5B, docs/downloads.md)')
    sizes = (['--batch', '1', '--frames', '16', '--rgb-frames', '8', '--repeats', '1']
             if args.dry_run else ['--repeats', '10'])
    result = {'encoder': encoder.main(['--device', str(device), '--bf16', '--variants', 'pose',
                                       'pose_s4', 'rgb10', *sizes])}
    extract_sizes = (['--frames', '20', '--clips', '1', '--seconds', '0.2'] if args.dry_run
                     else ['--frames', '300', '--clips', '12', '--threads', '8'])
    onnx_device = str(device)
    if device.type == 'cuda' and not onnx_runs_on_cuda():
        onnx_device = 'cpu'   # measured anyway; the JSON says so
        result['extract_note'] = ('onnxruntime has no CUDAExecutionProvider: extraction ran on '
                                  'the CPU (pip install onnxruntime-gpu)')
    result['extract'] = extract.main(['--device', onnx_device, '--work-dir',
                                      os.path.join(args.work_dir, 'extract'), *extract_sizes])
    result['lm_step'] = lm_step(lm_dir, device, 1 if args.dry_run else args.steps, args.dry_run)
    result.update(device=torch.cuda.get_device_name(device) if device.type == 'cuda' else 'cpu',
                  dry_run=args.dry_run, wall_s=round(time.perf_counter() - start, 1))
    print(json.dumps(result))
    return result


if __name__ == '__main__':
    main()
