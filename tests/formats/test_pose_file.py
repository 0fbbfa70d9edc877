"""The .pose reader, on files written byte by byte from the published format."""
import numpy as np
import pytest

from unisign_fla.formats.pose_file import PoseFileError, read_pose_file

COMPONENTS = [('BODY', 'XYC', ['nose', 'neck']), ('HAND', 'XYZC', ['a', 'b', 'c'])]


def sample(frames=4, people=2):
    rng = np.random.default_rng(0)
    return (rng.uniform(0, 100, (frames, people, 5, 3)).astype(np.float32),
            rng.uniform(0, 1, (frames, people, 5)).astype(np.float32))


@pytest.mark.parametrize('version', [0.1, 0.2])
def test_reads_header_and_body(tmp_path, pose_file_writer, version):
    data, confidence = sample()
    path = pose_file_writer(tmp_path / 'a.pose', COMPONENTS, data, confidence, version=version,
                            fps=30.0, size=(210, 260, 1))
    pose = read_pose_file(path)
    assert (pose.version, pose.width, pose.height, pose.depth, pose.fps) == (
        version, 210, 260, 1, 30.0)
    assert [(c.name, c.point_format, c.point_names) for c in pose.components] == [
        (name, fmt, names) for name, fmt, names in COMPONENTS]
    np.testing.assert_array_equal(pose.data, data)
    np.testing.assert_array_equal(pose.confidence, confidence)
    assert pose.component_slices() == {'BODY': slice(0, 2), 'HAND': slice(2, 5)}


def test_v0_1_frame_count_comes_from_the_data_size(tmp_path, pose_file_writer):
    """v0.1 stores the frame count in 16 bits, which wraps on long videos."""
    data, confidence = sample(frames=3, people=1)
    path = pose_file_writer(tmp_path / 'a.pose', COMPONENTS, data, confidence, version=0.1)
    raw = bytearray(open(path, 'rb').read())
    body = len(raw) - data.nbytes - confidence.nbytes
    raw[body - 4:body - 2] = (0).to_bytes(2, 'little')   # frames field as if it had wrapped
    open(path, 'wb').write(bytes(raw))
    assert read_pose_file(path).data.shape == (3, 1, 5, 3)


def test_bad_files_are_named(tmp_path, pose_file_writer):
    data, confidence = sample()
    path = pose_file_writer(tmp_path / 'cut.pose', COMPONENTS, data, confidence)
    raw = open(path, 'rb').read()
    open(path, 'wb').write(raw[:-10])
    with pytest.raises(PoseFileError, match='cut.pose: file ends inside confidence'):
        read_pose_file(path)
    open(path, 'wb').write(raw[:30])
    with pytest.raises(PoseFileError,
                       match=r'cut.pose: file ends inside component 0 \(BODY\) point 0'):
        read_pose_file(path)
    (tmp_path / 'text.pose').write_text('hello, this is not a pose file')
    with pytest.raises(PoseFileError, match='text.pose: not a .pose file'):
        read_pose_file(str(tmp_path / 'text.pose'))
    old = pose_file_writer(tmp_path / 'v3.pose', COMPONENTS, data, confidence, version=0.3)
    with pytest.raises(PoseFileError, match=r'v3.pose: .pose version 0.3 is not supported'):
        read_pose_file(old)
