"""Registries of unisign_fla, children of mmengine's root registries.

Configs set ``default_scope = 'unisign_fla'`` so that ``type='PoseEncoder'`` resolves here; the
``locations`` are imported lazily the first time a registry is searched, which keeps
``import unisign_fla`` cheap and free of optional dependencies.
"""
from mmengine.registry import DATASETS as MMENGINE_DATASETS
from mmengine.registry import FUNCTIONS as MMENGINE_FUNCTIONS
from mmengine.registry import HOOKS as MMENGINE_HOOKS
from mmengine.registry import METRICS as MMENGINE_METRICS
from mmengine.registry import MODELS as MMENGINE_MODELS
from mmengine.registry import TRANSFORMS as MMENGINE_TRANSFORMS
from mmengine.registry import Registry

MODELS = Registry('model', parent=MMENGINE_MODELS, scope='unisign_fla',
                  locations=['unisign_fla.models'])
DATASETS = Registry('dataset', parent=MMENGINE_DATASETS, scope='unisign_fla',
                    locations=['unisign_fla.datasets'])
TRANSFORMS = Registry('transform', parent=MMENGINE_TRANSFORMS, scope='unisign_fla',
                      locations=['unisign_fla.datasets'])
FUNCTIONS = Registry('function', parent=MMENGINE_FUNCTIONS, scope='unisign_fla',
                     locations=['unisign_fla.datasets'])
METRICS = Registry('metric', parent=MMENGINE_METRICS, scope='unisign_fla',
                   locations=['unisign_fla.evaluation'])
HOOKS = Registry('hook', parent=MMENGINE_HOOKS, scope='unisign_fla',
                 locations=['unisign_fla.engine'])
# Pose estimators used by tools/extract_pose.py (not an mmengine concept, so no parent).
POSE_BACKENDS = Registry('pose backend', scope='unisign_fla',
                         locations=['unisign_fla.extraction.backends'])
