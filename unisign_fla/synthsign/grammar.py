"""SynthSign grammar: sentences in sign order (TIME SUBJECT OBJECT VERB [NOT] [QUESTION]) and
their English translations (SVO, tense from the time sign, agreement, articles, plurals after
numbers, do-support for negation and questions).

Sign order (glosses)                      English
YESTERDAY MAN BOOK BUY                 -> Yesterday the man bought a book.
WOMAN APPLE RED THREE EAT NOT          -> The woman does not eat three red apples.
NEXT-WEEK HE CAR SELL QUESTION         -> Will he sell a car next week?
NOW CHILD OLD DRAW WHAT                -> What is the old child drawing now?
BOOK BUY WHO                           -> Who buys a book?
"""
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from unisign_fla.synthsign.morphology import (
    be_present,
    indefinite_article,
    past,
    plural,
    present_participle,
    third_person,
)
from unisign_fla.synthsign.vocabulary import Sign, vocabulary_index

MIN_SIGNS, MAX_SIGNS = 3, 7
# Stative verbs take no progressive: NOW HE CAKE WANT -> Now he wants a cake.
STATIVE = ('LIKE', 'HATE', 'WANT', 'HAVE')
SENTENCE_TYPES = ('statement', 'negation', 'yesno', 'what', 'who')
_TYPE_PROBS = (0.55, 0.17, 0.12, 0.09, 0.07)


@dataclass(frozen=True)
class Sentence:
    """A sentence: its glosses in sign order and its English translation."""
    gloss: tuple[str, ...]
    text: str
    kind: str
    tense: str


@dataclass
class _NounPhrase:
    glosses: list[str]          # sign order: NOUN [ADJ] [NUMBER] or a pronoun
    head: Sign
    adjective: Sign | None = None
    number: Sign | None = None

    @property
    def plural(self) -> bool:
        return self.number is not None or self.head.word in ('we', 'they')

    def english(self, definite: bool, case: str = 'subject') -> str:
        if self.head.category == 'pronoun':
            word = self.head.forms['object'] if case == 'object' else self.head.word
            return 'I' if word == 'i' else word
        noun = plural(self.head.word, self.head.forms) if self.number else self.head.word
        words = [self.adjective.word, noun] if self.adjective else [noun]
        if self.number:
            return ' '.join([self.number.word] + words)
        return ' '.join([('the' if definite else indefinite_article(words[0]))] + words)


class Grammar:
    """Samples sentences from the lexicon; ``translate`` is deterministic given the structure."""

    def __init__(self, signs: Sequence[Sign]):
        self.signs = vocabulary_index(signs)
        by_cat: dict[str, list[Sign]] = {}
        for s in signs:
            by_cat.setdefault(s.category, []).append(s)
        self.by_category = by_cat
        self.nouns_by_kind: dict[str, list[Sign]] = {}
        for s in by_cat['noun'] + by_cat['person']:
            self.nouns_by_kind.setdefault(s.kind, []).append(s)

    # -- sampling ------------------------------------------------------------------------------
    def _pick(self, rng: np.random.Generator, items: Sequence[Sign]) -> Sign:
        return items[int(rng.integers(len(items)))]

    def _noun_phrase(self, rng, kinds: Sequence[str], pronoun_prob: float, adj_prob: float,
                     num_prob: float, exclude: Sign | None = None) -> _NounPhrase:
        if 'person' in kinds and rng.random() < pronoun_prob:
            choices = [p for p in self.by_category['pronoun'] if p is not exclude]
            head = self._pick(rng, choices)
            return _NounPhrase([head.gloss], head)
        kind = kinds[int(rng.integers(len(kinds)))]
        head = self._pick(rng, [n for n in self.nouns_by_kind[kind] if n is not exclude])
        adjectives = [a for a in self.by_category['adjective'] if kind in a.takes]
        adjective = self._pick(rng, adjectives) if rng.random() < adj_prob else None
        number = self._pick(rng, self.by_category['number']) if rng.random() < num_prob else None
        glosses = [head.gloss] + ([adjective.gloss] if adjective else []) \
            + ([number.gloss] if number else [])
        return _NounPhrase(glosses, head, adjective, number)

    def sample(self, rng: np.random.Generator) -> Sentence:
        """Draw structures until one has MIN_SIGNS..MAX_SIGNS signs."""
        while True:
            kind = SENTENCE_TYPES[int(rng.choice(len(SENTENCE_TYPES), p=_TYPE_PROBS))]
            time = self._pick(rng, self.by_category['time']) if rng.random() < 0.6 else None
            transitive = kind in ('what', 'who') or rng.random() < 0.85
            verbs = self.by_category['verb' if transitive else 'intransitive']
            if kind == 'what':    # 'what' asks for a thing: verbs that take only people ask 'who'
                verbs = [v for v in verbs if set(v.takes) - {'person'}]
            verb = self._pick(rng, verbs)
            subject = None if kind == 'who' else self._noun_phrase(
                rng, ('person',), pronoun_prob=0.35, adj_prob=0.2, num_prob=0.12)
            obj = None
            if transitive and kind != 'what':
                obj = self._noun_phrase(rng, verb.takes, pronoun_prob=0.3, adj_prob=0.35,
                                        num_prob=0.3, exclude=subject.head if subject else None)
            sentence = self.translate(kind, time, subject, obj, verb)
            if MIN_SIGNS <= len(sentence.gloss) <= MAX_SIGNS:
                return sentence

    # -- translation ---------------------------------------------------------------------------
    def translate(self, kind: str, time: Sign | None, subject: _NounPhrase | None,
                  obj: _NounPhrase | None, verb: Sign) -> Sentence:
        glosses = ([time.gloss] if time else []) + (subject.glosses if subject else []) \
            + (obj.glosses if obj else []) + [verb.gloss]
        glosses += {'negation': ['NOT'], 'yesno': ['QUESTION'], 'what': ['WHAT'],
                    'who': ['WHO']}.get(kind, [])
        tense = time.forms['tense'] if time else 'present'
        if tense == 'progressive' and verb.gloss in STATIVE:
            tense = 'present'
        subj_en = subject.english(definite=True) if subject else 'who'
        obj_en = obj.english(definite=False, case='object') if obj else ''
        third = subject is None or (not subject.plural and subj_en not in ('I', 'you'))
        is_plural = subject is not None and subject.plural
        base = verb.word

        if kind in ('yesno', 'what'):
            aux, main = {'past': ('did', base), 'future': ('will', base),
                         'progressive': (be_present(subj_en, is_plural), present_participle(base)),
                         'present': ('does' if third else 'do', base)}[tense]
            words = (['what'] if kind == 'what' else []) + [aux, subj_en, main, obj_en]
        else:
            if kind == 'negation':
                verb_en = {'past': f'did not {base}', 'future': f'will not {base}',
                           'progressive': f'{be_present(subj_en, is_plural)} not '
                                          f'{present_participle(base)}',
                           'present': f'{"does" if third else "do"} not {base}'}[tense]
            else:
                verb_en = {'past': past(base, verb.forms), 'future': f'will {base}',
                           'progressive': f'{be_present(subj_en, is_plural)} '
                                          f'{present_participle(base)}',
                           'present': third_person(base) if third else base}[tense]
            words = [subj_en, verb_en, obj_en]
        words = [w for w in words if w]
        if time:
            # Questions and multi-word time expressions put the time last; single words lead.
            at_end = kind in ('yesno', 'what', 'who') or ' ' in time.word
            words = words + [time.word] if at_end else [time.word] + words
        text = ' '.join(words)
        text = text[0].upper() + text[1:] + ('?' if kind in ('yesno', 'what', 'who') else '.')
        return Sentence(tuple(glosses), text, kind, tense)
