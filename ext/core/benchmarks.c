/*
** Benchmark files: format detection and the dispatch to a decoder; see
** benchmarks.h. The decoders live in benchmarks_aa.c (aa_json, aa_scores
** and lmarena_json, the JSON formats) and benchmarks_csv.c (aa_csv,
** lmarena_csv, wide); what they share is benchmarks_common.c.
*/
#include "benchmarks.h"

#include <stdio.h>
#include <string.h>

#include "csv.h"
#include "json.h"
#include "tl_file.h"

/* The format of a JSON file by its shape: the first member of a top-level
** object tells aa_json (fetched_at, models, data, status...) from the
** keyed forms, whose first value is then looked at. 0 with *format set, or
** BENCH_ERROR / BENCH_NOMEM. */
static int detect_json(const char *path, const char **format, char *err,
                       size_t errlen) {
  const char *why = NULL;
  JsonReader *r = json_reader_open_file(path, &why);
  JsonArena arena = {0};
  JsonValue *v = NULL;
  const char *key;
  size_t klen;
  int rc = 0, failed = 0;
  *format = NULL;
  if (!r) return bench_open_failure(path, why, err, errlen);
  if (json_reader_peek(r) == JSON_ARRAY) {
    *format = "aa_json";
  } else if ((rc = json_reader_begin_object(r)) != 1 ||
             (rc = json_reader_next_member(r, &key, &klen)) != 1) {
    failed = rc < 0;
  } else if (strcmp(key, "models") == 0 || strcmp(key, "data") == 0 ||
             strcmp(key, "fetched_at") == 0 || strcmp(key, "status") == 0) {
    *format = "aa_json";
  } else if (json_reader_read_value(r, &arena, &v) != 0) {
    failed = 1;
  } else if (v->type == JSON_OBJECT) {
    const JsonValue *first = v->child;
    if (json_get(v, "speed") || json_get(v, "intelligence") ||
        json_get(v, "coding") || json_get(v, "agentic") || json_get(v, "ttft")) {
      *format = "aa_scores";
    } else if (first && first->type == JSON_OBJECT && json_get(first, "rating")) {
      *format = "lmarena_json";
    }
  }
  rc = 0;
  if (failed) {
    rc = bench_json_failure(r, err, errlen);
  } else if (!*format) {
    snprintf(err, errlen,
             "%s: unknown benchmark JSON: expected an Artificial Analysis "
             "export, a model -> scores object or an LMArena leaderboard",
             path);
    rc = BENCH_ERROR;
  }
  json_arena_free(&arena);
  json_reader_close(r);
  return rc;
}

/* Is field i exactly `name`? (The length rules out a NUL byte inside.) */
static int field_is(CsvReader *r, size_t i, const char *name) {
  size_t n;
  const char *z = csv_reader_field(r, i, &n);
  return n == strlen(name) && memcmp(z, name, n) == 0;
}

/* The format of a CSV file by its header: 0 with *format set, or
** BENCH_ERROR / BENCH_NOMEM. */
static int detect_csv(const char *path, const char **format, char *err,
                      size_t errlen) {
  const char *why = NULL;
  CsvReader *r = csv_reader_open_file(path, ',', &why);
  int rc, has_model = 0, has_score = 0;
  *format = "wide";
  if (!r) return bench_open_failure(path, why, err, errlen);
  rc = csv_reader_next(r);
  if (rc < 0) {
    snprintf(err, errlen, "%s", csv_reader_error(r));
    rc = rc == CSV_NOMEM ? BENCH_NOMEM : BENCH_ERROR;
  } else {
    if (rc == 1 && field_is(r, 0, "") && csv_reader_nfield(r) > 1) {
      *format = "lmarena_csv"; /* the Elo history: dates down, models across */
    }
    for (size_t i = 0; rc == 1 && i < csv_reader_nfield(r); i++) {
      if (field_is(r, i, "AA Intelligence Index") || field_is(r, i, "aa_id")) {
        *format = "aa_csv";
        break;
      }
      if (field_is(r, i, "MT-bench (score)")) *format = "lmarena_csv";
      has_model |= field_is(r, i, "Model");
      has_score |= field_is(r, i, "Score");
    }
    if (has_model && has_score) *format = "lmarena_csv";
    rc = 0;
  }
  csv_reader_close(r);
  return rc;
}

static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

int benchmarks_read(const char *path, const BenchOptions *opt, BenchEmit emit,
                    void *ctx, char *err, size_t errlen) {
  static const char *const formats[] = {"aa_json",      "aa_csv",      "aa_scores",
                                        "lmarena_json", "lmarena_csv", "wide"};
  const char *format = opt->format && opt->format[0] ? opt->format : NULL;
  const char *why = NULL;
  TlFileId id;
  char date[11];
  const char *base = strrchr(path, '/');
  const char *as_of = bench_find_date(base ? base + 1 : path, date) == 0 ? date : NULL;
  err[0] = 0;
  if (format) {
    size_t i;
    for (i = 0; i < sizeof formats / sizeof formats[0]; i++) {
      if (strcmp(format, formats[i]) == 0) break;
    }
    if (i == sizeof formats / sizeof formats[0]) {
      snprintf(err, errlen,
               "unknown format '%s': expected aa_json, aa_csv, aa_scores, "
               "lmarena_json, lmarena_csv or wide",
               format);
      return BENCH_ERROR;
    }
  }
  if (tl_file_identify(path, &id, &why) != 0) {
    return bench_open_failure(path, why, err, errlen);
  }
  if (id.size > BENCH_MAX_FILE) {
    snprintf(err, errlen, "%s: %lld bytes: expected a benchmark file of at most %lld bytes",
             path, id.size, BENCH_MAX_FILE);
    return BENCH_ERROR;
  }
  if (!format) {
    int rc = ends_with(path, ".json") || ends_with(path, ".JSON")
                 ? detect_json(path, &format, err, errlen)
                 : detect_csv(path, &format, err, errlen);
    if (rc != 0) return rc;
  }
  if (strcmp(format, "aa_json") == 0) {
    return bench_decode_aa_json(path, as_of, opt, emit, ctx, err, errlen);
  }
  if (strcmp(format, "aa_scores") == 0) {
    return bench_decode_aa_scores(path, as_of, opt, emit, ctx, err, errlen);
  }
  if (strcmp(format, "lmarena_json") == 0) {
    return bench_decode_lmarena_json(path, as_of, opt, emit, ctx, err, errlen);
  }
  return bench_decode_csv(path, format, as_of, opt, emit, ctx, err, errlen);
}
