"""Training-engine glue for mmengine: safe checkpoint loading, CPU distributed set-up."""
from .checkpoint import allow_mmengine_checkpoint_types, load_checkpoint_state_dict
from .distributed import prepare_cpu_distributed

__all__ = ['allow_mmengine_checkpoint_types', 'load_checkpoint_state_dict',
           'prepare_cpu_distributed']
