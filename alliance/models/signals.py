"""Receivers that keep derived columns in step, for every save including `loaddata`."""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from alliance.models.base import Searchable
from alliance.models.organisations import Organisation
from alliance.models.people import Person
from alliance.models.positions import Position, Topic
from alliance.search import index_words


@receiver(pre_save)
def fold_search_text(sender, instance, **kwargs):
    # Runs for raw fixture saves too, so loaded rows are searchable without a rebuild.
    if isinstance(instance, Searchable):
        instance.search_text = index_words(instance.search_words())


@receiver(pre_save)
def fold_sort_names(sender, instance, **kwargs):
    # Lists sort as readers expect, accents and capitals aside ("Adept" before "AI
    # Alliance", "Écrans" among the E), in each language, with an index to walk.
    if isinstance(instance, (Organisation, Person)):
        instance.fill_sort_names()


@receiver(pre_save, sender=Position)
def copy_position_sort_keys(sender, instance, **kwargs):
    instance.fill_sort_keys()


@receiver(post_save, sender=Topic)
def rename_topic_in_positions(sender, instance, **kwargs):
    # The topic's own save moves the record's version; its positions' copies follow.
    Position.objects.filter(topic_id=instance.pk).exclude(topic_name=instance.name).update(
        topic_name=instance.name
    )
