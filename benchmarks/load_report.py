"""The one table of ``benchmarks/load.py``, in Markdown (ready for the README)."""

from __future__ import annotations

from load_client import PhaseResult


def print_report(report: dict) -> None:
    args, machine, data = report["args"], report["machine"], report["data"]
    print(f"\n## Load and faults ({'--quick, ' if args.quick else ''}"
          f"{report['started']:%Y-%m-%d %H:%M} UTC)\n")
    print(f"Machine: {machine['cores']} cores, {machine['system']}, Python {machine['python']}, "
          f"{machine['database']}; gunicorn {machine['gunicorn']}, {args.web_workers} sync "
          f"workers; rate limits {'raised' if args.raise_rate_limits else 'as set'} (in Redis), "
          f"each client a visitor of its own (X-Forwarded-For, one trusted proxy); search "
          f"backend {args.search_backend or 'as set'}.")
    timings = data["timings"]
    print(f"Data: {data['events']:,} events ({data['generated']:,} from `agenda generate` in "
          f"{timings['generate']:.1f} s, {data['sources']} sources of {data['per_source']:,} "
          f"collected in {timings['collect']:.1f} s); `agenda reindex` {timings['reindex']:.1f} s.")
    if "load" in report:
        _load_table(report["load"], report["collections"], args)
    if "busting" in report:
        _busting_table(report["busting"], args)
    memory = report.get("web_memory") or []
    if memory:
        print(f"\nPeak memory of the gunicorn workers: "
              f"{', '.join(f'{mb:.0f}' for mb in sorted(memory))} MB")
    _faults_table(report.get("faults"))


def _load_table(results: list[PhaseResult], collections: dict, args) -> None:
    print(f"\n{args.clients} concurrent clients, {args.seconds:.0f} s per URL, while "
          f"{collections['what']}: {collections['rounds']} collections "
          f"({collections['failed']} failed, {collections['mean_seconds']:.1f} s each; "
          f"a collection that finds a new calendar rewrites every event of its source):\n")
    print("| URL | req/s | p50 ms | p95 ms | p99 ms | answered | errors | 429 | load after |")
    print("|---|---|---|---|---|---|---|---|---|")
    for result in results:
        print(_row(result) + f" {getattr(result, 'loadavg', '?')} |")


def _row(result: PhaseResult) -> str:
    return (f"| `{result.label}` | {result.per_second:,.1f} | {result.percentile(0.50):,.1f} | "
            f"{result.percentile(0.95):,.1f} | {result.percentile(0.99):,.1f} | "
            f"{result.answered:,} | {result.errors:,}{_error_detail(result)} | "
            f"{result.limited:,} |")


def _error_detail(result: PhaseResult) -> str:
    parts = [f"{n} × {status}" for status, n in sorted(result.statuses.items())
             if not (200 <= status < 300 or status in (304, 429))]
    if result.connection_errors:
        parts.append(f"{result.connection_errors} × connection")
    return f" ({', '.join(parts)})" if parts else ""


def _busting_table(busting: dict, args) -> None:
    alone, beside, buster = busting["alone"], busting["beside"], busting["buster"]
    print(f"\nHome page with {alone.clients} clients, alone and beside {buster.clients} client(s) "
          f"asking `/calendar.ics?from=<a new day each time>` from "
          f"{'a new address each time' if args.buster_addresses == 'many' else 'one address'} "
          f"(no collections):\n")
    print("| measure | req/s | p50 ms | p95 ms | p99 ms | answered | errors | 429 |")
    print("|---|---|---|---|---|---|---|---|")
    print(_row(alone).replace("`/ alone`", "`/` alone"))
    print(_row(beside).replace("`/ beside`", "`/` beside the cache-busting client"))
    print(_row(buster).replace("`buster`", "the cache-busting client"))
    if alone.answered and beside.answered:
        print(f"\nHome page median: {alone.percentile(0.5):.1f} ms alone, "
              f"{beside.percentile(0.5):.1f} ms beside the cache-busting client "
              f"(x{beside.percentile(0.5) / alone.percentile(0.5):.2f}).")


def _faults_table(faults) -> None:
    if not faults:
        return
    print("\n| fault check | result | figures |")
    print("|---|---|---|")
    for check in faults:
        print(f"| {check.name} | {'PASS' if check.passed else 'FAIL'} | {check.figures} |")
