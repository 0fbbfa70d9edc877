"""Every shipped config parses, and RGB encoders get the crop pipelines they need."""
import glob
import os

import pytest
from mmengine.config import Config

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONFIGS = sorted(p for p in glob.glob(os.path.join(REPO, 'configs', '**', '*.py'), recursive=True)
                 if '_base_' not in p)


@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: os.path.relpath(p, REPO))
def test_config_parses_and_pipelines_match_the_encoder(path):
    cfg = Config.fromfile(path)
    rgb = cfg.model.encoder.get('rgb')
    uses_rgb = rgb is not None and rgb.get('type') != 'UniSignRGBFusion'
    unisign_crops = rgb is not None and not uses_rgb
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        dataset = cfg[loader].dataset
        pipelines = [m.pipeline for m in dataset.datasets] if 'datasets' in dataset else [
            dataset.pipeline]
        for pipeline in pipelines:
            check_pipeline(pipeline, loader, uses_rgb, unisign_crops)


def check_pipeline(pipeline, loader, uses_rgb, unisign_crops):
    steps = {step['type']: step for step in pipeline}
    # Uni-Sign's RGB branch cuts its own crops from the decoded frames of the sampled rows.
    assert ('UniSignHandCrops' in steps) == ('DecodeClipFrames' in steps) == unisign_crops, loader
    if unisign_crops:
        types = [step['type'] for step in pipeline]
        assert types.index('SampleFrames') < types.index('DecodeClipFrames') < \
            types.index('UniSignHandCrops'), loader
        assert steps['UniSignHandCrops']['deterministic'] == (loader != 'train_dataloader')
    assert steps['LoadShardSample'].get('with_crops', False) == uses_rgb, loader
    if steps.get('NormalizeKeypoints', {}).get('mode') == 'uni_sign':   # Uni-Sign's order
        types = [step['type'] for step in pipeline]
        assert types.index('SampleFrames') < types.index('NormalizeKeypoints'), loader
    assert ('ScoreAwareCropSampling' in steps) == uses_rgb, loader
    if uses_rgb:
        assert steps['ScoreAwareCropSampling']['random'] == (loader == 'train_dataloader')
        assert ('RandomCropColorJitter' in steps) == (loader == 'train_dataloader')



@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: os.path.relpath(p, REPO))
def test_recipes_inherit_only_base_files(path):
    """A recipe never inherits another recipe: each is read whole from its _base_ files."""
    import ast
    tree = ast.parse(open(path, encoding='utf-8').read())
    bases = [node.value for node in tree.body if isinstance(node, ast.Assign)
             and any(getattr(t, 'id', None) == '_base_' for t in node.targets)]
    assert len(bases) == 1, 'a recipe names its _base_ files once'
    for base in ast.literal_eval(bases[0]):
        assert os.path.normpath(os.path.join(os.path.dirname(path), base)).startswith(
            os.path.join(REPO, 'configs', '_base_')), base


RELEASED_CHECKPOINT_CONFIGS = ['unisign_pose_slt.py', 'unisign_rgb_pose_slt.py',
                               'unisign_pose_slt_csl-news.py', 'unisign_pose_slt_how2sign.py',
                               'unisign_pose_slt_openasl.py', 'unisign_rgb_pose_islr_wlasl2000.py']


@pytest.mark.parametrize('name', RELEASED_CHECKPOINT_CONFIGS)
def test_released_checkpoint_configs_decode_as_unisign(name):
    """Uni-Sign's head options (the parity tests shorten generation to 20 tokens, so the
    defaults a user evaluates with are checked here): the prompt with EOS, no adapter, labels cut
    to 50 tokens, label smoothing 0.2, beam 4, 100 new tokens."""
    cfg = Config.fromfile(os.path.join(REPO, 'configs', 'unisign', name))
    head = cfg.model.head
    assert (head.prompt_eos, head.adapter, head.max_target_length, head.label_smoothing) == \
        (True, None, 50, 0.2)
    assert (cfg.model.generation.num_beams, cfg.model.generation.max_new_tokens) == (4, 100)
