"""The SynthSign lexicon: English words, their grammatical roles, and the phonological parameters
(hand shape, location, movement, hands, orientation, face) of the sign for each word.

The lexicon is the same for every data set seed: a language does not change with the sampling of
its sentences. Parameters are drawn from a fixed seed so that every two signs differ in at least
``MIN_MANUAL_DISTANCE`` manual parameters, except the RGB minimal pairs, whose manual parameters
are identical and which differ only in which side of the hand faces the camera.
"""
import itertools
from dataclasses import asdict, dataclass, field

import numpy as np

LEXICON_SEED = 20240611

HANDSHAPES = ('B', '5', 'A', 'S', '1', 'V', 'W', 'Y', 'L', 'C', 'O', 'claw', 'bent', 'horns')
LOCATIONS = ('forehead', 'eyes', 'nose', 'chin', 'cheek', 'shoulder', 'chest', 'stomach',
             'neutral', 'side')
MOVEMENTS = ('tap', 'circle', 'up', 'down', 'across', 'out', 'zigzag', 'arc', 'twist')
HAND_ARRANGEMENTS = ('one', 'symmetric', 'base')
ORIENTATIONS = (0, 45, 90)          # in-plane angle of the fingers, degrees towards the midline
FACES = ('none', 'mouth_open', 'mouth_round', 'mouth_stretch', 'brows_up', 'brows_down')
FACINGS = ('palm', 'back')          # which side of the dominant hand faces the camera (RGB only)

# Parameters that 2-D keypoints see; their Hamming distance defines how distinct two signs are.
MANUAL_PARAMETERS = ('handshape', 'location', 'movement', 'hands', 'orientation')
MIN_MANUAL_DISTANCE = 2
FACE_SIGN_FRACTION = 0.3

# (gloss, english citation word, category, semantic kind, irregular forms)
# kinds: person / animal / food / object / text (readable); verbs list the object kinds they take.
_PRONOUNS = [('I', 'i', 'me'), ('YOU', 'you', 'you'), ('HE', 'he', 'him'), ('SHE', 'she', 'her'),
             ('WE', 'we', 'us'), ('THEY', 'they', 'them')]
_PERSONS = ['MAN', 'WOMAN', 'CHILD', 'TEACHER', 'STUDENT', 'DOCTOR', 'FRIEND', 'FATHER', 'MOTHER',
            'BROTHER', 'SISTER', 'FARMER', 'BABY', 'BOY', 'GIRL']
_NOUNS = {'animal': ['DOG', 'CAT', 'HORSE', 'BIRD', 'FISH', 'MOUSE'],
          'food': ['APPLE', 'ORANGE', 'EGG', 'BREAD', 'CAKE', 'TOMATO', 'POTATO'],
          'text': ['BOOK', 'LETTER', 'TICKET', 'NEWSPAPER'],
          'object': ['CAR', 'BIKE', 'HOUSE', 'BALL', 'CHAIR', 'TABLE', 'PHONE', 'COMPUTER', 'SHOE',
                     'HAT', 'BOX', 'FLOWER', 'CUP', 'KEY', 'BAG', 'COAT', 'PEN', 'WATCH', 'BUS',
                     'KNIFE', 'DRESS']}
_IRREGULAR_PLURALS = {'man': 'men', 'woman': 'women', 'child': 'children', 'fish': 'fish',
                      'mouse': 'mice', 'knife': 'knives'}
_ANY = ('person', 'animal', 'food', 'object', 'text')
_THINGS = ('food', 'object', 'text')
# verb: (object kinds, irregular past or None)
_VERBS = {'BUY': (_THINGS, 'bought'), 'SELL': (_THINGS, 'sold'), 'SEE': (_ANY, 'saw'),
          'WANT': (_ANY[1:], None), 'LIKE': (_ANY, None), 'HATE': (_ANY, None),
          'HAVE': (_ANY[1:], 'had'), 'MAKE': (('food', 'object'), 'made'),
          'FIND': (_ANY, 'found'), 'LOSE': (('animal', 'object', 'text'), 'lost'),
          'TAKE': (_THINGS, 'took'), 'READ': (('text',), 'read'), 'EAT': (('food',), 'ate'),
          'WASH': (('animal', 'object'), None), 'CARRY': (('animal',) + _THINGS, None),
          'OPEN': (('object', 'text'), None), 'DRAW': (('person', 'animal', 'object'), 'drew'),
          'CATCH': (('animal', 'object'), 'caught'), 'FIX': (('object',), None),
          'BRING': (_THINGS, 'brought'), 'WRITE': (('text',), 'wrote'),
          'MEET': (('person',), 'met'), 'HELP': (('person',), None),
          'VISIT': (('person',), None), 'COOK': (('food',), None)}
_INTRANSITIVE = {'SLEEP': 'slept', 'RUN': 'ran', 'WORK': None, 'SWIM': 'swam', 'DANCE': None}
# adjective: kinds of nouns it can describe
_ADJECTIVES = {'BIG': _ANY[1:], 'SMALL': _ANY[1:], 'RED': ('food', 'object'),
               'BLUE': ('object', 'text'), 'GREEN': ('food', 'object'), 'OLD': _ANY,
               'NEW': ('object', 'text'), 'GOOD': _ANY, 'BAD': _ANY, 'HAPPY': ('person', 'animal'),
               'YOUNG': ('person', 'animal'), 'TALL': ('person',), 'CHEAP': ('object', 'text'),
               'EXPENSIVE': ('object', 'text')}
_NUMBERS = {'TWO': 2, 'THREE': 3, 'FOUR': 4, 'FIVE': 5, 'MANY': None, 'SOME': None}
# time sign: (english, tense); multi-word expressions go to the end of the English sentence
_TIMES = {'YESTERDAY': ('yesterday', 'past'), 'TOMORROW': ('tomorrow', 'future'),
          'NOW': ('now', 'progressive'), 'LAST-WEEK': ('last week', 'past'),
          'NEXT-WEEK': ('next week', 'future')}
_FUNCTION = {'NOT': 'not', 'QUESTION': '?', 'WHAT': 'what', 'WHO': 'who'}

# Pairs with identical keypoints by construction; only the rendered hand (palm/back) tells them
# apart.
MINIMAL_PAIRS = (('BUY', 'SELL'), ('LIKE', 'HATE'), ('BIG', 'SMALL'), ('OLD', 'NEW'),
                 ('CAT', 'DOG'), ('BOOK', 'LETTER'), ('CAR', 'BIKE'), ('TEACHER', 'STUDENT'),
                 ('APPLE', 'ORANGE'), ('CHEAP', 'EXPENSIVE'))


@dataclass(frozen=True)
class SignParameters:
    """How a sign is articulated; ``facing`` is invisible to 2-D keypoints."""
    handshape: str
    location: str
    movement: str
    hands: str
    orientation: int
    face: str
    facing: str

    def manual(self) -> tuple:
        return tuple(getattr(self, name) for name in MANUAL_PARAMETERS)


@dataclass(frozen=True)
class Sign:
    """One lexicon entry: gloss, English word and grammar information, plus its articulation."""
    gloss: str
    word: str
    category: str                       # time/pronoun/person/noun/verb/intransitive/adjective/...
    params: SignParameters
    kind: str | None = None          # semantic kind of a noun
    takes: tuple[str, ...] = ()         # object kinds (verbs) or noun kinds (adjectives)
    forms: dict[str, str] = field(default_factory=dict)  # irregular inflections, tense, number

    def to_json(self) -> dict:
        out = asdict(self)
        out['takes'] = list(self.takes)
        return out


def _lexical_entries() -> list[dict]:
    """Every word of the language with its grammar information, in a fixed order."""
    entries = []
    for gloss, (english, tense) in _TIMES.items():
        entries.append(dict(gloss=gloss, word=english, category='time', forms={'tense': tense}))
    for gloss, subject, obj in _PRONOUNS:
        entries.append(dict(gloss=gloss, word=subject, category='pronoun', kind='person',
                            forms={'object': obj}))
    for gloss in _PERSONS:
        entries.append(_noun(gloss, 'person'))
    for kind, glosses in _NOUNS.items():
        entries += [_noun(g, kind) for g in glosses]
    for gloss, (takes, past) in _VERBS.items():
        entries.append(dict(gloss=gloss, word=gloss.lower(), category='verb', takes=takes,
                            forms={'past': past} if past else {}))
    for gloss, past in _INTRANSITIVE.items():
        entries.append(dict(gloss=gloss, word=gloss.lower(), category='intransitive',
                            forms={'past': past} if past else {}))
    for gloss, takes in _ADJECTIVES.items():
        entries.append(dict(gloss=gloss, word=gloss.lower(), category='adjective', takes=takes))
    for gloss, value in _NUMBERS.items():
        entries.append(dict(gloss=gloss, word=gloss.lower(), category='number',
                            forms={'value': str(value)} if value else {}))
    for gloss, word in _FUNCTION.items():
        entries.append(dict(gloss=gloss, word=word if word != '?' else 'question',
                            category={'NOT': 'negation', 'QUESTION': 'question'}.get(gloss, 'wh')))
    return entries


def _noun(gloss: str, kind: str) -> dict:
    word = gloss.lower()
    forms = {'plural': _IRREGULAR_PLURALS[word]} if word in _IRREGULAR_PLURALS else {}
    return dict(gloss=gloss, word=word, category='person' if kind == 'person' else 'noun',
                kind=kind, forms=forms)


def manual_distance(a: SignParameters, b: SignParameters) -> int:
    """Number of manual (keypoint-visible) parameters in which two signs differ."""
    return sum(x != y for x, y in zip(a.manual(), b.manual()))


def _draw_parameters(count: int, rng: np.random.Generator) -> list[tuple]:
    """Greedy draw of ``count`` manual parameter tuples, pairwise at least MIN_MANUAL_DISTANCE
    apart. Two-handed and face-near signs are kept a minority, as in natural sign languages."""
    space = list(itertools.product(HANDSHAPES, LOCATIONS, MOVEMENTS, HAND_ARRANGEMENTS,
                                   ORIENTATIONS))
    weights = np.array([{'one': 3.0, 'symmetric': 1.0, 'base': 1.0}[c[3]]
                        * (0.35 if c[3] != 'one' and c[1] in ('forehead', 'eyes', 'nose') else 1.0)
                        for c in space])
    order = rng.choice(len(space), size=len(space), replace=False, p=weights / weights.sum())
    chosen: list[tuple] = []
    for idx in order:
        cand = space[idx]
        if all(sum(x != y for x, y in zip(cand, c)) >= MIN_MANUAL_DISTANCE for c in chosen):
            chosen.append(cand)
            if len(chosen) == count:
                return chosen
    raise RuntimeError(f'could not draw {count} distinct signs')  # the space holds >10000


def build_vocabulary(seed: int = LEXICON_SEED) -> list[Sign]:
    """The lexicon in a fixed order; the second sign of each minimal pair copies the first's
    manual parameters and face, and only flips ``facing``."""
    entries = _lexical_entries()
    pair_second = {b: a for a, b in MINIMAL_PAIRS}
    rng = np.random.default_rng(seed)
    drawn = iter(_draw_parameters(len(entries) - len(pair_second), rng))
    by_gloss: dict[str, SignParameters] = {}
    for entry in entries:
        if entry['gloss'] in pair_second:
            continue
        manual = next(drawn)
        face = FACES[0]
        if rng.random() < FACE_SIGN_FRACTION:
            face = FACES[1 + int(rng.integers(len(FACES) - 1))]
        facing = 'palm' if entry['gloss'] in dict(MINIMAL_PAIRS) else FACINGS[int(rng.integers(2))]
        by_gloss[entry['gloss']] = SignParameters(*manual, face=face, facing=facing)
    for second, first in pair_second.items():
        p = by_gloss[first]
        by_gloss[second] = SignParameters(p.handshape, p.location, p.movement, p.hands,
                                          p.orientation, p.face, facing='back')
    return [Sign(params=by_gloss[e['gloss']], **{**e, 'takes': tuple(e.get('takes', ()))})
            for e in entries]


def vocabulary_index(signs: list[Sign]) -> dict[str, Sign]:
    return {s.gloss: s for s in signs}
