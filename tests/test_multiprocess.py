"""Two gunicorn servers on one PostgreSQL and one Redis: an edit on one shows on the other.

Each server runs the production settings (DEBUG off) behind a pretend load balancer:
requests say X-Forwarded-Proto: https, as the balancer that ends TLS would. The servers
use a database and a Redis database of their own, made and removed here.
"""

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.production_env import ROOT, manage, production_env

pytestmark = [
    pytest.mark.multiprocess,
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="several processes share one database only on PostgreSQL: run with "
        "DATABASE_URL=postgres://... (the CI's PostgreSQL run does)",
    ),
]

DATABASE = "alliance_prod_multiprocess"
REDIS_URL = "redis://127.0.0.1:6379/7"
START_TIMEOUT = 60
REQUEST_TIMEOUT = 20
CRAWL_LIMIT = 60
# API responses in the crawl: few enough to stay under any sensible anonymous throttle.
API_LIMIT = 8
MAX_THROTTLE_WAIT = 65


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url():
    base = urllib.parse.urlsplit(settings_database_url())
    return urllib.parse.urlunsplit(base._replace(path=f"/{DATABASE}"))


def settings_database_url():
    database = settings.DATABASES["default"]
    user = database["USER"] or "postgres"
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    host = database["HOST"] or "127.0.0.1"
    port = database["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/postgres"


def run_sql(*statements):
    import psycopg

    database = settings.DATABASES["default"]
    with psycopg.connect(
        dbname="postgres",
        user=database["USER"] or "postgres",
        password=database["PASSWORD"] or None,
        host=database["HOST"] or "127.0.0.1",
        port=database["PORT"] or 5432,
        autocommit=True,
    ) as connection:
        for statement in statements:
            connection.execute(statement)


class Client:
    """A small browser: cookies (Secure ones too, as the balancer speaks HTTPS to it)."""

    def __init__(self, port):
        self.origin = f"https://127.0.0.1:{port}"
        self.base = f"http://127.0.0.1:{port}"
        self.cookies = {}
        self.opener = urllib.request.build_opener(NoRedirect)

    def request(self, path, data=None, referer=None):
        headers = {"X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            pairs = data.items() if isinstance(data, dict) else [tuple(pair) for pair in data]
            body = urllib.parse.urlencode(list(pairs)).encode()
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + (referer or path)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        try:
            response = self.opener.open(request, timeout=REQUEST_TIMEOUT)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, response.headers, response.read().decode()

    def get(self, path):
        status, headers, body = self.request(path)
        retry_after = headers.get("Retry-After", "")
        if status == 429 and retry_after.isdigit() and int(retry_after) <= MAX_THROTTLE_WAIT:
            # The API's throttle counts this test's requests too: wait once, as a client would.
            time.sleep(int(retry_after))
            status, headers, body = self.request(path)
        return status, headers, body


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class FormReader(HTMLParser):
    """The fields a browser would submit from the form holding `field`, and its action."""

    def __init__(self, field):
        super().__init__(convert_charrefs=True)
        self.field = field
        self.forms = []
        self.current = None
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.current = {"action": attrs.get("action") or "", "fields": [], "names": set()}
            self.forms.append(self.current)
        if self.current is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.current["fields"].append(
                [name, attrs.get("value", "on" if kind == "checkbox" else "")]
            )
            self.current["names"].add(name)
        elif tag == "select" and name:
            self.select = {
                "name": name,
                "multiple": "multiple" in attrs,
                "options": [],
                "chosen": [],
            }
        elif tag == "option" and self.select is not None:
            value = attrs.get("value", "")
            self.select["options"].append(value)
            if "selected" in attrs:
                self.select["chosen"].append(value)
        elif tag == "textarea" and name:
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select" and self.select is not None:
            chosen = self.select["chosen"]
            if not chosen and not self.select["multiple"] and self.select["options"]:
                chosen = self.select["options"][:1]
            for value in chosen:
                self.current["fields"].append([self.select["name"], value])
            self.current["names"].add(self.select["name"])
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            # Browsers drop the one newline that follows <textarea>.
            self.textarea[1] = self.textarea[1].removeprefix("\n")
            self.current["fields"].append(self.textarea)
            self.current["names"].add(self.textarea[0])
            self.textarea = None
        elif tag == "form":
            self.current = None

    def form(self):
        for form in self.forms:
            if self.field in form["names"]:
                return form
        raise AssertionError(f"no form with a field {self.field!r}")


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """Two gunicorn servers on the shared database and Redis; always stopped."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.ConnectionError as error:
        message = f"Redis is not reachable at {REDIS_URL}: {error}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    folder = tmp_path_factory.mktemp("multiprocess")
    run_sql(
        f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)',
        f'CREATE DATABASE "{DATABASE}"',
    )
    redis.Redis.from_url(REDIS_URL).flushdb()
    ports = [free_port(), free_port()]
    password = secrets.token_urlsafe(16)
    env = production_env(
        DATABASE_URL=database_url(),
        REDIS_URL=REDIS_URL,
        ALLOWED_HOSTS="127.0.0.1",
        CSRF_TRUSTED_ORIGINS="",
        BEHIND_PROXY="1",
        CONN_MAX_AGE="60",
        STATIC_ROOT=str(folder / "static"),
        WEB_CONCURRENCY="1",
        DJANGO_SUPERUSER_PASSWORD=password,
        DJANGO_SUPERUSER_USERNAME="editor",
        DJANGO_SUPERUSER_EMAIL="editor@example.org",
    )
    for command in (
        ["migrate", "--noinput"],
        ["collectstatic", "--noinput"],
        ["loaddata", "alliance"],
        ["createsuperuser", "--noinput"],
    ):
        result = manage(*command, env=env, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr

    processes, logs = [], []
    try:
        for port in ports:
            log = (folder / f"gunicorn-{port}.log").open("w+")
            logs.append(log)
            processes.append(
                subprocess.Popen(
                    [
                        str(Path(sys.executable).with_name("gunicorn")),
                        "--config",
                        "python:alliance.gunicorn",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "alliance.wsgi",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        for port, process, log in zip(ports, processes, logs, strict=True):
            wait_until_healthy(port, process, log)
        yield {"ports": ports, "password": password, "env": env, "logs": logs}
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        for log in logs:
            log.close()
        run_sql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


def wait_until_healthy(port, process, log):
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    log.seek(0)
    raise AssertionError(f"gunicorn on port {port} did not become healthy:\n{log.read()}")


def links(body, hosts):
    """Same-site paths a page, a feed or an API response links to."""
    hosts = "|".join(re.escape(host) for host in hosts)
    # href="/…", href="https://host/…" in HTML and feeds; "https://host/…" in JSON.
    found = re.findall(rf'href="(?:{hosts})?(/[^"#]*)"|"(?:{hosts})(/[^"#]*)"', body)
    paths = (relative or absolute for relative, absolute in found)
    return [
        path.replace("&amp;", "&")
        for path in paths
        if not path.startswith(("/admin", "/static", "//", "/i18n"))
    ]


def crawl(client, starts):
    """Pages reachable from `starts`, at most CRAWL_LIMIT of them: {path: body}."""
    seen, queue, pages = set(starts), list(starts), {}
    while queue and len(pages) < CRAWL_LIMIT:
        path = queue.pop(0)
        status, _, body = client.get(path)
        if status != 200:
            continue
        pages[path] = body
        for link in links(body, [client.origin, client.base]):
            if link in seen:
                continue
            if link.startswith("/api/") and sum(p.startswith("/api/") for p in seen) >= API_LIMIT:
                continue
            seen.add(link)
            queue.append(link)
    return pages


def shows(body, name):
    """Whether a page shows `name` as the text of an element or as a JSON value."""
    return f">{name}<" in body or f'"{name}"' in body or f">{name} <" in body


def pick_organisation():
    """A member of a coalition, so that it shows on several pages: (slug, name)."""
    fixture = json.loads((ROOT / "fixtures" / "alliance.json").read_text())
    member_slug = next(row for row in fixture if row["model"] == "alliance.membership")["fields"][
        "member"
    ][0]
    name = next(
        row["fields"]["name"]
        for row in fixture
        if row["model"] == "alliance.organisation" and row["fields"]["slug"] == member_slug
    )
    return member_slug, name


def start_paths(slug):
    paths = []
    for language in ("fr", "en"):
        with translation.override(language):
            paths.append(reverse("public:home"))
            paths.append(reverse("public:organisation-detail", kwargs={"slug": slug}))
    # The API, where this branch has it (a 404 is left out of the crawl).
    paths += ["/api/v1/", "/api/v1/organisations/", f"/api/v1/organisations/{slug}/"]
    return paths


def edit_name_through_admin(client, password, slug, new_name, env):
    """Log in to the admin and rename the organisation; fall back to the ORM without it."""
    login = reverse("admin:login")
    status, _, body = client.get(login)
    assert status == 200
    form = FormReader("username")
    form.feed(body)
    fields = dict(form.form()["fields"])
    fields.update(username="editor", password=password, next=reverse("admin:index"))
    status, _, body = client.request(login, fields)
    assert status == 302, body[:2000]
    assert "sessionid" in client.cookies

    result = manage(
        "shell",
        "--no-imports",
        "-c",
        f"from alliance.models import Organisation; print(Organisation.objects.get(slug={slug!r}).pk)",
        env=env,
    )
    pk = int(result.stdout.strip())
    change = f"/admin/alliance/organisation/{pk}/change/"
    status, _, body = client.get(change)
    if status == 404:
        # This branch has no admin for organisations yet: edit as the admin would save.
        result = manage(
            "shell",
            "--no-imports",
            "-c",
            "from alliance.models import Organisation; "
            f"o = Organisation.objects.get(slug={slug!r}); o.name = {new_name!r}; o.save()",
            env=env,
        )
        assert result.returncode == 0, result.stderr
        return "orm"
    assert status == 200, body[:2000]
    reader = FormReader("name")
    reader.feed(body)
    form = reader.form()
    fields = [field for field in form["fields"] if field[0] != "name"]
    fields.append(["name", new_name])
    fields.append(["_save", "Save"])
    status, _, body = client.request(form["action"] or change, fields, referer=change)
    errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>.*?</ul>', body, re.S)
    assert status == 302, f"the admin refused the edit: {errors or body[:2000]}"
    return "admin"


def test_edit_through_one_server_shows_at_once_on_the_other(servers):
    writer, reader = (Client(port) for port in servers["ports"])
    slug, old_name = pick_organisation()
    new_name = f"Renamed {secrets.token_hex(4)}"

    # The reader serves every page once first, so anything it caches holds the old name.
    before = crawl(reader, start_paths(slug))
    showing = [path for path, body in before.items() if shows(body, old_name)]
    assert len(showing) >= 2, f"{old_name!r} shows on too few pages: {sorted(before)}"

    how = edit_name_through_admin(writer, servers["password"], slug, new_name, servers["env"])

    stale = []
    for path in showing:
        status, _, body = reader.get(path)
        assert status == 200, path
        if new_name not in body:
            stale.append(path)
    assert not stale, (
        f"edited through the {how}; the other server still shows the old name on {stale}"
    )

    # Both servers serve the same pages (nonces, and the host in absolute links, aside).
    for path in showing:
        bodies = [client.get(path)[2] for client in (writer, reader)]
        same = [
            re.sub(r"127\.0\.0\.1:\d+", "HOST", re.sub(r"nonce[-=]\"?[\w-]+", "nonce", body))
            for body in bodies
        ]
        assert same[0] == same[1], path


def test_servers_log_one_line_per_request_to_standard_output(servers):
    client = Client(servers["ports"][0])
    marker = f"/healthz?probe={secrets.token_hex(4)}"
    client.get(marker)
    time.sleep(0.5)
    log = servers["logs"][0]
    log.seek(0)
    lines = [line for line in log.read().splitlines() if "path=/healthz" in line]
    assert lines
    assert re.search(r"method=GET path=/healthz status=200 duration_ms=\d+\.\d", lines[-1])


def test_login_lockout_is_shared_between_servers(servers):
    first, second = (Client(port) for port in servers["ports"])
    login = reverse("admin:login")
    for attempt in range(10):
        client = first if attempt % 2 else second
        status, _, body = client.get(login)
        reader = FormReader("username")
        reader.feed(body)
        fields = dict(reader.form()["fields"])
        fields.update(username="mallory", password="guess", next="/admin/")
        status, _, _ = client.request(login, fields)
        if status == 429:
            break
    # The default limit is 5: the fifth failure, spread over both servers, answers 429.
    assert status == 429
    assert attempt == 4
