from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import IdentitePivot, User


class IdentitePivotInline(admin.StackedInline):
    """What FranceConnect certified: shown, never edited by hand."""

    model = IdentitePivot
    can_delete = False
    extra = 0
    max_num = 0
    readonly_fields = [
        f.name
        for f in IdentitePivot._meta.get_fields()
        if f.concrete and f.name not in {"id", "user", "claims"}
    ]
    fields = readonly_fields
    verbose_name = verbose_name_plural = "identité certifiée par FranceConnect"


class DepartementFilter(admin.AllValuesFieldListFilter):
    """Accounts with no département get a named choice: an empty link has no text (RGAA 6.2)."""

    def choices(self, changelist):
        for choix in super().choices(changelist):
            if choix["display"] == "":
                choix["display"] = "(aucun)"
            yield choix


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "departement", "is_active")
    list_filter = ("groups", ("departement", DepartementFilter), "is_active", "is_staff")
    search_fields = ("username", "email", "first_name", "last_name", "neph")
    inlines = [IdentitePivotInline]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Rôle métier", {"fields": ("departement", "neph")}),
        ("Identifiant", {"fields": ("identifiant_envoye_le",)}),
    )
    readonly_fields = ("identifiant_envoye_le", "neph")
