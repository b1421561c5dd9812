"""Parts of answers kept across record versions, keyed by the very rows they show.

A page or an API answer is kept whole until a part of the record it read changes
(`alliance.pagecache`), so an edit to that part makes it be drawn afresh. Most of a list
is facts (a stance with its passage and sources), and an edit touches few of them: each
card of a page, and each fact of an API list, is kept in the `fragments` cache under a
key made of every row it was made from, with each row's `updated_at`, so an edit to any
of them (the fact, its holder's name, a passage, a further source, the correction) files
it under a new key, and the others are taken from the cache.

The rows are those loaded with the fact: what `select_related()` joined and
`prefetch_related()` fetched (its further sources included), walked from the fact. A card
or a fact's JSON shows nothing else (the query budget of every page and list, tested,
would catch one reaching for another row). The key also holds what it is made with
besides the record: the release (templates, catalogues, code), the language, the site's
address and the day.
"""

import hashlib

from django.utils import timezone
from django.utils.translation import get_language

from alliance import freshness
from alliance.models.facts import PREFETCHED_SOURCES


def rows(instance, seen=None):
    """`instance` and every row loaded with it, as (label, pk, updated_at), in a fixed order."""
    seen = set() if seen is None else seen
    identity = (instance._meta.label, instance.pk)
    if identity in seen:
        return []
    seen.add(identity)
    found = [(*identity, getattr(instance, "updated_at", None))]
    for name in sorted(instance._state.fields_cache):
        related = instance._state.fields_cache[name]
        if related is not None:
            found += rows(related, seen)
    prefetched = dict(getattr(instance, "_prefetched_objects_cache", {}))
    # A fact's further sources are prefetched into a plain list (`with_sources()`).
    if PREFETCHED_SOURCES in instance.__dict__:
        prefetched[PREFETCHED_SOURCES] = instance.__dict__[PREFETCHED_SOURCES]
    for name in sorted(prefetched):
        found.append((name, len(prefetched[name])))
        for related in prefetched[name]:
            found += rows(related, seen)
    return found


def key(request, *parts):
    """A digest of the rows of each model instance in `parts` (lists of them too), the
    other parts as they are, and what every fragment is drawn with besides the record."""
    digest = hashlib.sha256()
    context = (
        freshness.release().digest,
        get_language(),
        request.scheme if request is not None else "",
        request.get_host() if request is not None else "",
        timezone.localdate().isoformat(),
    )
    digest.update(repr(context).encode())
    for part in parts:
        for item in part if isinstance(part, list | tuple) else [part]:
            digest.update(repr(rows(item) if hasattr(item, "_state") else item).encode())
    return digest.hexdigest()
