"""Opening ONNX Runtime sessions for the pose backends, with errors that say what to install."""
import os
from collections.abc import Sequence

from unisign_fla.extraction.backends.base import PoseEstimationError

INSTALL_HINT = ("pip install onnxruntime (CPU) or pip install onnxruntime-gpu (CUDA); "
                "or pip install -e '.[rtmpose]'")


def execution_providers(device: str) -> list:
    """ONNX Runtime providers for ``device`` ('cpu', 'cuda' or 'cuda:N'); CUDA keeps CPU as
    fallback for the few operators CUDA lacks, and fails loudly when the CUDA build is not
    installed."""
    import onnxruntime
    if device == 'cpu':
        return ['CPUExecutionProvider']
    kind, _, index = device.partition(':')
    if kind == 'cuda' and (not index or index.isdigit()):
        if 'CUDAExecutionProvider' not in onnxruntime.get_available_providers():
            raise PoseEstimationError(
                f'device={device!r} but this onnxruntime has no CUDAExecutionProvider '
                f'(available: {onnxruntime.get_available_providers()}); '
                f'pip install onnxruntime-gpu')
        return [('CUDAExecutionProvider', {'device_id': int(index or 0)}), 'CPUExecutionProvider']
    raise ValueError(f'device must be "cpu", "cuda" or "cuda:N", got {device!r}')


def open_session(path: str, device: str = 'cpu', threads: int | None = None,
                 what: str = 'model'):
    """An ``InferenceSession`` for the local file ``path`` (no download is ever attempted)."""
    try:
        import onnxruntime
    except ImportError:
        raise ImportError(f'the ONNX pose backends need onnxruntime: {INSTALL_HINT}') from None
    if not os.path.isfile(path):
        raise FileNotFoundError(f'{what} file not found: {path} (give a local .onnx file, as '
                                'produced by mmdeploy or downloaded by rtmlib)')
    options = onnxruntime.SessionOptions()
    if threads:
        options.intra_op_num_threads = threads
    try:
        return onnxruntime.InferenceSession(path, options, providers=execution_providers(device))
    except Exception as error:   # onnxruntime raises its own exception types
        if isinstance(error, PoseEstimationError):
            raise
        raise ValueError(f'{path}: cannot load as an ONNX {what} ({error})') from None


def input_geometry(session, default_hw: Sequence[int]):
    """(name, fixed batch size or None, height, width) of a session's single image input."""
    spec = session.get_inputs()[0]
    batch, _, height, width = spec.shape
    def fixed(value, default):
        return value if isinstance(value, int) and value > 0 else default
    return spec.name, fixed(batch, None), fixed(height, default_hw[0]), fixed(width, default_hw[1])
