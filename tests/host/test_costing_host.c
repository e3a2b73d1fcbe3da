/*
** event_costs' read-ahead (vtab/event_costs.c, ext/core/usage_ahead.c) inside a
** real SQLite process in serialized mode, which the sqlite3 CLI is not (it
** runs single-threaded, so the helper thread never starts there). Loads the
** extension TL_EXTENSION and prints `ok - NAME` / `not ok - NAME: DETAIL`
** lines that tests/run.py counts with the unit tests.
**
**  1. same rows: a log over 4 MiB (the bundled fixture logs repeated) is
**     costed by the helper; the same lines as files of 1,500 lines each are
**     costed directly. Every column but source_path, line and cost_note (an
**     unsound record's note names its file and line) must be equal, row for
**     row, and the helper thread must have been running (/proc/self/task).
**  2. early stop: LIMIT 3 over the big log, 30 times, returns (the helper is
**     stopped and joined, not left reading the file).
**  3. oom: the query runs with the n-th allocation failing, for n spread over
**     the whole run, from either thread: each run gives every row or stops
**     with "out of memory", never another error, a crash or a hang.
*/
#include <dirent.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "report.h"

#ifndef TL_EXTENSION
#define TL_EXTENSION "./tokenledger"
#endif

static char dir[] = "/tmp/tl-costing-host-XXXXXX";

/* ------------------------------------------------- a failing allocator */

/* The allocation numbered fail_at fails (0: none); atomic, since the helper
** thread allocates too. */
static sqlite3_mem_methods default_mem;
static atomic_llong alloc_count, fail_at;

static int should_fail(void) {
  long long at = atomic_load(&fail_at);
  return at && atomic_fetch_add(&alloc_count, 1) + 1 == at;
}
static void *faulty_malloc(int n) { return should_fail() ? NULL : default_mem.xMalloc(n); }
static void *faulty_realloc(void *p, int n) {
  return should_fail() ? NULL : default_mem.xRealloc(p, n);
}

static void install_allocator(void) {
  sqlite3_mem_methods m;
  sqlite3_config(SQLITE_CONFIG_GETMALLOC, &default_mem);
  m = default_mem;
  m.xMalloc = faulty_malloc;
  m.xRealloc = faulty_realloc;
  sqlite3_config(SQLITE_CONFIG_MALLOC, &m);
}

/* ---------------------------------------------------------------- setup */

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
    free(buf);
    buf = NULL;
  }
  fclose(f);
  if (buf) buf[n] = 0;
  if (len) *len = (size_t)n;
  return buf;
}

/* The fixture logs' lines, repeated into big.jsonl past 4.5 MiB and into
** small_NNN.jsonl files of 1,500 lines. Returns the number of lines, or -1. */
static long write_logs(int *nsmall) {
  static const char *const logs[] = {"fixtures/events.jsonl", "fixtures/events_units.jsonl",
                                     "fixtures/ledger.events.jsonl"};
  char *text[3];
  size_t len[3], total = 0;
  for (int i = 0; i < 3; i++) {
    if (!(text[i] = read_file(logs[i], &len[i]))) return -1;
    if (len[i] && text[i][len[i] - 1] != '\n') return -1;
  }
  char path[256];
  snprintf(path, sizeof path, "%s/big.jsonl", dir);
  FILE *big = fopen(path, "wb");
  FILE *small = NULL;
  long lines = 0;
  *nsmall = 0;
  while (big && total < (9u << 19)) {
    for (int i = 0; i < 3; i++) {
      for (const char *p = text[i], *end = text[i] + len[i]; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)(nl - p) + 1;
        if (lines % 1500 == 0) {
          if (small) fclose(small);
          snprintf(path, sizeof path, "%s/small_%03d.jsonl", dir, (*nsmall)++);
          small = fopen(path, "wb");
          if (!small) return -1;
        }
        fwrite(p, 1, n, big);
        fwrite(p, 1, n, small);
        total += n;
        lines++;
        p += n;
      }
    }
  }
  if (small) fclose(small);
  if (!big || fclose(big) != 0) return -1;
  for (int i = 0; i < 3; i++) free(text[i]);
  return lines;
}

static sqlite3 *open_ledger(int big, int nsmall) {
  sqlite3 *db = NULL;
  char *err = NULL, *sql = read_file("sql/ledger.sql", NULL);
  if (!sql || sqlite3_open(":memory:", &db) != SQLITE_OK) goto fail;
  sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 1, NULL);
  if (sqlite3_load_extension(db, TL_EXTENSION, NULL, &err) != SQLITE_OK) goto fail;
  if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) goto fail;
  free(sql);
  sql = sqlite3_mprintf("INSERT INTO ledger_sources VALUES ('pricing', "
                        "'fixtures/ledger.litellm.2025-05-01.json', 'litellm', '2025-05-01', 0),"
                        " ('pricing', 'fixtures/pricing.genai-prices.units.json', 'genai-prices',"
                        " '2025-06-01', 0); INSERT INTO ledger_refresh DEFAULT VALUES;");
  if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) goto fail;
  sqlite3_free(sql);
  sql = NULL;
  for (int i = big ? -1 : 0; i < (big ? 0 : nsmall); i++) {
    char *ins = i < 0 ? sqlite3_mprintf("INSERT INTO ledger_sources VALUES "
                                        "('events', '%q/big.jsonl', NULL, NULL, 0)", dir)
                      : sqlite3_mprintf("INSERT INTO ledger_sources VALUES "
                                        "('events', '%q/small_%03d.jsonl', NULL, NULL, 0)", dir, i);
    int rc = sqlite3_exec(db, ins, NULL, NULL, &err);
    sqlite3_free(ins);
    if (rc != SQLITE_OK) goto fail;
  }
  return db;
fail:
  fprintf(stderr, "setup: %s\n", err ? err : db ? sqlite3_errmsg(db) : "cannot open");
  sqlite3_free(err);
  free(sql);
  sqlite3_close(db);
  return NULL;
}

/* ------------------------------------------------------------ the rows */

/* Every column but source_path, line and cost_note, quoted, one text per row,
** in the table's own order (ledger_sources' rowid, then line): no ORDER BY,
** which would read every row before the first came back. */
#define ROW_SQL                                                                           \
  "SELECT quote(ts) || quote(rate_at) || quote(raw_provider) || quote(raw_model) ||"     \
  " quote(provider) || quote(model) || quote(model_mapping_rule) || quote(rate_provider) ||" \
  " quote(rate_variant) || quote(rate_model) || quote(input_tokens) ||"                  \
  " quote(cache_read_tokens) || quote(cache_write_tokens) || quote(output_tokens) ||"    \
  " quote(reasoning_tokens) || quote(audio_input_tokens) || quote(image_output_tokens) ||" \
  " quote(tier_start_tokens) || quote(rate_source_path) || quote(rate_effective_from) ||" \
  " quote(rate_backdated) || quote(cache_price_fallback) || quote(input_cost_per_token) ||" \
  " quote(output_cost_per_token) || quote(input_cost) || quote(output_cost) ||"          \
  " quote(total_cost) || quote(reported_cost) || quote(cost_status) ||"                  \
  " quote(cost_note LIKE 'unsound record:%') FROM event_costs"

/* The helper threads of this process: tasks beyond the main one. */
static int other_threads(void) {
  DIR *d = opendir("/proc/self/task");
  int n = -1;
  if (!d) return 0;
  while (readdir(d)) n++;
  closedir(d);
  return n - 2; /* n counted "." and ".." and every thread, less one: drop those and main */
}

/* The rows of ROW_SQL; *threads_seen: the most helper threads counted while
** stepping. NULL on error (*err set). */
static char **rows_of(sqlite3 *db, long *n, int *threads_seen, char **err) {
  sqlite3_stmt *st = NULL;
  char **rows = NULL;
  long cap = 0;
  *n = 0;
  *threads_seen = 0;
  if (sqlite3_prepare_v2(db, ROW_SQL, -1, &st, NULL) != SQLITE_OK) {
    *err = sqlite3_mprintf("%s", sqlite3_errmsg(db));
    return NULL;
  }
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (*n % 4096 == 1) {
      int t = other_threads();
      if (t > *threads_seen) *threads_seen = t;
    }
    if (*n == cap) {
      cap = cap ? 2 * cap : 4096;
      rows = realloc(rows, (size_t)cap * sizeof *rows);
    }
    rows[(*n)++] = strdup((const char *)sqlite3_column_text(st, 0));
  }
  if (rc != SQLITE_DONE) *err = sqlite3_mprintf("%s", sqlite3_errmsg(db));
  sqlite3_finalize(st);
  return rows;
}

static void free_rows(char **rows, long n) {
  for (long i = 0; i < n; i++) free(rows[i]);
  free(rows);
}

int main(void) {
  int nsmall = 0;
  install_allocator();
  if (!mkdtemp(dir)) return 1;
  long lines = write_logs(&nsmall);
  sqlite3 *big = open_ledger(1, 0), *small = open_ledger(0, nsmall);
  if (lines < 0 || !big || !small) {
    report(0, "costing host: setup", "cannot write the logs or load the ledger");
    return 1;
  }

  /* 1. the same rows either way, with the helper running for the big log */
  char *err = NULL;
  long nb, ns;
  int threads_big, threads_small;
  char **rb = rows_of(big, &nb, &threads_big, &err);
  char **rs = err ? NULL : rows_of(small, &ns, &threads_small, &err);
  long differ = 0;
  for (long i = 0; !err && i < nb && i < ns; i++) differ += strcmp(rb[i], rs[i]) != 0;
  report(!err && nb == lines && ns == lines && differ == 0,
         "costing host: a log over 4 MiB read ahead gives the rows of the same lines read directly",
         "%s; %ld lines, rows %ld and %ld, %ld differ", err ? err : "", lines, nb, ns, differ);
  report(threads_big > 0, "costing host: the helper thread reads the big log",
         "no thread besides the main one was seen while stepping");
  sqlite3_free(err);
  err = NULL;
  free_rows(rb, nb);
  free_rows(rs, ns);

  /* 2. stopping early stops the helper */
  int stopped = 1;
  for (int i = 0; i < 30 && stopped; i++) {
    sqlite3_stmt *st = NULL;
    int rows = 0;
    if (sqlite3_prepare_v2(big, "SELECT line FROM event_costs LIMIT 3", -1, &st, NULL) != SQLITE_OK)
      stopped = 0;
    while (st && sqlite3_step(st) == SQLITE_ROW) rows++;
    sqlite3_finalize(st);
    if (rows != 3) stopped = 0;
  }
  report(stopped && other_threads() == 0, "costing host: LIMIT 3, 30 times, leaves no thread behind",
         "stopped %d, threads left %d", stopped, other_threads());

  /* 3. a failing allocation anywhere in either thread */
  long long total_allocs;
  atomic_store(&alloc_count, 0);
  atomic_store(&fail_at, 1LL << 62); /* count without failing */
  {
    sqlite3_stmt *st = NULL;
    sqlite3_prepare_v2(big, "SELECT count(*), total(total_cost) FROM event_costs", -1, &st, NULL);
    while (sqlite3_step(st) == SQLITE_ROW) {
    }
    sqlite3_finalize(st);
  }
  total_allocs = atomic_load(&alloc_count);
  int clean = 1, failed_runs = 0;
  char why[300] = "";
  for (int k = 1; k <= 24 && clean; k++) {
    atomic_store(&alloc_count, 0);
    atomic_store(&fail_at, 1 + total_allocs * k / 25);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(big, "SELECT count(*) FROM event_costs", -1, &st, NULL);
    long count = -1;
    if (rc == SQLITE_OK) {
      while ((rc = sqlite3_step(st)) == SQLITE_ROW) count = sqlite3_column_int64(st, 0);
    }
    if (rc != SQLITE_DONE) {
      failed_runs++;
      if (rc != SQLITE_NOMEM && !strstr(sqlite3_errmsg(big), "out of memory")) {
        clean = 0;
        snprintf(why, sizeof why, "allocation %lld: %s", 1 + total_allocs * k / 25,
                 sqlite3_errmsg(big));
      }
    } else if (count != lines) {
      clean = 0;
      snprintf(why, sizeof why, "allocation %lld: count %ld, not %ld", 1 + total_allocs * k / 25,
               count, lines);
    }
    sqlite3_finalize(st);
  }
  atomic_store(&fail_at, 0);
  report(clean && failed_runs > 0,
         "costing host: a failing allocation in either thread is out of memory, never a wrong count",
         "%s (%d of 24 runs failed)", why, failed_runs);

  sqlite3_close(big);
  sqlite3_close(small);
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", dir);
  return failures ? 1 : 0;
}
