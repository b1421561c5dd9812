"""The benchmark report: numbers per endpoint and phase, ratios, targets, and a table."""

import json
from statistics import median

from alliance.bench.endpoints import (
    COMPARED_TO_SQLITE,
    CONDITIONAL_TARGET,
    MEMORY_LIMIT_MB,
    STATIC,
    WARM_TARGET,
    Target,
)

COLD, WARM = "cold", "warm"
#: Page cache off and nothing kept per part: what drawing each answer costs, for the record;
#: the targets are the cold phase's.
DRAWN = "drawn"
NO_CACHE = "not measured: the site has no page cache"


def measurement(
    endpoint, phase, *, http_status=None, error=None, rounds=(), skipped=None, edits=None
):
    """One endpoint in one phase: its rounds of wrk numbers, or why it was not measured."""
    target = endpoint.target
    if endpoint.name == STATIC or phase == DRAWN:
        target = None
    elif phase not in (COLD, WARM):
        pass  # the edits and cache-busting phases hold their endpoints to their own targets
    elif phase == WARM:
        target = endpoint.warm_target or WARM_TARGET
    elif endpoint.conditional:
        target = CONDITIONAL_TARGET
    row = {
        "endpoint": endpoint.name,
        "label": endpoint.label,
        "path": endpoint.path,
        "phase": phase,
        "conditional": endpoint.conditional,
        "http_status": http_status,
        "error": error,
        "skipped": skipped,
        "rounds": list(rounds),
        "target": None if target is None else {"minimum": target.minimum, "of": target.of},
        "baseline": getattr(endpoint, "baseline", None),
        "edits": edits,
    }
    summarise(row)
    return row


def summarise(row):
    """Medians over the rounds; an endpoint with error answers during the run is an error."""
    rounds = row["rounds"]
    if not rounds:
        row.update(requests_per_second=None, p50_ms=None, p99_ms=None)
        return row
    row["requests_per_second"] = round(median(r["requests_per_second"] for r in rounds), 1)
    row["p50_ms"] = round(median(r["p50_ms"] for r in rounds), 2)
    row["p99_ms"] = round(median(r["p99_ms"] for r in rounds), 2)
    bad = sum(r["non_2xx_3xx"] for r in rounds)
    failed = sum(sum(r["socket_errors"].values()) for r in rounds)
    problems = []
    if bad:
        problems.append(f"{bad} answers were neither 2xx nor 3xx")
    if failed:
        problems.append(f"{failed} socket errors or timeouts")
    if problems and row["error"] is None:
        row["error"] = "; ".join(problems)
    return row


def evaluate(rows):
    """Ratios to the static file and to other endpoints, within each phase; targets met?"""
    by_phase = {}
    for row in rows:
        by_phase.setdefault(row["phase"], {})[row["endpoint"]] = row
    static = by_phase.get(COLD, {}).get(STATIC)
    for phase_rows in by_phase.values():
        # The warm phase runs on its own server, which serves its own static file.
        reference = phase_rows.get(STATIC, static)
        for row in phase_rows.values():
            row["ratio_to_static"] = ratio(row, reference)
            target = row["target"]
            if target is None:
                row["target_met"] = None
                continue
            of = reference if target["of"] == STATIC else phase_rows.get(target["of"])
            target["ratio"] = ratio(row, of)
            row["target_met"] = (
                None if target["ratio"] is None else target["ratio"] >= target["minimum"]
            )
            edits = row.get("edits")
            if edits and edits["seen"] < edits["made"] and row["target_met"]:
                row["target_met"] = False  # an answer after an edit did not show it
    # Against the stock baseline, by share of each phase's static file: the stock views
    # are measured once, beside the cold pages.
    stock = by_phase.get(COLD, {})
    for row in rows:
        baseline = stock.get(row.get("baseline") or "")
        row["ratio_to_stock"] = None
        if baseline and row.get("ratio_to_static") and baseline.get("ratio_to_static"):
            row["ratio_to_stock"] = round(row["ratio_to_static"] / baseline["ratio_to_static"], 2)
    return rows


def ratio(row, reference):
    if reference is None or row["error"] or reference["error"]:
        return None
    if not row["requests_per_second"] or not reference["requests_per_second"]:
        return None
    return round(row["requests_per_second"] / reference["requests_per_second"], 3)


def memory_summary(workers):
    """Workers' peak (VmHWM) and resident (VmRSS, after the run) memory, in MB."""
    after = max((worker["rss_mb"] for worker in workers), default=None)
    return {
        "workers": workers,
        "peak_mb": max((worker["peak_mb"] for worker in workers), default=None),
        "after_run_mb": after,
        "limit_mb": MEMORY_LIMIT_MB,
        "met": None if after is None else after < MEMORY_LIMIT_MB,
    }


def compare(rows, sqlite_report):
    """This run against the last SQLite run, endpoint by endpoint.

    Judged on each run's share of its own static file, which cancels out how busy the
    machine was during either run; the raw ratio of requests/s is given beside it.
    """
    earlier = {
        (row["phase"], row["endpoint"]): row
        for row in sqlite_report.get("results", [])
        if row.get("ratio_to_static") and not row["error"]
    }
    comparison = []
    for row in rows:
        before = earlier.get((row["phase"], row["endpoint"]))
        if row["endpoint"] == STATIC or before is None or not row.get("ratio_to_static"):
            continue
        share = round(row["ratio_to_static"] / before["ratio_to_static"], 3)
        comparison.append(
            {
                "phase": row["phase"],
                "endpoint": row["endpoint"],
                "ratio_to_sqlite": share,
                "raw_ratio_to_sqlite": round(
                    row["requests_per_second"] / before["requests_per_second"], 3
                ),
                "minimum": COMPARED_TO_SQLITE,
                "met": share >= COMPARED_TO_SQLITE,
            }
        )
    return comparison


def build(rows, *, environment, workers, notes=None, sqlite_report=None):
    rows = evaluate(rows)
    missed = [row for row in rows if row.get("target_met") is False]
    report = {
        "environment": environment,
        "results": rows,
        "memory": memory_summary(workers),
        "targets_missed": [f"{row['phase']} {row['endpoint']}" for row in missed],
        "errors": [f"{row['phase']} {row['endpoint']}" for row in rows if row["error"]],
        "notes": dict(notes or {}),
    }
    if sqlite_report is not None:
        report["compared_to_sqlite"] = compare(rows, sqlite_report)
        report["targets_missed"] += [
            f"{item['phase']} {item['endpoint']} compared to SQLite"
            for item in report["compared_to_sqlite"]
            if not item["met"]
        ]
    return report


def _number(value, digits=1):
    return "—" if value is None else f"{value:,.{digits}f}"


def _generated(seconds):
    return "reused from an earlier run" if seconds is None else f"generated in {seconds} s"


def _verdict(met):
    return {True: "met", False: "MISSED", None: "—"}[met]


def render(report):
    """The report as a plain-text table."""
    env = report["environment"]
    labels = {row["endpoint"]: row["label"] for row in report["results"]}
    lines = [
        f"Benchmark of {env.get('generated_at', '')} on {env.get('database', '?')}: "
        f"{env.get('workers', '?')} gunicorn workers, wrk {env.get('threads', '?')} threads x "
        f"{env.get('connections', '?')} connections, {env.get('rounds', '?')} rotated rounds x "
        f"{env.get('seconds', '?')} s per endpoint, {env.get('cpus', '?')} CPUs.",
        f"Data: {env.get('data', '?')}, {_generated(env.get('generation_seconds'))}.",
        f"Software: Python {env.get('python', '?')}, Django {env.get('django', '?')}, "
        f"gunicorn {env.get('gunicorn', '?')}, {env.get('wrk', '?')}; "
        f"CONN_MAX_AGE {env.get('conn_max_age', '?')}.",
        f"Page cache: {env.get('page_cache', '?')}.",
        "",
    ]
    header = (
        f"{'phase':<7}  {'endpoint':<28} {'status':>6} {'req/s':>9} {'p50 ms':>8} "
        f"{'p99 ms':>8} {'x static':>8} {'x stock':>7}  target"
    )
    lines += [header, "-" * len(header)]
    skipped = {}
    for row in report["results"]:
        if row["skipped"]:
            skipped.setdefault((row["phase"], row["skipped"]), []).append(row["label"])
            continue
        status = row["http_status"] if row["http_status"] is not None else "—"
        target = row["target"]
        if target is None:
            verdict = ""
        else:
            wanted = Target(target["minimum"], target["of"]).describe(labels)
            got = "" if target.get("ratio") is None else f": {target['ratio']:.0%}"
            verdict = f"{wanted}{got} {_verdict(row['target_met'])}"
        share = "—" if row.get("ratio_to_static") is None else f"{row['ratio_to_static']:.1%}"
        stock = "—" if row.get("ratio_to_stock") is None else f"{row['ratio_to_stock']:.2f}"
        lines.append(
            f"{row['phase']:<7}  {row['label'][:28]:<28} {status!s:>6} "
            f"{_number(row['requests_per_second']):>9} {_number(row['p50_ms'], 2):>8} "
            f"{_number(row['p99_ms'], 2):>8} {share:>8} {stock:>7}  {verdict}"
        )
        if row.get("edits"):
            edits = row["edits"]
            lines.append(
                f"{'':9}{edits['made']} edits through the ORM, {edits['seen']} shown at once "
                f"by the next page and API answer"
                + (f"; {'; '.join(edits['failures'])}" if edits["failures"] else "")
            )
        if row["error"]:
            lines.append(f"{'':9}{row['path']}: ERROR: {row['error']}")
    for (phase, reason), skipped_labels in skipped.items():
        lines.append(f"{phase:<7}  {reason}: {'; '.join(skipped_labels)}.")
    memory = report["memory"]
    lines += [
        "",
        f"Worker memory: peak {_number(memory['peak_mb'])} MB, after the run "
        f"{_number(memory['after_run_mb'])} MB (target < {memory['limit_mb']} MB after the "
        f"run: {_verdict(memory['met'])}).",
    ]
    for worker in memory["workers"]:
        lines.append(
            f"  pid {worker['pid']} ({worker['phase']}): peak {worker['peak_mb']:.1f} MB, "
            f"after the run {worker['rss_mb']:.1f} MB"
        )
    if "compared_to_sqlite" in report:
        lines += [
            "",
            f"Compared to the last SQLite run, share of the static file over SQLite's "
            f"(target ≥ {COMPARED_TO_SQLITE:.0%}; raw requests/s ratio in brackets):",
        ]
        for item in report["compared_to_sqlite"]:
            lines.append(
                f"  {item['phase']:<5} {labels.get(item['endpoint'], item['endpoint']):<28} "
                f"{item['ratio_to_sqlite']:>5.0%} ({item['raw_ratio_to_sqlite']:.0%}) "
                f"{_verdict(item['met'])}"
            )
    missed = report["targets_missed"]
    errors = report["errors"]
    lines += [
        "",
        f"Targets missed: {', '.join(missed) if missed else 'none'}.",
        f"Endpoints in error (not measured): {', '.join(errors) if errors else 'none'}.",
    ]
    for name, text in report["notes"].items():
        lines.append(f"Note on {labels.get(name, name)}: {text}")
    return "\n".join(lines) + "\n"


def write(report, directory, stem):
    """Write `<stem>.json` and `<stem>.txt` in `directory`; return both paths."""
    directory.mkdir(parents=True, exist_ok=True)
    json_path = directory / f"{stem}.json"
    text_path = directory / f"{stem}.txt"
    json_path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", "utf-8")
    text_path.write_text(render(report), "utf-8")
    return json_path, text_path
