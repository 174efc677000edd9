"""The static files storage of production: Django's manifest storage, its URLs memoized.

`{% static %}` runs a dozen times on every page (the DSFR's stylesheets, scripts and icons);
each call parses and joins the hashed name again, a tenth of a millisecond apiece. The
manifest is read once when the process starts and never changes while it runs (a new
collectstatic comes with a restart), so a name's URL is computed once per process.
"""

from django.contrib.staticfiles.storage import ManifestStaticFilesStorage


class StockageStatiqueManifeste(ManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force=True)
        try:
            return self._urls[name]
        except KeyError:
            url = self._urls[name] = super().url(name)
            return url
