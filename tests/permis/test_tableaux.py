"""`{% tableau %}` puts DSFR 1.14's table wrapper around a table written by hand."""

from django.template import Context, Template


def test_the_table_comes_inside_the_keyboard_reachable_wrapper_with_its_classes():
    html = Template(
        '{% load tableaux %}{% tableau "fr-table--bordered" %}<table><caption>{{ titre }}'
        "</caption></table>{% endtableau %}"
    ).render(Context({"titre": "<Demandes>"}))
    assert html.startswith('<div class="fr-table fr-table--bordered">')
    contenu = html.index('<div class="fr-table__content">')
    assert html.index('class="fr-table__container" tabindex="0"') < contenu
    assert html.index("<table><caption>&lt;Demandes&gt;</caption></table>") > contenu


def test_without_classes_the_wrapper_has_the_plain_class():
    html = Template("{% load tableaux %}{% tableau %}<table></table>{% endtableau %}").render(
        Context()
    )
    assert html.startswith('<div class="fr-table">')
