from django.contrib import admin

from simulateurs.models import CodePhoto, TimbreFiscal


@admin.register(CodePhoto)
class CodePhotoAdmin(admin.ModelAdmin):
    list_display = ("code", "nom", "prenoms", "emis_le", "expire_le", "utilise_le", "utilise_pour")
    search_fields = ("code", "nom", "utilise_pour")


@admin.register(TimbreFiscal)
class TimbreFiscalAdmin(admin.ModelAdmin):
    list_display = ("numero", "montant", "achete_le", "utilise_le", "utilise_pour")
    search_fields = ("numero", "utilise_pour")
