"""Lists of facts whose rows are each kept under the rows they show (`alliance.fragments`).

Serializing a fact builds its citations, sources, parties and links: most of an API
list's time. An edit touches few facts, so each row's JSON is kept, and only the facts
whose rows changed are serialized again.
"""

from django.core.cache import caches
from django.db import models
from rest_framework import serializers

from alliance import fragments


class KeptListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        store = caches["fragments"]
        request = self.context.get("request")
        # The day asked (`as_of`) decides `in_force`; the serializer, which fields.
        what = (type(self.child).__name__, str(self.context.get("day")))
        rows = list(data.all() if isinstance(data, models.manager.BaseManager) else data)
        keys = [fragments.key(request, what, row) for row in rows]
        kept = store.get_many(keys)
        made = {}
        for key, row in zip(keys, rows, strict=True):
            if key not in kept:
                made[key] = self.child.to_representation(row)
        if made:
            store.set_many(made)
        return [kept[key] if key in kept else made[key] for key in keys]
