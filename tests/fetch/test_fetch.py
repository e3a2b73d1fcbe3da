#!/usr/bin/env python3
"""tools/fetch.py against a local HTTP server: no network but 127.0.0.1.

    python3 tests/fetch/test_fetch.py --ext ./tokenledger.so    (from the repository root)

A thread serves a temporary folder holding copies of our fixtures under the names
fetch.py asks for; fetch.py runs with --base-url pointing there, in a child python whose
socket module refuses any address but 127.0.0.1 (GUARD below), so a source that forgot
the override fails instead of reaching the internet. Runs, in order:
  1. date 2025-05-01, all four price lists served, no AA key: fetched byte-identical,
     AA skipped; the ledger built from ledger_sources.sql has the expected counts
  2. date 2025-06-01, base URL from the environment, /usr/bin/python3 (fetch.py must run
     under Debian's python3 too), LiteLLM now serving its 2025-07-01 fixture: the first
     folder is untouched and the SQL lists both dates
  3. date 2025-05-01 again, OpenRouter serving invalid JSON and models.dev gone (404): the
     day's good files stay, both are reported, the others are still fetched, exit 1
  4. AA with a key: sent as x-api-key, the export verified by the benchmarks reader
  5. no base URL: the real address is refused by the guard, reported as a failure
Prints ok / not ok lines like a unit test (tests/run.py); exits 1 on a failure.
"""
import argparse
import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import tap  # noqa: E402  (tests/tap.py: the lines tests/run.py reads)
from tap import check  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FETCH = os.path.join(ROOT, "tools", "fetch.py")
FIXTURES = os.path.join(ROOT, "fixtures")
SERVED = {  # file fetch.py asks for -> our fixture
    "litellm.json": "ledger.litellm.2025-05-01.json",
    "openrouter.json": "openrouter.sample.json",
    "modelsdev.json": "pricing.modelsdev.json",
    "genai-prices.json": "pricing.genai-prices.json",
}
# (rows, entries, models) the build reads from each file: pricing_files(FIXTURE, FORMAT)
# on the fixture, checked by hand against pricing(FIXTURE, FORMAT): LiteLLM 12 models + 1
# tier row; OpenRouter 4 models + 1 tier; models.dev 2 providers (entries), 5 models + 2
# tiers; genai-prices 4 providers, 9 models giving 12 rows (acme-long-2 with a tier and
# a dated price, owl-chat in two rows).
BUILD_FILES = {
    "litellm.json": (13, 12, 12),
    "modelsdev.json": (7, 2, 2),
    "openrouter.json": (5, 4, 4),
    "genai-prices.json": (12, 4, 4),
}
# Two models in the shape of AA's /api/v2/data/llms/models answer (ext/core/benchmarks_aa.c):
# 6 numbers each (index, 3 prices, speed, latency), so benchmarks() gives 12 rows.
AA_EXPORT = b"""{"status": 200, "prompt_options": {}, "data": [
 {"id": "0001", "name": "Model A", "slug": "model-a",
  "model_creator": {"id": "c1", "name": "Lab", "slug": "lab"},
  "evaluations": {"artificial_analysis_intelligence_index": 50.5},
  "pricing": {"price_1m_blended_3_to_1": 1.5, "price_1m_input_tokens": 1, "price_1m_output_tokens": 3},
  "median_output_tokens_per_second": 120.0, "median_time_to_first_token_seconds": 0.4},
 {"id": "0002", "name": "Model B", "slug": "model-b",
  "model_creator": {"id": "c1", "name": "Lab", "slug": "lab"},
  "evaluations": {"artificial_analysis_intelligence_index": 40.0},
  "pricing": {"price_1m_blended_3_to_1": 0.5, "price_1m_input_tokens": 0.25, "price_1m_output_tokens": 1.25},
  "median_output_tokens_per_second": 200.0, "median_time_to_first_token_seconds": 0.2}]}
"""
GUARD = r"""
import runpy, socket, sys

def refuse(host):
    raise OSError("network access outside 127.0.0.1 refused by the test: %s" % (host,))

real_getaddrinfo, real_connect = socket.getaddrinfo, socket.socket.connect

def getaddrinfo(host, *args, **kwargs):
    if host not in ("127.0.0.1", b"127.0.0.1"):
        refuse(host)
    return real_getaddrinfo(host, *args, **kwargs)

def connect(self, address):
    if self.family != socket.AF_INET or address[0] != "127.0.0.1":
        refuse(address)
    return real_connect(self, address)

socket.getaddrinfo, socket.socket.connect = getaddrinfo, connect
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""



class Server:
    """http.server on 127.0.0.1, port 0, in a thread; remembers each request."""

    def __init__(self, folder):
        self.requests = []  # (path, x-api-key header)
        server = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def do_GET(self):
                server.requests.append((self.path, self.headers.get("x-api-key")))
                super().do_GET()

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(Handler, directory=folder))
        self.url = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def read(path):
    with open(path, "rb") as f:
        return f.read()


def tree(folder):
    """{relative path: bytes} of every file under folder."""
    out = {}
    for top, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(top, name)
            out[os.path.relpath(path, folder)] = read(path)
    return out


def run_fetch(ext, data, date, base_url=None, env_base_url=None, key=None, only=None, python=None):
    env = {k: v for k, v in os.environ.items()
           if k.lower() not in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")
           and k not in ("ARTIFICIAL_ANALYSIS_API_KEY", "TOKENLEDGER_FETCH_BASE_URL")}
    if env_base_url:
        env["TOKENLEDGER_FETCH_BASE_URL"] = env_base_url
    if key:
        env["ARTIFICIAL_ANALYSIS_API_KEY"] = key
    cmd = [python or sys.executable, "-c", GUARD, FETCH, "--ext", ext, "--data", data, "--date", date]
    if base_url:
        cmd += ["--base-url", base_url]
    if only:
        cmd += ["--only", only]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT,
                          timeout=120)
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode()


def sqlite(ext, db, *commands, cwd):
    proc = subprocess.run(["sqlite3", "-batch", db, "-cmd", ".load " + ext] + list(commands),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd)
    return proc.stdout.decode().splitlines(), proc.stderr.decode()


def line_for(out, name):
    return next((l for l in out.splitlines() if l.startswith(name + ": ")), "(no line)")


def build(ext, data, db, cwd):
    """tokenledger_build() in db beside data/, run from another directory (cwd) so that the
    relative paths must be read from the database file's directory. Gives the lines after
    tokenledger_init()'s: the build message, one per file read, the count of model_prices."""
    rows, err = sqlite(ext, db, "SELECT tokenledger_init();",
                       ".read " + os.path.join(data, "ledger_sources.sql"),
                       "SELECT tokenledger_build();",
                       "SELECT path, rows, entries, models FROM ledger_build_files ORDER BY path;",
                       "SELECT count(*) FROM model_prices;", cwd=cwd)
    return rows[1:], err


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ext", default="./tokenledger.so")
    ext = os.path.abspath(ap.parse_args().ext)
    if not shutil.which("sqlite3"):
        print("skip - fetch: the sqlite3 CLI is not installed")
        return 0
    with tempfile.TemporaryDirectory(prefix="tokenledger-fetch-") as tmp:
        srv_dir, work = os.path.join(tmp, "srv"), os.path.join(tmp, "work")
        os.makedirs(srv_dir)
        os.makedirs(work)
        for name, fixture in SERVED.items():
            shutil.copyfile(os.path.join(FIXTURES, fixture), os.path.join(srv_dir, name))
        server = Server(srv_dir)
        try:
            scenario(ext, server, srv_dir, work, os.path.join(work, "data"), tmp)
        finally:
            server.close()
    return tap.exit_code()


def scenario(ext, server, srv_dir, work, data, tmp):
    day1, day2 = os.path.join(data, "2025-05-01"), os.path.join(data, "2025-06-01")
    db = os.path.join(work, "ledger.db")

    # 1. everything served, no key
    rc, out, err = run_fetch(ext, data, "2025-05-01", base_url=server.url)
    check("first fetch exits 0", rc == 0, "exit %d\n%s%s" % (rc, out, err))
    for name in SERVED:
        got = os.path.join(day1, name)
        check("%s is fetched byte-identical" % name,
              os.path.exists(got) and read(got) == read(os.path.join(srv_dir, name)),
              line_for(out, name[:-5]))
    check("fetched line gives bytes and entries",
          line_for(out, "litellm") == "litellm: fetched %s/litellm.json (%d bytes, 12 entries, 13 rows)"
          % (day1, os.path.getsize(os.path.join(srv_dir, "litellm.json"))), line_for(out, "litellm"))
    check("AA without a key is skipped",
          line_for(out, "artificial-analysis") == "artificial-analysis: skipped: needs an API key "
          "(set ARTIFICIAL_ANALYSIS_API_KEY; sent as x-api-key)", out)
    check("AA without a key is not requested",
          not any("artificial" in p for p, _ in server.requests), server.requests)
    check("only the day's files and the SQL are written",
          sorted(tree(data)) == sorted(["ledger_sources.sql"] +
                                       [os.path.join("2025-05-01", n) for n in SERVED]),
          sorted(tree(data)))
    rows, err = build(ext, data, db, tmp)
    expected = ["data/2025-05-01/%s|%d|%d|%d" % ((n,) + BUILD_FILES[n]) for n in sorted(BUILD_FILES)]
    check("the ledger builds from ledger_sources.sql beside data/",
          rows[1:5] == expected and not err, "got %r, expected %r\n%s" % (rows[1:5], expected, err))
    check("model_prices holds every row of the four files",
          rows[5:] == [str(sum(r[0] for r in BUILD_FILES.values()))], rows[5:])
    check("build message names the 4 sources", rows[:1] and " from 4 sources " in rows[0], rows[:1])

    # 2. another date; base URL from the environment; Debian's python3
    first = tree(day1)
    shutil.copyfile(os.path.join(FIXTURES, "ledger.litellm.2025-07-01.json"),
                    os.path.join(srv_dir, "litellm.json"))
    debian = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else None
    rc, out, err = run_fetch(ext, data, "2025-06-01", env_base_url=server.url, python=debian)
    check("second fetch (TOKENLEDGER_FETCH_BASE_URL, %s) exits 0" % (debian or sys.executable),
          rc == 0, "exit %d\n%s%s" % (rc, out, err))
    check("the first day's folder is untouched", tree(day1) == first, sorted(tree(day1)))
    check("the second day has the new LiteLLM list",
          read(os.path.join(day2, "litellm.json")) == read(os.path.join(srv_dir, "litellm.json")))
    sql = read(os.path.join(data, "ledger_sources.sql")).decode()
    listed = sorted(l.strip() for l in sql.splitlines() if l.startswith("  ("))
    want = sorted("('pricing', 'data/%s/%s', '%s', '%s', 0)%s" % (d, f, fmt, d, "")
                  for d in ("2025-05-01", "2025-06-01")
                  for f, fmt in (("litellm.json", "litellm"), ("openrouter.json", "openrouter"),
                                 ("modelsdev.json", "modelsdev"), ("genai-prices.json", "genai-prices")))
    check("ledger_sources.sql lists both dates",
          [l.rstrip(",;") for l in listed] == want, "\n".join(listed))
    check("ledger_sources.sql deletes only rows under data/",
          "DELETE FROM ledger_sources WHERE substr(path, 1, 5) = 'data/';" in sql, sql)
    rows, err = build(ext, data, db, tmp)
    check("the ledger builds from both dates", len(rows) == 10 and not err, "%r\n%s" % (rows, err))

    # 3. the first date again: OpenRouter corrupt, models.dev 404, LiteLLM changed
    second = tree(day2)
    with open(os.path.join(srv_dir, "openrouter.json"), "wb") as f:
        f.write(b'{"data": [ {"id": "x", ')
    os.unlink(os.path.join(srv_dir, "modelsdev.json"))
    rc, out, err = run_fetch(ext, data, "2025-05-01", base_url=server.url)
    check("a failed source makes the fetch exit 1", rc == 1, "exit %d\n%s%s" % (rc, out, err))
    check("a corrupt download keeps the day's good file",
          read(os.path.join(day1, "openrouter.json")) == first["openrouter.json"])
    want = ("openrouter: failed: does not parse as openrouter: pricing_files: %s/openrouter.json:1:24:"
            % server.url)
    got = line_for(out, "openrouter")
    check("a corrupt download is reported with the file and reason",
          got.startswith(want) and got.endswith(" (kept %s/openrouter.json)" % day1), got)
    check("a 404 is reported", line_for(out, "modelsdev") ==
          "modelsdev: failed: %s/modelsdev.json: HTTP 404 File not found (kept %s/modelsdev.json)"
          % (server.url, day1), line_for(out, "modelsdev"))
    check("the 404 keeps the day's file",
          read(os.path.join(day1, "modelsdev.json")) == first["modelsdev.json"])
    check("the other sources are still fetched",
          read(os.path.join(day1, "litellm.json")) == read(os.path.join(srv_dir, "litellm.json"))
          and line_for(out, "genai-prices").startswith("genai-prices: fetched "), out)
    check("no temporary file is left", sorted(tree(day1)) == sorted(first), sorted(tree(day1)))
    check("the other day is untouched", tree(day2) == second)

    # 4. AA with a key
    with open(os.path.join(srv_dir, "artificial-analysis.json"), "wb") as f:
        f.write(AA_EXPORT)
    rc, out, err = run_fetch(ext, data, "2025-06-01", base_url=server.url, key="test-key",
                             only="artificial-analysis")
    check("AA with a key is fetched", rc == 0 and line_for(out, "artificial-analysis") ==
          "artificial-analysis: fetched %s/artificial-analysis.json (%d bytes, 2 entries, 12 rows)"
          % (day2, len(AA_EXPORT)), out + err)
    check("AA gets the key as x-api-key",
          ("/artificial-analysis.json", "test-key") in server.requests, server.requests)
    check("AA is listed as benchmarks, aa_json",
          "('benchmarks', 'data/2025-06-01/artificial-analysis.json', 'aa_json', '2025-06-01', 0)"
          in read(os.path.join(data, "ledger_sources.sql")).decode())

    # 5. without a base URL the real address is tried, and the guard refuses it
    before = tree(data)
    rc, out, err = run_fetch(ext, data, "2025-06-01", only="litellm")
    check("the real address is refused outside 127.0.0.1", rc == 1 and line_for(out, "litellm") ==
          "litellm: failed: https://raw.githubusercontent.com/BerriAI/litellm/main/"
          "model_prices_and_context_window.json: network access outside 127.0.0.1 refused by the "
          "test: raw.githubusercontent.com (kept %s/litellm.json)" % day2, out + err)
    check("a refused fetch changes no snapshot", tree(data) == before)


if __name__ == "__main__":
    sys.exit(main())
