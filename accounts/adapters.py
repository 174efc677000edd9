from allauth.account.adapter import DefaultAccountAdapter

from accounts.enums import Role


class AccountAdapter(DefaultAccountAdapter):
    def populate_username(self, request, user):
        # The identifiant is drawn by User.save(); people never choose it.
        user.username = ""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            user.ajouter_role(Role.CANDIDAT)
        return user
