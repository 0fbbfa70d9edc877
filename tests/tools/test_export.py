"""tools/export.py: one folder holding everything a model needs. Loaded by SignInferencer (and
tools/infer.py), it predicts exactly what the original config + checkpoint predicts, with the
original LM folder and the stage-1 file gone; LoRA merged, or kept as a peft adapter."""
import argparse
import contextlib
import glob
import json
import os
import shutil

import pytest
import torch
from mmengine.config import DictAction

from tests.models.heads.lm_families import save_family
from tests.tools.conftest import REPO, data_options, load_tool, schedule_options
from unisign_fla.apis import SignInferencer
from unisign_fla.engine.checkpoint import load_checkpoint_state_dict
from unisign_fla.formats.shard_index import load_split_index

STAGE1 = os.path.join(REPO, 'configs/synthsign/fla_stage1_synthsign.py')
STAGE2 = os.path.join(REPO, 'configs/synthsign/fla_stage2_synthsign.py')
GENERATION = ['model.generation.max_new_tokens=6', 'model.generation.num_beams=2']


@pytest.fixture(scope='module')
def models(tiny_synthsign, tmp_path_factory):
    """{name: (config, checkpoint, options)}: a stage-1 (Light-T) model and a stage-2 model with
    LoRA on a tiny Llama, each trained a few iterations."""
    root = tmp_path_factory.mktemp('export_models')
    torch.manual_seed(0)
    llama = save_family('llama', root / 'llama')
    data = data_options(tiny_synthsign / 'shards')
    stage1 = [f'model.head.tokenizer_dir={tiny_synthsign / "tokenizer"}', *GENERATION]
    load_tool('train').main([STAGE1, '--work-dir', str(root / 's1'), '--cfg-options', *stage1,
                             *data, *schedule_options(2, batch_size=4)])
    stage2 = [f'model.head.pretrained_dir={llama}', 'model.head.lora.r=4', *GENERATION]
    load_tool('train').main([STAGE2, '--work-dir', str(root / 's2'), '--cfg-options', *stage2,
                             f'model.encoder_checkpoint={root / "s1" / "iter_2.pth"}',
                             'optim_wrapper.optimizer.lr=1e-2', *data,
                             *schedule_options(3, batch_size=4)])
    trained = load_checkpoint_state_dict(str(root / 's2' / 'iter_3.pth'))
    assert any(v.abs().sum() > 0 for k, v in trained.items() if 'lora_B' in k)  # LoRA moved
    return {'light_t': (STAGE1, str(root / 's1' / 'iter_2.pth'), stage1),
            'lora': (STAGE2, str(root / 's2' / 'iter_3.pth'), stage2)}


def parsed(options):
    """``--cfg-options`` strings as the tools parse them."""
    parser = argparse.ArgumentParser()
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args(['--cfg-options', *options]).cfg_options


def predictions(inferencer, shards):
    return [inferencer.translate(sample, 'en') for sample in
            load_split_index(str(shards), 'synthsign', 'test')]


@pytest.mark.parametrize('name, keep_lora', [('light_t', False), ('lora', False),
                                             ('lora', True)])
def test_exported_folder_predicts_like_the_original(models, name, keep_lora, tiny_synthsign,
                                                    tmp_path):
    config, checkpoint, options = models[name]
    expected = predictions(SignInferencer(config, checkpoint, parsed(options)),
                           tiny_synthsign / 'shards')
    out = tmp_path / 'exported'
    (tmp_path / 'metrics.json').write_text(json.dumps(dict(bleu4=12.5, language='en')))
    argv = [config, checkpoint, '--out', str(out), '--notes', 'SynthSign tiny, 3 iterations',
            '--metrics', str(tmp_path / 'metrics.json'),
            '--cfg-options', *options] + (['--keep-lora'] if keep_lora else [])
    written = load_tool('export').main(argv)
    files = sorted(os.listdir(out))
    assert 'model.safetensors' in files and 'README.md' in files and 'config.py' in files
    assert not any(f.endswith('.pth') for f in files)
    if name == 'lora':
        assert written['lora'] == ('adapter' if keep_lora else 'merged')
        assert ('lora_adapter' in files) == keep_lora
    card = (out / 'README.md').read_text()
    assert 'SynthSign tiny' in card and 'bleu4 12.50' in card and '--language en' in card
    assert f'python tools/train.py {config} --cfg-options {" ".join(options)}' in card
    assert 'training data of the config: `data/synthsign/shards` `synthsign-train' in card
    moved = tmp_path / 'moved'
    shutil.copytree(out, moved)
    shutil.rmtree(out)
    # the original LM or tokenizer folder, the checkpoint and the stage-1 file are not needed
    with hidden([checkpoint, *(value for option in options
                               for value in [option.split('=', 1)[1]] if os.path.exists(value)),
                 *glob.glob(os.path.join(os.path.dirname(os.path.dirname(checkpoint)), '*'))]):
        with pytest.raises((OSError, ValueError)):   # the originals are gone
            SignInferencer(config, checkpoint, parsed(options))
        assert predictions(SignInferencer(str(moved)), tiny_synthsign / 'shards') == expected


@contextlib.contextmanager
def hidden(paths):
    """Move ``paths`` aside for the block, then back."""
    paths = sorted({os.path.abspath(p) for p in paths if os.path.exists(p)}, key=len,
                   reverse=True)
    moved = []
    try:
        for path in paths:
            if os.path.exists(path):
                os.rename(path, path + '.hidden')
                moved.append(path)
        yield
    finally:
        for path in reversed(moved):
            os.rename(path + '.hidden', path)


def test_export_refuses_an_existing_folder(models, tmp_path):
    config, checkpoint, options = models['light_t']
    (tmp_path / 'taken').mkdir()
    with pytest.raises(SystemExit, match='already exists'):
        load_tool('export').main([config, checkpoint, '--out', str(tmp_path / 'taken'),
                                  '--cfg-options', *options])
    assert json.dumps(sorted(os.listdir(tmp_path))) == '["taken"]'


def test_infer_runs_an_exported_folder(models, tiny_synthsign, tmp_path, capsys):
    config, checkpoint, options = models['light_t']
    load_tool('export').main([config, checkpoint, '--out', str(tmp_path / 'model'),
                              '--cfg-options', *options])
    samples = load_split_index(str(tiny_synthsign / 'shards'), 'synthsign', 'test')[:2]
    original = SignInferencer(config, checkpoint, parsed(options))
    videos = [str(tiny_synthsign / 'videos' / f'{s.id}.mp4') for s in samples]
    capsys.readouterr()
    load_tool('infer').main([str(tmp_path / 'model'), *videos, '--language', 'en', '--json',
                             '--keypoints', str(tiny_synthsign / 'keypoints')])
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [row['text'] for row in rows] == [original.translate(s, 'en') for s in samples]


def test_export_touches_nothing_beside_its_folder(models, tmp_path):
    """A folder named like a temporary one survives; the result is readable by others (0644)."""
    config, checkpoint, options = models['light_t']
    (tmp_path / 'model.part').mkdir()
    (tmp_path / 'model.part' / 'mine.txt').write_text('precious')
    load_tool('export').main([config, checkpoint, '--out', str(tmp_path / 'model'),
                              '--cfg-options', *options])
    assert (tmp_path / 'model.part' / 'mine.txt').read_text() == 'precious'
    assert sorted(os.listdir(tmp_path)) == ['model', 'model.part']
    mode = os.stat(tmp_path / 'model' / 'model.safetensors').st_mode & 0o777
    assert mode == 0o666 & ~_umask()


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask
