"""`{% url_franceconnect %}`: the FranceConnect button's URL, with `next` only if it is safe.

allauth's `provider_login_url` copies the page's `next` into the URL as it came; allauth checks
it only once FranceConnect sends the visitor back. A page never carries an unchecked `next`
onward: the one allauth would follow (`get_next_redirect_url`), or none.
"""

from allauth.account.utils import get_next_redirect_url
from allauth.socialaccount.templatetags.socialaccount import provider_login_url
from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def url_franceconnect(context) -> str:
    suivant = get_next_redirect_url(context["request"]) or ""  # "": no next in the URL
    return provider_login_url(context, "franceconnect", process="login", next=suivant)
