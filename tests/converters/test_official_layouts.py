"""Each official-format converter on a small fixture written here in that format, with one row
of each known quirk."""
import json
import os
import pickle
import re

import numpy as np
import pytest

from tests.conftest import write_video
from unisign_fla.converters import ConversionError, convert_dataset
from unisign_fla.formats.manifest import read_manifest


def manifests(summary):
    return {split: read_manifest(path)[0] for split, path in summary.manifests.items()}


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding='utf-8')


def test_csl_daily_official_with_the_renamed_split_row(tmp_path):
    src = tmp_path / 'CSL-Daily'
    info = [{'name': name, 'length': 10, 'label_gloss': ['他', '好'],
             'label_char': list('他好。'), 'label_word': [], 'label_postag': [],
             'signer': int(name[9:13]), 'time': 0}
            for name in ('S000000_P0000_T00', 'S000001_P0001_T00', 'S000007_P0003_T00',
                         'S000009_P0002_T00')]
    (src / 'sentence_label').mkdir(parents=True)
    (src / 'sentence_label' / 'csl2020ct_v2.pkl').write_bytes(pickle.dumps(
        {'info': info, 'gloss_map': [], 'char_map': [], 'word_map': [], 'postag_map': []}))
    write(src / 'sentence_label' / 'split_1.txt', 'name|split\nS000000_P0000_T00|train\n'
          'S000001_P0001_T00|dev\nS000005_P0004_T00|test\nS999999_P0000_T00|test\n')
    (src / 'sentence' / 'frames_512x512' / 'S000000_P0000_T00').mkdir(parents=True)
    summary = convert_dataset('csl_daily', str(src), str(tmp_path / 'out'))
    assert summary.counts == {'train': 1, 'dev': 1, 'test': 1}
    test = manifests(summary)['test'][0]
    assert test['id'] == 'S000007_P0003_T00' and test['signer'] == 3
    assert test['video'] == 'sentence/frames_512x512/S000007_P0003_T00'
    assert test['text'] == '他好。' and test['gloss'] == ['他', '好']
    notes = '\n'.join(summary.notes)
    assert 'names S000005_P0004_T00, known in the label file as S000007_P0003_T00' in notes
    assert 'names S999999_P0000_T00, which the label file lacks: skipped' in notes
    assert '1 clips of the label file are in no split' in notes


def test_phoenix2014t_corpus_with_the_missing_1_folder(tmp_path):
    src = tmp_path / 'PHOENIX-2014-T'
    header = '\ufeffname|video|start|end|speaker|orth|translation\r\n'   # BOM, CRLF
    for split in ('train', 'dev', 'test'):
        name = f'01April_2010_Thursday_heute-{split}'
        write(src / 'annotations' / 'manual' / f'PHOENIX-2014-T.{split}.corpus.csv',
              header + f'{name}|{name}/1/*.png|-1|-1|Signer01|REGEN SCHNEE|regen und schnee|\r\n'
              '\r\n')                                  # a trailing empty cell, a blank line
        (src / 'features' / 'fullFrame-210x260px' / split / name).mkdir(parents=True)
    summary = convert_dataset('phoenix2014t', str(src), str(tmp_path / 'out'))
    record = manifests(summary)['dev'][0]
    assert record['video'] == 'features/fullFrame-210x260px/dev/01April_2010_Thursday_heute-dev'
    assert record['gloss'] == ['REGEN', 'SCHNEE'] and record['text'] == 'regen und schnee'
    assert record['signer'] == 'Signer01' and record['language'] == 'de'
    assert sum('the T release does not have' in n for n in summary.notes) == 3


def test_phoenix2014_multisigner_keeps_its_1_folder(tmp_path):
    src = tmp_path / 'phoenix-2014-multisigner'
    for split in ('train', 'dev', 'test'):
        name = f'01April_2010_Thursday_heute_default-{split}'
        write(src / 'annotations' / 'manual' / f'{split}.corpus.csv',
              'id|folder|signer|annotation\n'
              f'{name}|{name}/1/*.png|Signer04|__ON__ ICH loc-REGION\n')
        (src / 'features' / 'fullFrame-210x260px' / split / name / '1').mkdir(parents=True)
    summary = convert_dataset('phoenix2014', str(src), str(tmp_path / 'out'))
    record = manifests(summary)['test'][0]
    assert record['video'].endswith('default-test/1') and 'text' not in record
    assert record['gloss'] == ['__ON__', 'ICH', 'loc-REGION'] and not summary.notes


def test_how2sign_rows_past_the_end_of_their_video(tmp_path):
    src = tmp_path / 'How2Sign'
    rows = ['VIDEO_ID\tVIDEO_NAME\tSENTENCE_ID\tSENTENCE_NAME\tSTART_REALIGNED\tEND_REALIGNED\t'
            'SENTENCE']
    for i, (start, end) in enumerate([(0.2, 0.8), (1.5, 9.0), (4.5, 5.0), (1.0, 0.5)]):
        rows.append(f'abcdefghijk\tabcdefghijk-1-rgb_front\tabcdefghijk_{i}\t'
                    f'abcdefghijk_{i}-1-rgb_front\t{start}\t{end}\tSentence number {i}.')
    write(src / 'how2sign_realigned_test.csv', '\n'.join(rows) + '\n')
    write(src / 'how2sign_realigned_val.csv', '\n'.join(rows[:2]) + '\n')
    whole = src / 'video_level' / 'test' / 'rgb_front' / 'raw_videos'
    whole.mkdir(parents=True)
    write_video(str(whole / 'abcdefghijk-1-rgb_front.mp4'),
                np.zeros((50, 16, 16, 3), np.uint8), fps=25)        # 2.0 s long
    clips = src / 'sentence_level' / 'test' / 'rgb_front' / 'raw_videos'
    clips.mkdir(parents=True)
    (clips / 'abcdefghijk_0-1-rgb_front.mp4').write_bytes(b'')      # a sentence clip exists
    summary = convert_dataset('how2sign', str(src), str(tmp_path / 'out'))
    first, second = manifests(summary)['test']
    assert first['video'] == ('sentence_level/test/rgb_front/raw_videos/'
                              'abcdefghijk_0-1-rgb_front.mp4')
    assert 'start' not in first
    assert second['video'] == 'video_level/test/rgb_front/raw_videos/abcdefghijk-1-rgb_front.mp4'
    assert (second['start'], second['end'], second['time_unit']) == (1.5, 2.0, 's')
    assert 'test: 1 rows end after their video (end clipped to its duration), 1 start after ' \
           'it (skipped), 1 end before they start (skipped)' in summary.notes
    assert summary.counts == {'train': 0, 'dev': 1, 'test': 2}   # val -> dev
    assert '1 rows have neither a sentence clip nor a whole video' in '\n'.join(summary.notes)


def wlasl_json(path):
    entries = [{'gloss': gloss, 'instances': [
        {'video_id': f'{n}{i}', 'split': split, 'signer_id': i, 'frame_start': 1,
         'frame_end': -1, 'fps': 25} for i, split in enumerate(('train', 'val', 'test'))]}
        for n, gloss in ((1, 'book'), (2, 'drink'), (3, 'computer'))]
    write(path, json.dumps(entries))


def test_wlasl_subsets_and_ids_missing_from_the_subset_file(tmp_path):
    kit = tmp_path / 'start_kit'
    wlasl_json(kit / 'WLASL_v0.3.json')
    write(kit / 'nslt_100.json', json.dumps({v: {'subset': 'train', 'action': [0, 1, 2]}
                                             for v in ('10', '11', '12', '20', '21', '99999')}))
    (kit / 'videos').mkdir()
    for video_id in ('10', '11', '12', '20', '21', '22', '30', '31'):
        (kit / 'videos' / f'{video_id}.mp4').write_bytes(b'')
    summary = convert_dataset('wlasl', str(tmp_path), str(tmp_path / 'out'), subset='100')
    assert summary.counts == {'train': 3, 'dev': 3, 'test': 3}
    record = manifests(summary)['dev'][0]
    assert record == {'id': '11', 'dataset': 'wlasl100', 'split': 'dev',
                      'video': 'videos/11.mp4', 'language': 'en', 'label': 'book', 'signer': 1}
    notes = '\n'.join(summary.notes)
    assert '1 ids not in WLASL_v0.3.json (not converted: 99999)' in notes
    assert "4 of the subset's instances missing from it" in notes
    assert '1 clips have no file in' in notes
    with pytest.raises(ConversionError, match=r'subset must be one of \(100, 300, 1000, 2000\)'):
        convert_dataset('wlasl', str(tmp_path), str(tmp_path / 'out'), subset='50')


def test_wlasl_subset_keeps_exactly_the_first_n_glosses(tmp_path, monkeypatch):
    from unisign_fla.converters import wlasl
    monkeypatch.setattr(wlasl, 'SUBSETS', (2, 2000))
    wlasl_json(tmp_path / 'WLASL_v0.3.json')
    summary = convert_dataset('wlasl', str(tmp_path), str(tmp_path / 'out'), subset='2')
    labels = {r['label'] for records in manifests(summary).values() for r in records}
    assert labels == {'book', 'drink'} and summary.counts['train'] == 2


def test_unisign_wlasl_label_sets_are_told_apart(tmp_path):
    import gzip
    for prefix, word in (('labels-100', 'book'), ('labels-2000', 'drink')):
        for split in ('train', 'dev', 'test'):
            (tmp_path / f'{prefix}.{split}').write_bytes(gzip.compress(pickle.dumps(
                {'00001': {'name': '00001', 'gloss': '', 'text': word,
                           'video_path': '00001.mp4'}})))
    with pytest.raises(ConversionError, match=r"several label file sets \['labels-100', "
                                              r"'labels-2000'\]; give --src one file"):
        convert_dataset('wlasl', str(tmp_path), str(tmp_path / 'out'))
    summary = convert_dataset('wlasl', str(tmp_path / 'labels-100.dev'), str(tmp_path / 'out'))
    record = manifests(summary)['test'][0]
    assert record['dataset'] == 'wlasl100' and record['label'] == 'book'


def test_msasl_subset_by_label(tmp_path):
    classes = [f'sign{i}' for i in range(1000)]
    write(tmp_path / 'MSASL_classes.json', json.dumps(classes))
    for n, name in enumerate(('MSASL_train.json', 'MSASL_val.json', 'MSASL_test.json')):
        clips = [{'url': 'https://www.youtube.com/watch?v=AbCdEfGhIjK', 'start_time': 1.0 + n,
                  'end_time': 2.5 + n, 'label': 7, 'signer_id': 3, 'clean_text': 'sign7'},
                 {'url': 'youtu.be/ZyXwVuTsRqP', 'start_time': 0, 'end_time': 1, 'label': 150},
                 {'url': 'youtu.be/ZyXwVuTsRqP', 'start_time': 1, 'end_time': 2, 'label': 100},
                 {'url': 'youtu.be/ZyXwVuTsRqP', 'start_time': 2, 'end_time': 3, 'label': 99}]
        write(tmp_path / name, json.dumps(clips))
    summary = convert_dataset('msasl', str(tmp_path), str(tmp_path / 'out'), subset='100')
    assert summary.counts == {'train': 2, 'dev': 2, 'test': 2}          # labels 7 and 99
    assert manifests(summary)['dev'][0] == {
        'id': 'AbCdEfGhIjK-2_000-3_500', 'dataset': 'msasl100', 'split': 'dev',
        'video': 'videos/AbCdEfGhIjK.mp4', 'start': 2.0, 'end': 3.5, 'time_unit': 's',
        'language': 'en', 'label': 'sign7', 'signer': 3,
        'original_id': 'AbCdEfGhIjK-2.000-3.500'}
    summary = convert_dataset('msasl', str(tmp_path), str(tmp_path / 'all'))
    assert summary.counts['test'] == 4
    assert manifests(summary)['test'][1]['video'] == 'videos/ZyXwVuTsRqP.mp4'


def test_openasl_tsv_ids_with_colons(tmp_path):
    vid = 'Mci9oyb5V2E-00:00:05.333-00:00:11.166'
    write(tmp_path / 'data' / 'openasl-v1.0.tsv',
          'vid\tyid\tstart\tend\traw-text\ttokenized-text\tgloss\tsplit\n'
          f'{vid}\tMci9oyb5V2E\t00:00:05.333\t00:00:11.166\tI am Ed.\ti am ed .\t\tvalid\n'
          f'x{vid[1:]}\txci9oyb5V2E\t00:00:05.333\t00:00:11.166\tHello.\thello .\tHELLO\ttrain\n')
    summary = convert_dataset('openasl', str(tmp_path), str(tmp_path / 'out'))
    dev, train = manifests(summary)['dev'][0], manifests(summary)['train'][0]
    assert dev['id'] == 'Mci9oyb5V2E-00_00_05_333-00_00_11_166' and dev['original_id'] == vid
    assert dev['video'] == f'{vid}.mp4' and 'gloss' not in dev and train['gloss'] == ['HELLO']


@pytest.mark.parametrize('kind', ['json', 'csv'])
def test_csl_news_deterministic_holdout(tmp_path, kind):
    rows = [{'video': f'News_2020_{i}.mp4', 'pose': f'News_2020_{i}.pkl', 'text': f'新闻{i}。'}
            for i in range(300)]
    path = tmp_path / 'data' / 'train' / f'CSL_News_Labels.{kind}'
    if kind == 'json':
        write(path, json.dumps(rows, ensure_ascii=False))
    else:
        write(path, 'video,pose,text\n' + ''.join(f'{r["video"]},{r["pose"]},{r["text"]}\n'
                                                   for r in rows))
    summary = convert_dataset('csl_news', str(tmp_path), str(tmp_path / 'out'))
    assert summary.counts == {'train': 297, 'dev': 1, 'test': 2}
    split = manifests(summary)
    assert split['dev'][0]['id'] == 'News_2020_297' and split['test'][-1]['id'] == 'News_2020_299'
    again = convert_dataset('csl_news', str(path), str(tmp_path / 'again'), holdout='0.1')
    assert again.counts == {'train': 270, 'dev': 15, 'test': 15}


def test_unknown_layout_lists_what_was_expected(tmp_path):
    (tmp_path / 'something.txt').write_text('hello')
    with pytest.raises(ConversionError) as error:
        convert_dataset('csl_daily', str(tmp_path), str(tmp_path / 'out'))
    assert 'sentence_label/csl2020ct_v2.pkl' in str(error.value)
    assert "Uni-Sign's label files" in str(error.value)
    with pytest.raises(ConversionError, match="unknown option\\(s\\) \\['subset'\\]"):
        convert_dataset('csl_daily', str(tmp_path), str(tmp_path / 'out'), subset='100')
    assert not os.path.exists(tmp_path / 'out')


def test_synthsign_manifests_pass_through(tmp_path):
    from unisign_fla.formats.manifest import write_manifest
    records = {split: [{'id': f'synthsign-{split}-{i}', 'dataset': 'synthsign', 'split': split,
                        'video': f'videos/{split}{i}.mp4', 'language': 'en', 'text': 'hi',
                        'gloss': ['HI']} for i in range(2)] for split in ('train', 'dev', 'test')}
    for split, rows in records.items():
        write_manifest(rows, str(tmp_path / 'manifests' / f'{split}.jsonl'))
    summary = convert_dataset('synthsign', str(tmp_path), str(tmp_path / 'out'))
    assert manifests(summary) == records


def test_keypoint_links_prefer_the_clip_split_folder(tmp_path):
    from unisign_fla.converters.pose_links import link_keypoints
    for split in ('dev', 'test'):
        (tmp_path / 'poses' / split).mkdir(parents=True)
        (tmp_path / 'poses' / split / 'same_name.pose').write_bytes(b'')
    (tmp_path / 'poses' / 'other.pkl').write_bytes(b'')
    splits = {'test': [{'id': 'same_name', 'video': 'frames/test/same_name'},
                       {'id': 'x', 'video': 'videos/other.mp4'},
                       {'id': 'y', 'video': 'videos/none.mp4'}]}
    assert link_keypoints(splits, str(tmp_path / 'poses')) == ['y']
    assert splits['test'][0]['keypoints'] == str(tmp_path / 'poses' / 'test' / 'same_name.pose')
    assert splits['test'][1]['keypoints'] == str(tmp_path / 'poses' / 'other.pkl')


def test_converter_output_names_are_checked_before_anything_is_written(tmp_path, monkeypatch):
    from unisign_fla.converters.base import Conversion
    from unisign_fla.converters.clip_ids import assign_safe_ids
    from unisign_fla.converters.synthsign import SynthSignConverter
    from unisign_fla.formats.manifest import ManifestError
    splits = {'train': [{'id': 'clip\n'}]}       # passed a '$'-anchored check before
    assert assign_safe_ids(splits) == 1
    assert splits['train'][0] == {'id': 'clip', 'original_id': 'clip\n'}
    record = {'id': 'a', 'dataset': 'synthsign', 'split': 'train', 'video': 'a.mp4',
              'language': 'en', 'text': 'hi'}
    for split, fields, error, message in (
            ('../../evil', {}, ConversionError, "synthsign: split = '../../evil' must match"),
            ('train', {'dataset': '../x'}, ManifestError,
             "synthsign train clip 'a': field 'dataset' = '../x' must match")):
        conversion = Conversion()
        conversion.splits[split] = [dict(record, **fields)]
        monkeypatch.setattr(SynthSignConverter, 'convert', lambda self, src, c=conversion: c)
        with pytest.raises(error, match=re.escape(message)):
            convert_dataset('synthsign', str(tmp_path), str(tmp_path / 'out' / 'manifests'))
        assert not os.path.exists(tmp_path / 'out') and os.listdir(tmp_path) == []
