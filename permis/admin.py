"""What the apps' admins share."""

from django.contrib import admin


class LectureSeule(admin.ModelAdmin):
    """Records written by the portal or a simulated service only: shown, never edited by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
