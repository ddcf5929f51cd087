"""Peak memory of streaming a 100,000-row export of the search across kinds (CSV and XLSX)
through the Flask test client: the rows are never held whole.

Uses the database of ``benchmarks/finder.py`` (made first when ``--instance`` has none: 100,000
events, 20,000 actors, 20,000 initiatives) and exports its 100,000 events
(``/search.csv?kind=event&when=all``, then ``.xlsx``), each format in a fresh process: the
Python allocations' peak while exporting (tracemalloc, which slows the export down about
twice) and the process's peak resident size (ru_maxrss) before and after.

    python benchmarks/export_memory.py [--instance DIR] [--no-tracemalloc]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PATHS = {"csv": "/search.csv?kind=event&when=all", "xlsx": "/search.xlsx?kind=event&when=all"}


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def export_once(instance: Path, fmt: str, *, trace: bool = True) -> None:
    from agenda.settings import load_settings
    from agenda.web import create_app

    app = create_app(load_settings(env={}, instance_path=instance, database_url=""))
    client = app.test_client()
    client.get("/search?kind=event&when=all")  # the indexes built and read once
    before = rss_mb()
    if trace:
        tracemalloc.start()
    began = time.perf_counter()
    response = client.get(PATHS[fmt], buffered=False)
    size = lines = 0
    for chunk in response.response:
        size += len(chunk)
        lines += chunk.count(b"\r\n") if fmt == "csv" else 0
    response.close()
    seconds = time.perf_counter() - began
    _, peak = tracemalloc.get_traced_memory() if trace else (0, 0)
    tracemalloc.stop()
    rows = f"{lines - 1:,} rows, " if fmt == "csv" else ""
    print(f"{fmt}: {response.status_code}, {rows}{size / 1e6:.1f} MB in {seconds:.1f} s; "
          f"tracemalloc peak {peak / 1e6:.1f} MB; ru_maxrss {before:.0f} MB before, "
          f"{rss_mb():.0f} MB after (load average {os.getloadavg()[0]:.2f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instance", type=Path)
    parser.add_argument("--format", choices=sorted(PATHS))
    parser.add_argument("--no-tracemalloc", action="store_true",
                        help="time the exports without tracing allocations (which slows them)")
    args = parser.parse_args()
    instance = (args.instance or Path(tempfile.mkdtemp(prefix="agenda-export-"))).resolve()
    if args.format:
        return export_once(instance, args.format, trace=not args.no_tracemalloc)
    if not (instance / "finder-ready").exists():
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "finder.py"), "--instance",
                        str(instance), "--prepare-only"], check=True)
    for fmt in ("csv", "xlsx"):
        plain = ["--no-tracemalloc"] if args.no_tracemalloc else []
        subprocess.run([sys.executable, __file__, "--instance", str(instance), "--format", fmt,
                        *plain], check=True)


if __name__ == "__main__":
    main()
