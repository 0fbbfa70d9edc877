"""Keep mmengine checkpoints loadable by the toolkit's weights-only reader
(formats/torch_checkpoint.py).

mmengine stores its logging buffers (``HistoryBuffer``) in checkpoints; they pickle bound methods
through ``getattr``, which the reader rightly refuses and which must never be allow-listed.
The buffers only smooth logged values, so we drop them before saving: resuming then restarts the
smoothing windows and nothing else.
"""
from mmengine.hooks import Hook

from unisign_fla.registry import HOOKS


@HOOKS.register_module()
class WeightsOnlyCheckpointHook(Hook):
    priority = 'VERY_LOW'

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        message_hub = checkpoint.get('message_hub')
        if isinstance(message_hub, dict):
            message_hub['log_scalars'] = {}
            message_hub['resumed_keys'] = {
                k: v for k, v in message_hub.get('resumed_keys', {}).items()
                if k in message_hub.get('runtime_info', {})}
