#!/usr/bin/env python3
"""Every SQL example of the docs, executed (issue 13, "Docs": none can rot).

Reads README.md and docs/*.md, takes every fenced block whose fence says ```sql and runs
it through the real sqlite3 CLI, from the repository root, in a fresh in-memory
database with the extension loaded:

    sqlite3 -batch -bail :memory: -cmd ".load EXT"

with `.nullvalue NULL` set first (so a NULL prints as NULL). A block passes when the CLI
exits 0 and writes nothing to stderr. The conventions (docs/README.md repeats them for
writers of pages):

* A ```text block right after a ```sql block (only blank lines between) is its expected
  output, compared exactly (trailing spaces ignored) with what the CLI printed in its
  default list mode (`|` between columns, no headers unless the block asks).
* `-- setup: NAME` as a first line runs a setup first, its output hidden:
    fixtures  the ledger of the bundled fixtures built as tables: tokenledger_init(),
              fixtures/ledger.sources.sql, tokenledger_build() (what make report builds)
    views     the same sources as live TEMP views: .read sql/ledger.sql, then
              fixtures/ledger.sources.sql (what make demo shows)
* `-- needs: shared` as a first line: the block reads ../shared/data, and is skipped
  (`needs ../shared/data`) where that folder is absent.
* A block that is not meant to run uses another fence: ```sh for shell lines,
  ```sqlite-schema for schema excerpts. Every ```sql block runs.

Run from the repository root:
  python3 tests/docs/test_docs.py --ext ./tokenledger
Prints `ok - NAME` / `not ok - NAME: DETAIL` / `skip - NAME: REASON` (NAME is FILE:LINE of
the block's fence) for tests/run.py, and a count of the blocks run on stderr."""
import argparse
import glob
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import tap  # noqa: E402  (tests/tap.py: the lines tests/run.py reads)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared", "data"))
NEEDS_SHARED = "needs ../shared/data"

SETUPS = {
    "fixtures": "SELECT tokenledger_init();\n.read fixtures/ledger.sources.sql\n"
                "SELECT tokenledger_build();\n",
    "views": ".read sql/ledger.sql\n.read fixtures/ledger.sources.sql\n",
}

FENCE = re.compile(r"^```\s*([A-Za-z0-9_-]*)\s*$")
DIRECTIVE = re.compile(r"^--\s*(setup|needs):\s*(\S+)\s*$")


class Block:
    def __init__(self, path, line, lang):
        self.path, self.line, self.lang = path, line, lang
        self.body, self.expected = [], None
        self.setup, self.needs_shared = None, False

    def name(self):
        return "%s:%d" % (os.path.relpath(self.path, ROOT), self.line)


def doc_files():
    files = [os.path.join(ROOT, "README.md")]
    files += sorted(glob.glob(os.path.join(ROOT, "docs", "*.md")))
    return files


def parse(path):
    """The fenced blocks of one Markdown file, each ```text attached to the
    ```sql block just before it."""
    blocks, cur, last_sql = [], None, None
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for lineno, line in enumerate(lines, 1):
        if cur is not None:
            if line.startswith("```") and line.strip() == "```":
                blocks.append(cur)
                if cur.lang == "text" and last_sql is not None:
                    last_sql.expected = cur.body
                last_sql = cur if cur.lang == "sql" else None
                cur = None
            else:
                cur.body.append(line)
            continue
        m = FENCE.match(line)
        if m:
            cur = Block(path, lineno, m.group(1).lower())
        elif line.strip():
            last_sql = None
    if cur is not None:
        raise SystemExit("%s:%d: fence never closed" % (path, cur.line))
    return blocks


def directives(block):
    for l in block.body:
        if not l.strip():
            continue
        m = DIRECTIVE.match(l.strip())
        if not m:
            if not l.strip().startswith("--"):
                break
            continue
        if m.group(1) == "setup":
            block.setup = m.group(2)
        elif m.group(2) == "shared":
            block.needs_shared = True


def run(block, ext):
    script = ".nullvalue NULL\n"
    if block.setup:
        if block.setup not in SETUPS:
            return "unknown setup %r (known: %s)" % (block.setup, ", ".join(sorted(SETUPS)))
        script += ".output /dev/null\n%s.output stdout\n" % SETUPS[block.setup]
    script += "\n".join(block.body) + "\n"
    proc = subprocess.run(["sqlite3", "-batch", "-bail", ":memory:", "-cmd", ".load " + ext],
                          input=script.encode(), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, cwd=ROOT, timeout=600)
    out = proc.stdout.decode("utf-8", "replace")
    err = proc.stderr.decode("utf-8", "replace").strip()
    if proc.returncode != 0 or err:
        return "exit %d: %s" % (proc.returncode, err or out[-300:])
    if block.expected is not None:
        got = [l.rstrip() for l in out.rstrip("\n").split("\n")] if out.strip() else []
        want = [l.rstrip() for l in block.expected]
        while want and not want[-1]:
            want.pop()
        if got != want:
            return "expected %r, got %r" % (want, got)
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ext", default="./tokenledger")
    ap.add_argument("files", nargs="*", help="Markdown files (default: README.md, docs/*.md)")
    args = ap.parse_args()
    files = [os.path.abspath(f) for f in args.files] or doc_files()
    ran = skipped = 0
    for path in files:
        for block in parse(path):
            if block.lang != "sql":
                continue
            directives(block)
            if block.needs_shared and not os.path.isdir(SHARED):
                tap.skip(block.name(), NEEDS_SHARED)
                skipped += 1
                continue
            problem = run(block, args.ext)
            tap.check(block.name(), problem is None, problem)
            ran += 1
    tap.check("the docs have SQL examples", ran + skipped > 0, "no ```sql block found")
    print("%d SQL blocks run, %d skipped" % (ran, skipped), file=sys.stderr)
    return tap.exit_code()


if __name__ == "__main__":
    sys.exit(main())
