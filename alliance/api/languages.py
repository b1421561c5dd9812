"""The language an API answer is written in: `?lang=fr|en`, else `Accept-Language`
(which LocaleMiddleware has already read), else French, the record's own language.

The language is part of everything that keys an answer: the ETag (`record_etag` digests
the active language and the query), the page cache (`pagecache.address_key`: the query
and `Accept-Language`), and `Vary: Accept-Language`, which LocaleMiddleware adds to
every answer outside the language-prefixed pages.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError

LANGUAGE_PARAMETER = "lang"

LANGUAGE_HELP = (
    "The language of the record's texts in the answer (`fr` or `en`); without it, the "
    "first of `Accept-Language` the record is written in, else `fr`. The answer says "
    "which in `Content-Language`; each object lists in `fallback_fields` the texts sent "
    "in the other language for want of a translation. Quoted passages stay as the "
    "source wrote them, with the record's translation beside them. Give it once."
)


def language_parameter():
    return OpenApiParameter(
        LANGUAGE_PARAMETER,
        str,
        enum=[code for code, _name in settings.LANGUAGES],
        description=LANGUAGE_HELP,
    )


def choose_language(request):
    """Activate the language `?lang=` asks for; a repeated or unknown one is a 400."""
    asked = request.query_params.getlist(LANGUAGE_PARAMETER)
    if not asked:
        return
    if len(asked) > 1:
        raise ValidationError({LANGUAGE_PARAMETER: [_("Give this parameter once.")]})
    if asked[0] not in dict(settings.LANGUAGES):
        raise ValidationError({LANGUAGE_PARAMETER: [_("Unknown language: give fr or en.")]})
    translation.activate(asked[0])
    request.LANGUAGE_CODE = asked[0]
