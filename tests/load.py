"""Load test: many simulated users talk to several `converse` processes sharing one SQLite file (WAL).

Run with `make load` for the figures; tests/test_load.py runs it too and checks nothing was lost.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = [
    {"text": "what does C2 mean"},
    {"text": "arrived 9.20, register closed at 9.00"},
    {"text": "which code should I use"},
    {"text": "1"},
    {"action": "back"},
    {"action": "exit"},
    {"action": "quiz:5"},
    {"text": "1"},
    {"text": "2"},
    {"text": "my progress"},
    {"text": "160 out of 190 sessions"},
    {"text": "canteen opening hours"},
]


def run_load(users: int = 60, processes: int = 4, db: str | None = None) -> dict:
    """Drive `users` scripted conversations through `processes` converse processes; return the figures."""
    db = db or os.path.join(tempfile.mkdtemp(), "load.db")
    env = {**os.environ, "GUIDANCE_DB": db}
    procs = [subprocess.Popen([sys.executable, "-m", "bot", "converse"], cwd=ROOT, env=env, text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=1)
             for _ in range(processes)]
    latencies: list[float] = []
    lost: list[str] = []
    lock = threading.Lock()

    def drive(proc: subprocess.Popen, names: list[str]) -> None:
        for step in SCRIPT:
            for name in names:
                line = json.dumps({"user": name, **step})
                started = time.perf_counter()
                proc.stdin.write(line + "\n")
                proc.stdin.flush()
                answer = proc.stdout.readline()
                elapsed = (time.perf_counter() - started) * 1000
                try:
                    ok = json.loads(answer)["user"] == name and json.loads(answer)["replies"]
                except (ValueError, KeyError, TypeError):
                    ok = False
                with lock:
                    latencies.append(elapsed)
                    if not ok:
                        lost.append(line)

    names = [f"load-user-{i}" for i in range(users)]
    threads = [threading.Thread(target=drive, args=(p, names[i::processes])) for i, p in enumerate(procs)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    total = time.perf_counter() - started
    errors = []
    for p in procs:
        p.stdin.close()
        errors.append(p.stderr.read())
        p.wait(30)
    ordered = sorted(latencies)
    return {"users": users, "processes": processes, "messages": len(latencies), "lost": len(lost),
            "locked_errors": sum("database is locked" in e for e in errors), "stderr": "".join(errors)[-2000:],
            "throughput": len(latencies) / total, "p50": ordered[len(ordered) // 2],
            "p99": ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))], "seconds": total}


if __name__ == "__main__":
    r = run_load()
    print(f"load: {r['users']} users over {r['processes']} processes, {r['messages']} messages, lost {r['lost']}, "
          f"'database is locked' errors {r['locked_errors']}, {r['throughput']:.0f} messages/s, "
          f"p50 {r['p50']:.1f} ms, p99 {r['p99']:.1f} ms")
