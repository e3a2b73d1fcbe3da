#!/usr/bin/env python3
"""make demo (fixtures/demo.sql) as issue 13 asks: it fits a 120-column terminal, cuts no reason,
shows why a backdated card was used, and leads with the frontier.

The reasons are compared with event_costs' cost_note read separately (the demo wraps them at
word boundaries, so their words joined must equal the note's). Line 2 of fixtures/events.jsonl
is an o3-mini call of 2024-06-10 and the only o3-mini card is LiteLLM's snapshot of 2025-05-01:
it must be shown with back = 1. The first three ledger rows are the frontier of
tests/sql/ledger.test (gemini-2.5-flash, gemini-2.5-pro, claude-sonnet-4-5), cheapest first.
Run from the repository root: python3 tests/demo/test_demo.py --ext ./tokenledger
Prints `ok - NAME` / `not ok - NAME: DETAIL` for tests/run.py."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import tap  # noqa: E402  (tests/tap.py: the lines tests/run.py reads)
from tap import check  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def sqlite(ext, *args):
    return subprocess.run(["sqlite3", ":memory:", "-cmd", ".load %s" % ext] + list(args),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)


def main():
    ext = sys.argv[sys.argv.index("--ext") + 1] if "--ext" in sys.argv else "./tokenledger"
    demo = sqlite(ext, ".read fixtures/demo.sql")
    check("the demo runs without an error", demo.returncode == 0 and not demo.stderr, demo.stderr)
    lines = demo.stdout.splitlines()
    widest = max(len(l.rstrip()) for l in lines)
    check("every line fits 120 columns", widest <= 120, "widest line %d" % widest)
    notes = sqlite(ext, ".read sql/ledger.sql", ".read fixtures/ledger.sources.sql",
                   "SELECT line || char(9) || cost_note FROM event_costs WHERE source_path ="
                   " 'fixtures/events.jsonl' AND cost_note IS NOT NULL ORDER BY line")
    expected = dict(l.split("\t", 1) for l in notes.stdout.splitlines())
    words = " ".join(demo.stdout.split())
    for line, note in sorted(expected.items(), key=lambda kv: int(kv[0])):
        check("the reason of line %s is shown whole" % line, (line + " " + " ".join(note.split())) in words, note)
    row2 = next((l for l in lines if l.startswith("2 ") and "o3-mini" in l), "")
    check("line 2 shows its card dated after the call, flagged backdated",
          row2.split()[:5] == ["2", "2024-06-10", "o3-mini-2025-01-31", "2025-05-01", "1"], row2)
    data = [l.split()[1] for l in lines if l.split()[:1] in (["google"], ["anthropic"], ["openai"],
                                                            ["openrouter"], ["deepinfra"])]
    check("the ledger leads with the frontier, cheapest first",
          data[:3] == ["gemini-2.5-flash", "gemini-2.5-pro", "claude-sonnet-4-5-20250929"], str(data[:3]))
    return tap.exit_code()


if __name__ == "__main__":
    sys.exit(main())
