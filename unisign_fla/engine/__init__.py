"""Training-engine glue for mmengine: safe checkpoints and their rotation, CPU distributed
set-up, a training loop that resumes exactly without reloading data, guards against bad data and
non-finite training, reading back logged scalars, sharded (FSDP) training."""
from .atomic_checkpoint_hook import AtomicCheckpointHook
from .bad_sample_hook import BadSampleHook, TooManyBadSamplesError
from .checkpoint import (use_safe_checkpoint_loading, load_checkpoint_state_dict,
                         load_model_weights)
from .distributed import prepare_cpu_distributed
from .iteration_seed_hook import IterationSeedHook
from .non_finite_guard_hook import NonFiniteGuardHook, NonFiniteTrainingError
from .resumable_train_loop import ResumableIterBasedTrainLoop
from .run_config import load_run_config
from .safe_checkpoint_hook import WeightsOnlyCheckpointHook
from .sharded_training import prepare_strategy_config
from .training_log import logged_scalars

__all__ = ['use_safe_checkpoint_loading', 'load_checkpoint_state_dict', 'load_model_weights',
           'prepare_cpu_distributed', 'prepare_strategy_config', 'load_run_config',
           'ResumableIterBasedTrainLoop',
           'WeightsOnlyCheckpointHook', 'logged_scalars', 'AtomicCheckpointHook',
           'BadSampleHook', 'TooManyBadSamplesError', 'IterationSeedHook', 'NonFiniteGuardHook',
           'NonFiniteTrainingError']

# Any checkpoint mmengine loads in a process that uses the toolkit (resume, load_from,
# initialisers) goes through the toolkit's weights-only reader, whatever the environment says.
use_safe_checkpoint_loading()
