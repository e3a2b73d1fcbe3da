"""usage_events over a generated JSONL usage log, versus the sqlite3 CLI.

The baseline is what a user would do without tokenledger: `.import` the log
into a one-column table (ascii mode, so quotes and commas in the JSON are
left alone) and compute the same disjoint token buckets with json_extract,
a coalesce over the paths of the four dialects in the log (OpenAI chat with
cached and reasoning tokens, OpenRouter with usage.cost, Anthropic, Claude
Code). Both sides print the same sums (checked here), so they do the same
work. The query reads none of ts, latency_ms and error, so usage_events does
not parse timestamps (it knows the columns used); a second row times the same
query with count(ts) and count(error) added (every timestamp parsed, every
line checked), against the same baseline, which does neither.

Both run as sqlite3 CLI processes (`sqlite3 :memory:`), timed from outside:
the median of REPS runs, minus the median start-up of the CLI loading the
extension and running `SELECT 1` (reported in the note). The note also gives
the CPU time (user + system) of the same runs, start-up subtracted, and its
ratio: on a machine shared with other jobs it moves less than wall time. Memory, for the 1x
file and a file ten times longer (flat means the line reader streams): the
CLI's peak RSS (via /usr/bin/time) and SQLite's heap high-water.

    python3 bench/run.py usage_events            # 1,000,000 lines
    TL_BENCH_USAGE_LINES=100000 python3 bench/run.py usage_events
"""
import json
import os
import random
import resource
import statistics
import subprocess
import time

LINES = int(os.environ.get("TL_BENCH_USAGE_LINES", "1000000"))
REPS = int(os.environ.get("TL_BENCH_USAGE_REPS", "3"))

OURS = """SELECT count(*), sum(input_tokens), sum(cache_read_tokens), sum(cache_write_tokens),
  sum(output_tokens), sum(reasoning_tokens), printf('%.4f', sum(reported_cost))
FROM usage_events('{path}');"""

# The same sums, and every timestamp parsed (ts and error are read).
OURS_TS = OURS.replace("printf('%.4f', sum(reported_cost))",
                       "printf('%.4f', sum(reported_cost)), count(ts), count(error)")

BASELINE = """CREATE TABLE t(line TEXT);
.mode ascii
.separator "\\037" "\\n"
.import {path} t
.mode list
WITH x AS (SELECT
  json_extract(line, '$.usage.prompt_tokens') AS pt,
  json_extract(line, '$.usage.completion_tokens') AS ct,
  json_extract(line, '$.usage.prompt_tokens_details.cached_tokens') AS ca,
  json_extract(line, '$.usage.prompt_tokens_details.cache_write_tokens') AS cw,
  json_extract(line, '$.usage.completion_tokens_details.reasoning_tokens') AS rt,
  coalesce(json_extract(line, '$.usage.input_tokens'), json_extract(line, '$.message.usage.input_tokens')) AS it,
  coalesce(json_extract(line, '$.usage.output_tokens'), json_extract(line, '$.message.usage.output_tokens')) AS ot,
  coalesce(json_extract(line, '$.usage.cache_read_input_tokens'), json_extract(line, '$.message.usage.cache_read_input_tokens')) AS cr,
  coalesce(json_extract(line, '$.usage.cache_creation_input_tokens'), json_extract(line, '$.message.usage.cache_creation_input_tokens')) AS cc,
  coalesce(json_extract(line, '$.usage.cost'), json_extract(line, '$.costUSD')) AS cost
  FROM t)
SELECT count(*), sum(coalesce(pt - coalesce(ca, 0) - coalesce(cw, 0), it)), sum(coalesce(ca, cr, 0)),
  sum(coalesce(cw, cc, 0)), sum(coalesce(ct - coalesce(rt, 0), ot)), sum(coalesce(rt, 0)),
  printf('%.4f', sum(cost))
FROM x;"""


def generate(path, n, seed=7):
    rnd = random.Random(seed)
    with open(path, "w") as f:
        for i in range(n):
            kind = i % 4
            ts = "2025-06-%02dT%02d:%02d:%02d.%03dZ" % (1 + i % 28, i % 24, i % 60, (i * 7) % 60, i % 1000)
            if kind == 0:
                p = rnd.randint(100, 20000)
                c = rnd.randint(10, 2000)
                rec = {"id": "chatcmpl-%d" % i, "created": 1718000000 + i, "model": "gpt-4o",
                       "usage": {"prompt_tokens": p, "completion_tokens": c, "total_tokens": p + c,
                                 "prompt_tokens_details": {"cached_tokens": rnd.randint(0, p)},
                                 "completion_tokens_details": {"reasoning_tokens": rnd.randint(0, c)}}}
            elif kind == 1:
                p = rnd.randint(100, 20000)
                rec = {"id": "gen-%d" % i, "provider": "Anthropic", "model": "anthropic/claude-3.5-haiku",
                       "usage": {"prompt_tokens": p, "completion_tokens": rnd.randint(1, 900),
                                 "cost": rnd.randint(1, 10000) / 1e6,
                                 "prompt_tokens_details": {"cached_tokens": rnd.randint(0, p // 2),
                                                           "cache_write_tokens": rnd.randint(0, p // 2)}}}
            elif kind == 2:
                rec = {"ts": ts, "provider": "anthropic", "model": "claude-3-7-sonnet-20250219",
                       "request_id": "req_%d" % i,
                       "usage": {"input_tokens": rnd.randint(1, 50), "output_tokens": rnd.randint(1, 900),
                                 "cache_creation_input_tokens": rnd.randint(0, 20000),
                                 "cache_read_input_tokens": rnd.randint(0, 50000)}}
            else:
                rec = {"sessionId": "s-1", "type": "assistant", "timestamp": ts, "requestId": "req_%d" % i,
                       "costUSD": rnd.randint(1, 10000) / 1e5,
                       "message": {"model": "claude-sonnet-4-20250514",
                                   "usage": {"input_tokens": rnd.randint(1, 50),
                                             "cache_creation_input_tokens": rnd.randint(0, 5000),
                                             "cache_read_input_tokens": rnd.randint(0, 90000),
                                             "output_tokens": rnd.randint(1, 900)}}}
            f.write(json.dumps(rec, separators=(",", ":")) + "\n")


def run_cli(ext, script):
    """Wall seconds, CPU seconds (user + system) and stdout of one sqlite3 CLI run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(["sqlite3", "-batch", ":memory:"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.communicate((".load %s\n%s\n" % (ext, script)).encode())
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0 or err:
        raise RuntimeError("sqlite3 failed: %s" % err.decode()[:500])
    return elapsed, cpu, out.decode().strip()


def timed(ext, script, reps):
    """Median wall seconds over reps, and the output. The median CPU seconds
    go into CPU[script]: on a shared machine they move less with the load."""
    times, cpus, out = [], [], None
    for _ in range(reps):
        t, c, out = run_cli(ext, script)
        times.append(t)
        cpus.append(c)
    CPU[script] = statistics.median(cpus)
    return statistics.median(times), out


CPU = {}


def peak_memory(ext, script):
    """(peak RSS KiB or None, SQLite heap high-water bytes) of one CLI run.

    RSS comes from /usr/bin/time: a child forked straight from this python
    process would report python's own RSS at fork time as its peak. The heap
    figure is SQLite's MEMORY_USED high-water (`.stats on`), which counts
    every allocation the extension makes (they go through sqlite3_malloc)."""
    cmd = ["sqlite3", "-batch", ":memory:"]
    timer = os.path.exists("/usr/bin/time")
    if timer:
        cmd = ["/usr/bin/time", "-f", "%M"] + cmd
    proc = subprocess.run(cmd, input=(".load %s\n.stats on\n%s\n" % (ext, script)).encode(),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=True)
    rss = int(proc.stderr.decode().split()[-1]) if timer else None
    heap = 0
    for line in proc.stdout.decode().splitlines():
        if line.startswith("Memory Used:"):
            heap = max(heap, int(line.split("(max")[1].split(")")[0]))
    return rss, heap


def mb(kib):
    return "%.1f MB" % (kib / 1024) if kib is not None else "n/a"


def run(ctx):
    ext = os.environ.get("TL_BENCH_EXT", os.path.join(ctx.root, "tokenledger"))
    path = os.path.join(ctx.work, "usage_1x.jsonl")
    path10 = os.path.join(ctx.work, "usage_10x.jsonl")
    generate(path, LINES)

    startup, _ = timed(ext, "SELECT 1;", 5)
    ours_s, ours_out = timed(ext, OURS.format(path=path), REPS)
    ts_s, ts_out = timed(ext, OURS_TS.format(path=path), REPS)
    base_s, base_out = timed(ext, BASELINE.format(path=path), REPS)
    if ours_out != base_out:
        raise RuntimeError("usage_events and the json_extract baseline disagree:\n%s\n%s"
                           % (ours_out, base_out))
    with_ts = LINES - (LINES + 2) // 4  # every line but OpenRouter's (i % 4 == 1) has a time
    if ts_out != "%s|%d|0" % (base_out, with_ts):
        raise RuntimeError("usage_events with ts disagrees: %s" % ts_out)
    size_mb = os.path.getsize(path) / 1e6

    # Memory: the same query over 1x and 10x the lines (the 10x file is the
    # 1x file ten times over, so generating it stays cheap).
    with open(path10, "wb") as out, open(path, "rb") as src:
        data = src.read()
        for _ in range(10):
            out.write(data)
    del data
    rss1, heap1 = peak_memory(ext, OURS.format(path=path))
    rss10, heap10 = peak_memory(ext, OURS.format(path=path10))
    rss0, heap0 = peak_memory(ext, "SELECT 1;")
    os.remove(path10)

    lines_per_s = LINES / max(ours_s - startup, 1e-9)
    cpu0 = CPU["SELECT 1;"]
    cpu_ours = CPU[OURS.format(path=path)] - cpu0
    cpu_ts = CPU[OURS_TS.format(path=path)] - cpu0
    cpu_base = CPU[BASELINE.format(path=path)] - cpu0
    cpu_note = "; CPU time (user + system, start-up subtracted) %.0f ms vs %.0f ms: %.1fx"
    return [{
        "scenario": "usage_events, %d lines (%.0f MB)" % (LINES, size_mb),
        "ours": "usage_events",
        "baseline": ".import + json_extract (sqlite3 CLI)",
        "ours_s": max(ours_s - startup, 1e-9),
        "baseline_s": max(base_s - startup, 1e-9),
        "note": "CLI start-up %.0f ms subtracted from both; same sums on both sides; "
                "peak RSS %s at 1x, %s at 10x lines (CLI alone %s); SQLite heap high-water "
                "%.2f MB at 1x, %.2f MB at 10x (CLI alone %.2f MB)"
                % (startup * 1e3, mb(rss1), mb(rss10), mb(rss0),
                   heap1 / 2**20, heap10 / 2**20, heap0 / 2**20)
                + "; %.2f M events/s" % (lines_per_s / 1e6)
                + cpu_note % (cpu_ours * 1e3, cpu_base * 1e3, cpu_base / max(cpu_ours, 1e-9)),
    }, {
        "scenario": "  the same, + count(ts), count(error)",
        "ours": "usage_events",
        "baseline": ".import + json_extract (no timestamps)",
        "ours_s": max(ts_s - startup, 1e-9),
        "baseline_s": max(base_s - startup, 1e-9),
        "note": "every timestamp parsed and every line checked; %.2f M events/s"
                % (LINES / max(ts_s - startup, 1e-9) / 1e6)
                + cpu_note % (cpu_ts * 1e3, cpu_base * 1e3, cpu_base / max(cpu_ts, 1e-9)),
    }]
