import pytest

from unisign_fla.synthsign.morphology import (
    be_present,
    indefinite_article,
    past,
    plural,
    present_participle,
    third_person,
)


@pytest.mark.parametrize('noun, forms, expected', [
    ('book', {}, 'books'), ('box', {}, 'boxes'), ('watch', {}, 'watches'), ('bus', {}, 'buses'),
    ('baby', {}, 'babies'), ('potato', {}, 'potatoes'),
    ('child', {'plural': 'children'}, 'children')])
def test_plural(noun, forms, expected):
    assert plural(noun, forms) == expected


@pytest.mark.parametrize('verb, expected', [
    ('buy', 'buys'), ('wash', 'washes'), ('carry', 'carries'), ('have', 'has'), ('fix', 'fixes'),
    ('catch', 'catches')])
def test_third_person(verb, expected):
    assert third_person(verb) == expected


@pytest.mark.parametrize('verb, forms, expected', [
    ('like', {}, 'liked'), ('carry', {}, 'carried'), ('help', {}, 'helped'), ('open', {}, 'opened'),
    ('buy', {'past': 'bought'}, 'bought')])
def test_past(verb, forms, expected):
    assert past(verb, forms) == expected


@pytest.mark.parametrize('verb, expected', [
    ('run', 'running'), ('swim', 'swimming'), ('make', 'making'), ('see', 'seeing'),
    ('open', 'opening'), ('cook', 'cooking')])
def test_present_participle(verb, expected):
    assert present_participle(verb) == expected


def test_articles_and_be():
    assert indefinite_article('apple') == 'an' and indefinite_article('book') == 'a'
    assert be_present('I', False) == 'am' and be_present('he', False) == 'is'
    assert be_present('the men', True) == 'are' and be_present('you', False) == 'are'
