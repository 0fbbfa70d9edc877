"""A resumed run trains on the same batches as an uninterrupted one and loads none twice."""
import torch
from mmengine.runner import Runner

from tests.engine.scale_model import ScaleModel
from unisign_fla.engine import use_safe_checkpoint_loading

# Items loaded, in order (mmengine deep-copies the dataset config, so not an attribute).
LOADED = []


class _Clips:
    def __len__(self):
        return 10

    def frame_counts(self):
        return [(i * 7) % 5 + 1 for i in range(10)]

    def __getitem__(self, index):
        LOADED.append(index)
        return {'inputs': torch.tensor([index + 1.0])}




def _train(work_dir, max_iters, name, resume=False):
    LOADED.clear()
    runner = Runner(
        model=ScaleModel(), work_dir=str(work_dir), experiment_name=name,
        default_scope='unisign_fla',
        train_dataloader=dict(
            dataset=_Clips(), batch_size=2, num_workers=0,
            collate_fn=dict(type='default_collate'),
            # Not the loader's batch size, on purpose: the skip must count the loader's batches.
            sampler=dict(type='LengthGroupedSampler', batch_size=3, infinite=True, seed=0)),
        train_cfg=dict(type='ResumableIterBasedTrainLoop', max_iters=max_iters),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.01)),
        default_hooks=dict(checkpoint=dict(type='CheckpointHook', interval=2, by_epoch=False)),
        custom_hooks=[dict(type='WeightsOnlyCheckpointHook')], randomness=dict(seed=0),
        resume=resume)
    runner.train()
    return list(LOADED), runner.model.weight.item()


def test_resume_skips_trained_batches_by_index(tmp_path):
    use_safe_checkpoint_loading()
    full_loaded, full_weight = _train(tmp_path / 'full', 7, 'full')
    first_loaded, _ = _train(tmp_path / 'split', 4, 'first')
    resumed_loaded, resumed_weight = _train(tmp_path / 'split', 7, 'resumed', resume=True)
    assert len(full_loaded) == 14 and first_loaded == full_loaded[:8]
    # mmengine's own loop would load (and discard) the first 8 items again here.
    assert resumed_loaded == full_loaded[8:14]
    assert resumed_weight == full_weight
