"""Admin of the back-office records: claims and their journal."""

from django.contrib import admin

from instruction.models import JournalPriseEnCharge, PriseEnCharge
from permis.admin import LectureSeule


@admin.register(PriseEnCharge)
class PriseEnChargeAdmin(admin.ModelAdmin):
    """An administrator may release a claim (an agent away); claims are taken in the back-office."""

    list_display = ("demande", "agent", "prise_le")
    list_select_related = ("demande", "agent")
    search_fields = ("demande__numero", "agent__username", "agent__last_name")
    readonly_fields = ("demande", "agent", "prise_le")

    def has_add_permission(self, request):
        return False


@admin.register(JournalPriseEnCharge)
class JournalPriseEnChargeAdmin(LectureSeule):
    list_display = ("le", "demande", "agent", "evenement")
    list_filter = ("evenement",)
    list_select_related = ("demande", "agent")
    search_fields = ("demande__numero", "agent__username", "agent__last_name")

    def has_delete_permission(self, request, obj=None):
        return False  # an audit trail
