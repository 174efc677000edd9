"""`{% tableau "fr-table--bordered" %}<table>…</table>{% endtableau %}`: DSFR 1.14's table
wrapper (templates/dsfr/tableau.html) around a table written by hand.

Tables are written by hand where their cells hold links, badges or row headers, which
django-dsfr's `dsfr_table` (a list of strings) cannot; the four nested divs around them, and
the keyboard reach of the scrolling container (tabindex, RGAA 7.3), live in one place.
"""

from django import template
from django.template.loader import get_template

register = template.Library()


class TableauNode(template.Node):
    def __init__(self, classes: template.base.FilterExpression | None, nodelist):
        self.classes = classes
        self.nodelist = nodelist

    def render(self, context) -> str:
        gabarit = get_template("dsfr/tableau.html")
        return gabarit.render(
            {
                "classes": self.classes.resolve(context) if self.classes else "",
                "table": self.nodelist.render(context),
            }
        )


@register.tag
def tableau(parser, token):
    morceaux = token.split_contents()
    if len(morceaux) > 2:
        raise template.TemplateSyntaxError("{% tableau [classes] %} takes at most one argument")
    classes = parser.compile_filter(morceaux[1]) if len(morceaux) == 2 else None
    nodelist = parser.parse(("endtableau",))
    parser.delete_first_token()
    return TableauNode(classes, nodelist)
