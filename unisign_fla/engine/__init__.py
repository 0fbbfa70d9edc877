"""Training-engine glue for mmengine: safe checkpoints and their rotation, CPU distributed
set-up, a training loop that resumes exactly without reloading data, guards against bad data and
non-finite training, reading back logged scalars, sharded (FSDP) training."""
from unisign_fla.engine.atomic_checkpoint_hook import AtomicCheckpointHook
from unisign_fla.engine.bad_sample_hook import BadSampleHook, TooManyBadSamplesError
from unisign_fla.engine.checkpoint import (
           load_checkpoint_state_dict,
           load_model_weights,
           use_safe_checkpoint_loading,
)
from unisign_fla.engine.distributed import prepare_cpu_distributed
from unisign_fla.engine.iteration_seed_hook import IterationSeedHook
from unisign_fla.engine.non_finite_guard_hook import NonFiniteGuardHook, NonFiniteTrainingError
from unisign_fla.engine.resumable_train_loop import ResumableIterBasedTrainLoop
from unisign_fla.engine.run_config import load_run_config
from unisign_fla.engine.safe_checkpoint_hook import WeightsOnlyCheckpointHook
from unisign_fla.engine.sharded_training import prepare_strategy_config
from unisign_fla.engine.training_log import logged_scalars

__all__ = ['use_safe_checkpoint_loading', 'load_checkpoint_state_dict', 'load_model_weights',
           'prepare_cpu_distributed', 'prepare_strategy_config', 'load_run_config',
           'ResumableIterBasedTrainLoop',
           'WeightsOnlyCheckpointHook', 'logged_scalars', 'AtomicCheckpointHook',
           'BadSampleHook', 'TooManyBadSamplesError', 'IterationSeedHook', 'NonFiniteGuardHook',
           'NonFiniteTrainingError']

# Any checkpoint mmengine loads in a process that uses the toolkit (resume, load_from,
# initialisers) goes through the toolkit's weights-only reader, whatever the environment says.
use_safe_checkpoint_loading()
