"""An article read from text, checked against the record and saved with its paragraphs."""

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from alliance.intake.reading import IntakeError
from alliance.models import Article, Paragraph


def already_on_record(document, source_url=""):
    """Refuse an article the record holds already: the same address, or the same text."""
    if source_url:
        same_url = Article.objects.filter(source_url=source_url).first()
        if same_url is not None:
            raise IntakeError(
                _("This article is already on record: “%(title)s” has the same address.")
                % {"title": same_url}
            )
    texts = [paragraph.text for paragraph in document.paragraphs]
    starting_alike = Paragraph.objects.filter(number=1, text=texts[0]).values_list(
        "article_id", flat=True
    )
    for article in Article.objects.filter(pk__in=starting_alike).prefetch_related("paragraphs"):
        if [paragraph.text for paragraph in article.paragraphs.all()] == texts:
            raise IntakeError(
                _("This article is already on record: “%(title)s” has the same text.")
                % {"title": article}
            )


def unique_slug(title):
    base = slugify(title)[:190] or "article"
    taken = set(Article.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def save_article(document, **fields):
    """The article and its numbered paragraphs, in one transaction.

    `fields` are the Article's own (title, language, published_on, date_precision,
    source_url, outlet, authors, draft); the slug is made from the title.
    """
    already_on_record(document, fields.get("source_url", ""))
    article = Article(slug=unique_slug(fields["title"]), **fields)
    article.full_clean()
    article.save()
    for paragraph in document.paragraphs:
        Paragraph.objects.create(
            article=article,
            number=paragraph.number,
            section=paragraph.section,
            text=paragraph.text,
        )
    return article
