import json

import pytest
from transformers import AutoTokenizer

from unisign_fla.lm import guess_language, load_tokenizer, train_tokenizer

ENGLISH = ["Hello, world. How are you?", "I'm fine: thanks (really)!",
           "It's 3.5 km away -- isn't it?", 'He said "no" and left.', "We met on Monday, at 10:30."]
CHINESE = ['我今天很高兴。', '你叫什么名字？', '他们明天去北京，好吗？', '这本书是我的。']


def round_trip(tokenizer, text):
    return tokenizer.decode(tokenizer(text, add_special_tokens=False)['input_ids'],
                            skip_special_tokens=True)


def test_english_round_trip_keeps_spacing_around_punctuation(tmp_path):
    train_tokenizer(ENGLISH * 5, tmp_path / 'tok', vocab_size=400)
    tokenizer = AutoTokenizer.from_pretrained(str(tmp_path / 'tok'))
    for text in ENGLISH + ['Hello ,world', 'double  space', 'Unseen: Ünïcode 😀 ok.']:
        assert round_trip(tokenizer, text) == text
    # Frequent words are merged into single tokens rather than left as characters.
    assert len(tokenizer('Hello, world.', add_special_tokens=False)['input_ids']) <= 4


def test_chinese_is_character_level_and_round_trips(tmp_path):
    tokenizer = train_tokenizer(CHINESE * 5, tmp_path / 'zh', vocab_size=400, language='zh')
    reloaded = load_tokenizer(tmp_path / 'zh')
    for text in CHINESE + ['我 爱 iPhone 手机', '没见过的字：龘']:
        assert round_trip(reloaded, text) == text
    tokens = tokenizer.convert_ids_to_tokens(tokenizer('我今天很高兴。', add_special_tokens=False)
                                             ['input_ids'])
    assert tokens == list('我今天很高兴。')


def test_special_tokens_and_vocab_size(tmp_path):
    tokenizer = train_tokenizer(ENGLISH * 20, tmp_path / 'tok', vocab_size=300)
    reloaded = AutoTokenizer.from_pretrained(str(tmp_path / 'tok'))
    assert [reloaded.pad_token, reloaded.unk_token, reloaded.bos_token, reloaded.eos_token,
            reloaded.mask_token] == ['<pad>', '<unk>', '<s>', '</s>', '<mask>']
    assert reloaded.pad_token_id == 0 and len(reloaded) == len(tokenizer) <= 300
    ids = reloaded('Hello')['input_ids']
    assert reloaded.eos_token_id not in ids and reloaded.bos_token_id not in ids
    assert reloaded.decode(ids + [reloaded.eos_token_id], skip_special_tokens=True) == 'Hello'
    config = json.loads((tmp_path / 'tok' / 'tokenizer_config.json').read_text())
    assert config['clean_up_tokenization_spaces'] is False


def test_load_tokenizer_rejects_bad_directories(tmp_path):
    with pytest.raises(FileNotFoundError, match=r'tok: not a tokenizer directory \(expected '
                                                r'tokenizer.json or tokenizer_config.json\)'):
        load_tokenizer(tmp_path / 'tok')
    (tmp_path / 'empty').mkdir()
    with pytest.raises(FileNotFoundError, match='empty: not a tokenizer directory'):
        load_tokenizer(tmp_path / 'empty')


def test_train_tokenizer_needs_text():
    with pytest.raises(ValueError, match='no non-empty training text'):
        train_tokenizer(['', '  '])


def test_guess_language():
    assert guess_language(CHINESE) == 'zh'
    assert guess_language(ENGLISH) == 'en'
    assert guess_language(['']) == 'en'


def test_sentencepiece_only_folders_load_with_the_readme_install(tmp_path):
    """mT5's layout (spiece.model, no tokenizer.json) and mBART's (sentencepiece.bpe.model) load
    in the environment README installs (protobuf 7: protobuf 4 failed with a tiktoken error)."""
    from tests.models.heads.lm_families import save_family
    for family, tokenizer_class in (('mt5', 'T5Tokenizer'), ('mbart', 'MBartTokenizer')):
        folder = save_family(family, tmp_path / family)
        tokenizer = load_tokenizer(folder)
        assert type(tokenizer).__name__ == tokenizer_class
        assert round_trip(tokenizer, 'we like green tea.') == 'we like green tea.'


def test_uni_sign_reference_mt5_tokenizer_gives_uni_signs_prompt_ids():
    """The mT5 folder the Uni-Sign reference checkpoint was built with tokenises the prompt into
    the ids Uni-Sign's own code produced (golden.json)."""
    from tests.conftest import shared_data_dir
    reference = f'{shared_data_dir()}/unisign_reference'
    golden = json.load(open(f'{reference}/cases/zh_single/golden.json', encoding='utf-8'))
    tokenizer = load_tokenizer(f'{reference}/mt5-tiny')
    assert tokenizer(golden['prompt'])['input_ids'] == golden['prompt_ids']


def test_mt5_base_layout_tokenises_as_sentencepiece_does():
    """mT5-base's folder holds spiece.model and no tokenizer.json. Uni-Sign reads it with the slow
    T5Tokenizer(legacy=False), whose ids for plain text are sentencepiece's own plus EOS; the
    tokenizer load_tokenizer builds from the same folder must give exactly those."""
    import sentencepiece

    from tests.conftest import shared_data_dir
    folder = f'{shared_data_dir()}/unisign_reference/mt5-tiny'
    processor = sentencepiece.SentencePieceProcessor(model_file=f'{folder}/spiece.model')
    tokenizer = load_tokenizer(folder)
    texts = ENGLISH + CHINESE + ['今天 天气  很好。 Hello, world 123',
                                 '２０２６年，ＣＳＬ－Ｄａｉｌｙ！',
                                 'Translate sign language video to Chinese: ']
    for text in texts:
        assert tokenizer(text)['input_ids'] == processor.encode(text) + [tokenizer.eos_token_id]


def test_sentencepiece_folder_without_its_protobuf_names_the_fix(tmp_path, monkeypatch):
    import sys

    from tests.models.heads.lm_families import save_family
    folder = save_family('mt5', tmp_path / 'mt5')
    monkeypatch.setitem(sys.modules, 'sentencepiece.sentencepiece_model_pb2', None)
    with pytest.raises(ImportError, match=r'mt5: a sentencepiece tokenizer folder needs .*'
                                          r'constraints.txt'):
        load_tokenizer(folder)
