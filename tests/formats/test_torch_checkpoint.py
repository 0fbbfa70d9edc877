"""The weights-only checkpoint reader: what torch.save writes loads as torch.load loads it;
layouts, storages and sizes that do not add up are refused with the file's name."""
import collections
import functools
import os
import zipfile

import numpy as np
import pytest
import torch
from crafted_pickles import (
    Storage,
    Tensor,
    assert_refused,
    checkpoint_pickle,
    huge_shape,
    write_checkpoint,
)
from torch import nn

from tests.conftest import shared_data_dir
from unisign_fla.formats.load_limits import load_limit
from unisign_fla.formats.torch_checkpoint import load_torch_checkpoint


def _assert_same(ours, theirs, where='checkpoint'):
    if isinstance(theirs, np.generic):   # numpy scalars load as Python numbers
        theirs = theirs.item()
    assert type(ours) is type(theirs), where
    if isinstance(theirs, torch.Tensor):
        assert (ours.dtype, ours.shape, ours.stride(), ours.storage_offset(),
                ours.requires_grad) == (theirs.dtype, theirs.shape, theirs.stride(),
                                        theirs.storage_offset(), theirs.requires_grad), where
        assert torch.equal(ours.reshape(-1).view(torch.uint8),
                           theirs.reshape(-1).view(torch.uint8)), where
    elif isinstance(theirs, dict):
        assert list(ours) == list(theirs), where
        for key in theirs:
            _assert_same(ours[key], theirs[key], f'{where}/{key}')
        assert getattr(ours, '_metadata', None) == getattr(theirs, '_metadata', None), where
    elif isinstance(theirs, (list, tuple)) and not isinstance(theirs, torch.Size):
        assert len(ours) == len(theirs), where
        for i, (a, b) in enumerate(zip(ours, theirs)):
            _assert_same(a, b, f'{where}[{i}]')
    elif isinstance(theirs, np.ndarray):
        np.testing.assert_array_equal(ours, theirs)
    else:
        assert ours == theirs, where


def test_what_torch_save_writes_loads_as_torch_load_loads_it(tmp_path):
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4))
    optimizer = torch.optim.AdamW(model.parameters())
    model(torch.randn(5, 3)).sum().backward()
    optimizer.step()
    base = torch.arange(12.0)
    value = {'state_dict': model.state_dict(), 'optimizer': optimizer.state_dict(),
             'parameter': nn.Parameter(torch.ones(2)), 'base': base,
             'view': base[2:8].view(2, 3).t(),            # shares the storage of 'base'
             'dtypes': [torch.ones(2, dtype=d) for d in (torch.bfloat16, torch.bool,
                                                         torch.complex64, torch.int8,
                                                         torch.uint16, torch.float8_e4m3fn)],
             'meta': {'size': torch.Size([2, 3]), 'dtype': torch.float16, 'seed': 3,
                      'device': torch.device('cpu'), 'tags': {1, 'a'}, 'eta': np.float64(0.5),
                      'mean': np.arange(3, dtype=np.float32), 'empty': torch.empty(0, 3)}}
    path = tmp_path / 'model.pth'
    torch.save(value, path)
    loaded = load_torch_checkpoint(path)
    _assert_same(loaded, torch.load(path, weights_only=False))
    storages = [loaded[key].untyped_storage().data_ptr() for key in ('view', 'base')]
    assert storages[0] == storages[1]
    assert type(loaded['state_dict']) is collections.OrderedDict


refused = functools.partial(assert_refused, load_torch_checkpoint)


def test_tensor_layouts_must_lie_inside_their_storage(tmp_path):
    storage = Storage('0', count=4)
    path = tmp_path / 'layout.pth'
    for tensor, reason in [(Tensor(storage, 2, (3,), (1,)), r'reaches element 4 of a storage '
                                                             r'of 4'),
                           (Tensor(storage, 0, (2, 2), (1,)), 'is not one of sizes, strides'),
                           (Tensor(storage, 0, (2**60,), (0,)), 'tensor size holds'),
                           (Tensor(Storage('1', count=4), 0, (1,), (1,)), "storage '1' is "
                                                                         "missing")]:
        write_checkpoint(path, checkpoint_pickle({'w': tensor}), {'0': bytes(16)})
        refused(path, reason)
    write_checkpoint(path, checkpoint_pickle({'w': Tensor(storage, 0, (4,), (1,))}),
                     {'0': bytes(12)})
    refused(path, "storage '0' holds 12 bytes, its reference says 4 torch.float32 elements")
    write_checkpoint(path, checkpoint_pickle({'w': Tensor(storage, 0, (4,), (1,))}),
                     {'0': bytes(16)}, compression=zipfile.ZIP_DEFLATED)
    refused(path, 'is compressed; torch.save stores storages uncompressed')
    write_checkpoint(path, checkpoint_pickle({'w': Storage('0', count=4)}), {'0': bytes(16)})
    refused(path, "storage '0' appears outside a tensor")
    # BUILD after the checks would move the tensor anywhere in memory
    write_checkpoint(path, checkpoint_pickle({'w': Tensor(storage, 0, (4,), (1,),
                                                          state={'offset': 2**40})}),
                     {'0': bytes(16)})
    refused(path, 'refuses to set the state of TensorSpec')


def test_shapes_of_huge_integers_are_refused_quickly(tmp_path):
    # As a numpy shape in a checkpoint's meta: 4,000 copies took 35 s to multiply.
    tensor = checkpoint_pickle({'w': Tensor(Storage('0', count=4), 0, (4,), (1,))})
    data = tensor[:-1] + b'X\x04\x00\x00\x00meta' + b'\x8a\xff' + b'\xff' * 254 + b'\x7fs.'
    path = write_checkpoint(tmp_path / 'big.pth', data, {'0': bytes(16)})
    assert load_torch_checkpoint(path)['meta'].bit_length() == 2039   # plain data: loads
    shape_of_huge = (b'\x80\x02cnumpy._core.numeric\n_frombuffer\n(C\x00cnumpy\ndtype\n'
                     b'(X\x02\x00\x00\x00f4\x89\x88tR' + huge_shape(4000) + b'X\x01\x00\x00'
                     b'\x00CtR.')
    write_checkpoint(path, shape_of_huge)
    refused(path, 'array shape is a tuple of length 4000')


def test_storages_count_against_the_budget(tmp_path):
    path = write_checkpoint(tmp_path / 'large.pth',
                            checkpoint_pickle({'w': Tensor(Storage('0', count=2**18), 0,
                                                           (2**18,), (1,))}),
                            {'0': bytes(2**20)})
    assert load_torch_checkpoint(path)['w'].shape == (2**18,)
    refused(path, 'tensor storages would take it past 500000 bytes', max_bytes=500_000)


def test_truncated_and_legacy_checkpoints_are_named(tmp_path):
    path = tmp_path / 'model.pth'
    torch.save({'w': torch.ones(1000)}, path)
    path.write_bytes(path.read_bytes()[:3000])
    refused(path, 'not a zip archive as torch.save writes them \\(truncated, or not a '
                   'checkpoint')
    torch.save({'w': torch.ones(3)}, path, _use_new_zipfile_serialization=False)
    refused(path, "torch's legacy format \\(torch < 1.6\\)")


def test_map_location_takes_a_device_or_a_callable_as_torch_load_does(tmp_path):
    path = tmp_path / 'model.pth'
    torch.save({'w': torch.arange(3.0), 'v': torch.ones(2, dtype=torch.int64)}, path)
    seen = []

    def keep_on_cpu(storage, location):   # as mmengine's runner.resume may pass one
        seen.append((type(storage), location))
        return storage
    loaded = load_torch_checkpoint(path, map_location=keep_on_cpu)
    assert loaded['w'].tolist() == [0.0, 1.0, 2.0] and loaded['v'].tolist() == [1, 1]
    assert seen == [(torch.UntypedStorage, 'cpu')] * 2
    refused(path, "map_location returned a list of length 0 for storage '0', not a "
                  'torch.UntypedStorage',
            map_location=lambda storage, location: [])
    with pytest.raises(ValueError, match='map_location must be None, a device name, a '
                                         'torch.device or a callable .* got dict'):
        load_torch_checkpoint(path, map_location={'cuda:0': 'cpu'})


def test_a_zero_stride_tensor_counts_every_element(tmp_path):
    # 2**36 float32 elements over one stored element: 256 GB for anything that copies it, from
    # a 1.6-kB file that loaded (and check_file called ok).
    path = tmp_path / 'stride0.pth'
    torch.save(torch.zeros(1).as_strided((2**36,), (0,)), path)
    refused(path, 'tensors would take it past 67108864 bytes')
    torch.save(torch.zeros(1).as_strided((1000,), (0,)), path)
    assert load_torch_checkpoint(path).stride() == (0,)


def test_set_members_that_could_collide_are_refused(tmp_path):
    path = tmp_path / 'sets.pth'
    torch.save({'tags': {1, 'a', None}}, path)
    assert load_torch_checkpoint(path) == {'tags': {1, 'a', None}}
    torch.save({'tags': {(1, 2)}}, path)
    refused(path, 'set uses a tuple as a dict key or set member')
    torch.save({'tags': {2**70}}, path)
    refused(path, 'set uses an integer beyond 64 bits')


def test_the_reference_checkpoint_loads_with_half_its_budget():
    path = os.path.join(shared_data_dir(), 'unisign_reference', 'unisign_rgb_pose.pth')
    half = load_limit(os.path.getsize(path)) // 2
    assert load_torch_checkpoint(path, max_bytes=half)
