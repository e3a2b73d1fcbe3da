#!/usr/bin/env python3
"""make report's picture and page (tools/report.py, issue 13 "A picture").

  1. The ledger of the bundled fixtures is built into a database file by the sqlite3
     CLI (tokenledger_build, as make report does) and tools/report.py draws it.
  2. frontier.svg parses as XML and has one point per model drawn, the frontier
     points highlighted and labelled; a second run gives byte-identical files.
  3. report.html, before rendering, has the ledger's rows and the other tables' rows.
  4. Headless Chromium (Debian package chromium) opens report.html from file://: its
     screenshot is a PNG of the window's size, and the DOM it rendered holds the same
     points and rows. Skipped when /usr/bin/chromium is absent.

Every expected figure is worked out by hand in tests/sql/ledger.test from the fixtures
(see EXPECTED below). Run from the repository root:
  python3 tests/report/test_report.py --ext ./tokenledger
Prints `ok - NAME` / `not ok - NAME: DETAIL` / `skip - NAME: REASON` for tests/run.py."""
import argparse
import html.parser
import os
import struct
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import tap  # noqa: E402  (tests/tap.py: the lines tests/run.py reads)
from tap import check, skip  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CHROMIUM = "/usr/bin/chromium"
WINDOW = (1280, 2000)
SVG_NS = "{http://www.w3.org/2000/svg}"

# The chart draws each model's best offering that has a blended price and an
# intelligence index. tests/sql/ledger.test, "pareto_rank on quality, price and speed",
# ranks the best offerings having all three of quality, price and speed: flash,
# gemini-2.5-pro, claude-sonnet-4-5 (rank 1), o3-mini, claude-3-7-sonnet (2), gpt-4o (3):
# 6 models. Its "routing" case adds the one with price and quality but no tok/s:
# llama-3.3-70b-instruct (intelligence 28, deepinfra 0.2725, its best offering since
# openrouter's :free row is not routable). No other benchmarked model is priced
# (gpt-5, claude-haiku-4-5, claude-opus-4-1, gpt-4.1-mini, deepseek-v3.1 are the
# benchmark-only rows of "the ledger's rows"). 6 + 1 = 7 points, 3 on the frontier.
FRONTIER = ["claude-sonnet-4-5-20250929", "gemini-2.5-flash", "gemini-2.5-pro"]
EXPECTED = {
    "points": 7,
    "frontier": 3,
    # "the ledger's rows": 15 priced + acme's 2 without an output price + 5 benchmark-only
    "ledger-row": 22,
    # ledger_audit rows whose sources differ ("blend" case's prices): gpt-4o 2.5/10
    # against LiteLLM's 5/15, spread max(5/2.5, 15/10) = 2.0; deepinfra's llama 0.23/0.4
    # against 0.12/0.3, spread 0.23/0.12 = 1.9167. Neither above audit_spread_ratio 2.
    "audit-row": 2,
    # rate_timeline: deepseek-chat 0.14/0.28 from 2025-02-07 -> 0.27/1.1 from 2025-07-20
    # (fixtures/pricing.example.json's two dated rows); the other keys have one card.
    "changes-row": 1,
}



def run(cmd, timeout=120):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          cwd=ROOT, timeout=timeout)


class Counter(html.parser.HTMLParser):
    """Counts elements by class (points, frontier points, rows of each table) in an
    HTML document, as written or as Chromium serialized it after rendering."""

    def __init__(self):
        super().__init__()
        self.counts = {}
        self.frontier_models = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "circle" and "point" in classes:
            self.bump("points")
            if "frontier" in classes:
                self.bump("frontier")
                self.frontier_models.append(a.get("data-model"))
        elif tag == "tr":
            for c in classes:
                if c.endswith("-row"):
                    self.bump(c)

    handle_startendtag = handle_starttag

    def bump(self, key):
        self.counts[key] = self.counts.get(key, 0) + 1


def count(text):
    c = Counter()
    c.feed(text)
    c.close()
    return {k: c.counts.get(k, 0) for k in EXPECTED}, sorted(c.frontier_models)


def build(ext, db):
    p = run(["sqlite3", db, ".load %s" % ext, "SELECT tokenledger_init();",
             ".read fixtures/ledger.sources.sql",
             "UPDATE ledger_sources SET path = '%s/' || path;" % ROOT.replace("'", "''"),
             "SELECT tokenledger_build();"])
    ok = p.returncode == 0 and "22 ledger rows" in p.stdout
    check("the sqlite3 CLI builds the fixtures' ledger into a database file", ok, p.stderr + p.stdout)
    return ok


def report(db, out, run_name):
    p = run([sys.executable, os.path.join(ROOT, "tools", "report.py"), db, out])
    check("tools/report.py writes frontier.svg and report.html (%s)" % run_name, p.returncode == 0
          and all(os.path.isfile(os.path.join(out, f)) for f in ("frontier.svg", "report.html")),
          p.stderr)
    return p.returncode == 0


def test_svg(out):
    path = os.path.join(out, "frontier.svg")
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        check("frontier.svg parses as XML", False, str(e))
        return
    check("frontier.svg parses as XML, an <svg> root", root.tag == SVG_NS + "svg", root.tag)
    circles = [c for c in root.iter(SVG_NS + "circle") if "point" in c.get("class", "").split()]
    frontier = sorted(c.get("data-model") for c in circles if "frontier" in c.get("class").split())
    check("frontier.svg: %d points, one per model drawn" % EXPECTED["points"],
          len(circles) == EXPECTED["points"] and len({c.get("data-model") for c in circles})
          == len(circles), [c.get("data-model") for c in circles])
    check("frontier.svg: the frontier points are the ledger's pareto_rank 1", frontier == FRONTIER,
          frontier)
    labels = sorted(t.text for t in root.iter(SVG_NS + "text")
                    if "frontier" in t.get("class", "").split())
    check("frontier.svg: each frontier point is labelled with its model", labels == FRONTIER, labels)
    steps = [s for s in root.iter(SVG_NS + "path") if s.get("class") == "step"]
    check("frontier.svg: one step line through the frontier, 2 steps for 3 points",
          len(steps) == 1 and steps[0].get("d").count("H") == 2, [s.get("d") for s in steps])
    ticks = [t.text for t in root.iter(SVG_NS + "text") if t.get("class") == "tick"
             and t.text.startswith("$")]
    # prices 0.2725 .. 6: the decades $0.1, $1, $10
    check("frontier.svg: decade ticks on the log price axis", ticks == ["$0.1", "$1", "$10"], ticks)


def test_html(out):
    with open(os.path.join(out, "report.html"), encoding="utf-8") as f:
        counts = count(f.read())[0]
    check("report.html as written: %s" % ", ".join("%d %s" % (v, k) for k, v in EXPECTED.items()),
          counts == EXPECTED, counts)


def png_size(data):
    """(width, height) from the IHDR chunk, which must follow the signature."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", data[16:24])


def test_chromium(out, tmp):
    name = "Chromium renders report.html: screenshot and rendered DOM"
    if not os.access(CHROMIUM, os.X_OK):
        skip(name, "needs chromium (Debian package chromium; .ci/deps installs it)")
        return
    url = "file://" + os.path.join(out, "report.html")
    # its own profile directory, so nothing is written to the user's
    base = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
            "--user-data-dir=" + os.path.join(tmp, "chromium-profile"),
            "--window-size=%d,%d" % WINDOW]
    png = os.path.join(tmp, "report.png")
    started = time.monotonic()
    p = run(base + ["--screenshot=" + png, url])
    shot_s = time.monotonic() - started
    data = b""
    if os.path.isfile(png):
        with open(png, "rb") as f:
            data = f.read()
    size = png_size(data)
    # A blank 1280x2000 page compresses to a few KB; text, tables and the chart do not.
    check("the screenshot is a %dx%d PNG of the page, over 50 KB" % WINDOW,
          p.returncode == 0 and size == WINDOW and len(data) > 50000,
          "exit %d, size %s, %d bytes: %s" % (p.returncode, size, len(data), p.stderr))
    started = time.monotonic()
    p = run(base + ["--dump-dom", url])
    # not a check: how long Chromium took, for whoever reads the output
    print("# chromium: screenshot %.1f s (%d bytes), dump-dom %.1f s"
          % (shot_s, len(data), time.monotonic() - started))
    counts, frontier = count(p.stdout)
    check("the DOM Chromium rendered: %s" % ", ".join("%d %s" % (v, k) for k, v in EXPECTED.items()),
          p.returncode == 0 and counts == EXPECTED and frontier == FRONTIER,
          "exit %d, %s %s %s" % (p.returncode, counts, frontier, p.stderr))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ext", default="./tokenledger")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="tokenledger-report-") as tmp:
        db = os.path.join(tmp, "ledger.db")
        out, again = os.path.join(tmp, "out"), os.path.join(tmp, "again")
        if build(args.ext, db) and report(db, out, "first run"):
            test_svg(out)
            test_html(out)
            if report(db, again, "second run, same database"):
                for f in ("frontier.svg", "report.html"):
                    with open(os.path.join(out, f), "rb") as a, open(os.path.join(again, f), "rb") as b:
                        check("%s is byte-identical on a second run" % f, a.read() == b.read())
            test_chromium(out, tmp)
    sys.exit(tap.exit_code())


if __name__ == "__main__":
    main()
