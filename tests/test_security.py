"""Hardening: Content-Security-Policy, admin login lockout, and escaping of editors' text."""

import io
import re
from urllib.parse import urldefrag

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.management import CommandError, call_command
from django.db import models
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

PAYLOAD = '"><script>alert("xss")</script>'
RAW_TAG = '<script>alert("xss")'


def public_urls():
    """Home, then every distinct page a row of the record links to (fragments dropped)."""
    urls = [reverse("public:home")]
    for model in apps.get_app_config("alliance").get_models():
        if not hasattr(model, "get_absolute_url"):
            continue
        for row in model._default_manager.all():
            try:
                url = urldefrag(row.get_absolute_url()).url
                resolve(url.split("?")[0])
            except (NoReverseMatch, Resolver404):
                continue
            if url not in urls:
                urls.append(url)
    return urls


def admin_change_urls():
    """The admin's change list and the change page of each row, for every registered model."""
    urls = []
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse(f"admin:{info[0]}_{info[1]}_changelist"))
        for pk in model._default_manager.values_list("pk", flat=True)[:20]:
            urls.append(reverse(f"admin:{info[0]}_{info[1]}_change", args=[pk]))
    return urls


# Content-Security-Policy ------------------------------------------------------------


def csp_directives(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
def test_every_public_page_sends_the_strict_policy(client, record):
    urls = public_urls()
    assert len(urls) > 1
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = csp_directives(response)
        assert policy["default-src"] == ["'self'"], url
        assert policy["script-src"][0] == "'self'", url
        assert all(source.startswith("'nonce-") for source in policy["script-src"][1:]), url
        assert policy["object-src"] == ["'none'"], url
        assert policy["base-uri"] == ["'none'"], url
        assert policy["frame-ancestors"] == ["'none'"], url
        assert policy["form-action"] == ["'self'"], url
        assert policy["img-src"] == ["'self'", "data:"], url
        assert "'unsafe-inline'" not in response["Content-Security-Policy"], url
        assert "'unsafe-eval'" not in response["Content-Security-Policy"], url


@pytest.mark.slow
@pytest.mark.django_db
def test_admin_pages_send_the_policy(admin_client, record):
    for url in [reverse("admin:index"), *admin_change_urls()]:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert csp_directives(response)["default-src"] == ["'self'"], url


INLINE_STYLE_OR_HANDLER = re.compile(r"<[^>]*\s(style|on[a-z]+)\s*=", re.IGNORECASE)


@pytest.mark.slow
@pytest.mark.django_db
def test_admin_pages_carry_no_style_attribute_and_no_inline_handler(admin_client, record):
    # The policy refuses both, and no nonce can allow them: the browser would block them
    # and report it. The library templates that had some are overridden in templates/.
    person = apps.get_model("alliance", "Person").objects.get(slug="yann-lecun")
    person.save()  # a version in its history
    urls = [
        reverse("admin:index"),
        *admin_change_urls(),
        reverse("admin:alliance_membership_import"),
        reverse("admin:alliance_membership_export"),
        reverse("admin:alliance_person_history", args=[person.pk]),
        reverse(
            "admin:alliance_person_simple_history",
            args=[person.pk, person.history.latest("history_date").history_id],
        ),
        reverse("admin:alliance_organisation_add") + "?_to_field=id&_popup=1",
    ]
    for url in urls:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        found = INLINE_STYLE_OR_HANDLER.search(response.content.decode())
        assert found is None, f"{url}: {found and found.group()}"


@pytest.mark.django_db
def test_nonce_is_new_for_each_response(admin_client):
    # The change list's inline <style> needs the nonce: it must differ at each request.
    url = reverse("admin:auth_user_changelist")
    first = csp_directives(admin_client.get(url))["style-src"]
    second = csp_directives(admin_client.get(url))["style-src"]
    assert first[1].startswith("'nonce-")
    assert first != second


# Login lockout ----------------------------------------------------------------------


@pytest.fixture
def lockout(settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_LOCKOUT_SECONDS = 600
    return settings


def log_in(client, username, password, ip="192.0.2.10", **extra):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=ip,
        **extra,
    )


def fail_until_locked(client, username, ip="192.0.2.10", **extra):
    """LOGIN_FAILURE_LIMIT (3) failures: the form comes back twice, the third answers 429."""
    statuses = [log_in(client, username, "wrong", ip=ip, **extra).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


@pytest.mark.django_db
def test_admin_login_answers_429_after_repeated_failures(client, admin_user, lockout):
    fail_until_locked(client, admin_user.username)
    response = log_in(client, admin_user.username, "password")
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    assert "Too many failed logins. Try again in 10 minutes" in response.content.decode()
    assert "unlock_logins" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_lockout_is_per_username_and_address(client, admin_user, django_user_model, lockout):
    django_user_model.objects.create_superuser("other", password="password")
    fail_until_locked(client, admin_user.username)
    assert log_in(client, admin_user.username, "password").status_code == 429
    assert log_in(client, admin_user.username, "password", ip="192.0.2.99").status_code == 302
    client.logout()
    assert log_in(client, "other", "password").status_code == 302


@pytest.mark.django_db
def test_username_case_does_not_escape_the_lockout(client, admin_user, lockout):
    fail_until_locked(client, admin_user.username.upper())
    assert log_in(client, admin_user.username, "password").status_code == 429


@pytest.mark.django_db
def test_look_alike_username_does_not_escape_the_lockout(client, django_user_model, lockout):
    # The login form reads "\uff45d1" (a full-width e) as "ed1" (NFKC), so it logs in as ed1:
    # it must count against ed1 too.
    django_user_model.objects.create_superuser("ed1", password="password")
    fail_until_locked(client, "ed1")
    assert log_in(client, "\uff45d1", "password").status_code == 429
    assert log_in(client, "\uff25\uff24\uff11", "password").status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_successful_login_clears_the_failures(client, admin_user, lockout):
    for _ in range(2):
        log_in(client, admin_user.username, "wrong")
    assert log_in(client, admin_user.username, "password").status_code == 302
    client.logout()
    for _ in range(2):
        log_in(client, admin_user.username, "wrong")
    assert log_in(client, admin_user.username, "password").status_code == 302


@pytest.mark.django_db
def test_lockout_reads_the_client_address_behind_the_load_balancer(client, admin_user, lockout):
    lockout.PROXY_COUNT = 1
    balancer = "10.0.0.2"
    lockout.FORWARDED_ALLOW_IPS = [balancer]
    reader, other_reader = (
        {"HTTP_X_FORWARDED_FOR": "198.51.100.7"},
        {"HTTP_X_FORWARDED_FOR": "203.0.113.5, 198.51.100.8"},
    )
    fail_until_locked(client, admin_user.username, ip=balancer, **reader)
    assert log_in(client, admin_user.username, "password", ip=balancer, **reader).status_code == 429
    # Another reader behind the same balancer is not locked out (the last entry counts:
    # the one the balancer appended, which a client cannot forge).
    response = log_in(client, admin_user.username, "password", ip=balancer, **other_reader)
    assert response.status_code == 302


@pytest.mark.django_db
def test_forwarded_address_from_an_untrusted_peer_does_not_escape_the_lockout(
    client, admin_user, lockout
):
    lockout.PROXY_COUNT = 1
    lockout.FORWARDED_ALLOW_IPS = ["10.0.0.2"]
    attacker = "203.0.113.66"
    statuses = [
        log_in(
            client,
            admin_user.username,
            "wrong",
            ip=attacker,
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        ).status_code
        for n in range(3)
    ]
    assert statuses == [200, 200, 429]
    response = log_in(
        client, admin_user.username, "password", ip=attacker, HTTP_X_FORWARDED_FOR="192.0.2.1"
    )
    assert response.status_code == 429


@pytest.mark.django_db
def test_lockout_holds_whatever_happens_to_the_caches(client, admin_user, lockout):
    from django.core.cache import caches

    fail_until_locked(client, admin_user.username)
    for alias in ("default", "counters", "pages"):
        caches[alias].clear()
    assert log_in(client, admin_user.username, "password").status_code == 429


@pytest.mark.django_db
@pytest.mark.parametrize(
    "arguments",
    [["admin"], ["ADMIN"], ["admin", "--ip", "192.0.2.10"], ["--all"]],
    ids=["username", "username-any-case", "username-and-ip", "all"],
)
def test_unlock_command_lifts_the_lockout(client, admin_user, lockout, arguments):
    fail_until_locked(client, admin_user.username)
    assert log_in(client, admin_user.username, "password").status_code == 429
    out = io.StringIO()
    call_command("unlock_logins", *arguments, stdout=out, stderr=io.StringIO())
    assert "1 count(s) removed" in out.getvalue()
    assert log_in(client, admin_user.username, "password").status_code == 302


@pytest.mark.django_db
def test_unlock_command_for_another_address_leaves_the_lockout(client, admin_user, lockout):
    fail_until_locked(client, admin_user.username)
    call_command("unlock_logins", "admin", "--ip", "192.0.2.99", stdout=io.StringIO())
    assert log_in(client, admin_user.username, "password").status_code == 429


def test_unlock_command_needs_a_username_or_all():
    with pytest.raises(CommandError, match="username, or --all"):
        call_command("unlock_logins")


# Escaping ---------------------------------------------------------------------------


def text_fields(model):
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not isinstance(field, models.SlugField)
        and not field.choices
    ]


def plant_payload():
    """Put PAYLOAD in every text field of every row, bypassing validation like raw SQL."""
    planted = 0
    for model in apps.get_app_config("alliance").get_models():
        if model._meta.proxy or model.__name__.startswith("Historical"):
            continue
        fields = text_fields(model)
        for row in model._default_manager.all():
            values = {}
            for field in fields:
                # Kept unique by keeping the old text, as much as the column holds.
                room = (field.max_length or 10**6) - len(PAYLOAD)
                if room >= 0:
                    values[field.attname] = f"{getattr(row, field.attname)[:room]}{PAYLOAD}"
            if values:
                model._default_manager.filter(pk=row.pk).update(**values)
                planted += len(values)
    return planted


@pytest.mark.slow
@pytest.mark.django_db
def test_script_saved_in_any_text_field_never_appears_unescaped(admin_client, record):
    assert plant_payload() > 100
    urls = [*public_urls(), reverse("admin:index"), *admin_change_urls()]
    escaped_somewhere = False
    for url in urls:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert RAW_TAG not in body, f"unescaped <script> on {url}"
        escaped_somewhere |= "&lt;script&gt;" in body
    assert escaped_somewhere


# In a browser, under the policy -----------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pages_and_admin_work_under_the_policy_without_console_errors(
    page, live_server, django_user_model
):
    from django.core.management import call_command

    call_command("loaddata", "alliance", verbosity=0)
    django_user_model.objects.create_superuser("editor", password="a long passphrase")

    # The browser asks for /favicon.ico on its own; which icon the site has is not the
    # subject here, and its 404 would read as a console error.
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))

    response = page.goto(reverse("public:home"))
    assert response.headers["content-security-policy"].startswith("default-src 'self'")

    page.goto(reverse("admin:login"))
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a long passphrase")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}{reverse('admin:index')}")
    for url in [reverse("admin:auth_user_changelist"), reverse("admin:auth_user_add")]:
        assert page.goto(url).status == 200

    docs = page.request.get(f"{live_server.url}/api/docs/")
    if docs.status == 200:
        assert page.goto("/api/docs/").status == 200
        page.wait_for_load_state("networkidle")


@pytest.mark.browser
@pytest.mark.django_db
def test_browser_refuses_an_injected_inline_script(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url)
    page = context.new_page()
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    page.goto(reverse("public:home"))
    ran = page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.injected = true";
            document.body.append(script);
            return window.injected === true;
        }"""
    )
    context.close()
    assert ran is False
    assert any("Content Security Policy" in message for message in messages), messages
