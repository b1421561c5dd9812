"""Readers read the record in their language: every editorial text on /en/ is English and
on /fr/ French, quoted passages stay word for word in their own language, and a missing
translation is shown in the other language, marked and labelled, never silently."""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from alliance.models import Article, Citation, Membership, Position, Role, Topic
from alliance.models.base import Translatable
from alliance.public.templatetags.public import gloss, text

#: Elements whose words no reader sees as the page's text.
UNSEEN = {"script", "style", "template"}
#: Elements that hold a source's own words.
QUOTES = {"q", "blockquote"}
#: Elements that never have an end tag, so they never enclose text.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class PageText(HTMLParser):
    """A page's visible text: by the language each piece is marked as, and apart what
    is not quoted from a source (a `<q>`, a `<blockquote>`, the article itself); its links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, language, quoted) of each open element
        self.by_language = {}
        self.unquoted = []
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag in VOID:
            return
        language, quoted = self.stack[-1][1:] if self.stack else ("", False)
        quoted = quoted or tag in QUOTES or "source-article" in (attrs.get("class") or "")
        self.stack.append((tag, attrs.get("lang") or language, quoted))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        if not self.stack or any(tag in UNSEEN for tag, *_rest in self.stack):
            return
        _tag, language, quoted = self.stack[-1]
        self.by_language.setdefault(language, []).append(data)
        if not quoted:
            self.unquoted.append(data)

    def text_in(self, language):
        return " ".join(" ".join(self.by_language.get(language, [])).split())

    def editorial_text(self):
        """Everything but quoted passages, whatever language it is marked as."""
        return " ".join(" ".join(self.unquoted).split())


def crawl(client, language):
    """Every page reachable from the home page of `language` (no query strings, no feeds):
    {path: PageText}."""
    home = f"/{language}/"
    seen, queue, pages = {home}, [home], {}
    while queue:
        path = queue.pop()
        response = client.get(path)
        assert response.status_code == 200, path
        parsed = PageText()
        parsed.feed(response.content.decode())
        pages[path] = parsed
        for href in parsed.links:
            address = urlsplit(urljoin(path, href))
            if address.netloc or address.query or not address.path.startswith(home):
                continue
            if "/feeds/" in address.path or address.path in seen:
                continue
            seen.add(address.path)
            queue.append(address.path)
    return pages


def editorial_texts(language):
    """Every editorial text the record holds in `language` that the other language says
    otherwise: {text: where it comes from}."""
    other = "en" if language == "fr" else "fr"
    texts = {}
    models = [m for m in apps.get_models() if issubclass(m, Translatable) and not m._meta.proxy]
    for model in models:
        for row in model._base_manager.all():
            for field in model.translated_fields:
                own, theirs = row.localised(field, language), row.localised(field, other)
                if own and not own.fallback and own.language == language and own != theirs:
                    texts[" ".join(own.split())] = f"{model.__name__} {row.pk} {field}"
    for article in Article.objects.all():
        title = article.localised("title", language)
        if not title.fallback and title != article.localised("title", other):
            texts[" ".join(title.split())] = f"Article {article.slug} title"
    return texts


def leaks(pages, forbidden):
    """Texts of the other language found outside quoted passages, by page: marked with
    their `lang` or not, they are not what the reader asked for."""
    found = {}
    for path, parsed in pages.items():
        seen = parsed.editorial_text()
        for words, origin in forbidden.items():
            # Truncated texts end in "…": their first words are enough to recognise them.
            head = " ".join(words.split()[:6])
            if words in seen or (len(words.split()) > 6 and head in seen):
                found.setdefault(path, []).append(origin)
    return found


@pytest.fixture(scope="module")
def pages(django_db_blocker, django_db_setup):
    from django.test import Client

    with django_db_blocker.unblock():
        client = Client()
        return {language: crawl(client, language) for language in ("en", "fr")}


@pytest.mark.django_db
def test_english_pages_hold_no_french_editorial_text_outside_quotes(pages):
    assert len(pages["en"]) > 20
    assert leaks(pages["en"], editorial_texts("fr")) == {}


@pytest.mark.django_db
def test_french_pages_hold_no_english_editorial_text_outside_glosses(pages):
    assert len(pages["fr"]) > 20
    assert leaks(pages["fr"], editorial_texts("en")) == {}


@pytest.mark.django_db
def test_english_pages_show_every_english_text_a_page_prints(pages):
    shown = " ".join(parsed.text_in("en") for parsed in pages["en"].values())
    wanted = [
        *(p.summary_en for p in Position.objects.public()),
        *(r.title_en for r in Role.objects.public()),
        *(t.name_en for t in Topic.objects.all()),
        *(a.title_translation for a in Article.objects.public()),
        "Cornell University",
    ]
    missing = [words for words in wanted if " ".join(words.split()) not in shown]
    assert missing == []


@pytest.mark.django_db
def test_english_pages_quote_passages_in_french_with_their_english_gloss(pages):
    with translation.override("en"):
        page = pages["en"][reverse("public:person-detail", kwargs={"slug": "dario-gil"})]
    citation = Citation.objects.get(
        pk=Position.objects.get(slug="dario-gil-open-source-ai").citation_id
    )
    assert " ".join(citation.passage.split()) in page.text_in("fr")
    assert " ".join(citation.translation.split()) in page.text_in("en")


@pytest.mark.django_db
def test_french_pages_show_no_gloss_of_a_french_passage(client, record):
    content = client.get("/fr/people/dario-gil/").content.decode()
    assert 'class="gloss"' not in content


def test_fallback_is_marked_with_its_language_and_labelled(record):
    topic = Topic.objects.get()
    topic.description_en = ""
    with translation.override("en"):
        shown = text(topic, "description")
    assert shown == (
        f'<span lang="fr">{topic.description}</span>'
        ' <span class="translation-fallback">(in French)</span>'
    )
    with translation.override("fr"):
        assert text(topic, "description") == topic.description


def test_fallback_label_is_in_the_readers_language(record):
    role = Role.objects.get(slug=Role.objects.values_list("slug", flat=True).first())
    role.title = ""
    with translation.override("fr"):
        shown = text(role, "title")
    assert f'<span lang="en">{role.title_en}</span>' in shown
    assert "(en anglais)" in shown


def test_english_page_shows_a_missing_translation_in_french_labelled(client, record):
    position = Position.objects.get(slug="ibm-open-source-ai")
    Position.objects.filter(pk=position.pk).update(summary_en="")
    with translation.override("en"):
        content = client.get(reverse("public:position-list")).content.decode()
    assert re.search(
        rf'<span lang="fr">{re.escape(position.summary)}</span>\s*'
        r'<span class="translation-fallback">\(in French\)</span>',
        content,
    )


def test_gloss_is_empty_in_the_passages_own_language(record):
    citation = Citation.objects.select_related("article").exclude(translation="").first()
    with translation.override("fr"):
        assert gloss(citation) == ""
    with translation.override("en"):
        assert citation.translation in gloss(citation)
        assert 'lang="en"' in gloss(citation)


def test_english_feed_gives_a_correction_in_english(client, record):
    corrected = Membership.objects.get(slug="meta-frontier-model-forum")
    with translation.override("en"):
        content = client.get(reverse("public:membership-feed")).content.decode()
    assert escape(corrected.correction_en) in content
    assert escape(corrected.correction) not in content
