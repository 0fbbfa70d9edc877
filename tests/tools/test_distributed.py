"""Two-process training under torchrun on CPU (every recipe at reduced size: test_recipes.py)."""
import os
import subprocess
import sys

from tests.tools.conftest import REPO, data_options, read_losses, schedule_options

STAGE1 = os.path.join(REPO, 'configs/synthsign/fla_stage1_synthsign.py')


def test_two_process_training_and_exact_resume(tiny_synthsign, tmp_path):
    """torchrun runs two training processes on CPU (gloo). Each rank draws dropout from (seed,
    rank, iteration): resuming both at iteration 2 gives the losses of the uninterrupted run
    (rank 1's draws reach rank 0 through the gradients)."""
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
        log = result.stdout + result.stderr
        assert 'Distributed launcher: pytorch' in log and 'Distributed training: True' in log
        if not resume:   # as if killed after the checkpoint of iteration 2
            os.remove(tmp_path / 'iter_4.pth')
            (tmp_path / 'last_checkpoint').write_text(str(tmp_path / 'iter_2.pth'))
    losses = read_losses(tmp_path)
    assert [it for it, _ in losses] == [1, 2, 3, 4, 3, 4]
    assert losses[4:] == losses[2:4]
