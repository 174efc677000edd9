"""Every delay the procedures set, in one place (docs/design.md, "Delays").

Code, messages and templates all read these: a delay is never written as a literal in a
message, a template or a method name. Each is a `timedelta` that prints as the candidate
reads it ("15 jours", "6 mois"), so `{{ delais.CONSERVATION_TITRE }}` in a template and
`f"... {CONSERVATION_TITRE}"` in a message say the same thing as the rule that applies.
"""

from datetime import timedelta


class Delai(timedelta):
    """A duration with its French wording."""

    libelle: str

    def __new__(cls, libelle: str, days: int = 0, seconds: int = 0, microseconds: int = 0):
        delai = super().__new__(cls, days=days, seconds=seconds, microseconds=microseconds)
        delai.libelle = libelle
        return delai

    def __reduce__(self):  # copies and pickles keep the wording
        return type(self), (self.libelle, self.days, self.seconds, self.microseconds)

    def __str__(self) -> str:
        return self.libelle

    @property
    def jours(self) -> int:
        return self.days


# A licence not collected waits this long at the post office, then goes back to the sender.
INSTANCE_POSTE = Delai("15 jours", days=15)
# A returned licence is kept this long for the candidate to ask for it again, then destroyed.
CONSERVATION_TITRE = Delai("6 mois", days=183)
# A draft untouched this long is deleted, after a warning sent PREAVIS_BROUILLON before.
BROUILLON = Delai("6 mois", days=183)
PREAVIS_BROUILLON = Delai("21 jours", days=21)
# The time an agent gives the candidate to replace pieces: proposed, and at most.
COMPLEMENT_PROPOSE = Delai("15 jours", days=15)
COMPLEMENT_MAX = Delai("60 jours", days=60)
# A proof of address must be more recent than this.
ANCIENNETE_DOMICILE = Delai("6 mois", days=183)
# A photo code of an approved booth is valid this long from the shot (ePhoto).
VALIDITE_CODE_PHOTO = Delai("6 mois", days=183)
# The delays shown to candidates are those observed over this window (delais_constates.py).
FENETRE_DELAIS_CONSTATES = Delai("90 jours", days=90)
# The backlog's median decision time is that of the decisions of this window (instruction/).
FENETRE_PILOTAGE = Delai("30 jours", days=30)
# An invitation from a driving school (a student's mandate, a staff member) can be accepted
# this long after it was sent.
VALIDITE_INVITATION = Delai("30 jours", days=30)
