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
        'tests': ['pytest>=8'],
        'sentencepiece': ['sentencepiece>=0.2'],
        'onnx': ['onnxruntime>=1.18'],
    },
)
