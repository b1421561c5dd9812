"""Addresses of records by slug, for pages and API answers that draw hundreds of links.

`reverse()` walks the URL patterns afresh at each call: some 40 µs, most of the time a
list of fifty rows spends on its links. The address of a slug-keyed view is the same
for every slug but the slug itself, so it is reversed once per view, language and
script prefix, and the slug is put in its place.
"""

import functools

from django.urls import get_script_prefix, reverse
from django.utils import translation

#: Stands for the slug while the address is reversed; made of the characters a slug may
#: hold, so every slug pattern takes it, and the address carries a slug unchanged.
SLUG_MARK = "0-slug-mark-0"


@functools.lru_cache(maxsize=256)
def _address_with_mark(view_name, language, script_prefix):
    return reverse(view_name, kwargs={"slug": SLUG_MARK})


def slug_url(view_name, slug):
    """What `reverse(view_name, kwargs={"slug": slug})` returns, in the active language."""
    address = _address_with_mark(view_name, translation.get_language(), get_script_prefix())
    return address.replace(SLUG_MARK, slug, 1)


def absolute_url(request, path):
    """`request.build_absolute_uri(path)` for a path, with scheme and host read once."""
    origin = getattr(request, "_absolute_origin", None)
    if origin is None:
        origin = request.build_absolute_uri("/")[:-1]
        request._absolute_origin = origin
    return origin + path
