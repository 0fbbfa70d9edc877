"""Training-engine glue for mmengine: safe checkpoints, CPU distributed set-up, a training
loop that resumes without reloading data, reading back logged scalars."""
from .checkpoint import (allow_mmengine_checkpoint_types, load_checkpoint_state_dict,
                         load_model_weights)
from .distributed import prepare_cpu_distributed
from .resumable_train_loop import ResumableIterBasedTrainLoop
from .run_config import load_run_config
from .safe_checkpoint_hook import WeightsOnlyCheckpointHook
from .training_log import logged_scalars

__all__ = ['allow_mmengine_checkpoint_types', 'load_checkpoint_state_dict', 'load_model_weights',
           'prepare_cpu_distributed', 'load_run_config', 'ResumableIterBasedTrainLoop',
           'WeightsOnlyCheckpointHook', 'logged_scalars']
