from django.contrib import admin

from auto_ecoles.models import AutoEcole, Invitation, Mandat, Membre


class MembreInline(admin.TabularInline):
    model = Membre
    raw_id_fields = ("user",)
    extra = 1


@admin.register(AutoEcole)
class AutoEcoleAdmin(admin.ModelAdmin):
    list_display = ("nom", "numero_agrement", "siret", "commune", "departement")
    search_fields = ("nom", "numero_agrement", "siret")
    list_filter = ("departement",)
    inlines = [MembreInline]


@admin.register(Mandat)
class MandatAdmin(admin.ModelAdmin):
    list_display = ("candidat", "auto_ecole", "donne_le", "retire_le")
    list_filter = ("auto_ecole",)
    raw_id_fields = ("candidat", "retire_par")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "type", "auto_ecole", "envoyee_le", "acceptee_le")
    list_filter = ("type",)
    readonly_fields = ("jeton",)
