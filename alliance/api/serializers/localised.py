"""The record's texts in the language the answer is written in, and which fell back.

Each editorial text (`Translatable.translated_fields`: summaries, titles, descriptions,
names, corrections) is sent in the language asked (`?lang=`, else `Accept-Language`,
else French: `alliance.api.languages`). One without a translation is sent in the other
language rather than empty, and `fallback_fields` names it, so a program can tell, as
the pages' "(in French)" label tells a reader. Quoted passages are never translated in
place: they carry the record's translation beside them (`translation`).
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from alliance.models.base import active_language

FALLBACK_HELP = (
    "The fields of this object sent in the other language, for want of a translation "
    "into the language of the answer (`Content-Language`); empty when every text is in it."
)
GLOSS_HELP = (
    "The record's translation into the language of the answer, beside the words quoted "
    "(which stay as the source wrote them); null when the source is in that language or "
    "has no translation."
)


def fallback_fields_field():
    return serializers.SerializerMethodField(help_text=FALLBACK_HELP)


class LocalisedSerializer(serializers.ModelSerializer):
    """For a Translatable model: its translated fields in the answer's language.

    A serializer that sends a text which may lack a translation declares
    `fallback_fields = fallback_fields_field()`; an organisation's name never does (its
    English is its French unless said otherwise), so its summaries leave it out.
    """

    def localised_fields(self):
        translated = getattr(self.Meta.model, "translated_fields", ())
        return [
            name
            for name, field in self.fields.items()
            if name in translated and field.source == name
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        for name in self.localised_fields():
            data[name] = str(instance.localised(name))
        return data

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_fallback_fields(self, obj):
        return [name for name in self.localised_fields() if obj.localised(name).fallback]


def gloss_field():
    return serializers.SerializerMethodField(help_text=GLOSS_HELP)


def gloss(translation, source_language):
    """`translation` when the answer's language is not the source's, else None."""
    if active_language() == source_language or not translation:
        return None
    return translation
