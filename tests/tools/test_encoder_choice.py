"""benchmarks/encoder_choice.py: Uni-Sign's encoder trains and tests through its SynthSign
configs, and the benchmark gives both encoders the same runs and options."""
import json
import os

from tests.scripts import load_script
from tests.tools.conftest import REPO, data_options, load_tool, schedule_options

encoder_choice = load_script('benchmarks', 'encoder_choice')


def test_unisign_configs_train_and_test_on_synthsign_shards(tiny_synthsign, tmp_path):
    """Two iterations of the Uni-Sign SLT config (its own normalisation) then its test."""
    config = os.path.join(REPO, 'configs/synthsign/unisign_stage1_synthsign.py')
    options = [f'model.head.tokenizer_dir={tiny_synthsign / "tokenizer"}',
               *data_options(tiny_synthsign / 'shards')]
    load_tool('train').main([config, '--work-dir', str(tmp_path), '--cfg-options', *options,
                             *schedule_options(2, batch_size=4)])
    metrics = load_tool('test').main([config, str(tmp_path / 'iter_2.pth'), '--work-dir',
                                      str(tmp_path), '--out-dir', str(tmp_path / 'test'),
                                      '--cfg-options', *options])
    assert 'translation/bleu4' in metrics
    assert json.load(open(tmp_path / 'test' / 'metrics.json'))['num_samples'] > 0


def test_both_encoders_get_the_same_runs(monkeypatch, tmp_path, capsys):
    calls = []

    def fake_run(name, config, options, iters, work_dir, timings, tag, train_options=()):
        calls.append((name, config, options, iters, train_options))
        timings[f'{name}_train'] = 2.0 * iters
        return {'bleu4': 10.0 + len(calls), 'top1_instance': 50.0 + len(calls)}

    monkeypatch.setattr(encoder_choice, 'train_then_test', fake_run)
    monkeypatch.setattr(encoder_choice, 'prepare_synthsign', lambda *args, **kwargs: None)
    monkeypatch.setattr(encoder_choice, 'task_tokenizer', lambda data_dir: 'tok')
    summary = encoder_choice.main(['--work-dir', str(tmp_path), '--slt-iters', '3',
                                   '--islr-iters', '2', '--slt-seeds', '0', '1'])
    assert [c[0] for c in calls] == [
        'ours_slt_it3_seed0', 'unisign_slt_it3_seed0', 'ours_slt_it3_seed1',
        'unisign_slt_it3_seed1', 'ours_islr_it2_seed0', 'unisign_islr_it2_seed0']
    # Same options, iterations and schedule for both encoders; only the config differs.
    assert [c[2:] for c in calls[::2]] == [c[2:] for c in calls[1::2]]
    assert [c[1] != d[1] for c, d in zip(calls[::2], calls[1::2])] == [True] * 3
    assert 'param_scheduler.1.end=3' in calls[0][4]
    assert summary['ours']['slt_bleu4'] == dict(mean=12.0, seeds=[11.0, 13.0], spread=2.0)
    assert summary['unisign']['islr_top1_instance']['seeds'] == [56.0]
    assert summary['ours']['slt_train_s_per_iter'] == 2.0
    assert summary['unisign']['params'] > summary['ours']['params'] > 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1]) == summary
