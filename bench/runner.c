/*
** bench/runner: times SQL statements inside one process, against one
** in-memory database with tokenledger loaded, so that process start-up and
** CLI formatting do not blur the ratio.
**
**   runner EXT REPS SETUP_SQL NAME=SQL [NAME=SQL ...]
**
** SETUP_SQL runs once. Then, REPS times, every NAME=SQL runs to completion
** (each row stepped, each column read by its type, as a client would), in a
** rotating order so that no statement always runs first. In every SQL text
** the token %REP% is replaced by the repetition number, so a scenario can
** point each repetition at a fresh copy of a file. Prints, per statement,
** one line: NAME MEDIAN_SECONDS ROWS.
**
** readfile(PATH) is registered here as the sqlite3 CLI defines it, so that
** `json_each(readfile(...))` baselines run the way a user would write them.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_STATEMENTS 16

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void readfile_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  const char *path = (const char *)sqlite3_value_text(argv[0]);
  FILE *f;
  long size;
  char *buf;
  (void)argc;
  if (!path || !(f = fopen(path, "rb"))) return;
  fseek(f, 0, SEEK_END);
  size = ftell(f);
  rewind(f);
  buf = sqlite3_malloc64((sqlite3_uint64)size + 1);
  if (buf && fread(buf, 1, (size_t)size, f) == (size_t)size) {
    sqlite3_result_blob64(ctx, buf, (sqlite3_uint64)size, sqlite3_free);
  } else {
    sqlite3_free(buf);
    sqlite3_result_error(ctx, "readfile: cannot read file", -1);
  }
  fclose(f);
}

/* SQL with every %REP% replaced by rep; the caller frees it. */
static char *with_rep(const char *sql, int rep) {
  size_t n = strlen(sql) + 1;
  const char *p;
  char *out, *q;
  for (p = sql; (p = strstr(p, "%REP%")) != NULL; p += 5) n += 16;
  out = malloc(n);
  if (!out) exit(2);
  for (p = sql, q = out; *p;) {
    if (strncmp(p, "%REP%", 5) == 0) {
      q += sprintf(q, "%d", rep);
      p += 5;
    } else {
      *q++ = *p++;
    }
  }
  *q = 0;
  return out;
}

/* Reads a column the way a client does: by its type, text only for text. */
static double column_sink; /* keeps the reads from being optimized away */

static void read_column(sqlite3_stmt *stmt, int i) {
  switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_INTEGER: column_sink += (double)sqlite3_column_int64(stmt, i); break;
    case SQLITE_FLOAT: column_sink += sqlite3_column_double(stmt, i); break;
    case SQLITE_TEXT: sqlite3_column_text(stmt, i); break;
    case SQLITE_BLOB: sqlite3_column_blob(stmt, i); break;
    default: break;
  }
}

/* Runs every statement of sql to completion; returns rows seen, or -1. */
static long run_sql(sqlite3 *db, const char *sql) {
  long rows = 0;
  const char *tail = sql;
  while (tail && *tail) {
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(db, tail, -1, &stmt, &tail);
    if (rc != SQLITE_OK) {
      fprintf(stderr, "bench: %s\n  in: %s\n", sqlite3_errmsg(db), sql);
      return -1;
    }
    if (!stmt) break;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      int ncol = sqlite3_column_count(stmt);
      for (int i = 0; i < ncol; i++) read_column(stmt, i);
      rows++;
    }
    if (rc != SQLITE_DONE) {
      fprintf(stderr, "bench: %s\n  in: %s\n", sqlite3_errmsg(db), sql);
      sqlite3_finalize(stmt);
      return -1;
    }
    sqlite3_finalize(stmt);
  }
  return rows;
}

static int compare_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  sqlite3 *db;
  char *err = NULL;
  int reps, nstmt = argc - 4;
  const char *names[MAX_STATEMENTS], *sqls[MAX_STATEMENTS];
  long rows[MAX_STATEMENTS] = {0};
  double *times;

  if (argc < 5 || nstmt > MAX_STATEMENTS || (reps = atoi(argv[2])) < 1) {
    fprintf(stderr, "usage: runner EXT REPS SETUP_SQL NAME=SQL...\n");
    return 2;
  }
  for (int i = 0; i < nstmt; i++) {
    char *eq = strchr(argv[4 + i], '=');
    if (!eq) {
      fprintf(stderr, "bench: expected NAME=SQL, got %s\n", argv[4 + i]);
      return 2;
    }
    *eq = 0;
    names[i] = argv[4 + i];
    sqls[i] = eq + 1;
  }
  times = calloc((size_t)(nstmt * reps), sizeof(double));
  if (!times || sqlite3_open(":memory:", &db) != SQLITE_OK) return 2;
  sqlite3_enable_load_extension(db, 1);
  if (sqlite3_load_extension(db, argv[1], NULL, &err) != SQLITE_OK) {
    fprintf(stderr, "bench: cannot load %s: %s\n", argv[1], err);
    return 2;
  }
  sqlite3_create_function(db, "readfile", 1, SQLITE_UTF8, NULL, readfile_func, NULL, NULL);
  if (run_sql(db, argv[3]) < 0) return 1;

  for (int rep = 0; rep < reps; rep++) {
    for (int k = 0; k < nstmt; k++) {
      int i = (k + rep) % nstmt;
      char *sql = with_rep(sqls[i], rep);
      double start = now_seconds();
      rows[i] = run_sql(db, sql);
      times[i * reps + rep] = now_seconds() - start;
      free(sql);
      if (rows[i] < 0) return 1;
    }
  }
  for (int i = 0; i < nstmt; i++) {
    qsort(times + i * reps, (size_t)reps, sizeof(double), compare_double);
    printf("%s %.6f %ld\n", names[i], times[i * reps + reps / 2], rows[i]);
  }
  sqlite3_close(db);
  free(times);
  return column_sink == -1.0; /* never: the sum only has to be used */
}
