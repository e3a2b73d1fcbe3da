/*
** JSON benchmark decoders: Artificial Analysis API exports (aa_json), the
** model -> scores objects derived from them (aa_scores), and LMArena's
** category leaderboards (lmarena_json). See benchmarks.h for the formats.
**
** Each file is walked with the streaming JSON reader; one model's object is
** built as a tree at a time (the arena is reset after each), so memory stays
** at one model whatever the file's size. Numbers are converted from their
** literal text, so seconds become milliseconds without a rounding step.
*/
#include <stdio.h>
#include <string.h>

#include "benchmarks.h"
#include "json.h"

typedef struct JsonSource {
  const char *path;
  JsonReader *reader;
  JsonArena arena;
  const char *format;
  const BenchOptions *opt;
  BenchEmit emit;
  void *ctx;
  char as_of[11];
  int has_as_of;
  char *err;
  size_t errlen;
} JsonSource;

static int open_source(JsonSource *s, const char *path, const char *format,
                       const char *as_of, const BenchOptions *opt,
                       BenchEmit emit, void *ctx, char *err, size_t errlen) {
  const char *why = NULL;
  memset(s, 0, sizeof *s);
  s->path = path;
  s->format = format;
  s->opt = opt;
  s->emit = emit;
  s->ctx = ctx;
  s->err = err;
  s->errlen = errlen;
  if (as_of) {
    memcpy(s->as_of, as_of, 11);
    s->has_as_of = 1;
  }
  s->reader = json_reader_open_file(path, &why);
  return s->reader ? 0 : bench_open_failure(path, why, err, errlen);
}

/* Closes the source and gives the decoder's result. rc: 0 done, -1 the
** reader failed, FAILED_HERE (message in err), BENCH_STOPPED, BENCH_NOMEM. */
#define FAILED_HERE (-2)
static int close_source(JsonSource *s, int rc) {
  if (rc == 0 && json_reader_finish(s->reader) != 0) rc = -1;
  if (rc == -1) rc = bench_json_failure(s->reader, s->err, s->errlen);
  if (rc == FAILED_HERE) rc = BENCH_ERROR;
  json_arena_free(&s->arena);
  json_reader_close(s->reader);
  return rc;
}

/* "PATH:LINE:COL: [FOUND: ]expected WHAT" at v (or at the reader). */
static int fail_found_at(JsonSource *s, const JsonValue *v, const char *found, const char *what) {
  uint32_t line = v ? v->line : 0, col = v ? v->col : 0;
  if (!v) json_reader_position(s->reader, &line, &col);
  snprintf(s->err, s->errlen, "%s:%u:%u: %s%sexpected %s", s->path, line, col,
           found ? found : "", found ? ": " : "", what);
  return FAILED_HERE;
}

static int fail_at(JsonSource *s, const JsonValue *v, const char *what) {
  return fail_found_at(s, v, NULL, what);
}

/* A name the rows carry as a C string may not hold a \u0000: it would be cut
** short there. v is where the error points (the model's value, for a key). */
static int check_name(JsonSource *s, const JsonValue *v, const char *name,
                      size_t n, const char *what) {
  char found[96];
  if (!memchr(name, 0, n)) return 0;
  snprintf(found, sizeof found, "%s with a \\u0000", what);
  return fail_found_at(s, v, found, "one without");
}

/* One metric row from a JSON number (0 = not measured, null = nothing). */
static int emit_number(JsonSource *s, const char *model, const char *creator,
                       const char *key, const JsonValue *num) {
  char buf[128];
  int known;
  BenchMetric m;
  BenchRow row;
  if (!num || num->type != JSON_NUMBER) return 0;
  m = bench_metric(key, strlen(key), buf, sizeof buf, &known);
  memset(&row, 0, sizeof row);
  row.format = s->format;
  row.model = model;
  row.creator = creator;
  row.metric = m.metric;
  row.unit = m.unit;
  row.as_of = s->has_as_of ? s->as_of : NULL;
  row.measured = 1;
  if (bench_number(num->text, num->len, m.shift10, &row.value) != 0) return 0;
  if (row.value == 0) {
    if (!s->opt->keep_unmeasured) return 0;
    row.measured = 0;
  }
  return s->emit(s->ctx, &row) ? BENCH_STOPPED : 0;
}

static const JsonValue *string_member(const JsonValue *obj, const char *key) {
  const JsonValue *v = json_get(obj, key);
  return v && v->type == JSON_STRING ? v : NULL;
}

/* One AA model object: its numbers, and those of evaluations and pricing. */
static int aa_model(JsonSource *s, const JsonValue *m) {
  const char *model, *creator = NULL;
  const JsonValue *who = json_get(m, "model_creator"), *name;
  int rc;
  if (m->type != JSON_OBJECT) return fail_at(s, m, "a model object");
  name = string_member(m, "slug");
  if (!name) name = string_member(m, "id");
  if (!name) return fail_at(s, m, "a model object with a \"slug\"");
  if ((rc = check_name(s, name, name->text, name->len, "a model name")) != 0) return rc;
  model = name->text;
  if (who && who->type == JSON_OBJECT && (name = string_member(who, "name")) != NULL) {
    if ((rc = check_name(s, name, name->text, name->len, "a creator name")) != 0) return rc;
    creator = name->text;
  }
  for (const JsonValue *v = m->child; v; v = v->next) {
    rc = 0;
    if (v->type == JSON_NUMBER) {
      rc = emit_number(s, model, creator, v->key, v);
    } else if (v->type == JSON_OBJECT && (strcmp(v->key, "evaluations") == 0 ||
                                          strcmp(v->key, "pricing") == 0)) {
      for (const JsonValue *e = v->child; e && !rc; e = e->next) {
        rc = emit_number(s, model, creator, e->key, e);
      }
    }
    if (rc) return rc;
  }
  return 0;
}

static int aa_array(JsonSource *s) {
  int rc = json_reader_begin_array(s->reader);
  while (rc == 1 && (rc = json_reader_next_element(s->reader)) == 1) {
    JsonValue *m;
    json_arena_reset(&s->arena);
    if (json_reader_read_value(s->reader, &s->arena, &m) != 0) return -1;
    rc = aa_model(s, m);
    if (rc) return rc;
    rc = 1;
  }
  return rc;
}

int bench_decode_aa_json(const char *path, const char *as_of,
                         const BenchOptions *opt, BenchEmit emit, void *ctx,
                         char *err, size_t errlen) {
  JsonSource s;
  const char *key;
  size_t klen;
  int rc;
  if ((rc = open_source(&s, path, "aa_json", as_of, opt, emit, ctx, err, errlen)) != 0) {
    return rc;
  }
  if (json_reader_peek(s.reader) == JSON_ARRAY) return close_source(&s, aa_array(&s));
  rc = json_reader_begin_object(s.reader);
  while (rc == 1 && (rc = json_reader_next_member(s.reader, &key, &klen)) == 1) {
    if (strcmp(key, "models") == 0 || strcmp(key, "data") == 0) {
      rc = aa_array(&s);
      if (rc == 0) rc = 1; /* the array is read: on to the next member */
    } else if (strcmp(key, "fetched_at") == 0) {
      JsonValue *v;
      json_arena_reset(&s.arena);
      rc = json_reader_read_value(s.reader, &s.arena, &v);
      if (rc == 0 && v->type == JSON_STRING && bench_find_date(v->text, s.as_of) == 0) {
        s.has_as_of = 1;
      }
      rc = rc == 0 ? 1 : -1;
    } else {
      rc = json_reader_skip_value(s.reader) == 0 ? 1 : -1;
    }
  }
  return close_source(&s, rc);
}

/* {model: {speed, ttft, intelligence, coding, agentic}} */
int bench_decode_aa_scores(const char *path, const char *as_of,
                           const BenchOptions *opt, BenchEmit emit, void *ctx,
                           char *err, size_t errlen) {
  JsonSource s;
  const char *key;
  size_t klen;
  int rc;
  if ((rc = open_source(&s, path, "aa_scores", as_of, opt, emit, ctx, err, errlen)) != 0) {
    return rc;
  }
  rc = json_reader_begin_object(s.reader);
  while (rc == 1 && (rc = json_reader_next_member(s.reader, &key, &klen)) == 1) {
    JsonValue *v;
    char *model;
    json_arena_reset(&s.arena);
    model = json_arena_strdup(&s.arena, key, klen); /* key dies on the next read */
    if (!model || json_reader_read_value(s.reader, &s.arena, &v) != 0) {
      rc = model ? -1 : BENCH_NOMEM;
      break;
    }
    if (v->type != JSON_OBJECT) {
      rc = fail_at(&s, v, "an object of scores");
      break;
    }
    if ((rc = check_name(&s, v, model, klen, "a model name")) != 0) break;
    rc = 1;
    for (const JsonValue *e = v->child; e && rc == 1; e = e->next) {
      int erc = emit_number(&s, model, NULL, e->key, e);
      if (erc) rc = erc;
    }
  }
  return close_source(&s, rc);
}

/* {category: {model: {rating, rating_q025, rating_q975}}} */
int bench_decode_lmarena_json(const char *path, const char *as_of,
                              const BenchOptions *opt, BenchEmit emit,
                              void *ctx, char *err, size_t errlen) {
  JsonSource s;
  const char *key;
  size_t klen;
  int rc;
  if ((rc = open_source(&s, path, "lmarena_json", as_of, opt, emit, ctx, err, errlen)) != 0) {
    return rc;
  }
  rc = json_reader_begin_object(s.reader);
  while (rc == 1 && (rc = json_reader_next_member(s.reader, &key, &klen)) == 1) {
    char metric[160], norm[128];
    int known;
    bench_metric(key, klen, norm, sizeof norm, &known);
    if (strcmp(key, "full") == 0) {
      snprintf(metric, sizeof metric, "arena_score");
    } else {
      snprintf(metric, sizeof metric, "arena_score_%s", norm);
    }
    rc = json_reader_begin_object(s.reader);
    while (rc == 1 && (rc = json_reader_next_member(s.reader, &key, &klen)) == 1) {
      JsonValue *v;
      const JsonValue *rating, *lo, *hi;
      BenchRow row;
      char *model;
      json_arena_reset(&s.arena);
      model = json_arena_strdup(&s.arena, key, klen);
      if (!model || json_reader_read_value(s.reader, &s.arena, &v) != 0) {
        rc = model ? -1 : BENCH_NOMEM;
        break;
      }
      rating = json_get(v, "rating");
      if (v->type != JSON_OBJECT || !rating || rating->type != JSON_NUMBER) {
        rc = fail_at(&s, v, "an object with a numeric \"rating\"");
        break;
      }
      if ((rc = check_name(&s, v, model, klen, "a model name")) != 0) break;
      rc = 1;
      memset(&row, 0, sizeof row);
      row.format = s.format;
      row.model = model;
      row.metric = metric;
      row.unit = "elo";
      row.as_of = s.has_as_of ? s.as_of : NULL;
      row.measured = 1;
      bench_number(rating->text, rating->len, 0, &row.value);
      lo = json_get(v, "rating_q025");
      hi = json_get(v, "rating_q975");
      if (lo && hi && lo->type == JSON_NUMBER && hi->type == JSON_NUMBER) {
        row.has_ci = 1;
        bench_number(lo->text, lo->len, 0, &row.ci_low);
        bench_number(hi->text, hi->len, 0, &row.ci_high);
      }
      if (emit(ctx, &row)) {
        rc = BENCH_STOPPED;
        break;
      }
    }
    if (rc == 0) rc = 1; /* end of this category: on to the next */
  }
  return close_source(&s, rc);
}
