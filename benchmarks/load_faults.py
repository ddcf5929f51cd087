"""The fault checks of ``benchmarks/load.py``.

(a) ``kill -9`` of ``agenda collect <id>`` in the store phase of a big collection: the source
    holds all its old events or all the new ones; once the claim's lease has expired, the next
    collection completes.  The store phase is seen from outside: on SQLite by the bytes the
    process has written (``/proc/<pid>/io``), on PostgreSQL by its session holding a
    transaction id in ``pg_stat_activity``; the kill lands at a fraction of the store time
    measured on a first, complete collection.
(b) Two ``agenda worker`` processes against sources kept due all the time: from
    ``collection_runs``, no source's [started_at, finished_at] intervals ever overlap.
"""

from __future__ import annotations

import os
import signal
import time
from collections import Counter
from dataclasses import dataclass

from load_bed import Bed, utcnow
from load_setup import AGENDA, BenchError, Route, calendar, log_tail, run_agenda

SQLITE_STORE_BYTES = 256 * 1024  # written by the process: past the claim, into the store
POLL = 0.01
LEASE_SLACK = 2.0


@dataclass
class Check:
    name: str
    passed: bool
    figures: str


@dataclass
class Timeline:
    """Seconds after the start of a collection process: its first write of the store phase,
    the commit (seen from outside), its end (or kill)."""

    store: float | None = None
    committed: float | None = None
    ended: float = 0.0
    killed: bool = False


def kill_check(bed: Bed, count: int) -> Check:
    tags = ("FA", "FB")
    route = Route([calendar(count, seed=7, tag=tag) for tag in tags], rotate=False)
    source_id = bed.add_source("Fault: killed collection", bed.server.add("/fault.ics", route))
    bed.keep_enabled_only([source_id])
    collect = AGENDA + ["collect", str(source_id)]
    first = bed.processes.start("collect-first", collect, bed.env)
    full = watch_store(bed, first, source_id, kill_after=None)
    if first.returncode != 0 or full.store is None or full.committed is None:
        raise BenchError(f"the first collection of the fault source failed or its store "
                         f"phase was not seen ({full}):\n{log_tail(first)}")
    store_time = max(full.committed - full.store, 0.0)
    old, new = 0, 1
    for fraction in (0.5, 0.25, 0.1, 0.0):
        route.current = new
        victim = bed.processes.start("collect-killed", collect, bed.env)
        timeline = watch_store(bed, victim, source_id, kill_after=fraction * store_time)
        if timeline.killed:
            break
        if victim.returncode != 0:
            raise BenchError(f"the collection to kill failed by itself:\n{log_tail(victim)}")
        old, new = new, old  # it committed before the kill: try again from the other side
    else:
        return Check("kill -9 in the store phase", False,
                     "the kill never landed between the first write and the commit")
    return _after_kill(bed, source_id, count, (tags[old], tags[new]), timeline, store_time)


def watch_store(bed: Bed, process, source_id: int, *, kill_after: float | None) -> Timeline:
    """Follow a collection process; if ``kill_after`` is given, kill -9 it that many seconds
    into its store phase, unless it has committed by then."""
    began, before = time.monotonic(), bed.last_success(source_id)
    base = written_bytes(process.pid)
    timeline = Timeline()
    while process.poll() is None:
        now = time.monotonic() - began
        if timeline.store is None and _storing(bed, process.pid, base):
            timeline.store = now
        if timeline.committed is None and bed.last_success(source_id) != before:
            timeline.committed = now
        if (kill_after is not None and timeline.store is not None
                and timeline.committed is None and now - timeline.store >= kill_after):
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
            timeline.ended, timeline.killed = now, True
            return timeline
        time.sleep(POLL)
    timeline.ended = time.monotonic() - began
    if timeline.committed is None and bed.last_success(source_id) != before:
        timeline.committed = timeline.ended
    return timeline


def _storing(bed: Bed, pid: int, base: int) -> bool:
    if bed.is_postgresql:
        return bed.store_is_writing()
    return written_bytes(pid) - base >= SQLITE_STORE_BYTES


def written_bytes(pid: int) -> int:
    """Bytes the process has passed to write() so far (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/io") as handle:
            fields = dict(line.split(":") for line in handle if ":" in line)
    except OSError:
        return 0
    return int(fields.get("wchar", 0))


def _after_kill(bed: Bed, source_id: int, count: int, tags: tuple[str, str],
                timeline: Timeline, store_time: float) -> Check:
    old, new = tags
    after_kill = bed.counts_by_tag(source_id, tags)
    atomic = after_kill in ({old: count, new: 0}, {old: 0, new: count})
    right_after = run_agenda(bed.env, "collect", str(source_id), check=False)
    waited = wait_for_lease(bed, source_id)
    retry = run_agenda(bed.env, "collect", str(source_id), check=False)
    final = bed.counts_by_tag(source_id, tags)
    completed = retry.returncode == 0 and final == {old: 0, new: count}
    outcomes = [f"{run.outcome}" + (f" ({run.error_code})" if run.error_code else "")
                for run in bed.runs_of([source_id])]
    state = ("all old" if after_kill[old] == count else "all new" if atomic else "MIXED")
    figures = (f"{count:,} events; killed {timeline.ended:.1f} s after start, "
               f"{timeline.ended - timeline.store:.2f} s after its first write (a complete one "
               f"took {store_time:.2f} s from first write to commit); after the kill "
               f"{after_kill[old]:,} old + {after_kill[new]:,} new ({state}); "
               f"collect right after: exit {right_after.returncode} "
               f"({_first_line(right_after.stdout + right_after.stderr)}); waited {waited:.0f} s "
               f"for the lease; next collection: exit {retry.returncode}, {final[new]:,} new "
               f"events; runs recorded: {', '.join(outcomes)}")
    return Check("kill -9 in the store phase", atomic and completed, figures)


def wait_for_lease(bed: Bed, source_id: int) -> float:
    """Sleep until the dead collection's claim has expired (bounded by twice the lease)."""
    until = bed.claimed_until(source_id)
    if until is None:
        return 0.0
    lease = bed.settings.claim_lease_minutes * 60
    wait = min((until - utcnow()).total_seconds() + LEASE_SLACK, 2 * lease + LEASE_SLACK)
    time.sleep(max(0.0, wait))
    return max(0.0, wait)


def _first_line(output: str) -> str:
    return (output.strip().splitlines() or ["nothing"])[0][:120]


def workers_check(bed: Bed, *, sources: int, events: int, seconds: float,
                  slow_seconds: float) -> Check:
    ids = [bed.add_source(f"Worker check {k}", bed.server.add(
        f"/worker/{k}.ics", Route([calendar(events, seed=100 + k, tag=tag) for tag in ("WA", "WB")])),
        interval_minutes=1) for k in range(sources)]
    if slow_seconds:
        ids.append(bed.add_source("Worker check, slow", bed.server.add(
            "/slow.ics", Route([calendar(20, seed=99, tag="SL")], drip_seconds=slow_seconds)),
            interval_minutes=1))
    bed.keep_enabled_only(ids)
    env = dict(bed.env, AGENDA_SCHEDULER_TICK_SECONDS="1", AGENDA_CLAIM_BATCH_SIZE="2",
               AGENDA_DEFAULT_INTERVAL_MINUTES="1", AGENDA_TOTAL_TIMEOUT=str(slow_seconds + 120))
    workers = [bed.processes.start(f"worker{n}", AGENDA + ["worker"], env) for n in (1, 2)]
    seconds = max(seconds, slow_seconds + 25 if slow_seconds else 0)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if any(worker.poll() is not None for worker in workers):
            dead = next(w for w in workers if w.poll() is not None)
            raise BenchError(f"an agenda worker stopped (exit {dead.returncode}):\n"
                             f"{log_tail(dead)}")
        bed.make_due(ids)
        time.sleep(1.0)
    time.sleep(3.0)
    for worker in workers:
        bed.processes.stop(worker)
    fenced = sum(log_tail(worker, 100_000).count("claim lost") for worker in workers)
    return _judge_runs(bed.runs_of(ids), sources=len(ids), seconds=seconds, slow=slow_seconds,
                       fenced=fenced)


def _judge_runs(runs, *, sources: int, seconds: float, slow: float, fenced: int) -> Check:
    """Pass: no two recorded collections of one source overlap, and both workers collected.
    Also told: collections that outlived their claim (fenced out, nothing written, their claim
    settled as interrupted by the other worker)."""
    overlaps = overlapping_runs(runs)
    by_worker = Counter(run.worker for run in runs)
    interrupted = sum(1 for run in runs if run.error_code == "collect.interrupted")
    longest = max(((r.finished_at - r.started_at).total_seconds() for r in runs), default=0)
    slow_line = f"; one source sent its body over {slow:.0f} s (longer than the lease)" if slow else ""
    figures = (f"{sources} sources kept due for {seconds:.0f} s{slow_line}: {len(runs)} "
               f"collections, by worker {', '.join(str(n) for n in by_worker.values())}, the "
               f"longest {longest:.0f} s; {len(overlaps)} overlapping pairs; {fenced} "
               f"collection(s) outlived their claim and were fenced out (nothing written), "
               f"{interrupted} claim(s) settled as interrupted")
    if overlaps:
        a, b = overlaps[0]
        figures += (f" (e.g. source {a.source_id}: {a.worker} {a.started_at:%H:%M:%S}-"
                    f"{a.finished_at:%H:%M:%S} and {b.worker} {b.started_at:%H:%M:%S}-"
                    f"{b.finished_at:%H:%M:%S})")
    return Check("two workers never collect one source at once",
                 not overlaps and len(by_worker) >= 2, figures)


def overlapping_runs(runs) -> list[tuple]:
    """Pairs of runs of one source whose [started_at, finished_at] intersect."""
    pairs = []
    for i, a in enumerate(runs):
        for b in runs[i + 1:]:
            if (a.source_id == b.source_id and a.started_at < b.finished_at
                    and b.started_at < a.finished_at):
                pairs.append((a, b))
    return pairs

