"""Two-process training under torchrun on CPU (every recipe at reduced size: test_recipes.py)."""
import os
import subprocess
import sys

from .conftest import REPO, data_options, read_losses, schedule_options

STAGE1 = os.path.join(REPO, 'configs/synthsign/fla_stage1_synthsign.py')


def test_torchrun_two_processes_on_cpu(tiny_synthsign, tmp_path):
    env = dict(os.environ, OMP_NUM_THREADS='1')
    command = [sys.executable, '-m', 'torch.distributed.run', '--nproc_per_node', '2',
               '--master_port', '29631', os.path.join(REPO, 'tools/train.py'), STAGE1,
               '--launcher', 'pytorch', '--work-dir', str(tmp_path), '--cfg-options',
               f'model.head.tokenizer_dir={tiny_synthsign / "tokenizer"}',
               *data_options(tiny_synthsign / 'shards'), *schedule_options(3, batch_size=4)]
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    log = result.stdout + result.stderr
    assert 'Distributed launcher: pytorch' in log and 'Distributed training: True' in log
    # DefaultSampler splits the 16 training clips between the two ranks: 8 each.
    assert (tmp_path / 'iter_3.pth').exists()
    assert len(read_losses(tmp_path)) == 3


def test_two_process_resume_is_exact(tiny_synthsign, tmp_path):
    """Each rank draws dropout from (seed, rank, iteration): resuming two processes at iteration 2
    gives the losses of the uninterrupted run (rank 1's draws reach rank 0 through the gradients)."""
    env = dict(os.environ, OMP_NUM_THREADS='1')
    command = [sys.executable, '-m', 'torch.distributed.run', '--nproc_per_node', '2',
               '--master_port', '29632', os.path.join(REPO, 'tools/train.py'), STAGE1,
               '--launcher', 'pytorch', '--work-dir', str(tmp_path), '--cfg-options',
               f'model.head.tokenizer_dir={tiny_synthsign / "tokenizer"}',
               *data_options(tiny_synthsign / 'shards'),
               *schedule_options(4, checkpoint_interval=2, batch_size=4),
               'model.encoder.dropout=0.2', 'model.head.dropout=0.2',
               'log_processor.window_size=1']
    for resume in ([], ['--resume']):
        result = subprocess.run(command + resume, cwd=REPO, env=env, capture_output=True,
                                text=True, timeout=600)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        if not resume:   # as if killed after the checkpoint of iteration 2
            os.remove(tmp_path / 'iter_4.pth')
            (tmp_path / 'last_checkpoint').write_text(str(tmp_path / 'iter_2.pth'))
    losses = read_losses(tmp_path)
    assert [it for it, _ in losses] == [1, 2, 3, 4, 3, 4]
    assert losses[4:] == losses[2:4]
