import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

from demandes import geographie

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "permis.settings")
application = get_wsgi_application()

# What is loaded now (Django, the apps, the URLconf and the views it imports, asked for here
# rather than at the first request) lives as long as the process: frozen, the garbage
# collector no longer walks those objects at each of its full passes (a render-heavy page
# sets them off often).
get_resolver().url_patterns  # noqa: B018 - imported for its side effect
# The communes' index (~0.3 s to build) before the first request rather than during a
# candidate's address step, and frozen with the rest.
geographie.index()
gc.freeze()
