from django.core.paginator import Paginator
from django.shortcuts import render

from demandes.models import Demande
from instruction.permissions import agent_requis


@agent_requis
def file(request):
    """The queue of the agent's role (and département for instructors), oldest first."""
    demandes = Demande.objects.file_de(request.user).order_by("deposee_le", "pk")
    page = Paginator(demandes, 25).get_page(request.GET.get("page"))
    return render(request, "instruction/file.html", {"page": page})
