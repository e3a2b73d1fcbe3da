#!/usr/bin/env python3
"""The folders say the rule (issue 14): which files touch SQLite, read from the tree.

  glue   ext/tokenledger.c, ext/func_*.c, vtab/*.c: they bind functions and virtual tables
         and include <sqlite3ext.h> (directly, or through a glue header of theirs);
  core   ext/core/*.c and *.h: parsing, canonicalizing, costing, dominance. They never
         include a SQLite header, so tests/unit and tests/fuzz link them alone. The one
         seam is ext/core/tl_alloc.c, which includes <sqlite3ext.h> only when built inside
         the extension (#ifdef TOKENLEDGER_IN_SQLITE: sqlite3_malloc there, malloc outside).

Checks every file of the three folders against that rule, and that no C file sits anywhere
else under ext/ (a new file must choose a side). Run from the repository root:
  python3 tests/docs/test_layout.py
Prints `ok - NAME` / `not ok - NAME: DETAIL` for tests/run.py."""
import glob
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import tap  # noqa: E402  (tests/tap.py: the lines tests/run.py reads)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SQLITE_INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]sqlite3(ext)?\.h[>"]', re.M)
SEAM = "ext/core/tl_alloc.c"


def rel(path):
    return os.path.relpath(path, ROOT)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def main():
    core = sorted(glob.glob(os.path.join(ROOT, "ext", "core", "*.[ch]")))
    glue = sorted(glob.glob(os.path.join(ROOT, "ext", "*.c")) + glob.glob(os.path.join(ROOT, "vtab", "*.c")))
    tap.check("layout: ext/core holds the core", len(core) > 0, "ext/core/ is empty")
    for path in core:
        text = read(path)
        if rel(path) == SEAM:
            guarded = re.search(r"#ifdef TOKENLEDGER_IN_SQLITE\s*\n\s*#include <sqlite3ext.h>", text)
            tap.check("layout: %s includes SQLite only inside the extension" % rel(path), guarded,
                      "expected #ifdef TOKENLEDGER_IN_SQLITE around its #include <sqlite3ext.h>")
            continue
        tap.check("layout: core %s includes no SQLite header" % rel(path), not SQLITE_INCLUDE.search(text),
                  "core files never include sqlite3.h/sqlite3ext.h: move it to ext/ or vtab/")
    glue_headers = [os.path.basename(h) for h in glob.glob(os.path.join(ROOT, "ext", "*.h")) +
                    glob.glob(os.path.join(ROOT, "vtab", "*.h")) if SQLITE_INCLUDE.search(read(h))]
    for path in glue:
        text = read(path)
        binds = SQLITE_INCLUDE.search(text) or any('#include "%s"' % h in text for h in glue_headers)
        tap.check("layout: glue %s includes SQLite" % rel(path), binds,
                  "a file in ext/ or vtab/ binds to SQLite; pure logic goes in ext/core/")
    stray = [rel(p) for p in glob.glob(os.path.join(ROOT, "ext", "**", "*.c"), recursive=True)
             if os.path.dirname(rel(p)) not in ("ext", "ext/core", "ext/vocab")]
    tap.check("layout: no C file outside ext/, ext/core/, ext/vocab/ and vtab/", not stray,
              ", ".join(stray))
    return tap.exit_code()


if __name__ == "__main__":
    sys.exit(main())
