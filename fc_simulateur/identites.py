"""The demo identity provider's test identities (like FranceConnect's integration accounts).

Each identity carries the "identité pivot" FranceConnect transmits: given_name (all first
names), family_name (birth name), preferred_username (usage name, may be empty), birthdate,
gender, birthplace (INSEE code of the commune, empty when born abroad), birthcountry (INSEE
code, 99100 for France) and email. The minor's birth date follows the calendar so that it
stays a minor.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

PAYS_FRANCE = "99100"


@dataclass(frozen=True)
class Identite:
    cle: str
    description: str
    given_name: str
    family_name: str
    preferred_username: str
    birthdate: date
    gender: str
    birthplace: str
    birthcountry: str
    email: str
    lieu: str  # readable birthplace, for the list only

    @property
    def nom_affiche(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def claims(self) -> dict[str, str]:
        """Every identité pivot claim, as FranceConnect spells them."""
        return {
            "given_name": self.given_name,
            "family_name": self.family_name,
            "preferred_username": self.preferred_username,
            "birthdate": self.birthdate.isoformat(),
            "gender": self.gender,
            "birthplace": self.birthplace,
            "birthcountry": self.birthcountry,
            "email": self.email,
        }


def _il_y_a(annees: int, jours_de_plus: int = 0) -> date:
    aujourdhui = timezone.localdate()
    try:
        jour = aujourdhui.replace(year=aujourdhui.year - annees)
    except ValueError:  # 29 February
        jour = aujourdhui.replace(year=aujourdhui.year - annees, day=28)
    return date.fromordinal(jour.toordinal() - jours_de_plus)


def identites_demo() -> list[Identite]:
    return [
        Identite(
            cle="adulte",
            description="Adulte né en France",
            given_name="Lucas Antoine",
            family_name="BERNARD",
            preferred_username="",
            birthdate=date(1996, 3, 14),
            gender="male",
            birthplace="69123",
            birthcountry=PAYS_FRANCE,
            email="lucas.bernard@fc-demo.exemple.fr",
            lieu="Lyon (69)",
        ),
        Identite(
            cle="avant-1988",
            description="Née avant 1988, avec un nom d'usage",
            given_name="Angela Claire Louise",
            family_name="DUBOIS",
            preferred_username="MARCHAND",
            birthdate=date(1962, 8, 24),
            gender="female",
            birthplace="75107",
            birthcountry=PAYS_FRANCE,
            email="angela.dubois@fc-demo.exemple.fr",
            lieu="Paris 7e (75)",
        ),
        Identite(
            cle="mineur",
            description="Mineure (16 ans)",
            given_name="Léa Sophie",
            family_name="PETIT",
            preferred_username="",
            birthdate=_il_y_a(16, jours_de_plus=90),
            gender="female",
            birthplace="13055",
            birthcountry=PAYS_FRANCE,
            email="lea.petit@fc-demo.exemple.fr",
            lieu="Marseille (13)",
        ),
        Identite(
            cle="ne-a-l-etranger",
            description="Né à l'étranger",
            given_name="Karim Youssef",
            family_name="HADDAD",
            preferred_username="",
            birthdate=date(1999, 11, 2),
            gender="male",
            birthplace="",
            birthcountry="99350",
            email="karim.haddad@fc-demo.exemple.fr",
            lieu="Maroc",
        ),
    ]


def identite(cle: str) -> Identite | None:
    return next((i for i in identites_demo() if i.cle == cle), None)
