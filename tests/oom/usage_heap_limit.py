#!/usr/bin/env python3
"""Out-of-memory sweep: a failed allocation fails the query, it never changes the answer.

For each query below, the script runs it once without a limit (the expected answer),
then again under `PRAGMA hard_heap_limit=N` for N over a range that starts below the
memory the connection already uses and ends past the query's peak. Every run must give
either exactly the expected rows or an SQLITE_NOMEM error. Anything else is a failure:
other rows (an out-of-memory error that became a row, or a NULL where a value was), another
error code (an out-of-memory reported as SQLITE_ERROR), or a crash. At the end the
connection is closed and SQLite's count of bytes in use must be back where it was
before the connection opened: every allocation of the extension goes through
sqlite3_malloc, so a leak on any failure path shows there.

    python3 tests/oom/usage_heap_limit.py --ext ./tokenledger.so

It drives libsqlite3 through ctypes (one process, thousands of runs per second; Python's
own sqlite3 module cannot load extensions here). Under ASan, preload the runtime:
    LD_PRELOAD="$(cc -print-file-name=libasan.so) $(cc -print-file-name=libubsan.so)" \\
    ASAN_OPTIONS=detect_leaks=0 python3 tests/oom/usage_heap_limit.py --ext build/asan/tokenledger.so
(the leak check above does not need ASan's, which would report the interpreter's own).

Prints one line per query, `ok - NAME` or `not ok - NAME: DETAIL` (the unit-test format
tests/run.py counts), and exits 1 if any failed. --step sets the distance between limits
in bytes (default 16; each query's own step is at least this).
"""
import argparse
import ctypes
import ctypes.util
import os
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EVENTS = os.path.join(ROOT, "fixtures", "events.jsonl")

SQLITE_OK, SQLITE_NOMEM, SQLITE_ROW, SQLITE_DONE = 0, 7, 100, 101
SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, SQLITE_BLOB, SQLITE_NULL = 1, 2, 3, 4, 5


def load_sqlite():
    lib = ctypes.CDLL(ctypes.util.find_library("sqlite3") or "libsqlite3.so.0")
    p, i, i64, s = ctypes.c_void_p, ctypes.c_int, ctypes.c_int64, ctypes.c_char_p
    for name, res, args in [
        ("sqlite3_initialize", i, []),
        ("sqlite3_open_v2", i, [s, ctypes.POINTER(p), i, s]),
        ("sqlite3_close", i, [p]),
        ("sqlite3_enable_load_extension", i, [p, i]),
        ("sqlite3_load_extension", i, [p, s, s, ctypes.POINTER(p)]),
        ("sqlite3_prepare_v2", i, [p, s, i, ctypes.POINTER(p), p]),
        ("sqlite3_step", i, [p]),
        ("sqlite3_finalize", i, [p]),
        ("sqlite3_column_count", i, [p]),
        ("sqlite3_column_type", i, [p, i]),
        ("sqlite3_column_int64", i64, [p, i]),
        ("sqlite3_column_double", ctypes.c_double, [p, i]),
        ("sqlite3_column_text", p, [p, i]),
        ("sqlite3_column_bytes", i, [p, i]),
        ("sqlite3_errcode", i, [p]),
        ("sqlite3_errmsg", s, [p]),
        ("sqlite3_free", None, [p]),
        ("sqlite3_memory_used", i64, []),
        ("sqlite3_memory_highwater", i64, [i]),
        ("sqlite3_hard_heap_limit64", i64, [i64]),
    ]:
        fn = getattr(lib, name)
        fn.restype, fn.argtypes = res, args
    return lib


class Connection:
    def __init__(self, lib, ext):
        self.lib, self.db = lib, ctypes.c_void_p()
        if lib.sqlite3_open_v2(b":memory:", ctypes.byref(self.db), 6, None) != SQLITE_OK:
            raise SystemExit("cannot open a database")
        lib.sqlite3_enable_load_extension(self.db, 1)
        err = ctypes.c_void_p()
        if lib.sqlite3_load_extension(self.db, ext.encode(), None, ctypes.byref(err)):
            raise SystemExit("cannot load %s: %s" % (ext, ctypes.string_at(err.value).decode()))

    def run(self, sql):
        """('rows', [tuple, ...]) or ('error', code, message)."""
        lib, stmt = self.lib, ctypes.c_void_p()
        rc = lib.sqlite3_prepare_v2(self.db, sql.encode(), -1, ctypes.byref(stmt), None)
        if rc != SQLITE_OK:
            return ("error", lib.sqlite3_errcode(self.db), lib.sqlite3_errmsg(self.db))
        rows = []
        while True:
            rc = lib.sqlite3_step(stmt)
            if rc != SQLITE_ROW:
                break
            rows.append(tuple(self.column(stmt, c) for c in range(lib.sqlite3_column_count(stmt))))
        rc = lib.sqlite3_finalize(stmt)
        if rc != SQLITE_OK:
            return ("error", lib.sqlite3_errcode(self.db) & 0xFF, lib.sqlite3_errmsg(self.db))
        return ("rows", rows)

    def column(self, stmt, c):
        """A value read by its own type, so that reading needs no conversion (and no
        memory): a NULL here is the extension's, not the harness's."""
        lib = self.lib
        t = lib.sqlite3_column_type(stmt, c)
        if t == SQLITE_INTEGER:
            return lib.sqlite3_column_int64(stmt, c)
        if t == SQLITE_FLOAT:
            return repr(lib.sqlite3_column_double(stmt, c))
        if t == SQLITE_NULL:
            return None
        p = lib.sqlite3_column_text(stmt, c) if t == SQLITE_TEXT else None
        return ctypes.string_at(p, lib.sqlite3_column_bytes(stmt, c)) if p else ("TYPE", t)

    def close(self):
        return self.lib.sqlite3_close(self.db)


def sql_quote(s):
    return "'" + s.replace("'", "''") + "'"


def long_line_file(directory):
    """Lines longer than the reader's 256 KiB chunk make its buffer grow (realloc)."""
    path = os.path.join(directory, "long.jsonl")
    with open(path, "w") as f:
        f.write('{"model":"a","usage":{"input_tokens":1,"output_tokens":2}}\n')
        f.write('{"model":"b","note":"%s","usage":{"input_tokens":3,"output_tokens":4}}\n'
                % ("x" * 300000))
        f.write('{"model":"c","usage":{"input_tokens":5,"output_tokens":6}}\n')
    return path


def queries(events, long_file):
    ev, lf = sql_quote(events), sql_quote(long_file)
    return [
        # (name, SQL, minimum step in bytes)
        ("usage_events count", "SELECT count(*), count(error) FROM usage_events(%s)" % ev, 0),
        ("usage_events sums of the buckets",
         "SELECT sum(input_tokens), sum(cache_read_tokens), sum(cache_write_tokens), "
         "sum(output_tokens), sum(reasoning_tokens) FROM usage_events(%s) "
         "WHERE error IS NULL" % ev, 0),
        ("usage_events group by model",
         "SELECT model, count(*), sum(input_tokens), sum(output_tokens) "
         "FROM usage_events(%s) WHERE error IS NULL GROUP BY model ORDER BY model" % ev, 0),
        ("usage_events every column",
         "SELECT line, ts, provider, model, dialect, input_tokens, cache_read_tokens, "
         "cache_write_tokens, output_tokens, reasoning_tokens, reported_cost, request_id, "
         "latency_ms, status, error, raw, file FROM usage_events(%s)" % ev, 0),
        ("usage_events lines longer than a chunk",
         "SELECT line, model, input_tokens, output_tokens, length(raw), error "
         "FROM usage_events(%s)" % lf, 1024),
        ("scalar functions",
         "SELECT per_token('2.50', '1m'), per_token(3, 'per 1K tokens'), "
         "per_token('0.%s', 'token'), token_cost(1000, 200, 3e-6, 1.5e-5), "
         "bucket_cost(3, 3e-6, 12304, 3.75e-6, 0, 3e-7, 550, 1.5e-5), "
         "canonical_model('us.anthropic.claude-3-5-sonnet-20241022-v2:0'), "
         "canonical_model('my-gpt', 'azure', '{\"my-gpt\": \"gpt-4o-2024-08-06\"}'), "
         "canonical_provider('bedrock_converse'), model_creator('Llama 3.3 Instruct 70B'), "
         "genai_match('{\"or\":[{\"starts_with\":\"gpt-\"},{\"regex\":\"^o[134]\"}]}', 'o3-mini')"
         % ("1" * 120), 0),
        ("resolve_model",
         "SELECT * FROM resolve_model('vertex_ai/claude-3-5-sonnet-v2@20241022') "
         "UNION ALL SELECT * FROM resolve_model('my-gpt', 'azure', "
         "'{\"my-gpt\": \"gpt-4o-2024-08-06\"}')", 0),
    ]


def sweep(con, lib, name, sql, step):
    """Runs sql under every limit in range; returns a list of problems."""
    lib.sqlite3_hard_heap_limit64(0)
    expected = con.run(sql)
    if expected[0] != "rows" or not expected[1]:
        return ["the unconstrained run gives %r" % (expected,)]
    con.run(sql)  # warm caches and the eponymous table, so the range is the query's
    base = lib.sqlite3_memory_used()
    lib.sqlite3_memory_highwater(1)
    con.run(sql)
    peak = lib.sqlite3_memory_highwater(1)
    problems, failed_runs, runs = [], 0, 0
    for limit in range(max(base - 4096, 1), peak + 4096, step):
        con.run("PRAGMA hard_heap_limit=%d" % limit)
        got = con.run(sql)
        lib.sqlite3_hard_heap_limit64(0)  # the pragma can only lower it
        runs += 1
        if got == expected:
            continue
        failed_runs += 1
        if got[0] == "error" and got[1] == SQLITE_NOMEM:
            continue
        problems.append("limit %d: %r" % (limit, got if got[0] == "error" else got[1][:3]))
        if len(problems) >= 5:
            break
    if failed_runs == 0:
        problems.append("no run failed: the range %d..%d is wrong" % (base, peak))
    after = con.run(sql)
    if after != expected:
        problems.append("after the sweep: %r" % (after,))
    print("# %s: %d limits from %d to %d bytes, %d ran out of memory"
          % (name, runs, base - 4096, peak + 4096, failed_runs))
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ext", default=os.path.join(ROOT, "tokenledger.so"))
    ap.add_argument("--step", type=int, default=16)
    args = ap.parse_args()
    lib = load_sqlite()
    lib.sqlite3_initialize()
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        long_file = long_line_file(tmp)
        before = lib.sqlite3_memory_used()
        con = Connection(lib, os.path.abspath(args.ext))
        if con.run("PRAGMA hard_heap_limit")[1] == [(0,)] and lib.sqlite3_memory_used() == 0:
            print("skip - heap limit sweep: this libsqlite3 keeps no memory statistics")
            return 0
        for name, sql, step in queries(EVENTS, long_file):
            problems = sweep(con, lib, name, sql, max(step, args.step))
            failures += bool(problems)
            if problems:
                print("not ok - heap limit: %s: %s" % (name, "; ".join(problems)))
            else:
                print("ok - heap limit: %s" % name)
        con.close()
        leaked = lib.sqlite3_memory_used() - before
        failures += leaked != 0
        print("%s - heap limit: no bytes left allocated after close%s"
              % ("ok" if leaked == 0 else "not ok", "" if leaked == 0 else ": %d" % leaked))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
