"""Content-Security-Policy violation reports: browsers POST them to this view (the policy's
report-uri, see settings), which logs them on the `permis.csp` logger for the operators."""

import json
import logging

from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

logger = logging.getLogger("permis.csp")

TAILLE_MAX = 16 * 1024  # a report is a few hundred bytes; anything bigger is not one
RAPPORTS_MAX = 20  # the Reporting API batches reports in one list
# (report-uri's name, the Reporting API's name) of the fields worth a log line.
_CHAMPS = (
    ("document-uri", "documentURL"),
    ("effective-directive", "effectiveDirective"),
    ("blocked-uri", "blockedURL"),
    ("source-file", "sourceFile"),
    ("line-number", "lineNumber"),
    ("disposition", "disposition"),
)


@csrf_exempt  # browsers send reports on their own, without cookie nor CSRF token
@require_POST
def rapport(request):
    if int(request.META.get("CONTENT_LENGTH") or 0) > TAILLE_MAX:
        return HttpResponse(status=413)
    try:
        corps = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return HttpResponseBadRequest()
    for detail in _violations(corps)[:RAPPORTS_MAX]:
        champs = {
            ancien: str(detail.get(ancien, detail.get(nouveau, "")))[:500]
            for ancien, nouveau in _CHAMPS
        }
        logger.warning(
            "Violation CSP : %s bloqué par %s sur %s",
            champs["blocked-uri"] or "?",
            champs["effective-directive"] or detail.get("violated-directive", "?"),
            champs["document-uri"] or "?",
            extra={"csp": champs},
        )
    return HttpResponse(status=204)


def _violations(corps) -> list[dict]:
    """The violations of a report-uri body ({"csp-report": {…}}) or a Reporting API batch
    ([{"type": "csp-violation", "body": {…}}, …])."""
    if isinstance(corps, dict) and isinstance(corps.get("csp-report"), dict):
        return [corps["csp-report"]]
    if isinstance(corps, list):
        return [
            r["body"]
            for r in corps
            if isinstance(r, dict)
            and r.get("type") == "csp-violation"
            and isinstance(r.get("body"), dict)
        ]
    return []
