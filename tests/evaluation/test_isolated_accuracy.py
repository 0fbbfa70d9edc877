import pytest

from unisign_fla.evaluation.isolated_accuracy import isolated_accuracy, normalize_label


def test_instance_and_class_means_differ_on_imbalanced_classes():
    # Class a: 3 of 3 right; class b: 0 of 1 right.
    scores = isolated_accuracy(['a', 'a', 'a', 'c'], ['a', 'a', 'a', 'b'])
    assert scores['top1_instance'] == pytest.approx(75.0)
    assert scores['top1_class'] == pytest.approx(50.0)


def test_normalisation():
    assert normalize_label('  Book. ') == 'book'
    assert normalize_label('THANK\t  you!') == 'thank you'
    assert normalize_label('谢谢。') == '谢谢'
    assert normalize_label('Ｈｅｌｌｏ？') == 'hello'
    scores = isolated_accuracy(['Book.', 'thank  you'], ['book', 'Thank you!'])
    assert scores['top1_instance'] == pytest.approx(100.0)


def test_top5_with_ranked_lists():
    predictions = [['book', 'read'],                    # top-1 right
                   ['x', 'y', 'z', 'w', 'Read.'],       # right at rank 5
                   ['x', 'y', 'z', 'w', 'v', 'read'],   # right only at rank 6
                   []]                                  # no answer
    scores = isolated_accuracy(predictions, ['book', 'read', 'read', 'book'])
    assert scores['top1_instance'] == pytest.approx(25.0)
    assert scores['top1_class'] == pytest.approx(25.0)  # book 1/2, read 0/2
    assert scores['top5_instance'] == pytest.approx(50.0)
    assert scores['top5_class'] == pytest.approx(50.0)  # book 1/2, read 1/2


def test_no_top5_for_single_labels():
    scores = isolated_accuracy(['book', ['read']], ['book', 'read'])
    assert set(scores) == {'top1_instance', 'top1_class'}
    assert scores['top1_instance'] == pytest.approx(100.0)


def test_errors():
    with pytest.raises(ValueError, match='1 predictions but 2 references'):
        isolated_accuracy(['a'], ['a', 'b'])
    with pytest.raises(ValueError, match='no samples'):
        isolated_accuracy([], [])
    with pytest.raises(ValueError, match='reference 1 is empty'):
        isolated_accuracy(['a', 'b'], ['a', ' . '])
