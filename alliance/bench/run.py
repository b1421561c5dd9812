"""Build the scale database, serve it with gunicorn, drive every endpoint with wrk, report.

Cold and warm: when the settings define `PAGE_CACHE` (a boolean read from the environment
variable of that name), the endpoints are measured twice, each time on a fresh server: with
PAGE_CACHE=0 (cold: no whole answer kept per version, but each page and API answer kept
until a part of the record it read changes) and PAGE_CACHE=1 (warm: the page cache
answers); then once more with KEPT_PAGES=0 as well (drawn: every answer drawn afresh,
for the record of what a drawing costs). Without that setting the site has no page
cache, and the report says so.
"""

import argparse
import datetime
import importlib.metadata
import os
import platform
import secrets
import sys
import time
from io import StringIO
from pathlib import Path

from alliance.bench import phases, report, wrk
from alliance.bench.endpoints import STATIC, endpoints
from alliance.bench.notes import NOTES
from alliance.bench.server import Gunicorn, clean_environment, fetch

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Small enough to check the whole chain in a few seconds; not a measurement.
TINY = {
    "organisations": 200,
    "people": 50,
    "coalitions": 5,
    "positions": 2000,
    "articles": 20,
    "ai_systems": 20,
}


def arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m alliance.bench", description=__doc__)
    parser.add_argument("--rounds", type=int, default=3, help="rotated rounds (default 3)")
    parser.add_argument("--seconds", type=int, default=3, help="per endpoint and round (3)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (16)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated data (0)")
    parser.add_argument(
        "--tiny", action="store_true", help="a tiny database, to check that the chain works"
    )
    parser.add_argument(
        "--keep-data",
        action="store_true",
        help="reuse the scale database of an earlier run instead of generating it again",
    )
    parser.add_argument("--output", type=Path, default=BASE_DIR / "bench", help="bench/")
    parser.add_argument(
        "--phases",
        help="only these phases, comma-separated (cold, warm, edits, busting, drawn): a "
        "partial report, written beside the full one rather than over it",
    )
    return parser.parse_args(argv)


def say(message):
    print(message, file=sys.stderr, flush=True)


def settings_environment(output, tiny):
    """Production settings: DEBUG off, a fresh secret key, only 127.0.0.1 allowed, no TLS."""
    name = "scale-tiny.sqlite3" if tiny else "scale.sqlite3"
    return {
        # The production settings, plus the stock baseline's URLs (alliance.bench.stock).
        "DJANGO_SETTINGS_MODULE": "alliance.bench.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP on the loopback: in production TLS ends in front of gunicorn, and the
        # redirect to HTTPS would otherwise answer every request with a 301.
        "SECURE_SSL_REDIRECT": "0",
        # One client sends every request: a per-client budget would answer 429 instead.
        "API_ANONYMOUS_RATE": "none",
        # As `make serve` runs it: database connections kept between requests.
        "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60"),
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{output / name}",
    }


def build_database(args):
    """Migrate, generate the record, collect static files; return a summary of the data."""
    from django.core.management import call_command
    from django.db import connection

    from alliance.models import Organisation
    from alliance.scale import foreign_row

    if connection.vendor == "sqlite" and not args.keep_data:
        path = Path(connection.settings_dict["NAME"])
        for leftover in [
            path,
            path.with_name(path.name + "-wal"),
            path.with_name(path.name + "-shm"),
        ]:
            leftover.unlink(missing_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    summary = StringIO()
    started = time.monotonic()
    if args.keep_data and Organisation.objects.exists() and foreign_row() is None:
        say("Reusing the scale database of an earlier run.")
        seconds = None
    else:
        say("Generating the scale database…")
        sizes = TINY if args.tiny else {}
        call_command("generate_scale_data", seed=args.seed, stdout=summary, **sizes)
        seconds = round(time.monotonic() - started, 1)
    if connection.vendor == "postgresql":
        # Fresh bulk-loaded tables have no statistics until autovacuum gets to them, and
        # without them the planner picks sequential scans and bad join orders.
        say("Analysing the tables…")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    say("Collecting static files…")
    call_command("collectstatic", interactive=False, verbosity=0)
    return seconds


def pick_pages():
    """A typical organisation and article: the median by what their pages show."""
    from django.db.models import Count

    from alliance.models import Article, Organisation, OrganisationKind

    organisations = (
        Organisation.objects.filter(kind=OrganisationKind.COMPANY)
        .annotate(facts=Count("positions", distinct=True) + Count("coalition_memberships"))
        .order_by("facts", "slug")
        .values_list("slug", flat=True)
    )
    articles = (
        Article.objects.annotate(size=Count("paragraphs"))
        .order_by("size", "slug")
        .values_list("slug", flat=True)
    )
    return median_item(organisations), median_item(articles)


def median_item(queryset):
    count = queryset.count()
    return queryset[count // 2] if count else "none"


def data_summary():
    from alliance.models import Article, Citation, Organisation, Paragraph, Person, Position

    counts = [
        (Organisation.objects.exclude(kind="coalition").count(), "organisations"),
        (Organisation.objects.coalitions().count(), "coalitions"),
        (Person.objects.count(), "people"),
        (Position.objects.count(), "positions"),
        (Article.objects.count(), "articles"),
        (Paragraph.objects.count(), "paragraphs"),
        (Citation.objects.count(), "citations"),
    ]
    return ", ".join(f"{n:,} {name}" for n, name in counts)


def prepare(base_url, endpoint):
    """Check the endpoint answers as it should; return (status, headers for wrk, error)."""
    url = base_url + endpoint.path
    sent = endpoint.headers
    try:
        status, headers = fetch(url, sent)
        if not endpoint.conditional:
            if not 200 <= status < 300:
                return status, sent, f"answered {status}, not 2xx"
            for _ in range(3):  # Every worker serves it once before the clock starts.
                fetch(url, sent)
                for path in endpoint.warmup:
                    fetch(base_url + path)
            return status, sent, None
        if status != 200:
            return status, (), f"the first, plain request answered {status}, not 200"
        etag = headers.get("ETag")
        if not etag:
            return status, (), "no ETag in the answer: conditional requests are not supported"
        conditional = (("If-None-Match", etag),)
        status, _ = fetch(url, conditional)
        if status != 304:
            return status, conditional, f"answered {status} to If-None-Match, not 304"
        return status, conditional, None
    except OSError as error:
        return None, (), f"no answer: {error}"


def settle(server, static_url, workers, result):
    """Wait until the workers have finished what the last run left queued.

    When wrk stops, the connections it had open are still queued at gunicorn, which
    serves them to closed sockets: for a slow page, seconds of work that would otherwise
    be charged to the next endpoint measured. A request sent now is served after them;
    then the other workers get the time of one request of the last endpoint to finish
    theirs.
    """
    fetch(server.url + static_url)
    rate = result["requests_per_second"]
    one_request = workers / rate if rate > 0 else SETTLE_SECONDS_AT_MOST
    time.sleep(min(one_request, SETTLE_SECONDS_AT_MOST))


#: A page slower than this is measured badly anyway: a bound on the wait after each run.
SETTLE_SECONDS_AT_MOST = 3.0


def run_phase(args, env, phase, phase_endpoints, log_path, edited_slug=None):
    """Serve with gunicorn; rotated rounds over the endpoints; rows and workers' memory.

    An endpoint marked `edits` is read while `edited_slug` is edited once a second.
    """
    rows, ready = [], []
    static_path = next(e.path for e in phase_endpoints if e.name == STATIC)
    rounds = {endpoint.name: [] for endpoint in phase_endpoints}
    edits = {}
    errors = {}
    with Gunicorn(env, workers=args.workers, log_path=log_path) as server:
        statuses = {}
        for endpoint in phase_endpoints:
            status, headers, error = prepare(server.url, endpoint)
            statuses[endpoint.name] = status
            if error:
                errors[endpoint.name] = error
                say(f"  {endpoint.label}: {error}")
            else:
                ready.append((endpoint, headers))
        for number in range(args.rounds):
            # Each round starts one further along, so drift over time spreads evenly.
            shift = number % max(len(ready), 1)
            for endpoint, headers in ready[shift:] + ready[:shift]:
                if endpoint.name in errors:
                    continue
                editor = None
                if endpoint.edits:
                    editor = phases.Editor(server.url, edited_slug)
                    editor.start()
                try:
                    result = wrk.run(
                        server.url + endpoint.path,
                        headers=headers,
                        seconds=args.seconds,
                        connections=args.connections,
                        threads=args.threads,
                        script=endpoint.script,
                    )
                except wrk.WrkError as error:
                    errors[endpoint.name] = str(error)
                    continue
                finally:
                    if editor is not None:
                        editor.stop.set()
                        editor.join()
                        done = edits.setdefault(endpoint.name, {"made": 0, "seen": 0})
                        summary = editor.summary()
                        done["made"] += summary["made"]
                        done["seen"] += summary["seen"]
                        done.setdefault("failures", []).extend(summary["failures"])
                rounds[endpoint.name].append(result)
                settle(server, static_path, args.workers, result)
                say(
                    f"  [{phase} {number + 1}/{args.rounds}] {endpoint.label:<30} "
                    f"{result['requests_per_second']:>9.1f} req/s"
                )
        workers = [{**worker, "phase": phase} for worker in server.worker_memory()]
    for endpoint in phase_endpoints:
        rows.append(
            report.measurement(
                endpoint,
                phase,
                http_status=statuses.get(endpoint.name),
                error=errors.get(endpoint.name),
                rounds=rounds[endpoint.name],
                edits=edits.get(endpoint.name),
            )
        )
    return rows, workers


def main(argv=None):
    args = arguments(argv)
    try:
        wrk_version = wrk.version()
    except wrk.WrkError as error:
        say(str(error))
        return 2
    args.output.mkdir(parents=True, exist_ok=True)
    overrides = settings_environment(args.output, args.tiny)
    os.environ.update(overrides)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management.base import CommandError
    from django.db import DatabaseError, connection, connections
    from django.templatetags.static import static

    try:
        generation_seconds = build_database(args)
    except (CommandError, DatabaseError) as error:
        say(f"The scale database could not be built: {error}")
        return 2
    organisation_slug, article_slug = pick_pages()
    all_endpoints = endpoints(static("admin/css/base.css"), organisation_slug, article_slug)
    vendor = connection.vendor
    page_cache = hasattr(settings, "PAGE_CACHE")
    environment = {
        "generated_at": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "database": vendor,
        "data": data_summary(),
        "generation_seconds": generation_seconds,
        "conn_max_age": settings.DATABASES["default"].get("CONN_MAX_AGE"),
        "page_cache": "on in the warm phase, off in the cold one (answers kept per part of "
        "the record they read), off with nothing kept in the drawn one"
        if page_cache
        else "none (the site has no page cache: warm rows not measured)",
        "workers": args.workers,
        "threads": args.threads,
        "connections": args.connections,
        "rounds": args.rounds,
        "seconds": args.seconds,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "wrk": wrk_version,
        "gunicorn": importlib.metadata.version("gunicorn"),
        "tiny": args.tiny,
    }
    connections.close_all()

    log_path = args.output / "gunicorn.log"
    rows, workers = [], []
    phase_list = [(report.COLD, {"PAGE_CACHE": "0"} if page_cache else {})]
    if page_cache:
        phase_list.append((report.WARM, {"PAGE_CACHE": "1"}))
    static_endpoint = next(e for e in all_endpoints if e.name == STATIC)
    chosen_in = {
        report.COLD: all_endpoints,
        report.WARM: [e for e in all_endpoints if e.warm or e.name == STATIC],
        phases.EDITS: phases.edits_endpoints(
            static_endpoint, args.output, phases.mix_paths(all_endpoints)
        ),
        phases.BUSTING: phases.busting_endpoints(static_endpoint, args.output),
        report.DRAWN: [e for e in all_endpoints if not e.conditional],
    }
    if page_cache:
        phase_list += [
            (phases.EDITS, {"PAGE_CACHE": "1"}),
            (phases.BUSTING, {"PAGE_CACHE": "1"}),
            (report.DRAWN, {"PAGE_CACHE": "0", "KEPT_PAGES": "0"}),
        ]
    if args.phases:
        wanted = set(args.phases.split(","))
        unknown = wanted - {phase for phase, _ in phase_list}
        if unknown:
            say(f"No such phase: {', '.join(sorted(unknown))}.")
            return 2
        phase_list = [(phase, extra) for phase, extra in phase_list if phase in wanted]
    for phase, extra in phase_list:
        say(f"Measuring, {phase} phase…")
        chosen = chosen_in[phase]
        env = clean_environment({**overrides, **extra})
        try:
            phase_rows, phase_workers = run_phase(
                args, env, phase, chosen, log_path, edited_slug=organisation_slug
            )
        except RuntimeError as error:
            say(f"The server could not be measured: {error}")
            return 2
        rows += phase_rows
        workers += phase_workers
    if not page_cache:
        rows += [
            report.measurement(endpoint, report.WARM, skipped=report.NO_CACHE)
            for endpoint in all_endpoints
            if endpoint.warm
        ]

    stem = f"report-{vendor}" + ("-tiny" if args.tiny else "") + ("-partial" if args.phases else "")
    sqlite_report = None
    earlier = args.output / ("report-sqlite" + ("-tiny" if args.tiny else "") + ".json")
    if vendor != "sqlite" and earlier.exists():
        import json

        sqlite_report = json.loads(earlier.read_text("utf-8"))
    result = report.build(
        rows, environment=environment, workers=workers, notes=NOTES, sqlite_report=sqlite_report
    )
    json_path, text_path = report.write(result, args.output, stem)
    print(report.render(result))
    say(f"Wrote {json_path} and {text_path}.")
    return 0
