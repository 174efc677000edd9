from django import template

from demandes.telephones import affichage

register = template.Library()
register.filter("telephone", affichage)
