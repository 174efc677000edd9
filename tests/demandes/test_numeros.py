import pytest

from demandes.numeros import normaliser, nouveau_numero


def test_numbers_are_grouped_and_checkable():
    numero = nouveau_numero()
    assert len(numero) == 14 and numero.count("-") == 2
    assert normaliser(numero) == numero
    assert normaliser(numero.lower().replace("-", " ")) == numero


def test_numbers_are_not_sequential():
    assert len({nouveau_numero() for _ in range(1000)}) == 1000


@pytest.mark.parametrize("position", range(12))
def test_any_single_mistyped_character_is_caught(position):
    numero = nouveau_numero().replace("-", "")
    for remplacement in "0123456789ABCDEFGHJKMNPQRSTVWXYZ":
        if remplacement == numero[position]:
            continue
        faux = numero[:position] + remplacement + numero[position + 1 :]
        assert normaliser(faux) is None, faux


def test_swapped_neighbours_are_caught():
    numero = "K7QXM3PA9ZT"
    from demandes.numeros import _cle

    complet = numero + _cle(numero)
    for i in range(11):
        if complet[i] == complet[i + 1]:
            continue
        faux = complet[:i] + complet[i + 1] + complet[i] + complet[i + 2 :]
        assert normaliser(faux) is None, faux
