"""Template helpers for a party's identifiers in other registers."""

from django import template

from alliance.registers import identifiers_of

register = template.Library()


@register.filter
def identifiers(party):
    """`{% with found=organisation|identifiers %}`: Wikidata's item first, then the others."""
    return identifiers_of(party)
