"""benchmarks/gpu_check.py --dry-run: the GPU check's plumbing on a CPU (encoder in bf16
autocast, the extraction benchmark, a stage-2 step of the Qwen2.5 LoRA recipe with a tiny
Qwen2), ending with its JSON line; without --dry-run and without a GPU it says so."""
import json
import os
import subprocess
import sys

import pytest
import torch

from tests.tools.conftest import REPO

SCRIPT = os.path.join(REPO, 'benchmarks', 'gpu_check.py')


@pytest.mark.slow   # about 25 s: it exports two ONNX models and times each part
def test_dry_run_prints_every_figure(tmp_path):
    pytest.importorskip('skimage')   # the extraction benchmark's test video (the bench extra)
    result = subprocess.run([sys.executable, SCRIPT, '--dry-run', '--work-dir', str(tmp_path)],
                            cwd=REPO, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures['dry_run'] and figures['device'] == 'cpu'
    assert {'pose_ms', 'pose_s4_ms', 'rgb10_ms'} <= set(figures['encoder'])
    assert figures['encoder']['bf16'] is True
    assert {'decode_fps', 'model_fps', 'pipeline_fps', 'naive_fps'} <= set(figures['extract'])
    assert figures['lm_step']['ms_per_step'] > 0 and figures['lm_step']['trainable_params'] > 0


@pytest.mark.slow   # a fresh interpreter importing torch and mmengine: about 10 s
@pytest.mark.skipif(torch.cuda.is_available(), reason='a GPU is there')
def test_without_a_gpu_it_says_so(tmp_path):
    result = subprocess.run([sys.executable, SCRIPT, '--work-dir', str(tmp_path)], cwd=REPO,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode != 0 and 'no CUDA device' in result.stderr
    assert 'Traceback' not in result.stderr
