"""Registries of unisign_fla, children of mmengine's root registries.

Configs set ``default_scope = 'unisign_fla'`` so that ``type='PoseEncoder'`` resolves here; the
``locations`` are imported lazily the first time a registry is searched, which keeps
``import unisign_fla`` cheap and free of optional dependencies.
"""
from mmengine.registry import DATA_SAMPLERS as MMENGINE_DATA_SAMPLERS
from mmengine.registry import DATASETS as MMENGINE_DATASETS
from mmengine.registry import FUNCTIONS as MMENGINE_FUNCTIONS
from mmengine.registry import HOOKS as MMENGINE_HOOKS
from mmengine.registry import LOOPS as MMENGINE_LOOPS
from mmengine.registry import METRICS as MMENGINE_METRICS
from mmengine.registry import MODELS as MMENGINE_MODELS
from mmengine.registry import OPTIM_WRAPPER_CONSTRUCTORS as MMENGINE_OPTIM_WRAPPER_CONSTRUCTORS
from mmengine.registry import OPTIM_WRAPPERS as MMENGINE_OPTIM_WRAPPERS
from mmengine.registry import OPTIMIZERS as MMENGINE_OPTIMIZERS
from mmengine.registry import PARAM_SCHEDULERS as MMENGINE_PARAM_SCHEDULERS
from mmengine.registry import TRANSFORMS as MMENGINE_TRANSFORMS
from mmengine.registry import VISBACKENDS as MMENGINE_VIS_BACKENDS
from mmengine.registry import VISUALIZERS as MMENGINE_VISUALIZERS
from mmengine.registry import Registry

MODELS = Registry('model', parent=MMENGINE_MODELS, scope='unisign_fla',
                  locations=['unisign_fla.models'])
DATASETS = Registry('dataset', parent=MMENGINE_DATASETS, scope='unisign_fla',
                    locations=['unisign_fla.datasets'])
DATA_SAMPLERS = Registry('data sampler', parent=MMENGINE_DATA_SAMPLERS, scope='unisign_fla',
                         locations=['unisign_fla.datasets'])
TRANSFORMS = Registry('transform', parent=MMENGINE_TRANSFORMS, scope='unisign_fla',
                      locations=['unisign_fla.datasets'])
FUNCTIONS = Registry('function', parent=MMENGINE_FUNCTIONS, scope='unisign_fla',
                     locations=['unisign_fla.datasets'])
METRICS = Registry('metric', parent=MMENGINE_METRICS, scope='unisign_fla',
                   locations=['unisign_fla.evaluation'])
HOOKS = Registry('hook', parent=MMENGINE_HOOKS, scope='unisign_fla',
                 locations=['unisign_fla.engine'])
LOOPS = Registry('loop', parent=MMENGINE_LOOPS, scope='unisign_fla',
                 locations=['unisign_fla.engine'])
# Children with nothing of ours yet: they let mmengine resolve the scope without warnings ("Failed
# to search registry with scope unisign_fla"), and give extensions (a custom optimiser, schedule
# or dashboard) a place to register.
OPTIMIZERS = Registry('optimizer', parent=MMENGINE_OPTIMIZERS, scope='unisign_fla')
OPTIM_WRAPPERS = Registry('optim_wrapper', parent=MMENGINE_OPTIM_WRAPPERS, scope='unisign_fla')
OPTIM_WRAPPER_CONSTRUCTORS = Registry('optimizer wrapper constructor',
                                      parent=MMENGINE_OPTIM_WRAPPER_CONSTRUCTORS,
                                      scope='unisign_fla')
VISUALIZERS = Registry('visualizer', parent=MMENGINE_VISUALIZERS, scope='unisign_fla')
VIS_BACKENDS = Registry('vis_backend', parent=MMENGINE_VIS_BACKENDS, scope='unisign_fla')
PARAM_SCHEDULERS = Registry('parameter scheduler', parent=MMENGINE_PARAM_SCHEDULERS,
                            scope='unisign_fla')
# Pose estimators used by tools/extract_pose.py (not an mmengine concept, so no parent).
POSE_BACKENDS = Registry('pose backend', scope='unisign_fla',
                         locations=['unisign_fla.extraction.backends'])
# Converters from each benchmark's official files to manifests, used by data_prep/convert.py.
DATASET_CONVERTERS = Registry('dataset converter', scope='unisign_fla',
                              locations=['unisign_fla.converters'])
