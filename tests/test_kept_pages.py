"""Pages and API answers kept until a part of the record they read changes
(`alliance.freshness.kept`), with the page cache off."""

import datetime

import pytest
from django.core.cache import caches
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from alliance import freshness
from alliance.models import AISystem, Organisation, Person, Position, Topic

pytestmark = pytest.mark.usefixtures("record")

ARTICLE = "meta-et-ibm-creent-l-ai-alliance"


@pytest.fixture(autouse=True)
def kept_pages(settings):
    # The page cache would answer before the view: these tests are about what it leaves.
    settings.PAGE_CACHE = False
    settings.KEPT_PAGES = True
    settings.API_ANONYMOUS_RATE = None


def fr(name, **kwargs):
    with translation.override("fr"):
        return reverse(name, kwargs=kwargs or None)


def queries(client, url, status=200):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == status
    return len(captured), response


ADDRESSES = [
    pytest.param(lambda: fr("public:home"), id="home"),
    pytest.param(lambda: fr("public:organisation-list"), id="organisation list"),
    pytest.param(lambda: fr("public:organisation-detail", slug="ibm"), id="organisation"),
    pytest.param(lambda: fr("public:position-list") + "?leaning=open", id="positions"),
    pytest.param(lambda: reverse("api:organisation-list"), id="API list"),
    pytest.param(lambda: reverse("api:position-detail", kwargs={"slug": _a_position()}), id="API"),
]


def _a_position():
    return Position.objects.public().order_by("slug").values_list("slug", flat=True).first()


@pytest.mark.parametrize("address", ADDRESSES)
def test_a_second_reader_gets_the_kept_answer_for_one_query(client, address):
    url = address()
    drawn, first = queries(client, url)
    kept, second = queries(client, url)
    assert drawn > 1
    # Only the record's last change is read.
    assert kept == 1
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


@pytest.mark.parametrize(
    "address",
    [
        pytest.param(lambda: fr("public:organisation-detail", slug="ibm"), id="page"),
        pytest.param(lambda: reverse("api:organisation-detail", kwargs={"slug": "ibm"}), id="API"),
        pytest.param(lambda: fr("public:organisation-list"), id="list"),
        pytest.param(lambda: reverse("api:organisation-list"), id="API list"),
    ],
)
def test_an_edit_to_what_an_answer_shows_shows_at_once(client, address):
    url = address()
    queries(client, url)
    ibm = Organisation.objects.get(slug="ibm")
    ibm.name = "International Business Machines"
    ibm.save()
    drawn, response = queries(client, url)
    assert drawn > 1
    assert "International Business Machines" in response.content.decode()


def test_an_edit_to_a_part_a_page_does_not_read_leaves_it_kept(client):
    url = fr("public:organisation-list")
    queries(client, url)
    topic = Topic.objects.first()
    topic.name = f"{topic.name} (renamed)"
    topic.save()
    kept, _response = queries(client, url)
    assert kept == 1


def test_a_deletion_shows_at_once(client):
    url = fr("public:organisation-detail", slug="meta")
    queries(client, url)
    system = AISystem.objects.filter(owner__slug="meta").first()
    address = system.get_absolute_url()
    assert address in client.get(url).content.decode()
    system.delete()
    drawn, response = queries(client, url)
    assert drawn > 1
    assert address not in response.content.decode()


def test_a_count_taken_from_its_own_store_still_ties_the_list_to_what_it_counts(client):
    """The count of positions comes from the per-version store; the list kept with it
    must still follow the positions it counted."""
    url = fr("public:position-list")
    queries(client, url)
    for alias in ("pages", "page-variants", "drawings"):
        caches[alias].clear()
    # Drawn again with the count from the per-version store: no count query runs.
    queries(client, url)
    position = Position.objects.public().order_by("slug").first()
    position.delete()
    _drawn, response = queries(client, url)
    total = Position.objects.public().count()
    assert f"{total}" in response.content.decode()


def not_on(response):
    """The first organisation (by slug) that an answer neither links to nor names."""
    body = response.content.decode()
    for organisation in Organisation.objects.exclude(kind="coalition").order_by("slug"):
        if organisation.slug not in body and organisation.name not in body:
            return organisation
    raise AssertionError("every organisation is on it")


def test_an_edit_to_a_row_a_page_does_not_show_is_checked_not_drawn(client):
    """The page reads the organisations, but not OpenAI's: its queries, run again, fetch
    the same rows, so it is served as kept, with no template rendered."""
    url = fr("public:organisation-detail", slug="ibm")
    first = client.get(url)
    assert first.templates
    other = not_on(first)
    other.description = "Une description modifiée."
    other.save()
    checked = client.get(url)
    assert not checked.templates
    assert checked.content == first.content


def test_an_edit_to_a_row_an_api_answer_does_not_show_builds_no_model(client):
    url = reverse("api:organisation-detail", kwargs={"slug": "ibm"})
    response = client.get(url)
    first = response.json()
    other = not_on(response)
    other.description = "Une description modifiée."
    other.save()
    built = []

    def count(sender, **kwargs):
        built.append(sender)

    post_init.connect(count)
    try:
        checked = client.get(url).json()
    finally:
        post_init.disconnect(count)
    assert built == []
    assert checked == first


def test_an_edit_that_brings_a_row_into_a_list_draws_it_again(client):
    url = fr("public:organisation-list") + "?q=zzyzx"
    assert "Zzyzx" not in client.get(url).content.decode()
    openai = Organisation.objects.get(slug="openai")
    openai.name = "Zzyzx Labs"
    openai.save()
    response = client.get(url)
    assert response.templates
    assert "Zzyzx Labs" in response.content.decode()


def test_a_checked_answer_is_kept_under_the_new_version(client):
    url = fr("public:organisation-detail", slug="ibm")
    other = not_on(client.get(url))
    other.description = "Une description modifiée."
    other.save()
    checked, _ = queries(client, url)
    assert checked > 1  # the page's queries, run again
    kept, _ = queries(client, url)
    assert kept == 1


def test_someone_signed_in_always_gets_the_page_drawn(client, django_user_model):
    url = fr("public:organisation-detail", slug="ibm")
    queries(client, url)
    anonymous, _ = queries(client, url)
    assert anonymous == 1
    editor = django_user_model.objects.create_user("reader", password="x")
    client.force_login(editor)
    queries(client, url)
    signed_in, _ = queries(client, url)
    assert signed_in > 1


def test_an_answer_with_an_error_is_drawn_each_time_in_the_api(client):
    url = reverse("api:organisation-list") + "?kind=banana"
    first, _ = queries(client, url, status=400)
    second, response = queries(client, url, status=400)
    assert second == first
    assert "kind" in response.json()


def test_without_kept_pages_every_answer_is_drawn(client, settings):
    settings.KEPT_PAGES = False
    url = fr("public:organisation-detail", slug="ibm")
    first, _ = queries(client, url)
    second, _ = queries(client, url)
    assert second == first > 1


def test_answers_in_two_languages_are_kept_apart(client):
    french = client.get(fr("public:organisation-detail", slug="ibm"))
    with translation.override("en"):
        english_url = reverse("public:organisation-detail", kwargs={"slug": "ibm"})
    english = client.get(english_url)
    assert french["Content-Language"] == "fr"
    assert english["Content-Language"] == "en"
    assert french.content != english.content
    again = client.get(english_url, headers={"Accept-Language": "fr"})
    assert again.content == english.content
    api = reverse("api:organisation-detail", kwargs={"slug": "ibm"})
    assert client.get(api + "?lang=fr").json() != client.get(api + "?lang=en").json()


def test_the_api_request_budget_still_counts_kept_answers(client, settings):
    settings.API_ANONYMOUS_RATE = "2/minute"
    url = reverse("api:organisation-list")
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 429


class TestReading:
    def test_finds_the_tables_a_query_reads(self, db):
        with freshness.reading() as reads:
            list(Person.objects.filter(roles__organisation__slug="ibm"))
        assert reads.tables == {Person._meta.db_table, "alliance_role", "alliance_organisation"}

    def test_a_result_from_the_per_version_store_counts_as_read(self, db):
        def count():
            return Topic.objects.count()

        freshness.once_per_version("topics", count, tables={Topic._meta.db_table})
        with freshness.reading() as reads:
            freshness.once_per_version("topics", count, tables={Topic._meta.db_table})
        assert reads.tables == {Topic._meta.db_table}

    def test_what_follows_the_whole_record_makes_the_whole_read(self, db):
        with freshness.reading() as reads:
            freshness.once_per_version("everything", lambda: 1)
        assert reads.tables is None

    def test_an_enclosing_block_reads_what_an_inner_one_read(self, db):
        with freshness.reading() as outer:
            list(Topic.objects.all())
            with freshness.reading() as inner:
                list(Person.objects.all())
        assert inner.tables == {Person._meta.db_table}
        assert outer.tables == {Person._meta.db_table, Topic._meta.db_table}


class TestProof:
    def test_the_same_rows_again_hold(self, db):
        with freshness.reading() as reads:
            list(Topic.objects.order_by("pk"))
        proof = freshness.Proof.of(reads, freshness.current())
        assert proof.holds(freshness.current())

    def test_other_rows_do_not_hold(self, db):
        with freshness.reading() as reads:
            list(Topic.objects.order_by("pk"))
        proof = freshness.Proof.of(reads, freshness.current())
        topic = Topic.objects.order_by("pk").first()
        topic.name = "Autre"
        topic.save()
        assert not proof.holds(freshness.current())

    def test_a_query_of_tables_unchanged_since_is_not_run_again(
        self, db, django_assert_num_queries
    ):
        other = Topic.objects.create(slug="autre", name="Autre")
        with freshness.reading() as reads:
            list(Topic.objects.exclude(pk=other.pk))
            list(Person.objects.order_by("pk"))
        proof = freshness.Proof.of(reads, freshness.current())
        other.save()  # a topic the first query does not fetch
        fresh = freshness.current()
        with django_assert_num_queries(1):  # the topics' query only
            assert proof.holds(fresh)

    def test_one_more_row_does_not_hold(self, db):
        with freshness.reading() as reads:
            list(Topic.objects.order_by("pk"))
        proof = freshness.Proof.of(reads, freshness.current())
        Topic.objects.create(slug="nouveau", name="Nouveau")
        assert not proof.holds(freshness.current())

    def test_a_new_release_or_a_new_day_is_drawn_not_checked(self, db, monkeypatch):
        with freshness.reading() as reads:
            list(Topic.objects.order_by("pk"))
        proof = freshness.Proof.of(reads, freshness.current())
        release = freshness.release()
        monkeypatch.setattr(freshness, "release", lambda: freshness.Release("new", None))
        assert not proof.holds(freshness.current())
        monkeypatch.setattr(freshness, "release", lambda: release)
        assert proof.holds(freshness.current())
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        monkeypatch.setattr(freshness.timezone, "localdate", lambda: tomorrow)
        assert not proof.holds(freshness.current())

    def test_a_union_can_be_checked(self, db):
        with freshness.reading() as reads:
            list(Topic.objects.filter(pk=1).order_by().union(Topic.objects.filter(pk=2).order_by()))
        assert freshness.Proof.of(reads, freshness.current()) is not None

    def test_an_answer_that_wrote_cannot_be_checked(self, db):
        with freshness.reading() as reads:
            list(Topic.objects.all())
            Topic.objects.filter(pk=-1).update(name="Autre")
        assert freshness.Proof.of(reads, freshness.current()) is None

    def test_a_stored_value_is_checked_by_its_own_queries_once_its_version_moved(self, db):
        tables = freshness.tables_in(str(Topic.objects.all().query))

        def count():
            return Topic.objects.count()

        freshness.once_per_version("topics", count, tables=tables)
        with freshness.reading() as reads:
            freshness.once_per_version("topics", count, tables=tables)
        assert reads.queries == []  # taken from the store
        proof = freshness.Proof.of(reads, freshness.current())
        topic = Topic.objects.first()
        topic.save()  # a new version, the same count
        assert proof.holds(freshness.current())
        Topic.objects.create(slug="nouveau", name="Nouveau")
        assert not proof.holds(freshness.current())


def test_a_kept_french_page_is_served_typeset(client):
    url = fr("public:article-detail", slug=ARTICLE)
    _drawn, first = queries(client, url)
    kept, second = queries(client, url)
    assert kept == 1
    body = second.content.decode()
    assert "«\u00a0d’innovation et de science ouvertes\u00a0»" in body
    assert second.content == first.content
