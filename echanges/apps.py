from django.apps import AppConfig


class EchangesConfig(AppConfig):
    name = "echanges"
    verbose_name = "Échanges sur les demandes"

    def ready(self):
        from demandes import requetes_du_candidat
        from echanges import fil
        from echanges.enums import Cote

        # The thread's block in the candidate's page of a request: counted with the request.
        requetes_du_candidat.LUS_AVEC_LA_DEMANDE.append(
            requetes_du_candidat.LuAvecLaDemande(
                annotations=lambda: fil.comptes_a_lire(Cote.DEMANDEUR),
                recevoir=lambda demande: fil.comptes_lus(demande, Cote.DEMANDEUR),
                cle=lambda demande: demande.comptes_du_fil,
            )
        )
