"""A party's identifiers in other registers (Wikidata first), each with its address."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from alliance.models import Scheme
from alliance.registers import WIKIDATA, identifiers_of


class IdentifierSerializer(serializers.Serializer):
    scheme = serializers.ChoiceField(choices=[WIKIDATA, *Scheme.values])
    value = serializers.CharField(help_text="As the register writes it, e.g. Q37156.")
    url = serializers.URLField(help_text="The record in the register.")


@extend_schema_field(IdentifierSerializer(many=True))
class IdentifiersField(serializers.Field):
    """Every identifier of an organisation or a person; reads the prefetched `identifiers`."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        return [
            {"scheme": str(identifier.scheme), "value": identifier.value, "url": identifier.url}
            for identifier in identifiers_of(value)
        ]
