/*
** Benchmark files (quality and speed per model) decoded into long form: one
** row per model and metric. Core code: no SQLite; vtab/benchmarks.c binds it.
**
** Formats (benchmarks_read's `format`; NULL or "" detects it):
**   aa_json       Artificial Analysis API v2 models: {fetched_at?, models:[..]},
**                 {data:[..]} or a bare array of model objects
**   aa_csv        the CSV flattening of it (slug, creator, 'AA Intelligence
**                 Index', ..., time_to_first_token_s)
**   aa_scores     a JSON object keyed by model id whose values hold speed,
**                 ttft, intelligence, coding, agentic (token-tariff files)
**   lmarena_json  {category: {model: {rating, rating_q025, rating_q975}}}
**   lmarena_csv   an arena ranking (Model, Score), the wide Elo history (an
**                 empty first header cell, one column per model, one row per
**                 yyyymmdd date), or the leaderboard table (key, Model,
**                 MT-bench (score), MMLU, ..., Organization)
**   wide          any CSV with a model column (model_column, default
**                 "model"): every cell of another column that reads as a
**                 number is one metric row; text and empty cells are none
**
** Detection: a .json file is aa_scores, lmarena_json or aa_json by its
** shape; a CSV by its header (aa_csv, lmarena_csv), else wide.
**
** Canonical metrics (header and key spellings are matched after lowering
** and turning every run of other characters into '_'):
**   intelligence_index, coding_index, math_index, agentic_index  index 0-100
**   arena_score (overall), arena_score_<category>                 elo
**   output_tokens_per_s                                             tokens/s
**   ttft_ms, ttfat_ms (time to first answer token)   ms (seconds x 1000,
**                                                    shifted exactly)
**   input_price_per_1m, output_price_per_1m, blended_price_per_1m  USD/1M
**   mmlu_pro, gpqa, hle, livecodebench, scicode, math_500, aime,
**   aime_2025, ifbench, lcr, terminalbench_hard, tau2, mmlu  fraction (AA)
**   mt_bench                                                        score
**   anything else: its normalized name, unit NULL (or percent for *_pct).
**
** "Not measured": in the Artificial Analysis formats and the Elo history a
** value of 0 means the figure was not measured. Such a cell gives no row;
** with keep_unmeasured it gives a row whose value is NULL (`measured` 0
** here), so counts can be reconciled with the file. An empty or null cell is
** never a row.
**
** as_of: the date of the data, YYYY-MM-DD: the Elo history's row date, else
** an AA export's fetched_at (when it precedes the models), else the last
** YYYY-MM-DD in the file's name, else NULL.
**
** Unusable entries are errors, never skipped: an empty model name, or a model
** or creator name holding a NUL byte (a CSV field's raw NUL, a JSON \u0000),
** which a C string would cut short, stops the read with FILE:LINE and the
** column or position.
**
** Bound: benchmarks_read() decodes the whole file in one call (the SQL module
** keeps the rows), so it refuses a file larger than BENCH_MAX_FILE bytes
** (64 MiB; the real files are a few MB): one call reads at most that much,
** and keeps at most one row per number in it.
*/
#ifndef TOKENLEDGER_BENCHMARKS_H
#define TOKENLEDGER_BENCHMARKS_H

#include <stddef.h>

#define BENCH_MAX_FILE (64ll * 1024 * 1024)

/* Results of benchmarks_read() and the decoders. */
#define BENCH_ERROR (-1)   /* the message is in err */
#define BENCH_STOPPED (-3) /* the emitter returned non-zero */
#define BENCH_NOMEM (-4)   /* memory ran out */

typedef struct BenchRow {
  const char *format;     /* the decoder's name, e.g. "aa_json" */
  const char *model;      /* raw model id as the file writes it */
  const char *creator;    /* or NULL */
  const char *metric;
  const char *unit;       /* or NULL */
  const char *as_of;      /* or NULL */
  double value;
  int measured;           /* 0: a "not measured" 0 kept by keep_unmeasured */
  int has_ci;             /* ci_low / ci_high given */
  double ci_low, ci_high;
} BenchRow;

/* Receives each row (strings valid during the call); non-zero stops. */
typedef int (*BenchEmit)(void *ctx, const BenchRow *row);

typedef struct BenchOptions {
  const char *format;       /* NULL or "": detect */
  const char *model_column; /* wide: NULL means "model" */
  int keep_unmeasured;
} BenchOptions;

/* Decodes the file. 0 on success; BENCH_ERROR with a message in err
** ("FILE:LINE:COL: ..." for syntax errors); BENCH_STOPPED; BENCH_NOMEM. */
int benchmarks_read(const char *path, const BenchOptions *opt, BenchEmit emit,
                    void *ctx, char *err, size_t errlen);

/* Implementation interface between ext/benchmarks*.c. */
typedef struct BenchMetric {
  const char *metric;
  const char *unit;
  int shift10;   /* value x 10^shift10 (seconds -> ms) */
} BenchMetric;

/* Canonical metric of a source key or header; `known_scale` is set when
** the unit follows from the name alone (not for AA-only fractions). The
** returned metric may point into buf (bufsize >= 64). */
BenchMetric bench_metric(const char *key, size_t n, char *buf, size_t bufsize,
                         int *known_scale);
/* The number in text (spaces trimmed) times 10^shift10: 0, or -1. */
int bench_number(const char *z, size_t n, int shift10, double *out);
/* "YYYY-MM-DD" found in s (the last one) into out[11]: 0, or -1. */
int bench_find_date(const char *s, char out[11]);
/* A reader that could not open `path` (`why` from csv_ or
** json_reader_open_file): BENCH_NOMEM, or BENCH_ERROR with err set. */
int bench_open_failure(const char *path, const char *why, char *err,
                       size_t errlen);
/* The failure of a JSON reader (forward-declared: this header does not need
** json.h): BENCH_NOMEM, or BENCH_ERROR with its message. */
struct JsonReader;
int bench_json_failure(const struct JsonReader *r, char *err, size_t errlen);

int bench_decode_aa_json(const char *path, const char *as_of,
                         const BenchOptions *opt, BenchEmit emit, void *ctx,
                         char *err, size_t errlen);
int bench_decode_aa_scores(const char *path, const char *as_of,
                           const BenchOptions *opt, BenchEmit emit, void *ctx,
                           char *err, size_t errlen);
int bench_decode_lmarena_json(const char *path, const char *as_of,
                              const BenchOptions *opt, BenchEmit emit,
                              void *ctx, char *err, size_t errlen);
/* CSV formats: aa_csv, lmarena_csv and wide share one table decoder. */
int bench_decode_csv(const char *path, const char *format, const char *as_of,
                     const BenchOptions *opt, BenchEmit emit, void *ctx,
                     char *err, size_t errlen);

#endif
