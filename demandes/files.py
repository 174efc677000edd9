"""The back-office queues: which states each one holds and who works it (docs/design.md).

The one table of this rule: the request queries (`DemandeQuerySet.file_de`), the
permissions of the back-office transitions (`lifecycle.est_agent_de_la_file`), the queue
filters and the backlog of `instruction/`, and the end of a claim when a request leaves
its queue (instruction/signals.py) all read it.
"""

from dataclasses import dataclass

from accounts.enums import Role
from demandes.enums import Etat


@dataclass(frozen=True)
class File:
    code: str
    role: Role  # who works the queue
    etats: tuple[Etat, ...]  # the states of a request waiting in it
    par_departement: bool  # worked by the agents of the request's département only

    def travaillee_par(self, agent) -> bool:
        """Whether `agent` works this queue (for a département's queue: has a département)."""
        if agent is None or not agent.has_role(self.role):
            return False
        return bool(agent.departement) or not self.par_departement

    def contient(self, demande, agent) -> bool:
        """Whether `demande` waits in this queue for `agent`."""
        if demande.etat not in self.etats or not self.travaillee_par(agent):
            return False
        return not self.par_departement or agent.departement == demande.departement


# The national form-check centre: every submitted request, whatever its département.
CONTROLE = File("ctn", Role.AGENT_CTN, (Etat.DEPOSEE, Etat.CONTROLE_FORME), par_departement=False)
# The département's instructors decide.
INSTRUCTION = File("ddt", Role.INSTRUCTEUR_DDT, (Etat.EN_INSTRUCTION,), par_departement=True)
# In order: an agent with both roles works the first.
FILES = (CONTROLE, INSTRUCTION)
# States where a request waits for someone in the back-office.
EN_ATTENTE = tuple(etat for file in FILES for etat in file.etats)


def file_de_l_etat(etat: str) -> File | None:
    """The queue a request in `etat` waits in, None when it waits in none."""
    return next((file for file in FILES if etat in file.etats), None)


def file_du_role(agent) -> File | None:
    """The queue of the agent's role (even an instructor without a département yet)."""
    return next((file for file in FILES if agent.has_role(file.role)), None)
