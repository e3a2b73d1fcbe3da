/*
** oom_host: every function and module of tokenledger, run out of memory.
**
**   build/oom/oom_host ./tokenledger.so              (make test-oom: the ASan build)
**   build/oom/oom_host ./tokenledger.so csvfile_tvf  (only queries whose name contains it)
**   build/oom/oom_host --list
**
** Options: --budget K (runs past the first 200 N per sweep, default 300), --full
** (every N, no sampling), --timeout S (per sweep, default 120), --verbose (every
** failing N, not only the first), --show (print each reference and stop),
** --known (run the sweeps listed in known_failures[] too). Run from the repository root: the queries
** read fixtures/ by relative path, and the ledger query reads sql/ledger.sql.
**
** HOW IT WORKS
**
** Before sqlite3_initialize the host wraps SQLite's default allocator
** (SQLITE_CONFIG_GETMALLOC, then SQLITE_CONFIG_MALLOC). While "armed", the
** wrapper counts the calls to xMalloc and xRealloc and fails the Nth
** ("once" mode) or every one from the Nth on ("persistent" mode); it always
** counts outstanding blocks. The extension allocates through sqlite3_malloc64,
** so its allocations and SQLite's own all go through the wrapper. Lookaside
** stays at its default: that is what a real host runs with.
**
** One run of a query: open :memory:, load the extension and run the query's
** setup (unarmed), arm, prepare and step every statement of the body rendering
** each value as type and text, disarm, close. The reference is a run with
** nothing armed to fail. Then N = 1, 2, 3, ... until a run in which no
** failure was injected (every N up to 200, then a stride that keeps a sweep
** within --budget more runs). Each run must:
**   - produce the reference's output, or stop at an error whose code is
**     SQLITE_NOMEM or whose message mentions memory, after rows that are a
**     prefix of the reference's rows (no changed value, no NULL where a value
**     was, no error turned into a row);
**   - close with SQLITE_OK (a statement the extension left unfinalized is a
**     leak too) and leave as many blocks outstanding as before the open.
** The load of the extension itself is swept by the `load` and `load_nofs`
** queries, which arm before sqlite3_load_extension.
**
** Each sweep (query x mode) runs in a forked child, so a crash is reported
** as one `not ok` line with the N at which it happened, and the remaining
** sweeps still run. The child's stderr goes to a temporary file, from which the
** parent quotes the sanitizer's SUMMARY line, or the first frame inside the
** extension (glibc's backtrace() in a build without ASan).
**
** Output, one line per sweep, as tests/run.py expects from a unit test:
**   ok - oom QUERY/MODE (N runs)
**   not ok - oom QUERY/MODE: at N=..: what differed
**   skip - oom QUERY/MODE: known failure, issue 9
** Exit status 1 if any line is `not ok`.
*/
/* memmem and strcasestr are GNU; the host is a Linux test tool. */
#define _GNU_SOURCE
#include <sqlite3.h>

#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define OOM_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define OOM_UNDER_ASAN 1
#endif
#endif
#ifndef OOM_UNDER_ASAN
#define OOM_UNDER_ASAN 0
#endif

#if OOM_UNDER_ASAN
/* A UBSan report names the line; the stack says who called it. */
const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void) { return "print_stacktrace=1"; }
#endif

/* ---------------------------------------------------------------------------
** KNOWN FAILURES (issue 9). Sweeps named here are reported as
** `skip - oom NAME: known failure, issue 9` and not run, so that `make test`
** stays green until the fixes land. EMPTY THIS ARRAY once the issue 9 fixes
** are merged (`build/oom/oom_host ./tokenledger.so` then shows what is left).
*/
static const char *const known_failures[] = {
    NULL /* sentinel: keep last */
};

/* ---------------------------------------------------------------------------
** The failing allocator.
*/
static sqlite3_mem_methods g_default;

static struct {
  int armed;             /* count (and maybe fail) calls only while set */
  int persistent;        /* fail every call from fail_at on, not only fail_at */
  long long fail_at;     /* 1-based index of the call to fail; 0: never */
  long long calls;       /* xMalloc + xRealloc calls since armed */
  long long injected;    /* failures returned since armed */
  long long outstanding; /* blocks allocated and not freed, armed or not */
} g_mem;

static int oom_should_fail(void) {
  if (!g_mem.armed) return 0;
  g_mem.calls++;
  if (g_mem.fail_at > 0 && (g_mem.calls == g_mem.fail_at ||
                            (g_mem.persistent && g_mem.calls > g_mem.fail_at))) {
    g_mem.injected++;
    return 1;
  }
  return 0;
}

static void *oom_malloc(int n) {
  void *p;
  if (oom_should_fail()) return NULL;
  p = g_default.xMalloc(n);
  if (p) g_mem.outstanding++;
  return p;
}

static void oom_free(void *p) {
  if (p) g_mem.outstanding--;
  g_default.xFree(p);
}

/* A failed realloc leaves the block as it was, and a successful one moves
** it: either way the count of outstanding blocks does not change. */
static void *oom_realloc(void *p, int n) {
  if (oom_should_fail()) return NULL;
  return g_default.xRealloc(p, n);
}

static int oom_size(void *p) { return g_default.xSize(p); }
static int oom_roundup(int n) { return g_default.xRoundup(n); }
static int oom_init(void *app) { return g_default.xInit(app); }
static void oom_shutdown(void *app) { g_default.xShutdown(app); }

static int install_allocator(void) {
  static sqlite3_mem_methods wrapper;
  int rc = sqlite3_config(SQLITE_CONFIG_GETMALLOC, &g_default);
  if (rc != SQLITE_OK) return rc;
  wrapper = g_default; /* keeps pAppData, which xInit/xShutdown receive */
  wrapper.xMalloc = oom_malloc;
  wrapper.xFree = oom_free;
  wrapper.xRealloc = oom_realloc;
  wrapper.xSize = oom_size;
  wrapper.xRoundup = oom_roundup;
  wrapper.xInit = oom_init;
  wrapper.xShutdown = oom_shutdown;
  rc = sqlite3_config(SQLITE_CONFIG_MALLOC, &wrapper);
  if (rc != SQLITE_OK) return rc;
  return sqlite3_initialize();
}

static void arm(long long fail_at, int persistent) {
  g_mem.calls = 0;
  g_mem.injected = 0;
  g_mem.fail_at = fail_at;
  g_mem.persistent = persistent;
  g_mem.armed = 1;
}

static void disarm(void) { g_mem.armed = 0; }

/* ---------------------------------------------------------------------------
** The queries. `$X` in setup and body is the extension's path (for the
** load queries). Paths are relative to the repository root.
*/
typedef struct Query {
  const char *name;
  const char *setup;      /* unarmed, after the load; NULL: none */
  const char *setup_file; /* read and run unarmed before setup; NULL: none */
  const char *load_entry; /* non-NULL: the load itself is armed, with this entry point */
  const char *body;       /* armed: every statement, rows rendered */
  long long budget;       /* runs past the first 200 N; 0: --budget */
} Query;

#define PARETO_TABLE                                                         \
  "CREATE TABLE m(model TEXT, quality, price, ttft);"                        \
  "INSERT INTO m VALUES ('a', 90, 10.0, 0.5), ('b', 85, 2.0, 0.3),"          \
  " ('c', 85, 3.0, 0.2), ('d', 70, 0.5, 0.4), ('e', 70, 1.0, 0.6),"          \
  " ('f', 90, 10.0, 0.5), ('g', NULL, 1.0, 0.1), ('h', 60, 0.5, 0.9);"

static const Query queries[] = {
    /* The load itself, both entry points. */
    {"load", NULL, NULL, "sqlite3_tokenledger_init",
     "SELECT tokenledger_version(), count(*) FROM pragma_module_list WHERE name = 'pricing';", 0},
    {"load_nofs", NULL, NULL, "sqlite3_tokenledger_nofs_init",
     "SELECT tokenledger_version(), count(*) FROM pragma_module_list WHERE name = 'pareto';", 0},

    {"tokenledger_version", NULL, NULL, NULL, "SELECT tokenledger_version();", 0},

    /* Scalar functions. */
    {"per_token", NULL, NULL, NULL,
     "SELECT per_token('$2.50', '1m'), per_token(2.5, 'per_1k'), per_token(2.5e-6),"
     " per_token(' 0.0000025 '), per_token(3, '/1K tokens'), per_token(NULL);", 0},
    {"per_token_error", NULL, NULL, NULL, "SELECT per_token(2.5, 'furlong');", 0},
    {"token_cost", NULL, NULL, NULL,
     "SELECT token_cost(1000, 500, 3e-6, 15e-6), token_cost(8019, 732, 3e-6, 1.2e-6),"
     " token_cost(NULL, 1, 1, 1);", 0},
    {"bucket_cost", NULL, NULL, NULL,
     "SELECT bucket_cost(3, 3e-6, 12304, 3.75e-6, 0, 3e-7, 550, 1.5e-5),"
     " bucket_cost(0, NULL, 5, 1e-6), bucket_cost(5, NULL, 5, 1e-6);", 0},
    {"bucket_cost_error", NULL, NULL, NULL, "SELECT bucket_cost(1, -1);", 0},
    {"canonical", NULL, NULL, NULL,
     "SELECT column1, canonical_model(column1), canonical_model(column1, 'bedrock'),"
     " canonical_provider(column1), model_creator(column1) FROM (VALUES"
     " ('claude-3-5-sonnet-20241022'), ('vertex_ai/claude-3-5-sonnet-v2@20241022'),"
     " ('us.anthropic.claude-3-5-sonnet-20241022-v2:0'), ('Claude 3.5 Sonnet (Oct ''24)'),"
     " ('openrouter/meta-llama/llama-3.3-70b-instruct:free'), ('qwen/qwen3-32b'),"
     " ('claude-3-5-sonnet-20241022'), ('no-such-model-x'));", 0},
    {"canonical_aliases", NULL, NULL, NULL,
     "SELECT canonical_model(column1, NULL, '{\"my-gpt\": \"gpt-4o-2024-08-06\","
     " \"gpt-4o\": \"gpt-4o-2024-05-13\"}') FROM (VALUES ('my-gpt'), ('gpt-4o'), ('o3'));", 0},
    {"resolve_model", NULL, NULL, NULL,
     "SELECT * FROM resolve_model('vertex_ai/claude-3-5-sonnet-v2@20241022');", 0},
    {"resolve_model_join", NULL, NULL, NULL,
     "SELECT v.column1, r.* FROM (VALUES ('anthropic/claude-3.5-sonnet', NULL),"
     " ('gpt-4o', 'azure'), ('llama-3-3-instruct-70b', 'deepinfra')) v,"
     " resolve_model(v.column1, v.column2) r;", 0},
    {"genai_match", NULL, NULL, NULL,
     "SELECT column1, genai_match('{\"or\": [{\"starts_with\": \"gpt-4o\"},"
     " {\"regex\": \"^o[134]\"}, {\"and\": [{\"contains\": \"claude\"},"
     " {\"ends_with\": \"-latest\"}]}]}', column1) FROM (VALUES ('gpt-4o-mini'), ('o3'),"
     " ('claude-3-5-sonnet-latest'), ('claude-3'), ('gemini'));", 0},
    {"genai_match_error", NULL, NULL, NULL,
     "SELECT genai_match('{\"regex\": \"(?<=x)\"}', 'x');", 0},
    /* Small groups (held in the aggregate's context) and large ones (their
    ** own memory, and the merge sort). */
    {"ordered_json_group_array", NULL, NULL, NULL,
     "SELECT column1 % 2, ordered_json_group_array(json_object('m', column2), column2, column1)"
     " FROM (VALUES (1, 'b'), (2, 'a'), (3, NULL), (4, 'c'), (5, 'a'), (6, 'b')) GROUP BY 1;"
     "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 40)"
     " SELECT i % 2, ordered_json_group_array(json_quote(printf('%080d', i)), -i) FROM c"
     " GROUP BY 1;", 0},
    {"count_distinct", NULL, NULL, NULL,
     "SELECT column1 % 2, count_distinct(column2) FROM (VALUES (1, 'b'), (2, 'a'), (3, NULL),"
     " (4, 'c'), (5, 'b'), (6, 2.5), (7, 'b')) GROUP BY 1;"
     "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 60)"
     " SELECT i % 2, count_distinct(printf('%080d', i % 25)) FROM c GROUP BY 1;", 0},

    /* pricing and pricing_files, one query per format. */
    {"pricing_tokenledger", NULL, NULL, NULL,
     "SELECT * FROM pricing('fixtures/pricing.example.json');", 0},
    {"pricing_litellm", NULL, NULL, NULL,
     "SELECT * FROM pricing('fixtures/litellm.sample.json');", 0},
    {"pricing_openrouter", NULL, NULL, NULL,
     "SELECT * FROM pricing('fixtures/openrouter.sample.json');", 0},
    {"pricing_genai_prices", NULL, NULL, NULL,
     "SELECT * FROM pricing('fixtures/pricing.genai-prices.json');", 0},
    {"pricing_modelsdev", NULL, NULL, NULL,
     "SELECT * FROM pricing('fixtures/pricing.modelsdev.json');", 0},
    {"pricing_lookup", NULL, NULL, NULL,
     "SELECT raw_provider, raw_model, input_cost_per_token FROM"
     " pricing('fixtures/ledger.litellm.2025-05-01.json') WHERE raw_model = 'claude-sonnet-4-5';"
     "SELECT count(*) FROM pricing('fixtures/ledger.litellm.2025-05-01.json')"
     " WHERE raw_provider = 'openai';", 0},
    {"pricing_create", NULL, NULL, NULL,
     "CREATE VIRTUAL TABLE temp.p USING pricing(file='fixtures/pricing.example.json',"
     " format='auto');"
     "SELECT source_format, count(*), count(DISTINCT entry) FROM p;", 0},
    {"pricing_files", NULL, NULL, NULL,
     "SELECT * FROM pricing_files('fixtures/litellm.sample.json');"
     "SELECT * FROM pricing_files('fixtures/pricing.genai-prices.json');", 0},

    /* csvfile, both forms. */
    {"csvfile_create", NULL, NULL, NULL,
     "CREATE VIRTUAL TABLE temp.m USING csvfile(file='fixtures/models_normalized.csv');"
     "SELECT * FROM m;", 0},
    {"csvfile_tvf", NULL, NULL, NULL,
     "SELECT line, row FROM csvfile('fixtures/models_normalized.csv');"
     "SELECT line, row FROM csvfile('fixtures/ledger.arena.csv');", 0},

    /* benchmarks, one query per format. */
    {"benchmarks_wide", NULL, NULL, NULL,
     "SELECT * FROM benchmarks('fixtures/models_normalized.csv');", 0},
    {"benchmarks_aa_scores", NULL, NULL, NULL,
     "SELECT * FROM benchmarks('fixtures/ledger.aa_scores.2025-09-01.json');", 0},
    {"benchmarks_lmarena", NULL, NULL, NULL,
     "SELECT * FROM benchmarks('fixtures/ledger.arena.csv');", 0},

    /* usage_events, every dialect of the fixtures. */
    {"usage_events", NULL, NULL, NULL, "SELECT * FROM usage_events('fixtures/events.jsonl');", 0},
    {"usage_events_ledger", NULL, NULL, NULL,
     "SELECT * FROM usage_events('fixtures/ledger.events.jsonl');", 0},

    /* pareto, table-valued and CREATE (in temp). */
    {"pareto_tvf", PARETO_TABLE, NULL, NULL,
     "SELECT * FROM pareto('SELECT model, quality, price FROM m', 'max, min');"
     "SELECT key, pareto_rank FROM pareto('SELECT model, quality, price FROM m"
     " WHERE price <= ?1', 'max, min', NULL, 2.0);"
     "SELECT key, pareto_rank, dominated_by FROM pareto('SELECT model, quality, price, ttft"
     " FROM m', 'max, min, min', 'dominated_by=all, nulls=worst');", 0},
    {"pareto_create", PARETO_TABLE, NULL, NULL,
     "CREATE VIRTUAL TABLE temp.f2 USING pareto(query='SELECT model AS name, quality, price"
     " FROM m WHERE quality <= ?1', objectives='max, min', dominated_by='all',"
     " nulls='worst');"
     "SELECT * FROM f2(70);", 0},

    /* Everything together: the ledger views over the bundled fixtures. */
    /* Everything together: the ledger views over the bundled fixtures. Its
    ** 96,000 allocations are mostly SQLite's own and each run re-reads the
    ** views (about 35 ms under ASan), hence a smaller budget. */
    {"ledger",
     "DELETE FROM ledger_sources;"
     "INSERT INTO ledger_sources(kind, path, format, snapshot_date, priority) VALUES"
     " ('pricing', 'fixtures/pricing.example.json', 'tokenledger', NULL, 0),"
     " ('pricing', 'fixtures/ledger.litellm.2025-05-01.json', 'litellm', '2025-05-01', 0),"
     " ('benchmarks', 'fixtures/models_normalized.csv', 'wide', '2025-10-01', 0),"
     " ('benchmarks', 'fixtures/ledger.aa_scores.2025-09-01.json', 'aa_scores', NULL, 1),"
     " ('benchmarks', 'fixtures/ledger.arena.csv', 'lmarena_csv', '2025-08-15', 0),"
     " ('events', 'fixtures/ledger.events.jsonl', NULL, NULL, 0);",
     "sql/ledger.sql", NULL,
     "SELECT * FROM unified_model_provider_ledger ORDER BY ledger_key;"
     "SELECT line, total_cost, cost_status FROM event_costs ORDER BY source_path, line;",
     100},
    /* tokenledger_build (ext/func_build.c): the same sources written as
    ** tables in one savepoint; a failure anywhere leaves no half-built
    ** ledger (the body's last line reads what is there either way). */
    {"build",
     "CREATE TABLE ledger_sources(kind TEXT NOT NULL, path TEXT NOT NULL, format TEXT,"
     " snapshot_date TEXT, priority INTEGER NOT NULL DEFAULT 0);"
     "INSERT INTO ledger_sources(kind, path, format, snapshot_date, priority) VALUES"
     " ('pricing', 'fixtures/pricing.example.json', 'tokenledger', NULL, 0),"
     " ('pricing', 'fixtures/ledger.litellm.2025-05-01.json', 'litellm', '2025-05-01', 0),"
     " ('benchmarks', 'fixtures/ledger.aa_scores.2025-09-01.json', 'aa_scores', NULL, 1),"
     " ('events', 'fixtures/ledger.events.jsonl', NULL, NULL, 0);",
     NULL, NULL,
     "SELECT tokenledger_build() LIKE 'built 16 tables and 8 views from 4 sources in %';"
     "SELECT count(*) FROM sqlite_schema WHERE name = 'unified_model_provider_ledger';",
     100},
    /* cost_events (vtab/event_costs.c): every column of every event of two
    ** logs of several dialects, priced from a list with tiers and modalities. */
    {"cost_events",
     "DELETE FROM ledger_sources;"
     "INSERT INTO ledger_sources(kind, path, format, snapshot_date, priority) VALUES"
     " ('pricing', 'fixtures/pricing.genai-prices.units.json', 'genai-prices', '2025-06-01', 0),"
     " ('pricing', 'fixtures/ledger.litellm.2025-05-01.json', 'litellm', '2025-05-01', 0),"
     " ('events', 'fixtures/events.jsonl', NULL, NULL, 0),"
     " ('events', 'fixtures/events_units.jsonl', NULL, NULL, 0);",
     "sql/ledger.sql", NULL,
     "SELECT * FROM event_costs ORDER BY source_path, line;",
     100},
    /* usage_cost: one call through the same views, its scratch table emptied
    ** however the run ends (checked after each run by the body's last line). */
    {"usage_cost",
     "DELETE FROM ledger_sources;"
     "INSERT INTO ledger_sources(kind, path, format, snapshot_date, priority) VALUES"
     " ('pricing', 'fixtures/ledger.litellm.2025-05-01.json', 'litellm', '2025-05-01', 0);",
     "sql/ledger.sql", NULL,
     "SELECT total_cost, cost_status, cost_note FROM usage_cost('anthropic',"
     " 'claude-sonnet-4-5', '{\"input_tokens\": 150000, \"cache_read_input_tokens\": 60000,"
     " \"output_tokens\": 1000}', '2025-06-02T10:00:00Z');"
     "SELECT count(*) FROM ledger_calls;",
     100},
};

#define N_QUERIES (sizeof(queries) / sizeof(queries[0]))

/* ---------------------------------------------------------------------------
** Text buffers on libc's malloc, never SQLite's: the host's own bookkeeping
** must neither be failed by the wrapper nor counted by it.
*/
typedef struct Buf {
  char *z;
  size_t n, cap;
} Buf;

static void buf_append(Buf *b, const char *z, size_t n) {
  if (b->n + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->n + n + 1) cap *= 2;
    b->z = realloc(b->z, cap);
    if (!b->z) {
      perror("oom_host");
      exit(2);
    }
    b->cap = cap;
  }
  memcpy(b->z + b->n, z, n);
  b->n += n;
  b->z[b->n] = 0;
}

static void buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void buf_printf(Buf *b, const char *fmt, ...) {
  char tmp[512];
  va_list ap;
  int n;
  va_start(ap, fmt);
  n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  buf_append(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

static void buf_free(Buf *b) {
  free(b->z);
  memset(b, 0, sizeof *b);
}

/* ---------------------------------------------------------------------------
** One run.
*/
typedef struct Run {
  Buf rows;          /* one line per row: "stmt k: type:value|type:value" */
  int failed;        /* the body stopped at an error */
  int errcode;       /* its primary code */
  char errmsg[512];  /* and message */
  char close_problem[512]; /* "": sqlite3_close returned SQLITE_OK */
  long long calls;    /* allocation calls while armed */
  long long injected; /* failures injected while armed */
  long long leaked;   /* outstanding blocks after close minus before open */
  int persistent;     /* run in persistent mode */
} Run;

/* Values are read without asking SQLite to convert them: a conversion
** allocates, and a failure of the host's own read would be blamed on the
** extension. Text and blobs are read through sqlite3_column_blob (no
** terminator needed), numbers through their native type. */
static void render_value(Buf *b, sqlite3_stmt *st, int i) {
  switch (sqlite3_column_type(st, i)) {
    case SQLITE_INTEGER:
      buf_printf(b, "int:%lld", (long long)sqlite3_column_int64(st, i));
      break;
    case SQLITE_FLOAT:
      buf_printf(b, "real:%.17g", sqlite3_column_double(st, i));
      break;
    case SQLITE_TEXT: {
      const unsigned char *z = sqlite3_column_blob(st, i);
      int n = sqlite3_column_bytes(st, i);
      buf_append(b, "text:'", 6);
      for (int k = 0; k < n; k++) {
        if (z[k] == '\n') {
          buf_append(b, "\\n", 2);
        } else {
          buf_append(b, (const char *)z + k, 1);
        }
      }
      buf_append(b, "'", 1);
      break;
    }
    case SQLITE_BLOB: {
      const unsigned char *z = sqlite3_column_blob(st, i);
      int n = sqlite3_column_bytes(st, i);
      buf_append(b, "blob:x'", 7);
      for (int k = 0; k < n; k++) buf_printf(b, "%02x", z[k]);
      buf_append(b, "'", 1);
      break;
    }
    default:
      buf_append(b, "NULL", 4);
  }
}

static const char *g_ext_path; /* the extension, as dlopen'ed once in main */

static void run_failed(Run *r, int rc, const char *msg) {
  r->failed = 1;
  r->errcode = rc & 0xff;
  snprintf(r->errmsg, sizeof r->errmsg, "%s", msg ? msg : "(no message)");
}

/* Statements of the body, one after the other, until the first error. */
static void run_body(sqlite3 *db, const char *sql, Run *r) {
  const char *tail = sql;
  int k = 0;
  while (tail && *tail) {
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, tail, -1, &st, &tail);
    if (rc != SQLITE_OK) {
      run_failed(r, rc, sqlite3_errmsg(db));
      sqlite3_finalize(st);
      return;
    }
    if (!st) continue; /* trailing whitespace */
    k++;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      buf_printf(&r->rows, "%d:", k);
      for (int i = 0; i < sqlite3_column_count(st); i++) {
        if (i) buf_append(&r->rows, "|", 1);
        render_value(&r->rows, st, i);
      }
      buf_append(&r->rows, "\n", 1);
    }
    if (rc != SQLITE_DONE) {
      run_failed(r, rc, sqlite3_errmsg(db));
      sqlite3_finalize(st);
      return;
    }
    rc = sqlite3_finalize(st);
    if (rc != SQLITE_OK) {
      run_failed(r, rc, sqlite3_errmsg(db));
      return;
    }
  }
}

static char *read_file(const char *path) {
  Buf b = {0};
  char chunk[8192];
  size_t n;
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(&b, chunk, n);
  fclose(f);
  if (!b.z) buf_append(&b, "", 0);
  return b.z;
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "oom_host: ");
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "\n");
  va_end(ap);
  exit(2);
}

/* fail_at 0: the reference (counted, never failed). */
static void run_once(const Query *q, long long fail_at, int persistent, Run *r) {
  sqlite3 *db = NULL;
  long long before = g_mem.outstanding;
  char *err = NULL;
  int rc;

  memset(r, 0, sizeof *r);
  r->persistent = persistent;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) die("cannot open :memory:");
  sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 1, (int *)0);
  if (!q->load_entry) {
    if (sqlite3_load_extension(db, g_ext_path, NULL, &err) != SQLITE_OK)
      die("cannot load %s: %s", g_ext_path, err ? err : "?");
  }
  if (q->setup_file) {
    char *sql = read_file(q->setup_file);
    if (!sql) die("cannot read %s: %s", q->setup_file, strerror(errno));
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
      die("%s: setup %s: %s", q->name, q->setup_file, err ? err : "?");
    free(sql);
  }
  if (q->setup && sqlite3_exec(db, q->setup, NULL, NULL, &err) != SQLITE_OK)
    die("%s: setup: %s", q->name, err ? err : "?");

  arm(fail_at, persistent);
  if (q->load_entry) {
    rc = sqlite3_load_extension(db, g_ext_path, q->load_entry, &err);
    if (rc != SQLITE_OK) {
      run_failed(r, rc, err ? err : ""); /* no message: SQLite could not allocate it */
      sqlite3_free(err);
      err = NULL;
    }
  }
  if (!r->failed) run_body(db, q->body, r);
  disarm();
  r->calls = g_mem.calls;
  r->injected = g_mem.injected;

  rc = sqlite3_close(db);
  if (rc != SQLITE_OK) {
    /* Say which statements were left behind, then clean up so that the
    ** count of outstanding blocks still means something. */
    sqlite3_stmt *st;
    snprintf(r->close_problem, sizeof r->close_problem,
             "sqlite3_close: %s; unfinalized:", sqlite3_errstr(rc));
    while ((st = sqlite3_next_stmt(db, NULL)) != NULL) {
      size_t len = strlen(r->close_problem);
      snprintf(r->close_problem + len, sizeof r->close_problem - len, " [%s]",
               sqlite3_sql(st) ? sqlite3_sql(st) : "?");
      sqlite3_finalize(st);
    }
    sqlite3_close(db);
  }
  r->leaked = g_mem.outstanding - before;
}

/* ---------------------------------------------------------------------------
** Judging a run against the reference.
*/
static int is_oom_error(const Run *r) {
  return r->errcode == SQLITE_NOMEM || strcasestr(r->errmsg, "memory") != NULL;
}

/* Where a and b first differ: the row, and the field of that row (fields
** are split at '|', which a text value may also contain: good enough to
** point at the difference), quoted from both, into out. */
static void first_difference(const char *a, const char *b, char *out, size_t cap) {
  size_t i = 0, row_start = 0, field_start = 0;
  int row = 1, field = 1;
  const char *ea, *eb;
  while (a[i] && a[i] == b[i]) {
    if (a[i] == '\n') {
      row++;
      field = 1;
      row_start = field_start = i + 1;
    } else if (a[i] == '|') {
      field++;
      field_start = i + 1;
    }
    i++;
  }
  if (!a[i] && !b[i]) {
    snprintf(out, cap, "no difference");
    return;
  }
  if (!a[i]) {
    eb = b + row_start + strcspn(b + row_start, "\n");
    snprintf(out, cap, "extra row %d: `%.*s`", row,
             (int)(eb - (b + row_start) > 300 ? 300 : eb - (b + row_start)), b + row_start);
    return;
  }
  if (!b[i]) {
    snprintf(out, cap, "row %d missing", row);
    return;
  }
  ea = a + field_start + strcspn(a + field_start, "|\n");
  eb = b + field_start + strcspn(b + field_start, "|\n");
  snprintf(out, cap, "row %d field %d: expected `%.*s`, got `%.*s`", row, field,
           (int)(ea - (a + field_start) > 200 ? 200 : ea - (a + field_start)), a + field_start,
           (int)(eb - (b + field_start) > 200 ? 200 : eb - (b + field_start)), b + field_start);
}

/* An error whose message is gone: empty, or SQLite's generic text for its
** code, which SQLite reports when it could not copy or format the message
** (sqlite3_load_extension's "error during initialization: ..." included). */
static int message_lost(const Run *r) {
  return r->errmsg[0] == 0 || strcmp(r->errmsg, sqlite3_errstr(r->errcode)) == 0 ||
         strcmp(r->errmsg, "not an error") == 0;
}

/* "" when the run is acceptable; otherwise what is wrong, into why.
** *detail_lost is set when the run's error lost its message (message_lost). */
static void judge(const Run *ref, const Run *r, char *why, size_t cap, int *detail_lost) {
  const char *rows = r->rows.z ? r->rows.z : "";
  const char *ref_rows = ref->rows.z ? ref->rows.z : "";
  why[0] = 0;
  *detail_lost = 0;
  if (r->close_problem[0]) {
    snprintf(why, cap, "%s", r->close_problem);
  } else if (r->leaked != 0) {
    snprintf(why, cap, "%lld block(s) leaked (%s)", r->leaked,
             r->failed ? r->errmsg : "the run succeeded");
  } else if (r->failed && ref->failed && r->errcode == ref->errcode &&
             strcmp(r->errmsg, ref->errmsg) == 0 && strcmp(rows, ref_rows) == 0) {
    return; /* the reference's own error, same rows */
  } else if (r->failed) {
    /* Out of memory; or the reference's error without its message; or, once
    ** every allocation fails, an error nobody could allocate a message for.
    ** The last two are not the extension's doing: acceptable, counted apart. */
    int oom = is_oom_error(r);
    int lost = !oom && message_lost(r) &&
               ((ref->failed && r->errcode == ref->errcode) || r->persistent);
    size_t n = strlen(rows);
    if (!oom && !lost) {
      snprintf(why, cap, "error is not out-of-memory: (%s) %s", sqlite3_errstr(r->errcode),
               r->errmsg[0] ? r->errmsg : "(no message)");
    } else if (strncmp(rows, ref_rows, n) != 0) {
      char diff[600];
      first_difference(ref_rows, rows, diff, sizeof diff);
      snprintf(why, cap, "rows before the out-of-memory error differ: %s", diff);
    } else {
      *detail_lost = lost;
    }
  } else if (ref->failed) {
    snprintf(why, cap, "succeeded where the reference failed with: %s", ref->errmsg);
  } else if (strcmp(rows, ref_rows) != 0) {
    char diff[600];
    first_difference(ref_rows, rows, diff, sizeof diff);
    snprintf(why, cap, "succeeded with different output: %s", diff);
  }
}

/* ---------------------------------------------------------------------------
** A sweep in a forked child; the verdict comes back in shared memory.
*/
typedef struct Verdict {
  volatile long long current_n; /* the N being run, for a crash report */
  long long runs;
  long long bad_runs;
  long long first_bad_n;
  long long detail_lost; /* runs whose error lost its message (message_lost) */
  int done;
  char detail[1400];
} Verdict;

static struct {
  long long budget;
  int full;
  int timeout;
  int verbose;
  int show;      /* print each reference and stop */
  int run_known; /* run the known failures too */
} g_opt = {300, 0, 120, 0, 0, 0};

static void sweep(const Query *q, int persistent, Verdict *v) {
  Run ref, r;
  char why[1000];
  long long n = 1, stride = 1, budget;
  int lost;

  run_once(q, 0, persistent, &ref);
  if (g_opt.show) {
    printf("# %s reference: %lld allocations%s%s\n%s", q->name, ref.calls,
           ref.failed ? ", error: " : "", ref.failed ? ref.errmsg : "", ref.rows.z ? ref.rows.z : "");
    fflush(stdout);
    v->done = 1;
    return;
  }
  judge(&ref, &ref, why, sizeof why, &lost); /* a leak or busy close without any failure */
  if (why[0] || (ref.failed && q->load_entry)) {
    v->bad_runs = 1;
    v->first_bad_n = 0;
    snprintf(v->detail, sizeof v->detail, "reference run: %s",
             why[0] ? why : ref.errmsg);
    v->done = 1;
    return;
  }
  /* Every N up to 200; past that, a stride that spends at most the budget. */
  budget = q->budget ? q->budget : g_opt.budget;
  if (!g_opt.full && ref.calls > 200 && budget > 0) stride = (ref.calls - 200 + budget - 1) / budget;
  for (;;) {
    v->current_n = n;
    run_once(q, n, persistent, &r);
    v->runs++;
    judge(&ref, &r, why, sizeof why, &lost);
    v->detail_lost += lost;
    if (why[0]) {
      if (v->bad_runs == 0) {
        v->first_bad_n = n;
        snprintf(v->detail, sizeof v->detail, "%s", why);
      }
      v->bad_runs++;
      if (g_opt.verbose) fprintf(stdout, "# %s at N=%lld: %s\n", q->name, n, why);
    }
    if (r.injected == 0) {
      buf_free(&r.rows);
      break; /* past the last allocation: the sweep is complete */
    }
    buf_free(&r.rows);
    n += n < 200 ? 1 : stride;
  }
  buf_free(&ref.rows);
  v->done = 1;
}

static void crash_handler(int sig) {
  void *frames[64];
  int n = backtrace(frames, 64);
  static const char msg[] = "oom_host: fatal signal, backtrace:\n";
  if (write(2, msg, sizeof msg - 1) < 0) _exit(3);
  backtrace_symbols_fd(frames, n, 2);
  signal(sig, SIG_DFL);
  raise(sig);
}

/* glibc's frame "./tokenledger.so(+0x1a780)[0x7f..]" names no static
** function (the extension hides its symbols): ask addr2line, when there is
** one, for function, file and line, and append them. */
static void resolve_frame(char *frame, size_t cap) {
  char cmd[4600], answer[512];
  const char *open_paren = strstr(frame, "(+0x");
  unsigned long offset;
  FILE *p;
  if (!open_paren || sscanf(open_paren, "(+0x%lx)", &offset) != 1) return;
  snprintf(cmd, sizeof cmd, "addr2line -f -i -p -e '%s' 0x%lx 2>/dev/null", g_ext_path, offset);
  p = popen(cmd, "r");
  if (!p) return;
  if (fgets(answer, sizeof answer, p) && answer[0] != '?') {
    size_t len = strlen(frame);
    answer[strcspn(answer, "\n")] = 0;
    snprintf(frame + len, cap - len, " = %s", answer);
  }
  pclose(p);
}

/* The most useful line of a crashed child's stderr: the sanitizer's summary
** or report line, else the first backtrace frame inside the extension. */
static void crash_line(const char *log, char *out, size_t cap) {
  static const char *const keys[] = {"SUMMARY: ", "runtime error:", "ERROR: AddressSanitizer"};
  out[0] = 0;
  for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
    const char *p = strstr(log, keys[k]);
    if (p) {
      const char *start = p, *end, *frame;
      while (start > log && start[-1] != '\n') start--;
      end = strchr(p, '\n');
      snprintf(out, cap, "%.*s", (int)(end ? end - start : (long)strlen(start)), start);
      /* And the first frame in the SQL glue (vtab/, ext/func_), which says
      ** what the extension was doing; sanitizer frames read "#3 0x.. in F FILE:LINE". */
      frame = strstr(log, " vtab/");
      if (!frame) frame = strstr(log, " ext/func_");
      if (frame) {
        const char *in = frame, *fend = strchr(frame, '\n');
        size_t len = strlen(out);
        while (in > log && in[-1] != '\n' && strncmp(in, " in ", 4) != 0) in--;
        if (strncmp(in, " in ", 4) == 0) {
          snprintf(out + len, cap - len, " (from %.*s)",
                   (int)((fend ? fend : frame + strlen(frame)) - (in + 4)), in + 4);
        }
      }
      return;
    }
  }
  for (const char *p = log; p && *p;) {
    const char *end = strchr(p, '\n');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    if (memmem(p, n, "tokenledger", 11) && !memmem(p, n, "oom_host", 8)) {
      snprintf(out, cap, "%.*s", (int)n, p);
      resolve_frame(out, cap);
      return;
    }
    p = end ? end + 1 : NULL;
  }
}

static int is_known_failure(const char *label) {
  for (size_t i = 0; known_failures[i]; i++)
    if (strcmp(known_failures[i], label) == 0) return 1;
  return 0;
}

/* Runs one sweep in a child and prints its line; returns 1 if not ok. */
static int run_sweep(const Query *q, int persistent) {
  char label[128], line[2200];
  Verdict *v;
  FILE *log;
  pid_t pid;
  int status;

  snprintf(label, sizeof label, "%s/%s", q->name, persistent ? "persistent" : "once");
  if (!g_opt.run_known && is_known_failure(label)) {
    printf("skip - oom %s: known failure, issue 9\n", label);
    fflush(stdout);
    return 0;
  }
  v = mmap(NULL, sizeof *v, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (v == MAP_FAILED) die("mmap: %s", strerror(errno));
  memset(v, 0, sizeof *v);
  log = tmpfile();
  if (!log) die("tmpfile: %s", strerror(errno));
  fflush(stdout);
  fflush(stderr);
  pid = fork();
  if (pid < 0) die("fork: %s", strerror(errno));
  if (pid == 0) {
    dup2(fileno(log), 2);
    if (!OOM_UNDER_ASAN) {
      /* ASan has its own handlers, with a better report than this one. */
      signal(SIGSEGV, crash_handler);
      signal(SIGBUS, crash_handler);
      signal(SIGFPE, crash_handler);
      signal(SIGILL, crash_handler);
      signal(SIGABRT, crash_handler);
    }
    alarm((unsigned)g_opt.timeout);
    sweep(q, persistent, v);
    /* exit, not _exit: LeakSanitizer runs at exit and catches what the
    ** extension might allocate outside SQLite's allocator. */
    exit(0);
  }
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) die("waitpid: %s", strerror(errno));
  }

  if (v->done && v->bad_runs) {
    snprintf(line, sizeof line, "not ok - oom %s: at N=%lld: %s (%lld of %lld runs bad)", label,
             v->first_bad_n, v->detail, v->bad_runs, v->runs);
  } else if (!v->done || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    char *text, where[600];
    fflush(log);
    rewind(log);
    {
      Buf b = {0};
      char chunk[4096];
      size_t n;
      while ((n = fread(chunk, 1, sizeof chunk, log)) > 0) buf_append(&b, chunk, n);
      text = b.z ? b.z : strdup("");
    }
    crash_line(text, where, sizeof where);
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM) {
      snprintf(line, sizeof line, "not ok - oom %s: at N=%lld: timed out after %d s", label,
               v->current_n, g_opt.timeout);
    } else if (!v->done) {
      snprintf(line, sizeof line, "not ok - oom %s: at N=%lld: crashed (%s%d)%s%s", label,
               v->current_n, WIFSIGNALED(status) ? "signal " : "exit status ",
               WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status),
               where[0] ? ": " : "", where);
    } else {
      snprintf(line, sizeof line, "not ok - oom %s: after %lld runs: exit status %d%s%s",
               label, v->runs, WIFEXITED(status) ? WEXITSTATUS(status) : -1,
               where[0] ? ": " : "", where);
    }
    /* The whole report, for the developer reading the log. */
    fprintf(stderr, "---- %s: stderr of the child ----\n%s---- end ----\n", label, text);
    free(text);
  } else {
    snprintf(line, sizeof line, "ok - oom %s (%lld runs)", label, v->runs);
  }
  if (v->detail_lost) {
    printf("# %s: %lld run(s) failed with the message lost\n", label, v->detail_lost);
  }
  fclose(log);
  munmap(v, sizeof *v);
  printf("%s\n", line);
  fflush(stdout);
  return strncmp(line, "not ok", 6) == 0;
}

static int selected(const char *name, char **only, int n_only) {
  if (n_only == 0) return 1;
  for (int i = 0; i < n_only; i++)
    if (strstr(name, only[i])) return 1;
  return 0;
}

int main(int argc, char **argv) {
  static char path[4096];
  const char *ext = NULL;
  char **only = NULL;
  int n_only = 0, failures = 0, list = 0;

  only = calloc((size_t)argc, sizeof *only);
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--budget") == 0 && i + 1 < argc) {
      g_opt.budget = atoll(argv[++i]);
    } else if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc) {
      g_opt.timeout = atoi(argv[++i]);
    } else if (strcmp(argv[i], "--full") == 0) {
      g_opt.full = 1;
    } else if (strcmp(argv[i], "--verbose") == 0) {
      g_opt.verbose = 1;
    } else if (strcmp(argv[i], "--known") == 0) {
      g_opt.run_known = 1;
    } else if (strcmp(argv[i], "--show") == 0) {
      g_opt.show = 1;
    } else if (strcmp(argv[i], "--list") == 0) {
      list = 1;
    } else if (argv[i][0] == '-') {
      die("unknown option %s (usage: oom_host [--budget K] [--full] [--timeout S] "
          "[--verbose] [--known] [--show] [--list] EXTENSION [NAME...])", argv[i]);
    } else if (!ext && !list) {
      ext = argv[i];
    } else {
      only[n_only++] = argv[i];
    }
  }
  if (list) {
    for (size_t i = 0; i < N_QUERIES; i++) printf("%s\n", queries[i].name);
    return 0;
  }
  if (!ext) die("usage: oom_host [options] EXTENSION [NAME...]");

  /* The path SQLite will dlopen: with a slash (else dlopen searches the
  ** library path), with .so when the file exists only under that name. */
  snprintf(path, sizeof path, "%s%s", strchr(ext, '/') ? "" : "./", ext);
  if (access(path, R_OK) != 0) {
    size_t len = strlen(path);
    snprintf(path + len, sizeof path - len, ".so");
  }
  g_ext_path = path;
  /* Loaded once for good: each run's sqlite3_load_extension then only bumps
  ** a reference count (fast, and the same addresses in every child). */
  if (!dlopen(path, RTLD_NOW)) die("cannot dlopen %s: %s", path, dlerror());

  if (install_allocator() != SQLITE_OK) die("cannot install the failing allocator");
  if (!OOM_UNDER_ASAN) {
    void *warm[1];
    backtrace(warm, 1); /* loads libgcc now, not inside a signal handler */
  }

  for (size_t i = 0; i < N_QUERIES; i++) {
    if (!selected(queries[i].name, only, n_only)) continue;
    failures += run_sweep(&queries[i], 0);
    if (!g_opt.show) failures += run_sweep(&queries[i], 1);
  }
  free(only);
  sqlite3_shutdown();
  return failures ? 1 : 0;
}
