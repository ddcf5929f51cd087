"""How long the README's first command takes a newcomer: `git clone`, then `make run` until its
first page lists the collected demo (the figures quoted in the README's set-up section).

    python3 benchmarks/setup_time.py [--port 5077]

Clones this checkout's HEAD into a temporary folder, runs `make install` (timed: pip's cache
decides most of it), then `make run` on the given port, and times how long the home page takes
to list dates once the command has started. Stops the server and prints one line per step.
(`make test` is timed by `.ci/run` on a clean clone: see the closing notes.)
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(command: list[str], cwd: Path) -> float:
    started = time.monotonic()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - started


def first_page_seconds(clone: Path, port: int, limit: float = 120.0) -> float:
    """Start `make run` and wait for a home page that lists dates."""
    started = time.monotonic()
    server = subprocess.Popen(["make", "run", f"PORT={port}"], cwd=clone, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.monotonic() - started < limit:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as answer:
                    if " dates" in answer.read().decode():
                        return time.monotonic() - started
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"no page with events after {limit:.0f} s")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=5077)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        clone = Path(folder) / "agenda"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        install = timed(["make", "install"], clone)
        print(f"make install (fresh clone, pip cache as it is): {install:.1f} s", flush=True)
        first = first_page_seconds(clone, args.port)
        print(f"make run, first page listing the collected demo: {first:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
