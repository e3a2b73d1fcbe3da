#!/usr/bin/env python3
"""Download today's public price lists and benchmark export into data/YYYY-MM-DD/.

    make fetch                                   # or:
    python3 tools/fetch.py --ext ./tokenledger [--data data] [--date YYYY-MM-DD]
                           [--base-url URL] [--only NAME[,NAME]]

SOURCES (file in the dated folder <- URL; format as the extension names it)
  litellm.json              <- https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json
                               pricing, litellm; no key
  openrouter.json           <- https://openrouter.ai/api/v1/models
                               pricing, openrouter; no key
  modelsdev.json            <- https://models.dev/api.json
                               pricing, modelsdev; no key
  genai-prices.json         <- https://raw.githubusercontent.com/pydantic/genai-prices/main/prices/new_data/v2/data.json
                               pricing, genai-prices; no key. v2 is the live feed (prices/data.json is
                               the frozen v1 copy); the reader takes both, v2 bills more units.
  artificial-analysis.json  <- https://artificialanalysis.ai/api/v2/data/llms/models
                               benchmarks, aa_json; needs a key: ARTIFICIAL_ANALYSIS_API_KEY in the
                               environment, sent as the x-api-key header. Without it the source is
                               skipped, not failed. AA's terms ask for attribution.

OPTIONS
  --data DIR        where the dated folders live (default data)
  --date DATE       the folder's date and the rows' snapshot_date (default today, UTC)
  --base-url URL    fetch every source from URL/<file> (the file names above) instead of its
                    real address; also TOKENLEDGER_FETCH_BASE_URL. For tests and mirrors.
  --only NAMES      comma-separated source names (the file names without .json)
  --ext PATH        the extension that verifies each download (default ./tokenledger)

HOW IT WORKS. Each source is downloaded into a temporary file in DIR/DATE/, read by the
extension through the sqlite3 CLI (pricing_files() for a price list, benchmarks() for the
AA export) and renamed over DIR/DATE/<file> only when it parses and gives at least one
row. A download that fails leaves the day's previous file (if any) in place; the other
sources are still fetched, and the script exits 1. Nothing outside DIR/DATE/ is written
except DIR/ledger_sources.sql, and no file is ever deleted: the dated folders are the price
history.

Then DIR/ledger_sources.sql is written again from every dated folder under DIR (all dates,
sorted): it deletes the ledger_sources rows whose path lies under DIR and inserts one row
per snapshot file, with its kind, format and snapshot_date (the folder's date), priority 0.
Paths are relative to the directory holding DIR, which is where the extension reads a
relative ledger_sources path from when the database file sits there (tokenledger_path()):
keep ledger.db beside data/.

    sqlite3 ledger.db -cmd ".load ./tokenledger" "SELECT tokenledger_init();" \\
      ".read data/ledger_sources.sql" "SELECT tokenledger_build();"

One line per source on stdout: `NAME: fetched PATH (N bytes, N entries, N rows)`,
`NAME: skipped: WHY` or `NAME: failed: WHY`. Python 3 standard library only; the script
never loads the extension into Python (the pyenv python3 here cannot load extensions).
"""
import argparse
import datetime
import os
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TIMEOUT = 60                   # seconds without a byte before a download is given up
MAX_BYTES = 512 * 1024 * 1024  # the largest real source is a few MB: more is not a price list
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
AA_KEY_ENV = "ARTIFICIAL_ANALYSIS_API_KEY"


class Source:
    def __init__(self, name, url, kind, fmt, key_env=None):
        self.name, self.url, self.kind, self.format, self.key_env = name, url, kind, fmt, key_env
        self.file = name + ".json"


SOURCES = [
    Source("litellm",
           "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json",
           "pricing", "litellm"),
    Source("openrouter", "https://openrouter.ai/api/v1/models", "pricing", "openrouter"),
    Source("modelsdev", "https://models.dev/api.json", "pricing", "modelsdev"),
    Source("genai-prices",
           "https://raw.githubusercontent.com/pydantic/genai-prices/main/prices/new_data/v2/data.json",
           "pricing", "genai-prices"),
    Source("artificial-analysis", "https://artificialanalysis.ai/api/v2/data/llms/models",
           "benchmarks", "aa_json", key_env=AA_KEY_ENV),
]
BY_FILE = {s.file: s for s in SOURCES}


class FetchError(Exception):
    pass


def user_agent():
    with open(os.path.join(ROOT, "VERSION"), encoding="utf-8") as f:
        return "tokenledger-fetch/%s" % f.read().strip()


def download(url, headers, out):
    """Stream url into the open binary file out; return the byte count."""
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            total = 0
            while True:
                chunk = response.read(1 << 16)
                if not chunk:
                    return total
                total += len(chunk)
                if total > MAX_BYTES:
                    raise FetchError("%s: larger than %d bytes" % (url, MAX_BYTES))
                out.write(chunk)
    except urllib.error.HTTPError as e:
        raise FetchError("%s: HTTP %d %s" % (url, e.code, e.reason))
    except urllib.error.URLError as e:
        raise FetchError("%s: %s" % (url, e.reason))
    except OSError as e:  # timeouts and resets in the middle of the body
        raise FetchError("%s: %s" % (url, e))


def temp_beside(path):
    """A hidden name next to path, renamed over it once complete: a reader never sees half a
    file. Opened with open(), not mkstemp(), so the snapshot gets the umask's permissions."""
    head, tail = os.path.split(path)
    return os.path.join(head, ".%s.%d.part" % (tail, os.getpid()))


def sql_quote(text):
    return "'" + text.replace("'", "''") + "'"


def verify(ext, source, path, url):
    """(entries, rows) of the file as the extension reads it, or FetchError. Entries are
    what the reader counts: models for LiteLLM and OpenRouter, providers for models.dev and
    genai-prices, models for the AA export (which gives a row per model and metric)."""
    if source.kind == "pricing":
        query = "SELECT entries, rows FROM pricing_files(%s, %s)"
    else:
        query = "SELECT count(DISTINCT raw_model), count(*) FROM benchmarks(%s, %s)"
    proc = subprocess.run(["sqlite3", "-batch", ":memory:", "-cmd", ".load " + ext,
                           query % (sql_quote(path), sql_quote(source.format))],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    err = proc.stderr.decode("utf-8", "replace").strip()
    if proc.returncode != 0 or err:
        # the reader names the temporary file: name the bytes by where they came from
        reason = err.splitlines()[0] if err else "sqlite3 exited %d" % proc.returncode
        reason = re.sub(r"^(?:Parse error|Runtime error|Error)[^:]*:\s*(?:stepping, )?", "", reason)
        raise FetchError("does not parse as %s: %s" % (source.format, reason.replace(path, url)))
    entries, rows = (int(x) for x in proc.stdout.decode().strip().split("|"))
    if rows == 0:
        raise FetchError("%s parses as %s but gives no rows" % (url, source.format))
    return entries, rows


def fetch_one(source, args, day_dir):
    """Fetch, verify and install one source: (not failed, its report line)."""
    headers = {"User-Agent": user_agent(), "Accept": "application/json"}
    if source.key_env:
        key = os.environ.get(source.key_env)
        if not key:
            return True, "%s: skipped: needs an API key (set %s; sent as x-api-key)" % (
                source.name, source.key_env)
        headers["x-api-key"] = key
    url = args.base_url.rstrip("/") + "/" + source.file if args.base_url else source.url
    os.makedirs(day_dir, exist_ok=True)
    final = os.path.join(day_dir, source.file)
    tmp = temp_beside(final)
    try:
        with open(tmp, "xb") as out:
            size = download(url, headers, out)
        entries, rows = verify(args.ext, source, tmp, url)
        os.replace(tmp, final)
    except FetchError as e:
        kept = " (kept %s)" % final if os.path.exists(final) else ""
        return False, "%s: failed: %s%s" % (source.name, e, kept)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return True, "%s: fetched %s (%d bytes, %d entries, %d rows)" % (
        source.name, final, size, entries, rows)


def snapshot_rows(data_dir):
    """(kind, path, format, date) of every snapshot file under data_dir, sorted."""
    prefix = os.path.basename(os.path.abspath(data_dir))
    rows = []
    for date in sorted(os.listdir(data_dir)):
        day_dir = os.path.join(data_dir, date)
        if not DATE_RE.match(date) or not os.path.isdir(day_dir):
            continue
        for name in sorted(os.listdir(day_dir)):
            source = BY_FILE.get(name)
            if source:
                rows.append((source.kind, "%s/%s/%s" % (prefix, date, name), source.format, date))
    return prefix, rows


def write_sources_sql(data_dir):
    prefix, rows = snapshot_rows(data_dir)
    lines = ["-- Written by tools/fetch.py: every snapshot under %s/, all dates (the price history)." % prefix,
             "-- Read it into a database kept beside %s/ (relative paths are read from there):" % prefix,
             "--   SELECT tokenledger_init(); .read %s/ledger_sources.sql; SELECT tokenledger_build();" % prefix,
             "BEGIN;",
             # only the rows this script manages: the user's own sources stay
             "DELETE FROM ledger_sources WHERE substr(path, 1, %d) = %s;" % (
                 len(prefix) + 1, sql_quote(prefix + "/"))]
    if rows:
        lines.append("INSERT INTO ledger_sources(kind, path, format, snapshot_date, priority) VALUES")
        lines.append(",\n".join("  (%s, %s, %s, %s, 0)" % tuple(sql_quote(v) for v in row)
                                for row in rows) + ";")
    lines.append("COMMIT;")
    path = os.path.join(data_dir, "ledger_sources.sql")
    tmp = temp_beside(path)
    with open(tmp, "x", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(tmp, path)
    return path, rows


def parse_args(argv):
    ap = argparse.ArgumentParser(description="Fetch the public price lists into DIR/YYYY-MM-DD/.")
    ap.add_argument("--data", default="data", metavar="DIR")
    ap.add_argument("--date", default=datetime.datetime.now(datetime.timezone.utc).date().isoformat())
    ap.add_argument("--base-url", default=os.environ.get("TOKENLEDGER_FETCH_BASE_URL") or None,
                    metavar="URL")
    ap.add_argument("--only", metavar="NAME[,NAME]")
    ap.add_argument("--ext", default="./tokenledger", metavar="PATH")
    args = ap.parse_args(argv)
    try:
        if not DATE_RE.match(args.date):
            raise ValueError
        datetime.date.fromisoformat(args.date)
    except ValueError:
        ap.error("--date: expected YYYY-MM-DD, got %r" % args.date)
    names = [s.name for s in SOURCES]
    args.sources = SOURCES
    if args.only:
        wanted = [n.strip() for n in args.only.split(",") if n.strip()]
        unknown = [n for n in wanted if n not in names]
        if unknown:
            ap.error("--only: unknown source %r (known: %s)" % (unknown[0], ", ".join(names)))
        args.sources = [s for s in SOURCES if s.name in wanted]
    if not shutil.which("sqlite3"):
        ap.error("the sqlite3 CLI is needed to verify downloads (apt-get install sqlite3)")
    # checked once here, or every source would fail with the same loader message
    proc = subprocess.run(["sqlite3", "-batch", ":memory:", "-cmd", ".load " + args.ext, "SELECT 1"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if proc.returncode != 0 or proc.stderr:
        ap.error("--ext: cannot load %s (run make first): %s" % (
            args.ext, proc.stderr.decode("utf-8", "replace").strip()))
    return args


def main(argv=None):
    args = parse_args(argv)
    day_dir = os.path.join(args.data, args.date)
    failed = 0
    for source in args.sources:
        ok, line = fetch_one(source, args, day_dir)
        failed += not ok
        print(line, flush=True)
    os.makedirs(args.data, exist_ok=True)
    path, rows = write_sources_sql(args.data)
    print("wrote %s (rows: %d, dated folders: %d)" % (path, len(rows), len({r[3] for r in rows})))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
