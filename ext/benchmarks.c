/*
** Benchmark files: format detection, the canonical metric names, and the
** small helpers the decoders share; see benchmarks.h. The decoders live in
** benchmarks_aa.c (aa_json, aa_scores and lmarena_json, the JSON formats)
** and benchmarks_csv.c (aa_csv, lmarena_csv, wide).
*/
#include "benchmarks.h"

#include <stdio.h>
#include <string.h>

#include "csv.h"
#include "decimal.h"
#include "json.h"
#include "tl_file.h"

/* Source spellings (normalized: lower case, other runs -> '_') of each
** canonical metric. known_scale 0: the unit holds only for AA's files. */
static const struct {
  const char *key;
  BenchMetric m;
  int known_scale;
} aliases[] = {
    {"artificial_analysis_intelligence_index", {"intelligence_index", "index", 0}, 1},
    {"aa_intelligence_index", {"intelligence_index", "index", 0}, 1},
    {"aa_intel", {"intelligence_index", "index", 0}, 1},
    {"intelligence", {"intelligence_index", "index", 0}, 1},
    {"intelligence_index", {"intelligence_index", "index", 0}, 1},
    {"artificial_analysis_coding_index", {"coding_index", "index", 0}, 1},
    {"aa_coding_index", {"coding_index", "index", 0}, 1},
    {"coding", {"coding_index", "index", 0}, 1},
    {"coding_index", {"coding_index", "index", 0}, 1},
    {"artificial_analysis_math_index", {"math_index", "index", 0}, 1},
    {"aa_math_index", {"math_index", "index", 0}, 1},
    {"math_index", {"math_index", "index", 0}, 1},
    {"aa_agentic_index", {"agentic_index", "index", 0}, 1},
    {"agentic", {"agentic_index", "index", 0}, 1},
    {"agentic_index", {"agentic_index", "index", 0}, 1},
    {"median_output_tokens_per_second", {"output_tokens_per_s", "tokens/s", 0}, 1},
    {"output_tokens_per_sec", {"output_tokens_per_s", "tokens/s", 0}, 1},
    {"output_tokens_per_second", {"output_tokens_per_s", "tokens/s", 0}, 1},
    {"output_tokens_per_s", {"output_tokens_per_s", "tokens/s", 0}, 1},
    {"speed", {"output_tokens_per_s", "tokens/s", 0}, 1},
    {"median_time_to_first_token_seconds", {"ttft_ms", "ms", 3}, 1},
    {"time_to_first_token_s", {"ttft_ms", "ms", 3}, 1},
    {"ttft", {"ttft_ms", "ms", 3}, 1},
    {"ttft_s", {"ttft_ms", "ms", 3}, 1},
    {"ttft_ms", {"ttft_ms", "ms", 0}, 1},
    {"median_time_to_first_answer_token", {"ttfat_ms", "ms", 3}, 1},
    {"price_1m_input_tokens", {"input_price_per_1m", "USD/1M tokens", 0}, 1},
    {"input_price_per_1m", {"input_price_per_1m", "USD/1M tokens", 0}, 1},
    {"input_token_price", {"input_price_per_1m", "USD/1M tokens", 0}, 1},
    {"price_1m_output_tokens", {"output_price_per_1m", "USD/1M tokens", 0}, 1},
    {"output_price_per_1m", {"output_price_per_1m", "USD/1M tokens", 0}, 1},
    {"output_token_price", {"output_price_per_1m", "USD/1M tokens", 0}, 1},
    {"price_1m_blended_3_to_1", {"blended_price_per_1m", "USD/1M tokens", 0}, 1},
    {"blended_price_per_1m", {"blended_price_per_1m", "USD/1M tokens", 0}, 1},
    {"rating", {"arena_score", "elo", 0}, 1},
    {"arena_score", {"arena_score", "elo", 0}, 1},
    {"mt_bench_score", {"mt_bench", "score", 0}, 1},
    {"mt_bench", {"mt_bench", "score", 0}, 1},
    {"mmlu_pro", {"mmlu_pro", "fraction", 0}, 0},
    {"mmlu", {"mmlu", "fraction", 0}, 0},
    {"gpqa", {"gpqa", "fraction", 0}, 0},
    {"hle", {"hle", "fraction", 0}, 0},
    {"livecodebench", {"livecodebench", "fraction", 0}, 0},
    {"scicode", {"scicode", "fraction", 0}, 0},
    {"math_500", {"math_500", "fraction", 0}, 0},
    {"aime", {"aime", "fraction", 0}, 0},
    {"aime_25", {"aime_2025", "fraction", 0}, 0},
    {"aime_2025", {"aime_2025", "fraction", 0}, 0},
    {"ifbench", {"ifbench", "fraction", 0}, 0},
    {"lcr", {"lcr", "fraction", 0}, 0},
    {"terminalbench_hard", {"terminalbench_hard", "fraction", 0}, 0},
    {"tau2", {"tau2", "fraction", 0}, 0},
    {"tau_2", {"tau2", "fraction", 0}, 0},
};

static size_t normalize_name(const char *key, size_t n, char *buf,
                             size_t bufsize) {
  size_t o = 0;
  int gap = 0;
  for (size_t i = 0; i < n && o + 2 < bufsize; i++) {
    char c = key[i];
    if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      if (gap && o > 0) buf[o++] = '_';
      buf[o++] = c;
      gap = 0;
    } else {
      gap = 1;
    }
  }
  buf[o] = 0;
  return o;
}

BenchMetric bench_metric(const char *key, size_t n, char *buf, size_t bufsize,
                         int *known_scale) {
  BenchMetric m = {buf, NULL, 0};
  size_t len = normalize_name(key, n, buf, bufsize);
  *known_scale = 1;
  for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
    if (strcmp(aliases[i].key, buf) == 0) {
      *known_scale = aliases[i].known_scale;
      return aliases[i].m;
    }
  }
  if ((len > 4 && strcmp(buf + len - 4, "_pct") == 0) ||
      (len > 8 && strcmp(buf + len - 8, "_percent") == 0)) {
    m.unit = "percent";
  }
  return m;
}

int bench_number(const char *z, size_t n, int shift10, double *out) {
  while (n > 0 && (*z == ' ' || *z == '\t')) {
    z++;
    n--;
  }
  while (n > 0 && (z[n - 1] == ' ' || z[n - 1] == '\t')) n--;
  return n ? tl_decimal_to_double(z, n, shift10, out) : -1;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

int bench_find_date(const char *s, char out[11]) {
  size_t n = strlen(s);
  for (size_t i = n >= 10 ? n - 9 : 0; i-- > 0;) {
    const char *p = s + i;
    if (is_digit(p[0]) && is_digit(p[1]) && is_digit(p[2]) && is_digit(p[3]) &&
        p[4] == '-' && is_digit(p[5]) && is_digit(p[6]) && p[7] == '-' &&
        is_digit(p[8]) && is_digit(p[9])) {
      memcpy(out, p, 10);
      out[10] = 0;
      return 0;
    }
  }
  return -1;
}

/* The JSON reader says "out of memory" (csv.c: a NULL reason) when its own
** allocations fail; tl_file_open's reasons are strerror's words, which say
** "Cannot allocate memory" for ENOMEM. */
static int is_nomem_reason(const char *why) {
  return !why || strcmp(why, "out of memory") == 0;
}

int bench_open_failure(const char *path, const char *why, char *err,
                       size_t errlen) {
  if (is_nomem_reason(why)) return BENCH_NOMEM;
  snprintf(err, errlen, "cannot open '%s' for reading: %s", path, why);
  return BENCH_ERROR;
}

/* The reader's failure: out of memory (json_reader_nomem), or its message. */
int bench_json_failure(const JsonReader *r, char *err, size_t errlen) {
  if (json_reader_nomem(r)) return BENCH_NOMEM;
  snprintf(err, errlen, "%s", json_reader_error(r));
  return BENCH_ERROR;
}

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
    snprintf(err, errlen, "%s: expected a benchmark file of at most %lld bytes "
             "but found %lld bytes", path, BENCH_MAX_FILE, id.size);
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
