from django.apps import AppConfig


class EchangesConfig(AppConfig):
    name = "echanges"
    verbose_name = "Échanges sur les demandes"

    def ready(self):
        from demandes import requetes_du_candidat
        from echanges import fil
        from echanges.enums import Cote

        # The thread's block in the candidate's page of a request: counted with the request;
        # its messages in the page's history: what they show (a digest read with it) part of
        # the page's key.
        requetes_du_candidat.LUS_AVEC_LA_DEMANDE.append(
            requetes_du_candidat.LuAvecLaDemande(
                annotations=lambda: fil.bloc_a_lire(Cote.DEMANDEUR),
                recevoir=lambda demande: fil.bloc_lu(demande, Cote.DEMANDEUR),
                cle=fil.cle_du_bloc,
            )
        )
