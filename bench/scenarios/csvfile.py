"""csvfile versus the sqlite3 CLI's `.import` of the same file followed by the same query.

A generated usage-style CSV (~60 MB, 600,000 rows, some quoted fields with commas and
embedded newlines) is queried with one GROUP BY:

* ours: `CREATE VIRTUAL TABLE temp.t USING csvfile(file=...)` then the query, timed inside
  bench/runner (one process, median of the reps);
* baseline: `sqlite3 :memory: -cmd ".import --csv FILE t" "QUERY"`, timed with subprocess
  (median of the reps), minus the median start-up of an empty `sqlite3 :memory: ""`, so
  that process start is not charged to the baseline's side.

Then peak memory (peak RSS of the sqlite3 child, from /usr/bin/time -f %M) of
`SELECT count(*) FROM csvfile(...)` on the file and on a 10x copy of it, to show that
memory stays flat as the file grows.

Run alone: `make tokenledger.so build/bench/runner && python3 bench/run.py csvfile`.
"""
import os
import random
import statistics
import subprocess
import time

ROWS = 600_000
REPS = 3
QUERY = ("SELECT provider, count(*), sum(input_tokens), sum(output_tokens), "
         "round(sum(cost), 2) FROM t GROUP BY provider ORDER BY provider")


def generate(path, rows):
    rnd = random.Random(42)
    providers = ["anthropic", "openai", "google", "meta", "deepseek", "mistral"]
    models = ["claude-sonnet-4-5", "gpt-4o", "gemini-2.5-pro", "llama-3.3-70b", "deepseek-v3.1"]
    with open(path, "w", newline="") as f:
        f.write("id,ts,provider,model,input_tokens,output_tokens,cost,note\r\n")
        for i in range(rows):
            note = rnd.choice(["", "ok", '"retry, then ok"', '"multi\nline ""quoted"""',
                               "cache hit"])
            f.write("%d,2026-03-%02dT%02d:%02d:00Z,%s,%s,%d,%d,%.6f,%s\r\n" % (
                i, 1 + i % 28, i % 24, i % 60, providers[i % 6], rnd.choice(models),
                rnd.randint(10, 50000), rnd.randint(1, 4000), rnd.random() * 0.5, note))


def tenfold(src, dst):
    """dst = src's header, then src's records ten times (same bytes, 10x size)."""
    with open(src, "rb") as f:
        header = f.readline()
        body = f.read()
    with open(dst, "wb") as out:
        out.write(header)
        for _ in range(10):
            out.write(body)


def time_cli(args, reps):
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        subprocess.run(args, stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def peak_rss_kib(args):
    """Peak RSS of args, by /usr/bin/time (os.wait4 would count the forked Python)."""
    out = subprocess.run(["/usr/bin/time", "-f", "%M"] + args, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, check=True).stderr.decode()
    return int(out.strip().splitlines()[-1])


def run(ctx):
    path = os.path.join(ctx.work, "usage.csv")
    generate(path, ROWS)
    size_mb = os.path.getsize(path) / 1e6
    ext = os.path.join(ctx.root, "tokenledger")

    setup = "CREATE VIRTUAL TABLE temp.t USING csvfile(file='%s')" % path
    ours = ctx.time_sql(setup, {"csvfile": QUERY}, REPS)["csvfile"][0]

    startup = time_cli(["sqlite3", ":memory:", ""], 5)
    cli = time_cli(["sqlite3", ":memory:", "-cmd", ".import --csv %s t" % path, QUERY], REPS)
    baseline = max(cli - startup, 1e-9)

    big = os.path.join(ctx.work, "usage10x.csv")
    tenfold(path, big)
    rss = []
    for p in (path, big):
        rss.append(peak_rss_kib(["sqlite3", ":memory:", "-cmd", ".load %s" % ext,
                                 "SELECT count(*) FROM csvfile('%s')" % p]))
    big_mb = os.path.getsize(big) / 1e6
    os.remove(big)
    return [
        {"scenario": "csvfile GROUP BY, %.0f MB CSV" % size_mb, "ours": "csvfile",
         "baseline": ".import --csv + same query (sqlite3 CLI, start-up %.1f ms subtracted)"
                     % (startup * 1e3),
         "ours_s": ours, "baseline_s": baseline},
        {"scenario": "csvfile peak memory, count(*)", "ours_s": None,
         "note": "peak RSS of sqlite3: %.0f MB file %.1f MiB, %.0f MB file (10x) %.1f MiB"
                 % (size_mb, rss[0] / 1024, big_mb, rss[1] / 1024)},
    ]
