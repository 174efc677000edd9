"""Three of WeasyPrint's most called layout functions, the same results in fewer Python calls.

Laying out the attestation calls Box.is_in_normal_flow about a thousand times (five method
calls each, to read two properties of the box's style), resolve_percentages about 250 times
(twenty calls of resolve_one_percentage, each calling percentage, to turn lengths into used
values) and resolve_radii_percentages about 200 times (a name formatted and split for each
corner): together about a tenth of a render. The versions here read the same values of
the style in the same way and set the same attributes on the box, in one function each; a
calc() value still goes to WeasyPrint's own percentage(). They transcribe weasyprint 70's
(formatting_structure/boxes.py, layout/percent.py), which tests/demandes/test_pdf_mise_en_page.py
runs beside them box for box.
"""

from math import inf

import weasyprint.layout.absolute
import weasyprint.layout.background
import weasyprint.layout.block
import weasyprint.layout.column
import weasyprint.layout.float
import weasyprint.layout.grid
import weasyprint.layout.inline
import weasyprint.layout.page
import weasyprint.layout.percent
import weasyprint.layout.table
from weasyprint.css.functions import check_math
from weasyprint.formatting_structure import boxes
from weasyprint.layout.percent import adjust_box_sizing, percentage

_dans_le_flux_weasyprint = boxes.Box.is_in_normal_flow
_resoudre_weasyprint = weasyprint.layout.percent.resolve_percentages
_rayons_weasyprint = weasyprint.layout.percent.resolve_radii_percentages

_FLOTTANTS = ("left", "right", "inline-start", "inline-end", "footnote")
_HORS_DU_FLUX = ("running()", "note()")


def dans_le_flux(self) -> bool:
    """Box.is_in_normal_flow: not floated, absolutely positioned, running, a footnote or a
    note (is_floated, is_absolutely_positioned, is_running, is_footnote, is_note)."""
    style = self.style
    if style["float"] in _FLOTTANTS:
        return False
    position = style["position"]
    return position not in ("absolute", "fixed") and position[0] not in _HORS_DU_FLUX


# The lengths resolve_percentages resolves against the containing block's width, or against
# the height (pages) or width (other boxes) for the vertical margins and paddings.
_LONGUEURS = (
    ("margin_left", False),
    ("margin_right", False),
    ("margin_top", True),
    ("margin_bottom", True),
    ("padding_left", False),
    ("padding_right", False),
    ("padding_top", True),
    ("padding_bottom", True),
    ("width", False),
    ("min_width", False),
    ("max_width", False),
)
_BORDURES = ("border_top_width", "border_right_width", "border_bottom_width", "border_left_width")


def _utilisee(valeur, style, reference):
    """percentage(): None and 'auto' as they are, a percentage of `reference`, a length's
    value, a calc() through WeasyPrint's own."""
    if valeur is None or valeur == "auto":
        return valeur
    unite = getattr(valeur, "unit", None)
    if unite is None:
        return percentage(valeur, style, reference)
    if unite == "%":
        return reference * valeur.value / 100
    return valeur.value


def resoudre_pourcentages(box, containing_block):
    """resolve_percentages: the box's used margins, paddings, sizes and border widths."""
    if isinstance(containing_block, boxes.Box):
        cb_width, cb_height = containing_block.width, containing_block.height
    else:
        cb_width, cb_height = containing_block
    verticale = cb_height if isinstance(box, boxes.PageBox) else cb_width
    style = box.style
    for nom, vertical in _LONGUEURS:
        valeur = style[nom]
        if valeur is not None and valeur != "auto":
            unite = getattr(valeur, "unit", None)
            reference = verticale if vertical else cb_width
            if unite is None:
                valeur = percentage(valeur, style, reference)
            elif unite == "%":
                valeur = reference * valeur.value / 100
            else:
                valeur = valeur.value
        setattr(box, nom, valeur)
    if box.min_width == "auto":
        box.min_width = 0
    if cb_height == "auto":
        height = style["height"]
        if height == "auto" or check_math(height) or height.unit == "%":
            box.height = "auto"
        else:
            assert height.unit.lower() == "px"
            box.height = height.value
        box.min_height = _utilisee(style["min_height"], style, 0)
        box.max_height = _utilisee(style["max_height"], style, inf)
    else:
        box.height = _utilisee(style["height"], style, cb_height)
        box.min_height = _utilisee(style["min_height"], style, cb_height)
        box.max_height = _utilisee(style["max_height"], style, cb_height)
    if box.min_height == "auto":
        box.min_height = 0
    collapse = style["border_collapse"] == "collapse"
    for nom in _BORDURES:
        # Resolved already by the border conflict resolution of collapsed borders.
        if not (collapse and hasattr(box, nom)):
            setattr(box, nom, style[nom])
    adjust_box_sizing(box, "width")
    adjust_box_sizing(box, "height")


_COINS = (
    ("border_top_left_radius", "top", "left"),
    ("border_top_right_radius", "top", "right"),
    ("border_bottom_right_radius", "bottom", "right"),
    ("border_bottom_left_radius", "bottom", "left"),
)
_NUL = (0, "px")


def rayons(box):
    """resolve_radii_percentages: each corner's used radii, (0, 0) for a zero one or one on a
    side whose decoration is removed (a box broken across pages)."""
    style, retires = box.style, box.remove_decoration_sides
    for nom, vertical, horizontal in _COINS:
        rx, ry = style[nom]
        if rx == _NUL or ry == _NUL or vertical in retires or horizontal in retires:
            setattr(box, nom, (0, 0))
        else:
            largeur, hauteur = box.border_width(), box.border_height()
            setattr(box, nom, (percentage(rx, style, largeur), percentage(ry, style, hauteur)))


boxes.Box.is_in_normal_flow = dans_le_flux
assert weasyprint.layout.background.resolve_radii_percentages is _rayons_weasyprint
weasyprint.layout.background.resolve_radii_percentages = rayons
weasyprint.layout.percent.resolve_radii_percentages = rayons
for _module in (
    weasyprint.layout.percent,  # and layout/flex.py, which reads it there
    weasyprint.layout.absolute,
    weasyprint.layout.block,
    weasyprint.layout.column,
    weasyprint.layout.float,
    weasyprint.layout.grid,
    weasyprint.layout.inline,
    weasyprint.layout.page,
    weasyprint.layout.table,
):
    assert _module.resolve_percentages is _resoudre_weasyprint, _module
    _module.resolve_percentages = resoudre_pourcentages
