/*
** pricing() inside a real SQLite process, for what the sqlite3 CLI cannot
** reach (issue 9). Loads the extension TL_EXTENSION (set by the Makefile:
** ./tokenledger, or the ASan build) and prints `ok - NAME` / `not ok - NAME:
** DETAIL` lines that tests/run.py counts with the unit tests.
**
**  1. threads: 8 threads share one connection (SQLITE_OPEN_FULLMUTEX) and scan
**     10 files row by row, with and without extra. SQLite serializes the calls
**     but not the scans: between two steps of one thread, another evicts or
**     refills the cache slot the first is reading (only 8 slots), which must
**     not free rows a cursor still holds.
**  2. stream: a file over the 64 MiB cache limit is rewritten in place after
**     its first row was read; the query must fail naming the file, not return
**     rows of two versions.
**  3. oom: every query below runs once per allocation it makes, with that one
**     allocation failing (SQLITE_CONFIG_MALLOC). Each run must give the
**     unconstrained rows, or stop with "out of memory" after a prefix of them:
**     never a NULL where a value was.
**
** Expected figures come from how the files are generated, not from a run.
*/
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report.h"

#ifndef TL_EXTENSION
#define TL_EXTENSION "./tokenledger"
#endif

#define THREADS 8
#define FILES 10
#define SCANS_PER_THREAD 60

static char dir[] = "/tmp/tl-pricing-host-XXXXXX";

/* ------------------------------------------------- a failing allocator */

/* The allocation numbered fail_at (counted from arming) fails; 0: none. The
** counters are only touched while one thread runs (the oom test). */
static sqlite3_mem_methods default_mem;
static long long alloc_count, fail_at;
static int fault_hit;

static void *faulty_malloc(int n) {
  if (fail_at && ++alloc_count == fail_at) {
    fault_hit = 1;
    return NULL;
  }
  return default_mem.xMalloc(n);
}

static void *faulty_realloc(void *p, int n) {
  if (fail_at && ++alloc_count == fail_at) {
    fault_hit = 1;
    return NULL;
  }
  return default_mem.xRealloc(p, n);
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

static int write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "wb");
  if (!f) return -1;
  fputs(text, f);
  return fclose(f);
}

static sqlite3 *open_db(int flags) {
  sqlite3 *db = NULL;
  char *err = NULL;
  if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | flags, NULL) != SQLITE_OK) {
    sqlite3_close(db);
    return NULL;
  }
  sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 1, NULL);
  if (sqlite3_load_extension(db, TL_EXTENSION, NULL, &err) != SQLITE_OK) {
    fprintf(stderr, "cannot load %s: %s\n", TL_EXTENSION, err ? err : "?");
    sqlite3_free(err);
    sqlite3_close(db);
    return NULL;
  }
  return db;
}

/* ------------------------------------------------------------- threads */

/* File i holds models m0 .. m(19+i), model j with max_input_tokens j + 1:
** 20 + i rows summing to (20 + i)(21 + i) / 2. */
static int models_in(int i) { return 20 + i; }

static void file_path(char *out, size_t n, int i) { snprintf(out, n, "%s/file%d.json", dir, i); }

static int write_thread_files(void) {
  for (int i = 0; i < FILES; i++) {
    char path[512], *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) return -1;
    fputs("{", f);
    for (int j = 0; j < models_in(i); j++) {
      fprintf(f, "%s\"m%d\": {\"litellm_provider\": \"p%d\", \"max_input_tokens\": %d, \"tag\": \"t%d\"}",
              j ? ", " : "", j, i, j + 1, j);
    }
    fputs("}", f);
    fclose(f);
    file_path(path, sizeof path, i);
    if (write_file(path, text) != 0) {
      free(text);
      return -1;
    }
    free(text);
  }
  return 0;
}

typedef struct Worker {
  sqlite3 *db;
  int id, bad;
  char detail[256];
} Worker;

/* One scan, stepped row by row so other threads run in between. */
static int scan_file(Worker *w, int file, int with_extra) {
  static const char *const sql[2] = {"SELECT raw_model, context_window FROM pricing(?1)",
                                     "SELECT raw_model, context_window, extra FROM pricing(?1)"};
  char path[512];
  sqlite3_stmt *st = NULL;
  long long rows = 0, sum = 0, n = models_in(file);
  int rc;
  file_path(path, sizeof path, file);
  if (sqlite3_prepare_v2(w->db, sql[with_extra], -1, &st, NULL) != SQLITE_OK) {
    snprintf(w->detail, sizeof w->detail, "prepare: %s", sqlite3_errmsg(w->db));
    return -1;
  }
  sqlite3_bind_text(st, 1, path, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    char want[32];
    const char *model = (const char *)sqlite3_column_text(st, 0);
    long long cw = sqlite3_column_int64(st, 1);
    snprintf(want, sizeof want, "m%lld", cw - 1);
    if (!model || strcmp(model, want) != 0 ||
        (with_extra && sqlite3_column_type(st, 2) != SQLITE_TEXT)) {
      snprintf(w->detail, sizeof w->detail, "file %d: row %lld is %s|%lld", file, rows,
               model ? model : "NULL", cw);
      sqlite3_finalize(st);
      return -1;
    }
    rows++;
    sum += cw;
  }
  if (rc != SQLITE_DONE || rows != n || sum != n * (n + 1) / 2) {
    snprintf(w->detail, sizeof w->detail, "file %d: rc %d (%s), %lld rows summing to %lld", file, rc,
             sqlite3_errmsg(w->db), rows, sum);
    sqlite3_finalize(st);
    return -1;
  }
  sqlite3_finalize(st);
  return 0;
}

static void *worker_main(void *arg) {
  Worker *w = arg;
  unsigned seed = (unsigned)w->id * 2654435761u + 1;
  for (int k = 0; k < SCANS_PER_THREAD && !w->bad; k++) {
    seed = seed * 1103515245u + 12345u;
    if (scan_file(w, (int)((seed >> 16) % FILES), (int)((seed >> 8) & 1)) != 0) w->bad = 1;
  }
  return NULL;
}

static void test_threads(void) {
  sqlite3 *db;
  pthread_t tid[THREADS];
  Worker w[THREADS];
  int bad = -1;
  if (write_thread_files() != 0 || !(db = open_db(SQLITE_OPEN_FULLMUTEX))) {
    report(0, "threads: setup", "cannot write files or open the database");
    return;
  }
  for (int i = 0; i < THREADS; i++) {
    memset(&w[i], 0, sizeof w[i]);
    w[i].db = db;
    w[i].id = i;
    pthread_create(&tid[i], NULL, worker_main, &w[i]);
  }
  for (int i = 0; i < THREADS; i++) {
    pthread_join(tid[i], NULL);
    if (w[i].bad && bad < 0) bad = i;
  }
  report(bad < 0, "threads: 8 threads scan 10 files on one connection, every row right",
         "thread %d: %s", bad, bad >= 0 ? w[bad].detail : "");
  sqlite3_close(db);
}

/* -------------------------------------------------------------- stream */

/* Entry "a", 65 MiB of spaces (over the cache limit: the file streams), then
** entry "b". After the first row, "b" becomes "c" in place. */
static void test_stream_rewritten(void) {
  char path[512], *pad;
  const char *head = "{\"a\": {\"litellm_provider\": \"x\"},";
  const char *tail = "\"b\": {\"litellm_provider\": \"x\"}}";
  const size_t pad_bytes = 65u << 20;
  sqlite3 *db;
  sqlite3_stmt *st = NULL;
  FILE *f;
  int fd, rc, rows = 0;
  snprintf(path, sizeof path, "%s/stream.json", dir);
  pad = malloc(1u << 20);
  f = fopen(path, "wb");
  if (!pad || !f) {
    report(0, "stream: setup", "cannot write %s", path);
    free(pad);
    if (f) fclose(f);
    return;
  }
  memset(pad, ' ', 1u << 20);
  fputs(head, f);
  for (size_t done = 0; done < pad_bytes; done += 1u << 20) fwrite(pad, 1, 1u << 20, f);
  fputs(tail, f);
  fclose(f);
  free(pad);
  if (!(db = open_db(0))) {
    report(0, "stream: setup", "cannot open the database");
    return;
  }
  sqlite3_prepare_v2(db, "SELECT raw_model FROM pricing(?1)", -1, &st, NULL);
  sqlite3_bind_text(st, 1, path, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step(st);
  report(rc == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(st, 0), "a") == 0,
         "stream: the first row comes from the first entry", "rc %d", rc);
  /* Same size: the key's letter at its offset. */
  fd = open(path, O_WRONLY);
  if (fd < 0 || pwrite(fd, "c", 1, (off_t)(strlen(head) + pad_bytes + 1)) != 1) {
    report(0, "stream: rewrite", "%s", strerror(errno));
  }
  if (fd >= 0) close(fd);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) rows++;
  report(rc == SQLITE_ERROR && strstr(sqlite3_errmsg(db), "changed while it was read") &&
             strstr(sqlite3_errmsg(db), path),
         "stream: a file rewritten while streamed fails the query, naming it",
         "rc %d after %d more rows: %s", rc, rows, sqlite3_errmsg(db));
  sqlite3_finalize(st);
  sqlite3_close(db);
  unlink(path);
}

/* ----------------------------------------------------------------- oom */

typedef struct Text {
  char *s;
  size_t len;
} Text;

static void text_add(Text *t, const char *s, size_t n) {
  char *grown = realloc(t->s, t->len + n + 1);
  if (!grown) abort();
  memcpy(grown + t->len, s, n);
  t->s = grown;
  t->len += n;
  t->s[t->len] = 0;
}

/* Runs st to the end into out (columns typed, rows on lines). Returns the
** final code; a text that cannot be read counts as out of memory. */
static int run_rows(sqlite3_stmt *st, Text *out) {
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    for (int c = 0; c < sqlite3_column_count(st); c++) {
      int type = sqlite3_column_type(st, c);
      const char *v = (const char *)sqlite3_column_text(st, c);
      char tag[2] = {(char)('0' + type), 0};
      if (!v && type != SQLITE_NULL) {
        rc = SQLITE_NOMEM;
        goto done;
      }
      text_add(out, tag, 1);
      if (v) text_add(out, v, strlen(v));
      text_add(out, "|", 1);
    }
    text_add(out, "\n", 1);
  }
done:
  sqlite3_reset(st);
  return rc;
}

/* A new mtime per run, so every run decodes the file again. */
static void touch_new(const char *path, long long n) {
  struct timespec ts[2] = {{1000000000 + n, 0}, {1000000000 + n, 0}};
  utimensat(AT_FDCWD, path, ts, 0);
}

static void oom_sweep(sqlite3 *db, const char *name, const char *sql, const char *path) {
  sqlite3_stmt *st = NULL;
  Text want = {0};
  char label[256];
  long long runs = 0, errors = 0;
  int rc, bad = 0;
  snprintf(label, sizeof label, "oom: %s", name);
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
    report(0, label, "prepare: %s", sqlite3_errmsg(db));
    return;
  }
  sqlite3_bind_text(st, 1, path, -1, SQLITE_TRANSIENT);
  touch_new(path, 0);
  if ((rc = run_rows(st, &want)) != SQLITE_DONE || want.len == 0) {
    report(0, label, "unconstrained run: rc %d %s", rc, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    free(want.s);
    return;
  }
  for (long long k = 1; !bad; k++) {
    Text got = {0};
    touch_new(path, k);
    alloc_count = 0;
    fault_hit = 0;
    fail_at = k;
    rc = run_rows(st, &got);
    fail_at = 0;
    runs++;
    if (rc == SQLITE_DONE) {
      if (got.len != want.len || memcmp(got.s, want.s, want.len) != 0) {
        report(0, label, "allocation %lld failed, the query succeeded with other rows:\n%s\nwanted:\n%s", k,
               got.s ? got.s : "", want.s);
        bad = 1;
      }
    } else {
      const char *msg = sqlite3_errmsg(db);
      errors++;
      if ((rc != SQLITE_NOMEM && !strstr(msg, "out of memory")) ||
          (got.len && (got.len > want.len || memcmp(got.s, want.s, got.len) != 0))) {
        report(0, label, "allocation %lld failed: rc %d (%s) after rows:\n%s", k, rc, msg, got.s ? got.s : "");
        bad = 1;
      }
    }
    free(got.s);
    if (!fault_hit) break; /* the query needs fewer than k allocations: all covered */
  }
  if (!bad) report(errors > 0, label, "%lld runs, %lld errors: no allocation failed", runs, errors);
  sqlite3_finalize(st);
  free(want.s);
}

static void copy_fixture(const char *name, char *out, size_t n) {
  char from[512], buf[65536];
  const char *root = getenv("TL_FIXTURES");
  FILE *in, *to;
  size_t got;
  snprintf(from, sizeof from, "%s/%s", root ? root : "fixtures", name);
  snprintf(out, n, "%s/%s", dir, name);
  in = fopen(from, "rb");
  to = fopen(out, "wb");
  while (in && to && (got = fread(buf, 1, sizeof buf, in)) > 0) fwrite(buf, 1, got, to);
  if (in) fclose(in);
  if (to) fclose(to);
}

static void test_oom(void) {
  static const char *const fixtures[] = {"litellm.sample.json", "openrouter.sample.json",
                                         "pricing.modelsdev.json", "pricing.genai-prices.json",
                                         "pricing.example.json"};
  sqlite3 *db = open_db(0);
  if (!db) {
    report(0, "oom: setup", "cannot open the database");
    return;
  }
  for (size_t i = 0; i < sizeof fixtures / sizeof *fixtures; i++) {
    char path[512], name[256];
    copy_fixture(fixtures[i], path, sizeof path);
    snprintf(name, sizeof name, "every column of %s", fixtures[i]);
    oom_sweep(db, name, "SELECT * FROM pricing(?1)", path);
    snprintf(name, sizeof name, "lookups by provider in %s", fixtures[i]);
    oom_sweep(db, name,
              "SELECT a.raw_model, a.note, (SELECT count(*) FROM pricing(?1) b"
              " WHERE b.raw_provider = a.raw_provider) FROM pricing(?1) a",
              path);
    snprintf(name, sizeof name, "pricing_files of %s", fixtures[i]);
    oom_sweep(db, name, "SELECT * FROM pricing_files(?1)", path);
    unlink(path);
  }
  sqlite3_close(db);
}

int main(void) {
  install_allocator();
  if (!mkdtemp(dir)) {
    report(0, "setup", "mkdtemp: %s", strerror(errno));
    return 1;
  }
  test_threads();
  if (getenv("TL_VALGRIND")) {
    printf("skip - stream: a 65 MiB file: too slow under valgrind (the ASan run covers it)\n");
  } else {
    test_stream_rewritten();
  }
  test_oom();
  for (int i = 0; i < FILES; i++) {
    char path[512];
    file_path(path, sizeof path, i);
    unlink(path);
  }
  rmdir(dir);
  return failures ? 1 : 0;
}
