/*
** CSV benchmark decoders: aa_csv, lmarena_csv and wide share one table
** walker; see benchmarks.h for the formats.
**
** A layout, fixed from the header, says which column names the model,
** which the creator, which columns may hold metrics (and under which
** canonical name and unit), and whether 0 means "not measured". Then every
** record is streamed: each metric cell that reads as a number is one row.
** The Elo history (models across, dates down) is the transposed case: the
** model is the column's header and as_of the row's first cell.
*/
#include <stdio.h>
#include <string.h>

#include "benchmarks.h"
#include "csv.h"
#include "tl_alloc.h"

#define NAME_MAX_LEN 128

typedef struct Column {
  char metric[NAME_MAX_LEN];
  const char *unit;
  int shift10;
  int is_metric;
} Column;

typedef struct Layout {
  int model_col, creator_col; /* -1: none */
  int transposed;             /* the Elo history */
  int zero_unmeasured;
  Column *cols;
  char **headers;             /* transposed: model names */
  size_t ncol;
} Layout;

static int find_column(CsvReader *r, const char *name) {
  size_t n = strlen(name);
  for (size_t i = 0; i < csv_reader_nfield(r); i++) {
    size_t len, k = 0;
    const char *h = csv_reader_field(r, i, &len);
    if (len != n) continue; /* a header with a NUL byte never matches */
    while (k < n && (h[k] | 0x20) == (name[k] | 0x20)) k++;
    if (k == n) return (int)i;
  }
  return -1;
}

/* Field i as a name for the rows (a C string): one holding a NUL byte would
** be cut short there, so it is an error rather than a wrong name. */
static int check_name(CsvReader *r, size_t i, const char *what, char *err,
                      size_t errlen) {
  size_t n;
  const char *z = csv_reader_field(r, i, &n);
  const char *nul = memchr(z, 0, n);
  if (!nul) return 0;
  snprintf(err, errlen,
           "%s:%llu: %s with a NUL byte at byte %zu of column %zu: expected one "
           "without",
           csv_reader_name(r), (unsigned long long)csv_reader_line(r), what,
           (size_t)(nul - z) + 1, i + 1);
  return BENCH_ERROR;
}

static int find_creator(CsvReader *r) {
  static const char *const names[] = {"creator", "model_creator", "provider",
                                      "vendor",  "organization",  "company"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    int c = find_column(r, names[i]);
    if (c >= 0) return c;
  }
  return -1;
}

/* The header's names, listed for an error message. */
static void list_headers(CsvReader *r, char *out, size_t n) {
  size_t o = 0;
  out[0] = 0;
  for (size_t i = 0; i < csv_reader_nfield(r) && o + 8 < n; i++) {
    int w = snprintf(out + o, n - o, "%s'%s'", i ? ", " : "",
                     csv_reader_field(r, i, NULL));
    if (w < 0 || (size_t)w >= n - o) {
      snprintf(out + (o > n - 5 ? n - 5 : o), 5, "...");
      break;
    }
    o += (size_t)w;
  }
}

/* Fills l from the header record; 0, BENCH_NOMEM, or BENCH_ERROR with err
** set. */
static int make_layout(CsvReader *r, const char *format, const BenchOptions *opt,
                       Layout *l, char *err, size_t errlen) {
  int units_trusted = 1, ranking = 0;
  const char *model_name = NULL;
  l->ncol = csv_reader_nfield(r);
  l->model_col = l->creator_col = -1;
  l->cols = tl_malloc(l->ncol * sizeof *l->cols);
  if (!l->cols) return BENCH_NOMEM;
  memset(l->cols, 0, l->ncol * sizeof *l->cols);
  if (strcmp(format, "aa_csv") == 0) {
    model_name = "slug";
    l->zero_unmeasured = 1;
    l->creator_col = find_column(r, "creator");
  } else if (strcmp(format, "lmarena_csv") == 0 &&
             csv_reader_field(r, 0, NULL)[0] == 0) {
    l->transposed = 1;
    l->zero_unmeasured = 1;
  } else if (strcmp(format, "lmarena_csv") == 0) {
    ranking = find_column(r, "Score") >= 0;
    model_name = ranking ? "Model" : "key";
    l->creator_col = find_column(r, "Organization");
  } else {
    model_name = opt->model_column && opt->model_column[0] ? opt->model_column : "model";
    l->creator_col = find_creator(r);
    units_trusted = 0;
  }
  if (model_name) {
    l->model_col = find_column(r, model_name);
    if (l->model_col < 0) {
      char heads[300];
      list_headers(r, heads, sizeof heads);
      snprintf(err, errlen,
               "%s:%llu: no column '%s'%s: expected model_column= naming one of %s",
               csv_reader_name(r), (unsigned long long)csv_reader_line(r),
               model_name, opt->model_column ? "" : " (the default)", heads);
      return BENCH_ERROR;
    }
  }
  if (l->transposed) {
    l->headers = tl_malloc(l->ncol * sizeof *l->headers);
    if (!l->headers) return BENCH_NOMEM;
    memset(l->headers, 0, l->ncol * sizeof *l->headers);
  }
  for (size_t i = 0; i < l->ncol; i++) {
    size_t len;
    const char *h = csv_reader_field(r, i, &len);
    Column *c = &l->cols[i];
    int known = 0;
    BenchMetric m;
    if (l->transposed) {
      if (i == 0) continue;
      if (check_name(r, i, "a model name", err, errlen)) return BENCH_ERROR;
      l->headers[i] = tl_malloc(len + 1);
      if (!l->headers[i]) return BENCH_NOMEM;
      memcpy(l->headers[i], h, len + 1);
      snprintf(c->metric, sizeof c->metric, "arena_score");
      c->unit = "elo";
      c->is_metric = 1;
      continue;
    }
    if ((int)i == l->model_col || (int)i == l->creator_col) continue;
    if (ranking && strcmp(h, "Score") != 0) continue;
    m = ranking ? (BenchMetric){"arena_score", "elo", 0}
                : bench_metric(h, len, c->metric, sizeof c->metric, &known);
    if (m.metric != c->metric) snprintf(c->metric, sizeof c->metric, "%s", m.metric);
    c->unit = units_trusted || known ? m.unit : NULL;
    c->shift10 = m.shift10;
    c->is_metric = 1;
  }
  return 0;
}

static void free_layout(Layout *l) {
  if (l->headers) {
    for (size_t i = 0; i < l->ncol; i++) tl_free(l->headers[i]);
  }
  tl_free(l->headers);
  tl_free(l->cols);
}

/* "yyyymmdd" (the Elo history's first cell) into "yyyy-mm-dd". */
static int history_date(const char *z, size_t n, char out[11]) {
  for (size_t i = 0; i < n; i++) {
    if (z[i] < '0' || z[i] > '9') return -1;
  }
  if (n != 8) return -1;
  snprintf(out, 11, "%.4s-%.2s-%.2s", z, z + 4, z + 6);
  return 0;
}

/* The rows of one record; 0, BENCH_ERROR (err set) or BENCH_STOPPED. */
static int emit_record(CsvReader *r, const Layout *l, const char *format,
                       const char *as_of, const BenchOptions *opt,
                       BenchEmit emit, void *ctx, char *err, size_t errlen) {
  BenchRow row;
  char date[11];
  memset(&row, 0, sizeof row);
  row.format = format;
  row.as_of = as_of;
  if (l->transposed) {
    size_t n;
    const char *z = csv_reader_field(r, 0, &n);
    if (history_date(z, n, date) != 0) {
      snprintf(err, errlen, "%s:%llu:1: '%s': expected a yyyymmdd date",
               csv_reader_name(r), (unsigned long long)csv_reader_line(r), z);
      return BENCH_ERROR;
    }
    row.as_of = date;
  } else {
    row.model = csv_reader_field(r, (size_t)l->model_col, NULL);
    if (row.model[0] == 0) {
      snprintf(err, errlen, "%s:%llu: empty model in column %d",
               csv_reader_name(r), (unsigned long long)csv_reader_line(r),
               l->model_col + 1);
      return BENCH_ERROR;
    }
    if (check_name(r, (size_t)l->model_col, "a model name", err, errlen)) {
      return BENCH_ERROR;
    }
    if (l->creator_col >= 0) {
      if (check_name(r, (size_t)l->creator_col, "a creator name", err, errlen)) {
        return BENCH_ERROR;
      }
      row.creator = csv_reader_field(r, (size_t)l->creator_col, NULL);
      if (row.creator[0] == 0) row.creator = NULL;
    }
  }
  for (size_t i = 0; i < l->ncol; i++) {
    const Column *c = &l->cols[i];
    size_t n;
    const char *z;
    if (!c->is_metric) continue;
    z = csv_reader_field(r, i, &n);
    if (bench_number(z, n, c->shift10, &row.value) != 0) continue;
    row.measured = 1;
    if (row.value == 0 && l->zero_unmeasured) {
      if (!opt->keep_unmeasured) continue;
      row.measured = 0;
    }
    if (l->transposed) row.model = l->headers[i];
    row.metric = c->metric;
    row.unit = c->unit;
    if (emit(ctx, &row)) return BENCH_STOPPED;
  }
  return 0;
}

int bench_decode_csv(const char *path, const char *format, const char *as_of,
                     const BenchOptions *opt, BenchEmit emit, void *ctx,
                     char *err, size_t errlen) {
  const char *why = NULL;
  CsvReader *r = csv_reader_open_file(path, ',', &why);
  Layout l;
  int rc;
  memset(&l, 0, sizeof l);
  if (!r) return bench_open_failure(path, why, err, errlen);
  rc = csv_reader_next(r);
  if (rc == 0) {
    snprintf(err, errlen, "%s: empty file: expected a header line", path);
    rc = BENCH_ERROR;
  } else if (rc == 1) {
    rc = make_layout(r, format, opt, &l, err, errlen);
  }
  while (rc == 0) {
    int more = csv_reader_next(r);
    if (more <= 0) {
      rc = more;
      break;
    }
    if (csv_reader_nfield(r) != l.ncol) {
      snprintf(err, errlen, "%s:%llu: %zu field%s: expected %zu", path,
               (unsigned long long)csv_reader_line(r), csv_reader_nfield(r),
               csv_reader_nfield(r) == 1 ? "" : "s", l.ncol);
      rc = BENCH_ERROR;
      break;
    }
    rc = emit_record(r, &l, format, as_of, opt, emit, ctx, err, errlen);
  }
  /* The reader's own failures (the header's or a record's). */
  if (rc == CSV_NOMEM) rc = BENCH_NOMEM;
  if (rc == -1 && !err[0]) snprintf(err, errlen, "%s", csv_reader_error(r));
  free_layout(&l);
  csv_reader_close(r);
  return rc;
}
