"""A bare Django project, the baseline of bench/pages.py: what Django itself costs.

Django's default middleware (as `startproject` writes it), one view returning "ok" and one
rendering a plain 50-row template, served by gunicorn exactly like the portal.
"""
