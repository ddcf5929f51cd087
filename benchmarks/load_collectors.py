"""What collects while ``benchmarks/load.py`` measures the web: either ``agenda collect --all``
back to back (``CollectLoop``), or ``agenda worker`` processes collecting sources kept due all
the time (``WorkerPool``, production's shape); both summed up the same way."""

from __future__ import annotations

import threading
import time
from collections import Counter

from load_bed import Bed, utcnow
from load_setup import AGENDA, BenchError, log_tail


class CollectLoop:
    """``agenda collect --all`` back to back in subprocesses, until stopped (the round under
    way is allowed to finish, then killed if it takes too long)."""

    def __init__(self, bed: Bed) -> None:
        self.bed, self.stopping, self.rounds = bed, threading.Event(), []
        self.current = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def _run(self) -> None:
        while not self.stopping.is_set():
            began = time.monotonic()
            self.current = self.bed.processes.start("collect-loop", AGENDA + ["collect", "--all"],
                                                    self.bed.env)
            self.current.wait()
            self.rounds.append((time.monotonic() - began, self.current.returncode))

    def stop(self, grace: float = 300.0) -> None:
        self.stopping.set()
        self.thread.join(grace)
        if self.thread.is_alive() and self.current is not None:
            self.bed.processes.stop(self.current)
            self.thread.join(30)

    def summary(self) -> dict:
        done = [seconds for seconds, code in self.rounds if code is not None and code >= 0]
        return {"what": "`agenda collect --all` back to back", "rounds": len(self.rounds),
                "failed": sum(1 for _, c in self.rounds if c != 0),
                "mean_seconds": sum(done) / len(done) if done else 0.0}


class WorkerPool:
    """``count`` ``agenda worker`` processes (a one-second tick, a one-minute interval) while a
    thread makes the sources ``ids`` due again every second: they collect continuously.  With
    ``change_every`` (seconds), the thread also turns every route of ``routes`` to its next
    version that often (all at once; the routes must not rotate by themselves): a collection
    finds a new calendar only after a change, and rewrites its events then.  The collections
    are read from ``collection_runs`` at the end."""

    def __init__(self, bed: Bed, ids: list[int], count: int = 2, *, routes=(),
                 change_every: float = 0.0) -> None:
        self.bed, self.ids, self.count = bed, ids, count
        self.routes, self.change_every, self.changes = list(routes), change_every, 0
        self.workers, self.stopping = [], threading.Event()
        self.thread = threading.Thread(target=self._keep_due, daemon=True)
        self.began = self.ended = None

    def start(self) -> None:
        env = dict(self.bed.env, AGENDA_SCHEDULER_TICK_SECONDS="1", AGENDA_CLAIM_BATCH_SIZE="2",
                   AGENDA_DEFAULT_INTERVAL_MINUTES="1")
        self.bed.make_due(self.ids)
        self.began = utcnow()
        self.workers = [self.bed.processes.start(f"worker{n + 1}", AGENDA + ["worker"], env)
                        for n in range(self.count)]
        self.thread.start()

    def _keep_due(self) -> None:
        changed = time.monotonic()
        while not self.stopping.wait(1.0):
            if self.change_every and time.monotonic() - changed >= self.change_every:
                changed, self.changes = time.monotonic(), self.changes + 1
                for route in self.routes:
                    route.current = (route.current + 1) % len(route.bodies)
            try:
                self.bed.make_due(self.ids)
            except Exception:  # noqa: BLE001  a busy database: try again next second
                pass

    def check_alive(self) -> None:
        for worker in self.workers:
            if worker.poll() is not None:
                raise BenchError(f"an agenda worker stopped (exit {worker.returncode}):\n"
                                 f"{log_tail(worker)}")

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(30)
        self.ended = utcnow()
        for worker in self.workers:
            self.bed.processes.stop(worker)

    def summary(self) -> dict:
        runs = [run for run in self.bed.runs_of(self.ids)
                if self.began <= run.started_at and run.finished_at <= self.ended]
        outcomes = Counter(run.outcome for run in runs)
        seconds = [(run.finished_at - run.started_at).total_seconds() for run in runs]
        minutes = (self.ended - self.began).total_seconds() / 60
        by_worker = Counter(run.worker for run in runs)
        changes = (f"every source's calendar changed every {self.change_every:.0f} s, "
                   f"{self.changes} times" if self.change_every
                   else "every source's calendar changed at every request")
        return {"what": f"{self.count} `agenda worker` processes on {len(self.ids)} sources "
                        f"kept due ({changes}; {len(runs) / minutes:,.0f} collections a "
                        f"minute, by worker "
                        f"{', '.join(str(n) for n in by_worker.values()) or 'none'}; outcomes "
                        f"{', '.join(f'{k} {n}' for k, n in sorted(outcomes.items()))})",
                "rounds": len(runs), "failed": outcomes["error"],
                "mean_seconds": sum(seconds) / len(seconds) if seconds else 0.0}
