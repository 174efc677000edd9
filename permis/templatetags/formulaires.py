"""`{% resume_erreurs form as erreurs %}`: the (anchor, text) list the error summary shows.

The wizard's forms say themselves where each error points (`FormulaireDsfr.resume_erreurs`,
radios and checkboxes have their own anchors); any other form — allauth's, the back-office's —
gets each field's id, and its form-wide errors point at its first field.
"""

from django import template

register = template.Library()


@register.simple_tag
def resume_erreurs(form) -> list[tuple[str, str]]:
    if not form or not form.errors:
        return []
    if hasattr(form, "resume_erreurs"):
        return form.resume_erreurs()
    champs = [bf for bf in form if not bf.is_hidden]
    premier = (champs[0].id_for_label or champs[0].auto_id) if champs else ""
    resume = [(premier, str(e)) for e in form.non_field_errors()]
    for bf in champs:
        resume += [(bf.id_for_label or bf.auto_id, f"{bf.label} : {e}") for e in bf.errors]
    return resume
