"""The benchmark driver: reading wrk, judging targets, writing the report. No timing here."""

import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from alliance.bench import report, run, server, wrk
from alliance.bench.endpoints import STATIC, Endpoint, Target, endpoints

# Captured from wrk 4.1.0 (Debian) with --latency.
WRK_OK = """\
Running 1s test @ http://127.0.0.1:18765/a.txt
  2 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.68ms  633.79us   8.90ms   78.89%
    Req/Sec     1.17k   108.66     1.32k    59.09%
  Latency Distribution
     50%    1.59ms
     75%    1.95ms
     90%    2.37ms
     99%    3.58ms
  2567 requests in 1.10s, 471.29KB read
Requests/sec:   2333.66
Transfer/sec:    428.45KB
"""
WRK_ERRORS = """\
Running 1s test @ http://127.0.0.1:18765/missing
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     0.85ms  355.85us   5.19ms   77.94%
    Req/Sec     2.24k   175.49     2.72k    90.91%
  Latency Distribution
     50%  801.00us
     75%    1.00ms
     90%    1.24ms
     99%    1.90s
  2445 requests in 1.10s, 1.21MB read
  Socket errors: connect 0, read 2, write 0, timeout 7
  Non-2xx or 3xx responses: 2445
Requests/sec:   2224.18
Transfer/sec:      1.10MB
"""


def rounds(rate, p50=2.0, p99=5.0, bad=0):
    return {
        "requests": int(rate),
        "seconds": 1.0,
        "requests_per_second": rate,
        "p50_ms": p50,
        "p99_ms": p99,
        "non_2xx_3xx": bad,
        "socket_errors": {"connect": 0, "read": 0, "write": 0, "timeout": 0},
    }


STATIC_ENDPOINT = Endpoint(STATIC, "static file", "/static/x.css", warm=False)
LIST = Endpoint("list", "organisation list", "/fr/organisations/", Target(0.15))
FILTERED = Endpoint("list-filtered", "filtered", "/fr/organisations/?kind=x", Target(0.8, "list"))
CONDITIONAL = Endpoint("page-304", "page, 304", "/fr/p/", Target(0.3), conditional=True)


def test_wrk_output_is_read_into_rates_and_latencies_in_milliseconds():
    numbers = wrk.parse(WRK_OK)
    assert numbers == {
        "requests": 2567,
        "seconds": 1.1,
        "requests_per_second": 2333.66,
        "p50_ms": 1.59,
        "p99_ms": 3.58,
        "non_2xx_3xx": 0,
        "socket_errors": {"connect": 0, "read": 0, "write": 0, "timeout": 0},
    }


def test_wrk_error_answers_socket_errors_and_other_units_are_read():
    numbers = wrk.parse(WRK_ERRORS)
    assert numbers["p50_ms"] == pytest.approx(0.801)
    assert numbers["p99_ms"] == pytest.approx(1900.0)
    assert numbers["non_2xx_3xx"] == 2445
    assert numbers["socket_errors"] == {"connect": 0, "read": 2, "write": 0, "timeout": 7}


@pytest.mark.parametrize(
    "output", ["", "unable to connect to 127.0.0.1:1 Connection refused", WRK_OK.split("  Lat")[0]]
)
def test_unreadable_wrk_output_raises_a_clear_error(output):
    with pytest.raises(wrk.WrkError):
        wrk.parse(output)


def test_the_drawn_phase_is_measured_against_its_own_static_file_and_held_to_no_target():
    rows = [
        report.measurement(STATIC_ENDPOINT, report.DRAWN, http_status=200, rounds=[rounds(1000)]),
        report.measurement(LIST, report.DRAWN, http_status=200, rounds=[rounds(50)]),
    ]
    built = report.build(rows, environment={}, workers=[])
    drawn_list = built["results"][1]
    assert drawn_list["ratio_to_static"] == 0.05
    assert drawn_list["target"] is None
    assert drawn_list["target_met"] is None
    assert built["targets_missed"] == []


def test_medians_over_rounds_are_reported():
    row = report.measurement(
        LIST, report.COLD, http_status=200, rounds=[rounds(r) for r in (100, 300, 200)]
    )
    assert row["requests_per_second"] == 200
    assert row["error"] is None


def test_error_answers_during_the_run_make_the_endpoint_an_error():
    row = report.measurement(LIST, report.COLD, http_status=200, rounds=[rounds(100, bad=3)])
    assert "3 answers were neither 2xx nor 3xx" in row["error"]


def test_ratios_and_targets_are_judged_within_the_run():
    rows = [
        report.measurement(STATIC_ENDPOINT, report.COLD, http_status=200, rounds=[rounds(1000)]),
        report.measurement(LIST, report.COLD, http_status=200, rounds=[rounds(200)]),
        report.measurement(FILTERED, report.COLD, http_status=200, rounds=[rounds(100)]),
        report.measurement(CONDITIONAL, report.COLD, http_status=304, rounds=[rounds(800)]),
        report.measurement(STATIC_ENDPOINT, report.WARM, http_status=200, rounds=[rounds(900)]),
        report.measurement(LIST, report.WARM, http_status=200, rounds=[rounds(600)]),
    ]
    built = report.build(rows, environment={}, workers=[])
    cold_list, filtered, conditional, warm_static, warm_list = built["results"][1:]
    assert cold_list["ratio_to_static"] == 0.2
    assert cold_list["target_met"] is True
    # Filtered is judged against the plain list, not the static file.
    assert filtered["target"]["ratio"] == 0.5
    assert filtered["target_met"] is False
    # 304 answers and warm pages are held to 70% of the static file.
    assert conditional["target"]["minimum"] == 0.70
    assert conditional["target_met"] is True
    # The warm phase has its own server, judged against its own static file.
    assert warm_static["target"] is None
    assert warm_list["target"]["minimum"] == 0.70
    assert warm_list["target"]["ratio"] == pytest.approx(0.667, abs=0.001)
    assert warm_list["target_met"] is False
    assert built["targets_missed"] == ["cold list-filtered", "warm list"]


def test_an_endpoint_with_a_warm_target_of_its_own_is_judged_by_it_when_warm():
    gzipped = Endpoint(
        "list-gzip",
        "list, gzip",
        "/fr/organisations/",
        Target(0.8, "list"),
        warm_target=Target(0.8, "list"),
    )
    rows = [
        report.measurement(STATIC_ENDPOINT, report.WARM, http_status=200, rounds=[rounds(1000)]),
        report.measurement(LIST, report.WARM, http_status=200, rounds=[rounds(750)]),
        report.measurement(gzipped, report.WARM, http_status=200, rounds=[rounds(650)]),
    ]
    judged = report.build(rows, environment={}, workers=[])["results"][2]
    # 65% of the static file, under the warm 70%; but 87% of the plain list, over its 80%.
    assert judged["target"]["of"] == "list"
    assert judged["target_met"] is True


def test_an_endpoint_in_error_is_reported_without_numbers_and_the_report_still_renders():
    rows = [
        report.measurement(STATIC_ENDPOINT, report.COLD, http_status=200, rounds=[rounds(1000)]),
        report.measurement(LIST, report.COLD, http_status=404, error="answered 404, not 2xx"),
        report.measurement(FILTERED, report.COLD, http_status=200, rounds=[rounds(100)]),
        report.measurement(LIST, report.WARM, skipped=report.NO_CACHE),
    ]
    built = report.build(rows, environment={"database": "sqlite"}, workers=[])
    assert built["results"][1]["target_met"] is None
    assert built["results"][2]["target"]["ratio"] is None
    assert built["errors"] == ["cold list"]
    text = report.render(built)
    assert "/fr/organisations/: ERROR: answered 404, not 2xx" in text
    assert "warm     not measured: the site has no page cache: organisation list." in text


def test_memory_is_judged_after_the_run_against_150_mb():
    workers = [
        {"pid": 1, "peak_mb": 160.0, "rss_mb": 120.0, "phase": "cold"},
        {"pid": 2, "peak_mb": 90.0, "rss_mb": 80.0, "phase": "cold"},
    ]
    memory = report.memory_summary(workers)
    assert memory == {
        "workers": workers,
        "peak_mb": 160.0,
        "after_run_mb": 120.0,
        "limit_mb": 150,
        "met": True,
    }
    assert report.memory_summary([{**workers[0], "rss_mb": 151.0}])["met"] is False


def test_postgresql_run_is_compared_to_the_last_sqlite_run_by_share_of_the_static_file():
    def run_of(static_rate, list_rate):
        return [
            report.measurement(
                STATIC_ENDPOINT, report.COLD, http_status=200, rounds=[rounds(static_rate)]
            ),
            report.measurement(LIST, report.COLD, http_status=200, rounds=[rounds(list_rate)]),
        ]

    sqlite = report.build(run_of(1000, 200), environment={}, workers=[])
    # A busier machine halved both rates: the list kept 75% of its share of the static file.
    built = report.build(run_of(500, 75), environment={}, workers=[], sqlite_report=sqlite)
    assert built["compared_to_sqlite"] == [
        {
            "phase": "cold",
            "endpoint": "list",
            "ratio_to_sqlite": 0.75,
            "raw_ratio_to_sqlite": 0.375,
            "minimum": 0.8,
            "met": False,
        }
    ]
    assert "cold list compared to SQLite" in built["targets_missed"]
    assert "Compared to the last SQLite run" in report.render(built)


def test_report_is_written_as_json_and_as_a_table(tmp_path):
    rows = [
        report.measurement(STATIC_ENDPOINT, report.COLD, http_status=200, rounds=[rounds(1000)])
    ]
    built = report.build(rows, environment={}, workers=[], notes={"static": "A note."})
    json_path, text_path = report.write(built, tmp_path / "bench", "report-sqlite")
    assert json.loads(json_path.read_text("utf-8")) == built
    assert "Note on static file: A note." in text_path.read_text("utf-8")


def test_every_endpoint_has_a_unique_name_and_targets_name_real_endpoints():
    all_endpoints = endpoints("/static/admin/css/base.css", "acme", "an-article")
    names = [endpoint.name for endpoint in all_endpoints]
    assert len(set(names)) == len(names)
    assert all(e.target.of in names for e in all_endpoints if e.target)
    paths = {endpoint.path for endpoint in all_endpoints}
    assert "/fr/organisations/acme/" in paths
    assert "/api/v1/organisations/acme/" in paths
    assert "/fr/articles/an-article/" in paths


def test_process_memory_is_read_from_proc():
    memory = server.process_memory(os.getpid())
    assert memory["peak_mb"] >= memory["rss_mb"] > 0


class Answers(BaseHTTPRequestHandler):
    """A stand-in server: each path answers in one way the probe must judge."""

    #: Every path asked for, in order.
    asked: list = []

    def do_GET(self):
        Answers.asked.append(self.path)
        if self.path == "/etag" and self.headers.get("If-None-Match") == '"v1"':
            self.send_response(304)
        elif self.path == "/gzip":
            self.send_response(200 if self.headers.get("Accept-Encoding") == "gzip" else 406)
        elif self.path in {"/ok", "/etag"}:
            self.send_response(200)
            if self.path == "/etag":
                self.send_header("ETag", '"v1"')
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
        else:
            self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def stand_in():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Answers)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_settling_waits_one_request_of_the_last_endpoint_and_never_long(stand_in, monkeypatch):
    naps = []
    monkeypatch.setattr(run.time, "sleep", naps.append)
    server_at = type("Server", (), {"url": stand_in})
    run.settle(server_at, "/ok", 2, {"requests_per_second": 8.0})
    run.settle(server_at, "/ok", 2, {"requests_per_second": 0.1})
    run.settle(server_at, "/ok", 2, {"requests_per_second": 0.0})
    assert naps == [0.25, run.SETTLE_SECONDS_AT_MOST, run.SETTLE_SECONDS_AT_MOST]


def test_probe_accepts_a_2xx_answer(stand_in):
    assert run.prepare(stand_in, Endpoint("ok", "ok", "/ok")) == (200, (), None)


@pytest.mark.parametrize(
    ("path", "status", "error"),
    [("/missing", 404, "answered 404, not 2xx"), ("/moved", 301, "answered 301, not 2xx")],
)
def test_probe_reports_a_non_2xx_answer_as_an_error(stand_in, path, status, error):
    assert run.prepare(stand_in, Endpoint("x", "x", path)) == (status, (), error)


def test_probe_sends_the_etag_of_a_first_request_and_expects_304(stand_in):
    endpoint = Endpoint("etag-304", "etag, 304", "/etag", conditional=True)
    assert run.prepare(stand_in, endpoint) == (304, (("If-None-Match", '"v1"'),), None)


def test_probe_sends_an_endpoints_headers_and_hands_them_to_wrk(stand_in):
    sent = (("Accept-Encoding", "gzip"),)
    assert run.prepare(stand_in, Endpoint("gzip", "gzip", "/gzip", headers=sent)) == (
        200,
        sent,
        None,
    )
    assert run.prepare(stand_in, Endpoint("plain", "plain", "/gzip"))[2] == "answered 406, not 2xx"


def test_probe_reports_a_missing_etag_as_an_error(stand_in):
    endpoint = Endpoint("ok-304", "ok, 304", "/ok", conditional=True)
    assert run.prepare(stand_in, endpoint)[2] == (
        "no ETag in the answer: conditional requests are not supported"
    )


def test_probe_reports_a_server_that_does_not_answer():
    endpoint = Endpoint("ok", "ok", "/ok")
    status, _, error = run.prepare(f"http://127.0.0.1:{server.free_port()}", endpoint)
    assert status is None
    assert error.startswith("no answer")


def test_bench_stops_with_a_clear_message_when_wrk_is_missing(monkeypatch, capsys):
    monkeypatch.setattr(wrk.shutil, "which", lambda name: None)
    assert run.main(["--tiny"]) == 2
    assert "apt-get install -y wrk" in capsys.readouterr().err


def test_endpoints_are_compared_to_their_stock_baseline_by_share_of_the_static_file():
    stock = Endpoint("stock-list", "stock ListView", "/stock/organisations/", warm=False)
    listed = Endpoint("list", "organisation list", "/fr/", Target(0.15), baseline="stock-list")
    rows = [
        report.measurement(STATIC_ENDPOINT, report.COLD, http_status=200, rounds=[rounds(1000)]),
        report.measurement(stock, report.COLD, http_status=200, rounds=[rounds(100)]),
        report.measurement(listed, report.COLD, http_status=200, rounds=[rounds(150)]),
        report.measurement(STATIC_ENDPOINT, report.WARM, http_status=200, rounds=[rounds(500)]),
        report.measurement(listed, report.WARM, http_status=200, rounds=[rounds(400)]),
    ]
    built = report.build(rows, environment={}, workers=[])
    cold, warm = built["results"][2], built["results"][4]
    assert cold["ratio_to_stock"] == 1.5
    assert warm["ratio_to_stock"] == 8.0  # 80% of its static file against the stock's 10%
    assert "x stock" in report.render(built)


def test_a_reading_that_missed_an_edit_misses_its_target_whatever_its_rate():
    from alliance.bench import phases

    mix = Endpoint("mix", "mix", "/fr/", Target(0.7))
    edited = Endpoint("mix-edited", "mix, 1 edit/s", "/fr/", Target(0.5, "mix"), edits=True)
    rows = [
        report.measurement(STATIC_ENDPOINT, phases.EDITS, http_status=200, rounds=[rounds(1000)]),
        report.measurement(mix, phases.EDITS, http_status=200, rounds=[rounds(800)]),
        report.measurement(
            edited,
            phases.EDITS,
            http_status=200,
            rounds=[rounds(700)],
            edits={"made": 9, "seen": 8, "failures": ["edit 4 not shown at once"]},
        ),
    ]
    built = report.build(rows, environment={}, workers=[])
    assert built["results"][2]["target"]["ratio"] == 0.875
    assert built["results"][2]["target_met"] is False
    assert "9 edits through the ORM, 8 shown at once" in report.render(built)


def test_the_mix_and_cache_busting_phases_write_the_scripts_wrk_runs(tmp_path):
    from alliance.bench import phases

    all_endpoints = endpoints("/static/admin/css/base.css", "acme", "an-article")
    static = all_endpoints[0]
    paths = phases.mix_paths(all_endpoints)
    assert "/fr/organisations/acme/" in paths
    mix = phases.edits_endpoints(static, tmp_path, paths)
    assert [e.name for e in mix] == [STATIC, "mix", "mix-edited"]
    assert mix[2].edits
    assert mix[2].target.of == "mix"
    assert '"/fr/organisations/acme/"' in (tmp_path / "mix.lua").read_text("utf-8")
    busting = phases.busting_endpoints(static, tmp_path)
    assert [e.name for e in busting] == [STATIC, "junk", "page-walk", "search-walk"]
    for endpoint in busting[1:]:
        assert "request = function()" in Path(endpoint.script).read_text("utf-8")


@pytest.mark.django_db
def test_the_stock_baseline_is_served_with_the_bench_settings_and_never_by_the_site(
    client, settings
):
    from django.urls import Resolver404, resolve

    from alliance.bench import settings as bench_settings
    from alliance.models import Organisation

    with pytest.raises(Resolver404):
        resolve("/stock/organisations/")
    settings.ROOT_URLCONF = bench_settings.ROOT_URLCONF
    settings.TEMPLATES = bench_settings.TEMPLATES
    Organisation.objects.create(slug="acme", name="Acme", kind="company")
    assert "Acme" in client.get("/stock/organisations/").content.decode()
    assert "Acme" in client.get("/stock/organisations/acme/").content.decode()
    answer = client.get("/stock/api/organisations/").json()
    assert answer["results"][0]["slug"] == "acme"


def test_the_probe_warms_every_address_a_mix_reads(stand_in):
    Answers.asked.clear()
    mix = Endpoint("mix", "mix", "/ok", script="mix.lua", warmup=("/ok", "/etag"))
    status, _headers, error = run.prepare(stand_in, mix)
    assert (status, error) == (200, None)
    assert Answers.asked.count("/etag") == 3
