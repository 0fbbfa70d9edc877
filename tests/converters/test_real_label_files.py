"""The converters on the real label files (``labels/`` of the shared data folder,
``tests.conftest.shared_data_dir``) report the published counts, and what they write validates
as manifests."""
import pytest

from tests.conftest import shared_data_dir
from unisign_fla.converters import convert_dataset
from unisign_fla.formats.manifest import read_manifest

EXPECTED = {   # dataset converter, label folder -> train, dev, test
    ('csl_daily', 'csl_daily'): (18401, 1077, 1176),
    ('phoenix2014t', 'phoenix2014t'): (7096, 519, 642),
    ('wlasl', 'wlasl2000'): (14289, 3916, 2878),
    ('how2sign', 'how2sign'): (31086, 0, 2349),
    ('openasl', 'openasl'): (0, 967, 976),
}


@pytest.mark.parametrize('dataset,folder', sorted(EXPECTED))
def test_counts_and_valid_manifests(tmp_path, dataset, folder):
    summary = convert_dataset(dataset, f'{shared_data_dir()}/labels/{folder}', str(tmp_path))
    assert tuple(summary.counts.values()) == EXPECTED[dataset, folder]
    for split, path in summary.manifests.items():
        records, errors = read_manifest(path)
        assert not errors and len(records) == summary.counts[split]
        assert all(r['split'] == split for r in records)
    first = next(read_manifest(path)[0][0] for split, path in summary.manifests.items()
                 if summary.counts[split])
    language = {'csl_daily': 'zh', 'phoenix2014t': 'de'}.get(dataset, 'en')
    assert first['language'] == language
    target = {'wlasl': 'label'}.get(dataset, 'text')
    assert first[target]
    # video: Uni-Sign's '<clip>.mp4'; GFSLT-VLP's '<split>/<clip>' frame folder
    if dataset == 'phoenix2014t':
        assert first['video'] == f'{first["split"]}/{first["id"]}'
    else:
        assert first['video'] == first.get('original_id', first['id']) + '.mp4'


def test_openasl_ids_are_made_safe_and_the_original_kept(tmp_path):
    summary = convert_dataset('openasl', f'{shared_data_dir()}/labels/openasl', str(tmp_path))
    record = read_manifest(summary.manifests['test'])[0][0]
    assert ':' in record['original_id'] and ':' not in record['id']
    assert record['video'] == record['original_id'] + '.mp4'
