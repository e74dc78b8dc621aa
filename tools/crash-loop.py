#!/usr/bin/env python3
"""Kills Hearth with SIGKILL mid-write, over and over, and checks after each
kill that every write Hearth acknowledged is still there and that no import
was kept in part.

Three kinds of write, a third of the kills each:
  cli     `hearth checkin` killed at a random moment; acknowledged = exit 0.
  api     `hearth serve` killed while a client posts check-ins;
          acknowledged = the 201 answer arrived.
  import  `hearth import` of a 400-row Daylio file killed at a random moment;
          the journal must then hold none of the file or all of it.

Usage: tools/crash-loop.py [KILLS] (default 1000: SIGKILLs that land on a
running process, split between the three), with HEARTH_BIN naming the
binary (default: the release build in $CARGO_TARGET_DIR). Prints one line per
kind and exits 1 on the first lost write or partial import.
"""

import http.client
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.expanduser("~/.cache/hearth-target"))
BIN = os.environ.get("HEARTH_BIN", os.path.join(TARGET, "release", "hearth"))
ENV = {k: v for k, v in os.environ.items() if not k.startswith("HEARTH_")}
ENV["TZ"] = "UTC"


def hearth(data, *args, check=True):
    out = subprocess.run([BIN, "--data-dir", data, *args], env=ENV,
                         capture_output=True, text=True)
    if check and out.returncode != 0:
        raise SystemExit(f"hearth {' '.join(args)} failed: {out.stderr}")
    return out


def notes(data):
    rows = json.loads(hearth(data, "--json", "list", "--all").stdout)
    return {r.get("note") for r in rows}, len(rows)


def fail(kind, i, why):
    print(f"FAILED {kind} #{i}: {why}", file=sys.stderr)
    sys.exit(1)


def runtime(*cmd):
    """How long a command takes when left alone (the median of five), so
    kills land anywhere in a run of it, debug build or release."""
    times = []
    for _ in range(5):
        t = time.time()
        subprocess.run(cmd, env=ENV, capture_output=True)
        times.append(time.time() - t)
    return sorted(times)[2]


def cli_loop(root, n, rng):
    data = os.path.join(root, "cli")
    hearth(data, "init", "--tz", "UTC")
    span = 1.5 * runtime(BIN, "--data-dir", data, "checkin", "--mood", "5", "--note", "warm-up")
    acked, killed, i = {"warm-up"}, 0, 0
    while killed < n:
        i += 1
        note = f"cli-{i}"
        p = subprocess.Popen([BIN, "--data-dir", data, "checkin", "--mood", "5", "--note", note],
                             env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0, span))
        if p.poll() is None:
            p.send_signal(signal.SIGKILL)
            killed += 1
        if p.wait() == 0:
            acked.add(note)
        have, _ = notes(data)
        lost = acked - have
        if lost:
            fail("cli", i, f"acknowledged check-ins lost: {sorted(lost)}")
    _, total = notes(data)
    killed_note = f"{killed} killed mid-run"
    runs = i
    return f"cli: {runs} runs, {killed_note}, {len(acked) - 1} finished and acknowledged, 0 lost ({total} stored)"


def serve(data):
    p = subprocess.Popen([BIN, "--data-dir", data, "serve", "--addr", "127.0.0.1:0"], env=ENV,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = p.stdout.readline()
    m = re.search(r"http://(127\.0\.0\.1):(\d+)/\?key=([0-9a-f]{64})", line)
    if not m:
        raise SystemExit(f"hearth serve did not start: {line}")
    return p, m.group(1), int(m.group(2)), m.group(3)


def api_loop(root, n, rng):
    data = os.path.join(root, "api")
    hearth(data, "init", "--tz", "UTC")
    acked, sent = set(), 0
    for i in range(n):
        p, host, port, key = serve(data)
        stop = threading.Event()
        mine = []

        def post():
            j = 0
            while not stop.is_set():
                note = f"api-{i}-{j}"
                j += 1
                try:
                    c = http.client.HTTPConnection(host, port, timeout=2)
                    c.request("POST", "/api/v1/checkins", json.dumps({"mood": 6, "note": note}),
                              {"Content-Type": "application/json", "Authorization": f"Bearer {key}"})
                    if c.getresponse().status == 201:
                        mine.append(note)
                    c.close()
                except OSError:
                    return

        t = threading.Thread(target=post)
        t.start()
        time.sleep(rng.uniform(0.005, 0.08))
        p.send_signal(signal.SIGKILL)
        p.wait()
        stop.set()
        t.join()
        p.stdout.close()
        acked.update(mine)
        sent += len(mine)
        have, _ = notes(data)
        lost = acked - have
        if lost:
            fail("api", i, f"acknowledged check-ins lost: {sorted(lost)[:5]}")
    return f"api: {n} servers killed while writing, {sent} check-ins acknowledged, 0 lost"


def daylio(rows, seed):
    lines = ["full_date,date,weekday,time,mood,activities,note_title,note"]
    for r in range(rows):
        day = 1 + r % 28
        lines.append(f"2023-{1 + (r // 28) % 12:02d}-{day:02d},x,x,{1 + r % 12}:{r % 60:02d} am,"
                     f"good,walk | friends,,import-{seed}-{r}")
    return "\n".join(lines) + "\n"


def import_loop(root, n, rng):
    base = os.path.join(root, "import-base")
    hearth(base, "init", "--tz", "UTC")
    hearth(base, "checkin", "--mood", "5", "--note", "before")
    _, before = notes(base)
    rows = 400
    probe = os.path.join(root, "probe.csv")
    with open(probe, "w") as fh:
        fh.write(daylio(rows, "probe"))
    dry = hearth(base, "--json", "import", probe, "--format", "daylio", "--dry-run")
    expected = json.loads(dry.stdout)["added"]
    span = 1.5 * runtime(BIN, "--data-dir", base, "import", probe, "--format", "daylio", "--dry-run")
    whole = partial_none = killed = i = 0
    while killed < n:
        i += 1
        data = os.path.join(root, "import")
        shutil.rmtree(data, ignore_errors=True)
        shutil.copytree(base, data)
        f = os.path.join(root, "file.csv")
        with open(f, "w") as fh:
            fh.write(daylio(rows, i))
        p = subprocess.Popen([BIN, "--data-dir", data, "import", f, "--format", "daylio"],
                             env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0, span))
        if p.poll() is None:
            p.send_signal(signal.SIGKILL)
            killed += 1
        code = p.wait()
        _, count = notes(data)
        added = count - before
        if code == 0 and added != expected:
            fail("import", i, f"an acknowledged import holds {added} of {expected} entries")
        if added not in (0, expected):
            fail("import", i, f"a killed import kept {added} of {expected} entries")
        if added:
            whole += 1
        else:
            partial_none += 1
    return f"import: {i} imports, {killed} killed at random, {whole} complete, {partial_none} with nothing kept, 0 partial"


def main():
    kills = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    if not os.access(BIN, os.X_OK):
        raise SystemExit(f"no hearth binary at {BIN}; build it or set HEARTH_BIN")
    rng = random.Random(int(os.environ.get("SEED", "1")))
    third = kills // 3
    root = tempfile.mkdtemp(prefix="hearth-crash-")
    try:
        started = time.time()
        for loop, n in ((cli_loop, kills - 2 * third), (api_loop, third), (import_loop, third)):
            print(loop(root, n, rng), flush=True)
        print(f"{kills} kills in {time.time() - started:.0f} s, no acknowledged write lost, no partial import")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
