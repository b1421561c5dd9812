"""Receivers that keep derived columns in step, for every save including `loaddata`."""

from django.db.models.signals import pre_save
from django.dispatch import receiver

from alliance.models.base import Searchable
from alliance.search import fold


@receiver(pre_save)
def fold_search_text(sender, instance, **kwargs):
    # Runs for raw fixture saves too, so loaded rows are searchable without a rebuild.
    if isinstance(instance, Searchable):
        instance.search_text = fold(instance.search_words())
