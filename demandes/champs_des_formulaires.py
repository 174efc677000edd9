"""The fields of a wizard form's class, prepared once for the forms made from it.

Each form made copies its class's fields (BaseForm.__init__: `copy.deepcopy(base_fields)`),
then DsfrBaseForm.__init__ builds a BoundField per visible field to put the DSFR's classes on
its widget: half the CPU of making the address form, a third of the état civil's, at each
step's view. `preparer(classe)` puts those classes on the class's own fields once, so that
every copy carries them, and has its fields copied as Django's `__deepcopy__` of Field and
Widget do (the field and its widget shallow-copied, the widget's attrs, the field's error
messages and validators copied), without the copy module's generic reconstruction. A field
or widget that copies itself otherwise (a ChoiceField's choices, a Select's) goes through
copy.deepcopy as before.
"""

import copy
from types import SimpleNamespace

from django import forms
from dsfr.utils import dsfr_input_class_attr


def _simple(objet, base) -> bool:
    classe = type(objet)
    return (
        classe.__deepcopy__ is base.__deepcopy__
        and classe.__reduce_ex__ is object.__reduce_ex__
        and not hasattr(classe, "__copy__")
        and not hasattr(classe, "__slots__")
    )


def _copie(objet):
    double = object.__new__(type(objet))
    double.__dict__.update(objet.__dict__)
    return double


class ChampsDeBase(dict):
    """A form class's base_fields, each copied as Field.__deepcopy__ would."""

    def __deepcopy__(self, memo):
        copies = {}
        for nom, champ in self.items():
            widget = champ.widget
            if not (_simple(champ, forms.Field) and _simple(widget, forms.Widget)):
                copies[nom] = copy.deepcopy(champ, memo)
                continue
            double = memo[id(champ)] = _copie(champ)
            double.widget = memo[id(widget)] = _copie(widget)
            double.widget.attrs = widget.attrs.copy()
            double.error_messages = champ.error_messages.copy()
            double.validators = champ.validators[:]
            copies[nom] = double
        return copies


def preparer(classe) -> None:
    """DsfrBaseForm's classes on `classe`'s own visible fields, and its fields copied by
    ChampsDeBase; once per class."""
    if classe.__dict__.get("_champs_prepares"):
        return
    sans_erreurs = SimpleNamespace(_errors=None)  # a form being made: none yet
    for champ in classe.base_fields.values():
        # What dsfr_input_class_attr reads of a BoundField: whether it is hidden, its field
        # and its form's errors.
        if not champ.widget.is_hidden:
            dsfr_input_class_attr(SimpleNamespace(is_hidden=False, field=champ, form=sans_erreurs))
    classe.base_fields = ChampsDeBase(classe.base_fields)
    classe._champs_prepares = True
