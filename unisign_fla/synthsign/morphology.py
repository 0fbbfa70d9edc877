"""English inflection for SynthSign translations: plurals, verb tenses, agreement and articles.

Signs carry no inflection (as in many sign languages); the English side must add it, which is
what makes SynthSign translation more than a word-for-word lookup.
"""
import re

_CVC = re.compile(r'[^aeiou][aeiou][^aeiouwxy]$')
_SIBILANT = ('s', 'sh', 'ch', 'x', 'z')


def _one_syllable(word: str) -> bool:
    return len(re.findall(r'[aeiouy]+', word)) == 1


def _doubles_final_consonant(word: str) -> bool:
    """run -> running, swim -> swimming; open -> opening (two syllables), cook -> cooking."""
    return bool(_CVC.search(word)) and _one_syllable(word)


def plural(noun: str, forms: dict[str, str]) -> str:
    if 'plural' in forms:
        return forms['plural']
    if noun.endswith(_SIBILANT) or re.search(r'[^aeiou]o$', noun):
        return noun + 'es'
    if re.search(r'[^aeiou]y$', noun):
        return noun[:-1] + 'ies'
    return noun + 's'


def third_person(verb: str) -> str:
    if verb == 'have':
        return 'has'
    if verb.endswith(_SIBILANT) or verb.endswith('o'):
        return verb + 'es'
    if re.search(r'[^aeiou]y$', verb):
        return verb[:-1] + 'ies'
    return verb + 's'


def past(verb: str, forms: dict[str, str]) -> str:
    if forms.get('past'):
        return forms['past']
    if verb.endswith('e'):
        return verb + 'd'
    if re.search(r'[^aeiou]y$', verb):
        return verb[:-1] + 'ied'
    if _doubles_final_consonant(verb):
        return verb + verb[-1] + 'ed'
    return verb + 'ed'


def present_participle(verb: str) -> str:
    if verb.endswith('e') and not verb.endswith(('ee', 'ye')):
        return verb[:-1] + 'ing'
    if _doubles_final_consonant(verb):
        return verb + verb[-1] + 'ing'
    return verb + 'ing'


def indefinite_article(next_word: str) -> str:
    return 'an' if next_word[:1] in 'aeiou' else 'a'


def be_present(subject: str, plural_subject: bool) -> str:
    """Form of 'to be' agreeing with the subject (I am, he is, they are)."""
    if subject == 'I':
        return 'am'
    return 'are' if plural_subject or subject in ('you', 'we', 'they') else 'is'
