"""Install unisign_fla. On CPU machines install with ``-c constraints.txt`` (see README)."""
from setuptools import find_packages, setup

CORE = [
    'torch>=2.6',
    'mmengine>=0.10.7',
    'transformers>=5.0',
    'peft>=0.21',
    'sacrebleu>=2.4',
    'numpy>=2.0',
    'opencv-python>=4.9',
    'webdataset>=1.0',
    'tokenizers>=0.21',
    'setuptools<81',  # mmengine imports pkg_resources, removed in setuptools 81
]

setup(
    name='unisign_fla',
    version='0.1.0',
    description='Sign language understanding from video: pose + RGB extraction, Uni-Sign encoder, '
                'FLa-LLM factorised training, evaluation with published conventions.',
    python_requires='>=3.10',
    packages=find_packages(include=['unisign_fla', 'unisign_fla.*']),
    install_requires=CORE,
    extras_require={
        # onnx exports the small models the tests build; onnx 1.17 + protobuf < 5 leave room for
        # mediapipe 0.10.21 (needs protobuf < 5) in the same environment.
        'tests': ['pytest>=8', 'onnxruntime>=1.18', 'onnx>=1.17', 'protobuf>=4.25.8,<5'],
        'sentencepiece': ['sentencepiece>=0.2'],
        'rtmpose': ['onnxruntime>=1.18'],           # CUDA: install onnxruntime-gpu instead
        'bench': ['scikit-image>=0.22', 'onnx>=1.17', 'protobuf>=4.25.8,<5'],
        # what mediapipe 0.10.21 imports; the wheel itself goes in with --no-deps (README), as
        # its metadata pins numpy<2 and opencv-contrib-python, neither of which it needs here.
        'mediapipe': ['absl-py', 'attrs>=19.1', 'flatbuffers>=2.0', 'matplotlib',
                      'protobuf>=4.25.8,<5'],
        # what mmpose 1.3 and mmdet 3.3 import; they themselves go in with --no-deps (README):
        # their metadata asks for chumpy (does not build) and torchvision (none fits torch 2.13).
        'mmpose': ['mmcv>=2.0.1,<2.2.0', 'json_tricks', 'munkres', 'scipy', 'shapely',
                   'terminaltables', 'pycocotools', 'matplotlib'],
    },
)
