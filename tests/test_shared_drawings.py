"""What one process of a server drew, read by the others (`alliance.caches.SharedDrawingsCache`
under `alliance.freshness.kept`), with the page cache off."""

import os
import threading
import time

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import translation

from alliance.caches import SharedDrawingsCache
from alliance.models import Organisation

pytestmark = pytest.mark.usefixtures("record")


@pytest.fixture(autouse=True)
def kept_pages(settings):
    settings.PAGE_CACHE = False
    settings.KEPT_PAGES = True
    settings.API_ANONYMOUS_RATE = None


def ibm_page():
    with translation.override("fr"):
        return reverse("public:organisation-detail", kwargs={"slug": "ibm"})


def forget_in_this_process():
    """What another process of the server knows: nothing of its own."""
    caches["pages"].clear()
    caches["page-variants"].clear()


@pytest.mark.parametrize(
    "address",
    [
        pytest.param(ibm_page, id="page"),
        pytest.param(lambda: reverse("api:organisation-detail", kwargs={"slug": "ibm"}), id="API"),
    ],
)
def test_an_answer_one_process_drew_is_read_by_another(client, address, django_assert_num_queries):
    url = address()
    first = client.get(url)
    forget_in_this_process()
    with django_assert_num_queries(1):  # the record's last change only
        second = client.get(url)
    assert not second.templates
    assert second.content == first.content


def test_a_shared_answer_is_checked_against_the_record_as_this_process_sees_it(client):
    client.get(ibm_page())
    ibm = Organisation.objects.get(slug="ibm")
    ibm.name = "International Business Machines"
    ibm.save()
    forget_in_this_process()
    response = client.get(ibm_page())
    assert response.templates
    assert "International Business Machines" in response.content.decode()


def test_without_a_directory_nothing_is_shared(client, settings):
    settings.SHARED_DRAWINGS_DIR = ""
    client.get(ibm_page())
    forget_in_this_process()
    assert client.get(ibm_page()).templates


class TestStore:
    def store(self, directory):
        return SharedDrawingsCache(str(directory), {"TIMEOUT": 60})

    def test_keeps_what_it_is_given(self, tmp_path):
        store = self.store(tmp_path / "drawings")
        store.set("answer", ("tables", "stamp", b"value", None))
        assert self.store(tmp_path / "drawings").get("answer") == (
            "tables",
            "stamp",
            b"value",
            None,
        )
        assert os.stat(tmp_path / "drawings").st_mode & 0o077 == 0

    def test_a_directory_others_may_write_to_turns_it_off(self, tmp_path, caplog):
        directory = tmp_path / "open"
        directory.mkdir()
        directory.chmod(0o777)
        store = self.store(directory)
        store.set("answer", "value")
        assert store.get("answer") is None
        assert list(directory.iterdir()) == []
        assert "not private" in caplog.text

    def test_an_unreadable_entry_is_a_miss(self, tmp_path):
        store = self.store(tmp_path / "drawings")
        store.set("answer", "value")
        (entry,) = (tmp_path / "drawings").glob("*.djcache")
        entry.write_bytes(b"\x00garbage")
        assert store.get("answer", "missing") == "missing"

    def test_a_disk_that_refuses_a_write_keeps_nothing(self, tmp_path, caplog):
        store = self.store(tmp_path / "drawings")
        (tmp_path / "drawings").chmod(0o500)
        try:
            store.set("answer", "value")
        finally:
            (tmp_path / "drawings").chmod(0o700)
        if os.geteuid() != 0:  # root writes anyway
            assert store.get("answer") is None
            assert "not kept" in caplog.text

    def test_one_process_at_a_time_draws_an_answer(self, tmp_path):
        """The second waits for the first, then finds its drawing rather than drawing."""
        first, second = self.store(tmp_path / "d"), self.store(tmp_path / "d")
        drawing = threading.Event()

        def draw():
            with first.drawing("answer"):
                drawing.set()
                time.sleep(0.2)
                first.set("answer", "drawn once")

        thread = threading.Thread(target=draw)
        thread.start()
        assert drawing.wait(5)
        with second.drawing("answer"):
            found = second.get("answer")
        thread.join()
        assert found == "drawn once"

    def test_a_wait_is_bounded(self, tmp_path, monkeypatch):
        first, second = self.store(tmp_path / "d"), self.store(tmp_path / "d")
        monkeypatch.setattr(SharedDrawingsCache, "WAIT_SECONDS", 0.05)
        with first.drawing("answer"):
            started = time.monotonic()
            with second.drawing("answer"):
                waited = time.monotonic() - started
        assert 0.05 <= waited < 2

    def test_a_drawing_inside_a_drawing_does_not_wait_for_itself(self, tmp_path, monkeypatch):
        store = self.store(tmp_path / "d")
        monkeypatch.setattr(SharedDrawingsCache, "WAIT_SECONDS", 30)
        started = time.monotonic()
        with store.drawing("answer"), store.drawing("answer"):
            pass
        assert time.monotonic() - started < 1
