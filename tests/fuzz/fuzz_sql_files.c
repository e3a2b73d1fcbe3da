/*
** libFuzzer target: the file-reading virtual tables driven through SQLite
** itself (the other fuzz_*.c targets call the core parsers directly; this one
** goes through xConnect, xBestIndex, xFilter, xColumn and the pricing cache).
**
**   make build/fuzz/fuzz_sql_files
**   build/fuzz/fuzz_sql_files -max_total_time=60 build/fuzz/corpus/fuzz_sql_files \
**     build/fuzz/seeds/fuzz_sql_files -dict=tests/fuzz/fuzz_sql.dict
**
** INPUT. The first byte picks a module and its arguments (aMode[] below:
** pricing with each format or auto, pricing_files, csvfile in both forms
** and with several delimiters, benchmarks with each format, usage_events in
** both forms, cost_events with the input as the ledger's events log,
** tokenledger_build with it as a price list or a log); the rest is written to a fresh temporary file, and a fixed
** set of queries runs over it: count(*), every column, lookups by raw_model
** and raw_provider, a correlated self-join, LIMIT and OFFSET. Results are
** ignored except for cheap invariants, which abort():
**   - pricing_files: entries = models + skipped, and rows = count(*) of
**     pricing() over the same file and format;
**   - pricing: `raw_model = ?` (the cache's binary search) finds as many rows
**     as `+raw_model = ?` (the unary plus hides the constraint from
**     xBestIndex, so that is a plain scan);
**   - csvfile: both forms see the same number of records;
**   - usage_events: every sound row has five non-negative buckets;
**   - benchmarks: keep_unmeasured=1 gives at least the rows of 0;
**   - cost_events: as many rows as usage_events over the same file, and
**     no priced row without a total;
**   - tokenledger_build: a failed build leaves no table behind; a built
**     event_costs has a row per line of the log, a built model_prices as
**     many rows of the price list as pricing_files counts.
**
** The seeds are fixtures/ with a mode byte in front (the Makefile's
** build/fuzz/seeds/fuzz_sql_files); fixtures/ itself also works as a corpus.
**
** BUILD. The glue (ext/tokenledger.c, ext/func_<name>.c, vtab/) and the core
** are compiled in with -DSQLITE_CORE, so sqlite3ext.h maps every sqlite3_*
** call to the system libsqlite3 directly (SQLITE_EXTENSION_INIT1/3 expand to
** nothing, INIT2 to `(void)pApi`), and -DTOKENLEDGER_IN_SQLITE, so tl_malloc
** is sqlite3_malloc64. sqlite3_tokenledger_init() is called on a fresh
** :memory: connection per input: the pricing cache is per connection and
** keyed by file identity, which a rewritten temporary file could repeat
** within one clock tick.
**
** LIMITS. Per input: SQLITE_LIMIT_LENGTH 1 MB, SQLITE_LIMIT_COLUMN 128, and
** a progress handler that interrupts after about 1e6 VM instructions. The
** csvfile modes skip inputs whose first record has more than 64 fields
** (a known cubic cost in the header's name deduplication, being fixed
** separately; it is not what this target looks for).
*/
#include <sqlite3ext.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_sql_db.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { M_PRICING, M_PRICING_FILES, M_CSV_TABLE, M_CSV_FUNC, M_BENCHMARKS, M_USAGE, M_COST, M_BUILD };

static const struct {
  int module;
  const char *arg;  /* format, delimiter, ... (NULL: not given) */
  const char *arg2; /* header / model_column */
} aMode[] = {
    {M_PRICING, NULL, NULL},
    {M_PRICING, "auto", NULL},
    {M_PRICING, "litellm", NULL},
    {M_PRICING, "openrouter", NULL},
    {M_PRICING, "modelsdev", NULL},
    {M_PRICING, "genai-prices", NULL},
    {M_PRICING, "tokenledger", NULL},
    {M_PRICING_FILES, NULL, NULL},
    {M_PRICING_FILES, "auto", NULL},
    {M_PRICING_FILES, "litellm", NULL},
    {M_PRICING_FILES, "openrouter", NULL},
    {M_PRICING_FILES, "modelsdev", NULL},
    {M_PRICING_FILES, "genai-prices", NULL},
    {M_PRICING_FILES, "tokenledger", NULL},
    {M_CSV_TABLE, ",", "yes"},
    {M_CSV_TABLE, ",", "no"},
    {M_CSV_TABLE, ";", "yes"},
    {M_CSV_TABLE, "\t", "yes"},
    {M_CSV_TABLE, "|", "no"},
    {M_CSV_FUNC, ",", "yes"},
    {M_CSV_FUNC, ",", "no"},
    {M_CSV_FUNC, "\t", "yes"},
    {M_BENCHMARKS, NULL, NULL},
    {M_BENCHMARKS, "aa_json", NULL},
    {M_BENCHMARKS, "aa_csv", NULL},
    {M_BENCHMARKS, "aa_scores", NULL},
    {M_BENCHMARKS, "lmarena_json", NULL},
    {M_BENCHMARKS, "lmarena_csv", NULL},
    {M_BENCHMARKS, "wide", NULL},
    {M_BENCHMARKS, "wide", "name"},
    {M_USAGE, NULL, NULL},
    {M_USAGE, "table", NULL},
    {M_COST, NULL, NULL},
    {M_BUILD, "pricing", NULL},
    {M_BUILD, "events", NULL},
};
#define NMODE ((int)(sizeof aMode / sizeof aMode[0]))

static volatile unsigned sink;

static void fail(const char *what, const char *sql, long long a, long long b) {
  fprintf(stderr, "fuzz_sql_files: invariant broken: %s (%lld vs %lld)\n  %s\n", what, a, b, sql);
  abort();
}

/* Prepares SQL, binds up to 4 texts (NULL binds NULL), steps to the end
** reading every column in every representation, and returns the rc of the
** last step (SQLITE_DONE when every row came). *first receives column 0 of
** the first row as an integer, *first_text a copy of it as text. */
static int run(sqlite3 *db, const char *sql, const char *const *binds, int nbind,
               long long *first, char **first_text) {
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
  int row = 0;
  if (rc != SQLITE_OK) {
    sqlite3_finalize(st);
    return rc;
  }
  for (int i = 0; i < nbind; i++) {
    if (binds[i]) sqlite3_bind_text(st, i + 1, binds[i], -1, SQLITE_STATIC);
  }
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    int n = sqlite3_column_count(st);
    for (int i = 0; i < n; i++) {
      /* Touch every byte, so a dangling or short value shows under ASan. */
      const unsigned char *z = sqlite3_column_text(st, i);
      int len = sqlite3_column_bytes(st, i);
      for (int k = 0; z && k < len; k++) sink += z[k];
      (void)sqlite3_column_type(st, i);
      (void)sqlite3_column_double(st, i);
    }
    if (row++ == 0) {
      if (first) *first = sqlite3_column_int64(st, 0);
      if (first_text && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        *first_text = sqlite3_mprintf("%s", sqlite3_column_text(st, 0));
      }
    }
  }
  sqlite3_finalize(st);
  return rc;
}

/* count(*) of SQL, or -1 when the query failed. */
static long long count(sqlite3 *db, const char *sql, const char *const *binds, int nbind) {
  long long n = -1;
  return run(db, sql, binds, nbind, &n, NULL) == SQLITE_DONE ? n : -1;
}

static void run_pricing(sqlite3 *db, const char *path, const char *format) {
  const char *b[3] = {path, format, NULL};
  char *model = NULL, *provider = NULL;
  long long n = count(db, "SELECT count(*) FROM pricing(?1, ?2)", b, 2);
  run(db, "SELECT *, file, format FROM pricing(?1, ?2)", b, 2, NULL, NULL);
  run(db, "SELECT raw_model FROM pricing(?1, ?2) ORDER BY entry DESC", b, 2, NULL, &model);
  run(db, "SELECT raw_provider FROM pricing(?1, ?2) LIMIT 1 OFFSET 1", b, 2, NULL, &provider);
  run(db, "SELECT * FROM pricing(?1, ?2) LIMIT 2", b, 2, NULL, NULL);
  if (model) {
    long long by_index, by_scan;
    b[2] = model;
    by_index = count(db, "SELECT count(*) FROM pricing(?1, ?2) WHERE raw_model = ?3", b, 3);
    by_scan = count(db, "SELECT count(*) FROM pricing(?1, ?2) WHERE +raw_model = ?3", b, 3);
    if (by_index >= 0 && by_scan >= 0 && by_index != by_scan) {
      fail("raw_model = ? against a scan", model, by_index, by_scan);
    }
    run(db, "SELECT * FROM pricing(?1, ?2) WHERE raw_model = ?3 AND tier_start_tokens = 0", b, 3,
        NULL, NULL);
  }
  if (provider) {
    b[2] = provider;
    run(db, "SELECT raw_model FROM pricing(?1, ?2) WHERE raw_provider = ?3", b, 3, NULL, NULL);
  }
  run(db,
      "SELECT a.raw_model, (SELECT count(*) FROM pricing(?1, ?2) b WHERE b.raw_model = a.raw_model) "
      "FROM pricing(?1, ?2) a LIMIT 8",
      b, 2, NULL, NULL);
  run(db, "SELECT a.entry FROM pricing(?1, ?2) a JOIN pricing(?1, ?2) b USING (raw_model) LIMIT 16",
      b, 2, NULL, NULL);
  /* The outer scan reads no extra, the inner one does: the cache slot is
  ** decoded again (with extra) while the outer cursor still walks it. */
  run(db,
      "SELECT a.raw_model, (SELECT max(length(extra)) FROM pricing(?1, ?2) b "
      "WHERE b.raw_provider = a.raw_provider) FROM pricing(?1, ?2) a WHERE a.raw_model > '' LIMIT 8",
      b, 2, NULL, NULL);
  sqlite3_free(model);
  sqlite3_free(provider);
  (void)n;
}

static void run_pricing_files(sqlite3 *db, const char *path, const char *format) {
  const char *b[2] = {path, format};
  sqlite3_stmt *st = NULL;
  run(db, "SELECT *, file, format FROM pricing_files(?1, ?2)", b, 2, NULL, NULL);
  if (sqlite3_prepare_v2(db, "SELECT entries, models, skipped, rows FROM pricing_files(?1, ?2)", -1,
                         &st, NULL) != SQLITE_OK) {
    sqlite3_finalize(st);
    return;
  }
  sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
  if (format) sqlite3_bind_text(st, 2, format, -1, SQLITE_STATIC);
  if (sqlite3_step(st) == SQLITE_ROW) {
    long long entries = sqlite3_column_int64(st, 0), models = sqlite3_column_int64(st, 1);
    long long skipped = sqlite3_column_int64(st, 2), rows = sqlite3_column_int64(st, 3);
    long long n;
    if (entries != models + skipped) fail("entries = models + skipped", path, entries, models + skipped);
    n = count(db, "SELECT count(*) FROM pricing(?1, ?2)", b, 2);
    if (n >= 0 && n != rows) fail("pricing_files.rows = count(*) of pricing", path, rows, n);
  }
  sqlite3_finalize(st);
}

static void run_csv(sqlite3 *db, const char *path, const char *delim, const char *header,
                    int table) {
  const char *b[4] = {path, delim, header, "N/A,-"};
  long long n_func = count(db, "SELECT count(*) FROM csvfile(?1, ?2, ?3)", b, 3);
  run(db, "SELECT *, file, delimiter, header, \"null\" FROM csvfile(?1, ?2, ?3, ?4)", b, 4, NULL, NULL);
  run(db, "SELECT line, row ->> '$.c1' FROM csvfile(?1, ?2, ?3) WHERE line > 1 LIMIT 3", b, 3,
      NULL, NULL);
  if (table) {
    char *sql = sqlite3_mprintf(
        "CREATE VIRTUAL TABLE temp.t USING csvfile(file='%q', delimiter='%q', header=%s, "
        "null='N/A,-')",
        path, delim[0] == '\t' ? "tab" : delim, header);
    long long n_table;
    int rc = sql ? run(db, sql, NULL, 0, NULL, NULL) : SQLITE_NOMEM;
    sqlite3_free(sql);
    if (rc != SQLITE_DONE) return;
    run(db, "SELECT rowid, * FROM temp.t", NULL, 0, NULL, NULL);
    run(db, "SELECT * FROM temp.t WHERE rowid = 2", NULL, 0, NULL, NULL);
    run(db, "SELECT * FROM temp.t LIMIT 1 OFFSET 2", NULL, 0, NULL, NULL);
    run(db, "SELECT a.rowid FROM temp.t a, temp.t b WHERE a.rowid = b.rowid + 1 LIMIT 8", NULL, 0,
        NULL, NULL);
    n_table = count(db, "SELECT count(*) FROM temp.t", NULL, 0);
    /* The function form treats null= the same, and a record count does not
    ** depend on values; with header=no both count every record. */
    if (n_table >= 0 && n_func >= 0 && n_table != n_func) {
      fail("csvfile: table and function count the same records", path, n_table, n_func);
    }
    run(db, "DROP TABLE temp.t", NULL, 0, NULL, NULL);
  }
}

static void run_benchmarks(sqlite3 *db, const char *path, const char *format, const char *column) {
  const char *b[4] = {path, format, column, "0"};
  long long kept, all;
  run(db, "SELECT *, file, format, model_column, keep_unmeasured FROM benchmarks(?1, ?2, ?3)", b, 3,
      NULL, NULL);
  kept = count(db, "SELECT count(*) FROM benchmarks(?1, ?2, ?3, ?4)", b, 4);
  b[3] = "1";
  all = count(db, "SELECT count(*) FROM benchmarks(?1, ?2, ?3, ?4)", b, 4);
  if (kept >= 0 && all >= 0 && all < kept) fail("benchmarks: keep_unmeasured adds rows", path, all, kept);
  run(db, "SELECT raw_model, value FROM benchmarks(?1, ?2, ?3, ?4) WHERE metric = 'intelligence_index'",
      b, 4, NULL, NULL);
  run(db, "SELECT * FROM benchmarks(?1, ?2) LIMIT 1 OFFSET 1", b, 2, NULL, NULL);
}

static void run_usage(sqlite3 *db, const char *path, int table) {
  const char *b[1] = {path};
  const char *from = "usage_events(?1)";
  long long bad;
  if (table) {
    char *sql = sqlite3_mprintf("CREATE VIRTUAL TABLE temp.e USING usage_events(file='%q')", path);
    int rc = sql ? run(db, sql, NULL, 0, NULL, NULL) : SQLITE_NOMEM;
    sqlite3_free(sql);
    if (rc != SQLITE_DONE) return;
    from = "temp.e";
  }
  {
    char *q1 = sqlite3_mprintf("SELECT *, rowid FROM %s", from);
    char *q2 = sqlite3_mprintf(
        "SELECT count(*) FROM %s WHERE error IS NULL AND (input_tokens < 0 OR "
        "cache_read_tokens < 0 OR cache_write_tokens < 0 OR output_tokens < 0 OR "
        "reasoning_tokens < 0)",
        from);
    char *q3 = sqlite3_mprintf(
        "SELECT model, sum(input_tokens), total(reported_cost) FROM %s WHERE line >= 2 GROUP BY model",
        from);
    char *q4 = sqlite3_mprintf("SELECT * FROM %s LIMIT 1 OFFSET 1", from);
    if (q1 && q2 && q3 && q4) {
      run(db, q1, b, table ? 0 : 1, NULL, NULL);
      bad = count(db, q2, b, table ? 0 : 1);
      if (bad > 0) fail("usage_events: a sound row has a negative bucket", path, bad, 0);
      run(db, q3, b, table ? 0 : 1, NULL, NULL);
      run(db, q4, b, table ? 0 : 1, NULL, NULL);
    }
    sqlite3_free(q1);
    sqlite3_free(q2);
    sqlite3_free(q3);
    sqlite3_free(q4);
  }
  if (table) run(db, "DROP TABLE temp.e", NULL, 0, NULL, NULL);
}

/* The ledger's views (sql/ledger.sql, read once) with the input as the events
** log, priced from a bundled LiteLLM fixture: event_costs through the C
** coster (vtab/event_costs.c), every column, and the usage_cost path. */
static void run_cost(sqlite3 *db, const char *path) {
  if (fuzz_sql_load_ledger(db) != SQLITE_OK) return;
  char *sources = sqlite3_mprintf(
      "INSERT INTO ledger_sources(kind, path, format, snapshot_date, priority) VALUES"
      " ('pricing', '%q/ledger.litellm.2025-05-01.json', 'litellm', '2025-05-01', 0),"
      " ('events', '%q', NULL, NULL, 0)", FUZZ_FIXTURES, path);
  if (sources) sqlite3_exec(db, sources, 0, 0, NULL);
  sqlite3_free(sources);
  const char *b[1] = {path};
  run(db, "SELECT * FROM event_costs", NULL, 0, NULL, NULL);
  long long costed = count(db, "SELECT count(*) FROM event_costs", NULL, 0);
  long long lines = count(db, "SELECT count(*) FROM usage_events(?1)", b, 1);
  if (costed >= 0 && lines >= 0 && costed != lines)
    fail("cost_events: a line of the log is not a row", path, costed, lines);
  long long bad = count(db, "SELECT count(*) FROM event_costs WHERE cost_status = 'priced' "
                            "AND total_cost IS NULL", NULL, 0);
  if (bad > 0) fail("cost_events: a priced row without a total", path, bad, 0);
  run(db, "SELECT total_cost, cost_note FROM event_costs WHERE source_path = ?1 LIMIT 2", b, 1,
      NULL, NULL);
}

/* tokenledger_build with the input as a price list or an events log beside
** a fixture price list: all or nothing (a failed build leaves no table in
** the fresh database), and what it wrote reconciles with the readers. */
static void run_build(sqlite3 *db, const char *path, const char *kind) {
  char *sources = sqlite3_mprintf(
      "SELECT tokenledger_init();"
      "INSERT INTO ledger_sources(kind, path, format, snapshot_date, priority) VALUES"
      " ('pricing', '%q/ledger.litellm.2025-05-01.json', 'litellm', '2025-05-01', 0),"
      " ('%q', '%q', NULL, NULL, 0)", FUZZ_FIXTURES, kind, path);
  int rc = sources ? sqlite3_exec(db, sources, 0, 0, NULL) : SQLITE_NOMEM;
  sqlite3_free(sources);
  if (rc != SQLITE_OK) return;
  const char *b[1] = {path};
  int built = run(db, "SELECT tokenledger_build()", NULL, 0, NULL, NULL) == SQLITE_DONE;
  long long tables = count(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'model_prices'",
                           NULL, 0);
  if (!built) {
    if (tables != 0) fail("tokenledger_build: a failed build left tables", path, tables, 0);
    return;
  }
  run(db, "SELECT * FROM ledger_build_files", NULL, 0, NULL, NULL);
  if (kind[0] == 'e') {
    long long costed = count(db, "SELECT count(*) FROM main.event_costs", NULL, 0);
    long long lines = count(db, "SELECT count(*) FROM usage_events(?1)", b, 1);
    if (costed != lines) fail("tokenledger_build: event_costs against usage_events", path, costed, lines);
  } else {
    long long kept = count(db, "SELECT count(*) FROM main.model_prices WHERE source_path = ?1", b, 1);
    long long read = count(db, "SELECT rows FROM pricing_files(?1)", b, 1);
    if (kept != read) fail("tokenledger_build: model_prices against pricing_files", path, kept, read);
  }
}

/* Fields in the first CSV record (quotes respected), to stay clear of the
** known cubic header deduplication. */
static size_t first_record_fields(const uint8_t *p, size_t n, char delim) {
  size_t fields = 1;
  int quoted = 0;
  for (size_t i = 0; i < n; i++) {
    if (p[i] == '"') quoted = !quoted;
    else if (!quoted && (p[i] == '\n' || p[i] == '\r')) break;
    else if (!quoted && p[i] == (uint8_t)delim) fields++;
  }
  return fields;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char path[] = "/tmp/fuzz-sql-files-XXXXXX";
  sqlite3 *db = NULL;
  int m, fd;
  FILE *f;
  if (size < 1) return 0;
  m = data[0] % NMODE;
  data++;
  size--;
  if ((aMode[m].module == M_CSV_TABLE || aMode[m].module == M_CSV_FUNC) &&
      first_record_fields(data, size, aMode[m].arg[0]) > 64) {
    return 0;
  }
  fd = mkstemp(path);
  if (fd < 0) return 0;
  f = fdopen(fd, "wb");
  if (!f) {
    close(fd);
    unlink(path);
    return 0;
  }
  fwrite(data, 1, size, f);
  fclose(f);

  db = fuzz_sql_open("fuzz_sql_files");

  switch (aMode[m].module) {
    case M_PRICING:
      run_pricing(db, path, aMode[m].arg);
      break;
    case M_PRICING_FILES:
      run_pricing_files(db, path, aMode[m].arg);
      break;
    case M_CSV_TABLE:
    case M_CSV_FUNC:
      run_csv(db, path, aMode[m].arg, aMode[m].arg2, aMode[m].module == M_CSV_TABLE);
      break;
    case M_BENCHMARKS:
      run_benchmarks(db, path, aMode[m].arg, aMode[m].arg2);
      break;
    case M_COST:
      run_cost(db, path);
      break;
    case M_BUILD:
      run_build(db, path, aMode[m].arg);
      break;
    default:
      run_usage(db, path, aMode[m].arg != NULL);
  }

  if (sqlite3_close(db) != SQLITE_OK) {
    fprintf(stderr, "fuzz_sql_files: sqlite3_close: a statement was left open\n");
    abort();
  }
  unlink(path);
  return 0;
}
