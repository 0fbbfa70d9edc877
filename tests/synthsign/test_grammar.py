import numpy as np
import pytest

from unisign_fla.synthsign.grammar import MAX_SIGNS, MIN_SIGNS, Grammar, _NounPhrase
from unisign_fla.synthsign.morphology import past, plural, present_participle, third_person
from unisign_fla.synthsign.vocabulary import build_vocabulary


@pytest.fixture(scope='module')
def grammar():
    return Grammar(build_vocabulary())


def _np(grammar, *glosses):
    s = [grammar.signs[g] for g in glosses]
    adjective = next((x for x in s[1:] if x.category == 'adjective'), None)
    number = next((x for x in s[1:] if x.category == 'number'), None)
    return _NounPhrase(list(glosses), s[0], adjective, number)


@pytest.mark.parametrize('kind, time, subj, obj, verb, gloss, text', [
    ('statement', 'YESTERDAY', ('MAN',), ('BOOK',), 'BUY',
     'YESTERDAY MAN BOOK BUY', 'Yesterday the man bought a book.'),
    ('negation', None, ('WOMAN',), ('APPLE', 'RED', 'THREE'), 'EAT',
     'WOMAN APPLE RED THREE EAT NOT', 'The woman does not eat three red apples.'),
    ('yesno', 'NEXT-WEEK', ('HE',), ('CAR',), 'SELL',
     'NEXT-WEEK HE CAR SELL QUESTION', 'Will he sell a car next week?'),
    ('what', 'NOW', ('CHILD', 'OLD'), None, 'DRAW',
     'NOW CHILD OLD DRAW WHAT', 'What is the old child drawing now?'),
    ('who', 'LAST-WEEK', None, ('SHE',), 'HELP', 'LAST-WEEK SHE HELP WHO',
     'Who helped her last week?'),
    ('statement', 'TOMORROW', ('CHILD', 'TWO'), ('EGG', 'OLD'), 'COOK',
     'TOMORROW CHILD TWO EGG OLD COOK', 'Tomorrow two children will cook an old egg.'),
    ('negation', 'YESTERDAY', ('I',), ('HE',), 'SEE', 'YESTERDAY I HE SEE NOT',
     'Yesterday I did not see him.'),
    ('statement', 'NOW', ('HE',), ('CAKE',), 'WANT', 'NOW HE CAKE WANT', 'Now he wants a cake.'),
    ('negation', 'NOW', ('WE',), ('BUS', 'FIVE'), 'WASH', 'NOW WE BUS FIVE WASH NOT',
     'Now we are not washing five buses.'),
])
def test_translation_reorders_and_inflects(grammar, kind, time, subj, obj, verb, gloss, text):
    sentence = grammar.translate(kind, grammar.signs[time] if time else None,
                                 _np(grammar, *subj) if subj else None,
                                 _np(grammar, *obj) if obj else None, grammar.signs[verb])
    assert ' '.join(sentence.gloss) == gloss
    assert sentence.text == text


def test_sampled_sentences_lengths_and_reordering(grammar):
    rng = np.random.default_rng(0)
    sentences = [grammar.sample(rng) for _ in range(500)]
    lengths = [len(s.gloss) for s in sentences]
    assert min(lengths) >= MIN_SIGNS and max(lengths) <= MAX_SIGNS
    assert len(set(lengths)) >= 4
    # Verb-final sign order vs SVO English: the verb sign comes after the object sign, but the
    # English verb precedes the object in most transitive sentences.
    reordered = 0
    for s in sentences:
        words = s.text.rstrip('.?').lower().split()
        glosses = [grammar.signs[g] for g in s.gloss]
        positions = []
        for g in glosses:
            if g.category in ('noun', 'person', 'verb'):
                forms = {g.word, plural(g.word, g.forms), past(g.word, g.forms),
                         third_person(g.word), present_participle(g.word)}
                positions += [i for i, w in enumerate(words) if w in forms][:1]
        reordered += positions != sorted(positions)
    assert reordered / len(sentences) > 0.5
    assert sum(s.text != ' '.join(s.gloss).lower() for s in sentences) == len(sentences)
    assert {s.kind for s in sentences} == {'statement', 'negation', 'yesno', 'what', 'who'}
    assert {s.tense for s in sentences} == {'past', 'future', 'progressive', 'present'}


def test_sampling_is_deterministic(grammar):
    a = [grammar.sample(np.random.default_rng(3)) for _ in range(5)]
    b = [grammar.sample(np.random.default_rng(3)) for _ in range(5)]
    assert a == b
