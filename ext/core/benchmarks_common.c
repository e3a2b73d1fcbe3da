/*
** What every benchmark decoder shares: the canonical metric names of each
** source spelling, numbers in exact decimal, dates found in text, and the
** messages of a reader that failed. See benchmarks.h. (Split from
** benchmarks.c, which detects the format and calls the decoders, so that
** the decoders call only down, as pricing's do with pricing_common.c.)
*/
#include <stdio.h>
#include <string.h>

#include "benchmarks.h"
#include "decimal.h"
#include "json.h"

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
