/*
** Unit tests of ext/core/pricing_rows.c: a row set keeps copies of its rows'
** strings, counts entries, models and skips; the sort orders row numbers
** NULL first, then bytewise, ties in row order, and equal_range finds a key
** in it; the cache hits, decodes again when the file's identity changes or
** extra is wanted, evicts the least recently used of eight files, only
** detaches a file a reader still holds, and streams a file over its size
** limit. Then every allocation fails in turn. The files are small LiteLLM
** lists written here, so every count is read off the text.
*/
#include <unistd.h>

#include "check.h"
#include "pricing_rows.h"
#include "tl_alloc.h"

static char dir[] = "/tmp/tokenledger-rows-XXXXXX";

/* The path of scratch file NAME, in one of four buffers used in turn (a
** call may hold three at once). */
static const char *scratch_path(const char *name) {
  static char path[4][256];
  static int next;
  char *p = path[next++ % 4];
  snprintf(p, sizeof path[0], "%s/%s", dir, name);
  return p;
}

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  if (f) {
    fputs(text, f);
    fclose(f);
  }
}

/* Three entries: two models (one row each) and LiteLLM's sample_spec. */
static const char three_entries[] =
    "{\"sample_spec\": {\"mode\": \"chat\"},\n"
    " \"m1\": {\"litellm_provider\": \"p\", \"mode\": \"chat\", \"input_cost_per_token\": 1e-06,"
    " \"supports_vision\": true},\n"
    " \"m2\": {\"litellm_provider\": \"q\", \"mode\": \"chat\", \"input_cost_per_token\": 3e-06}}\n";

static const char sample_spec_detail[] =
    "[{\"key\":\"sample_spec\",\"reason\":\"LiteLLM's documentation of its fields, not a model\"}]";

/* ----------------------------------------------------------- row sets */

static PriceRow named_row(const char *model, const char *provider) {
  PriceRow row;
  pricing_row_init(&row);
  row.raw_model = model;
  row.raw_provider = provider;
  return row;
}

static void test_keeping(void) {
  PricingRowSet set;
  char model[] = "gpt-x", note[] = "a note";
  PriceRow row = named_row(model, NULL);
  row.note = note;
  row.input_cost_per_token = 0.5;
  pricing_rows_init(&set);
  CHECK("a kept row", pricing_rows_add(&set, 7, &row) == 0 && set.n == 1);
  model[0] = 'X';
  note[0] = 'X';
  CHECK_STR("the model is a copy", set.rows[0].price.raw_model, "gpt-x");
  CHECK_STR("the note is a copy", set.rows[0].price.note, "a note");
  CHECK("NULL strings stay NULL", !set.rows[0].price.raw_provider && !set.rows[0].price.extra);
  CHECK("the entry and the prices are kept",
        set.rows[0].entry == 7 && set.rows[0].price.input_cost_per_token == 0.5);
  CHECK("a second string, its own copy",
        pricing_rows_add(&set, 8, &row) == 0 && set.rows[1].price.raw_model != set.rows[0].price.raw_model);
  CHECK("skips are counted",
        pricing_rows_skip(&set, "k", "why") == 0 && pricing_rows_skip(&set, NULL, "no key") == 0 &&
            set.skipped == 2);
  CHECK_STR("skip detail (closed when a source ends)", set.skipped_detail.data,
            "[{\"key\":\"k\",\"reason\":\"why\"},{\"key\":\"\",\"reason\":\"no key\"}");
  pricing_rows_clear(&set);
  CHECK("cleared", set.n == 0 && !set.rows && !set.skipped_detail.len);
}

static void test_decoding(void) {
  PricingRowSet set;
  char *err = NULL;
  const char *path = scratch_path("three.json");
  int steps = 0, rc;
  write_file(path, three_entries);
  CHECK("open", pricing_rows_open(&set, path, NULL, 0, 1, &err) == 0 && !err);
  CHECK_STR("the format is detected", set.format, "litellm");
  CHECK("every entry", pricing_rows_read_all(&set, &err) == 0 && !err);
  CHECK("3 entries, 2 models, 1 skipped, 2 rows kept",
        set.entries == 3 && set.models == 2 && set.skipped == 1 && set.n == 2 && set.rows_read == 2);
  CHECK("rows know their entry", set.rows[0].entry == 2 && set.rows[1].entry == 3);
  CHECK_STR("first row", set.rows[0].price.raw_model, "m1");
  CHECK("extra not serialized unless wanted", set.rows[0].price.extra == NULL);
  CHECK_STR("the skip detail is closed", set.skipped_detail.data, sample_spec_detail);
  CHECK("the source is closed at the end", set.source == NULL);
  pricing_rows_clear(&set);

  /* A stream keeps one entry's rows at a time, and the same counts. */
  CHECK("open a stream, with extra", pricing_rows_open(&set, path, "litellm", 1, 0, &err) == 0);
  while ((rc = pricing_rows_next(&set, &err)) == 1) {
    steps++;
    if (steps == 2) {
      CHECK("entry 2: its one row", set.n == 1 && set.rows[0].entry == 2);
      CHECK_STR("extra is serialized", set.rows[0].price.extra, "{\"supports_vision\":true}");
    }
    if (steps == 3) CHECK("entry 3 replaces entry 2", set.n == 1 && set.rows[0].entry == 3);
  }
  CHECK("a stream: 3 steps, then the end", rc == 0 && steps == 3);
  CHECK("a stream counts as the whole file does",
        set.entries == 3 && set.models == 2 && set.skipped == 1 && set.rows_read == 2);
  pricing_rows_clear(&set);

  CHECK("an unknown format",
        pricing_rows_open(&set, path, "yaml", 0, 1, &err) < 0 && err &&
            strcmp(err, "unknown format 'yaml': expected auto, litellm, openrouter, modelsdev, "
                        "genai-prices or tokenledger") == 0);
  tl_free(err);
  pricing_rows_clear(&set);
}

/* ------------------------------------------------------ sort and search */

/* Models "b", NULL, "a", "B", "a", NULL, "b" as rows 0..6. Sorted: the NULLs
** (1, 5), "B" (3, before lowercase in bytes), "a" (2, 4), "b" (0, 6).
** Providers "z", "y", NULL, "y", "x", "z", NULL: NULL (2, 6), "x" (4), "y"
** (1, 3), "z" (0, 5). */
static const char *const sort_models[] = {"b", NULL, "a", "B", "a", NULL, "b"};
static const char *const sort_providers[] = {"z", "y", NULL, "y", "x", "z", NULL};

static void fill_for_sort(PricingRowSet *set) {
  pricing_rows_init(set);
  for (int i = 0; i < 7; i++) {
    PriceRow row = named_row(sort_models[i], sort_providers[i]);
    pricing_rows_add(set, i + 1, &row);
  }
}

static int same_order(const int *got, const int *want, int n) {
  for (int i = 0; i < n; i++)
    if (got[i] != want[i]) return 0;
  return 1;
}

static void test_sort(void) {
  PricingRowSet set;
  static const int by_model[] = {1, 5, 3, 2, 4, 0, 6};
  static const int by_provider[] = {2, 6, 4, 1, 3, 0, 5};
  int *order, lo, hi;
  fill_for_sort(&set);
  order = pricing_rows_sort(&set, PRICING_BY_MODEL);
  CHECK("by model: NULL first, bytewise, ties in row order", order && same_order(order, by_model, 7));
  pricing_rows_equal_range(&set, order, PRICING_BY_MODEL, "a", &lo, &hi);
  CHECK("equal range of 'a': [3, 5)", lo == 3 && hi == 5);
  pricing_rows_equal_range(&set, order, PRICING_BY_MODEL, "b", &lo, &hi);
  CHECK("equal range of 'b' at the end: [5, 7)", lo == 5 && hi == 7);
  pricing_rows_equal_range(&set, order, PRICING_BY_MODEL, "B", &lo, &hi);
  CHECK("case matters: 'B' is [2, 3)", lo == 2 && hi == 3);
  pricing_rows_equal_range(&set, order, PRICING_BY_MODEL, "A", &lo, &hi);
  CHECK("'A' is absent: empty, where it would go (2)", lo == 2 && hi == 2);
  pricing_rows_equal_range(&set, order, PRICING_BY_MODEL, "", &lo, &hi);
  CHECK("'' sorts after the NULLs: empty at 2", lo == 2 && hi == 2);
  pricing_rows_equal_range(&set, order, PRICING_BY_MODEL, "c", &lo, &hi);
  CHECK("'c' is past the end: [7, 7)", lo == 7 && hi == 7);
  tl_free(order);
  order = pricing_rows_sort(&set, PRICING_BY_PROVIDER);
  CHECK("by provider", order && same_order(order, by_provider, 7));
  tl_free(order);
  CHECK("matches: model and provider", pricing_row_matches(&set.rows[0].price, "b", "z") &&
                                           !pricing_row_matches(&set.rows[0].price, "b", "y") &&
                                           !pricing_row_matches(&set.rows[1].price, "b", NULL) &&
                                           pricing_row_matches(&set.rows[1].price, NULL, NULL));
  pricing_rows_clear(&set);
  pricing_rows_init(&set);
  order = pricing_rows_sort(&set, PRICING_BY_MODEL);
  pricing_rows_equal_range(&set, order, PRICING_BY_MODEL, "a", &lo, &hi);
  CHECK("no rows: an order, and an empty range", order && lo == 0 && hi == 0);
  tl_free(order);
}

/* ---------------------------------------------------------------- cache */

static int cached_path(const PricingCache *cache, const char *path) {
  for (int i = 0; i < PRICING_CACHE_FILES; i++)
    if (cache->slot[i] && strcmp(cache->slot[i]->path, path) == 0) return 1;
  return 0;
}

/* pricing_cache_get that must succeed. */
static PricingCachedFile *get(PricingCache *cache, const char *path, const char *format, int extra) {
  PricingCachedFile *f = NULL;
  char *err = NULL;
  if (pricing_cache_get(cache, path, format, extra, &f, &err) != PRICING_CACHE_OK) {
    printf("# %s: %s\n", path, err ? err : "out of memory");
    tl_free(err);
  }
  return f;
}

static void test_cache_hit_and_replace(void) {
  PricingCache cache;
  const char *path = scratch_path("hit.json");
  PricingCachedFile *a, *b, *c;
  write_file(path, three_entries);
  pricing_cache_init(&cache);
  a = get(&cache, path, NULL, 0);
  b = get(&cache, path, "auto", 0);
  CHECK("a hit: the same file, NULL and auto alike", a && a == b && a->refs == 3);
  c = get(&cache, path, "litellm", 0);
  CHECK("another format asked: another entry", c && c != a && a->refs == 3);
  pricing_cached_release(b);
  pricing_cached_release(c);
  CHECK("an index is sorted once", pricing_cached_index(a, PRICING_BY_MODEL) ==
                                       pricing_cached_index(a, PRICING_BY_MODEL));

  /* The file changes (another size): the next get decodes it again. */
  write_file(path, "{\"m9\": {\"litellm_provider\": \"p\", \"input_cost_per_token\": 1e-06}}");
  b = get(&cache, path, NULL, 0);
  CHECK("a changed file is decoded again", b && b != a && b->set.n == 1 && b->set.entries == 1);
  CHECK("the held old decode is detached, still whole",
        a->refs == 1 && a->set.n == 2 && strcmp(a->set.rows[1].price.raw_model, "m2") == 0);
  pricing_cached_release(a); /* the last reference frees it */

  /* Decoded without extra; a query that wants it decodes again. */
  c = get(&cache, path, NULL, 1);
  CHECK("extra wanted: decoded again with extra", c && c != b && c->has_extra &&
                                                      c->set.rows[0].price.extra != NULL);
  pricing_cached_release(b);
  b = get(&cache, path, NULL, 0);
  CHECK("a decode with extra serves a query without", b == c);
  pricing_cached_release(b);
  pricing_cached_release(c);
  pricing_cache_clear(&cache);
}

static void test_cache_eviction(void) {
  PricingCache cache;
  char paths[10][256];
  PricingCachedFile *held, *f;
  pricing_cache_init(&cache);
  for (int i = 0; i < 10; i++) {
    char name[32];
    snprintf(name, sizeof name, "f%d.json", i);
    snprintf(paths[i], sizeof paths[i], "%s", scratch_path(name));
    write_file(paths[i], three_entries);
  }
  held = get(&cache, paths[0], NULL, 0); /* a reader keeps f0 */
  for (int i = 1; i < 8; i++) pricing_cached_release(get(&cache, paths[i], NULL, 0));
  CHECK("eight files fill the cache", cached_path(&cache, paths[0]) && cached_path(&cache, paths[7]));
  pricing_cached_release(get(&cache, paths[8], NULL, 0));
  CHECK("a ninth evicts the least recently used (f0)",
        !cached_path(&cache, paths[0]) && cached_path(&cache, paths[8]));
  CHECK("the held f0 is only detached", held && held->refs == 1 && held->set.n == 2);
  pricing_cached_release(held);
  f = get(&cache, paths[1], NULL, 0); /* f1 used again: now f2 is the oldest */
  pricing_cached_release(f);
  pricing_cached_release(get(&cache, paths[9], NULL, 0));
  CHECK("use moves a file up: f2 goes, f1 stays",
        !cached_path(&cache, paths[2]) && cached_path(&cache, paths[1]) && cached_path(&cache, paths[9]));
  pricing_cache_clear(&cache);
  CHECK("cleared", !cache.slot[0] && !cache.slot[PRICING_CACHE_FILES - 1]);
}

static void test_cache_limits_and_errors(void) {
  PricingCache cache;
  PricingCachedFile *f = NULL;
  char *err = NULL;
  const char *path = scratch_path("limit.json"), *missing = scratch_path("missing.json");
  const char *bad = scratch_path("bad.json");
  char want[512];
  write_file(path, three_entries);
  write_file(bad, "{\"m\": [1,}");
  pricing_cache_init(&cache);
  CHECK("64 MiB by default", cache.max_bytes == 64LL * 1024 * 1024);
  cache.max_bytes = (long long)sizeof three_entries - 2; /* the file is sizeof - 1 bytes */
  CHECK("a file over the limit is streamed",
        pricing_cache_get(&cache, path, NULL, 0, &f, &err) == PRICING_CACHE_STREAM && !f && !err);
  cache.max_bytes = (long long)sizeof three_entries - 1;
  CHECK("a file at the limit is cached",
        pricing_cache_get(&cache, path, NULL, 0, &f, &err) == PRICING_CACHE_OK);
  pricing_cached_release(f);
  snprintf(want, sizeof want, "cannot open '%s': No such file or directory", missing);
  CHECK("a missing file", pricing_cache_get(&cache, missing, NULL, 0, &f, &err) == PRICING_CACHE_ERROR &&
                              err && strcmp(err, want) == 0);
  tl_free(err);
  snprintf(want, sizeof want, "%s:1:10: found '}': expected a value", bad);
  CHECK("malformed JSON", pricing_cache_get(&cache, bad, NULL, 0, &f, &err) == PRICING_CACHE_ERROR &&
                              err && strcmp(err, want) == 0 && !f);
  tl_free(err);
  pricing_cache_clear(&cache);
}

/* ------------------------------------------------------- out of memory */

/* One pass: a cached decode with extra, an index, a stream. "full" when
** every figure is right, "nomem" when a step failed for memory, else what
** went wrong. */
static const char *oom_pass(const char *path) {
  PricingCache cache;
  PricingCachedFile *f = NULL;
  PricingRowSet stream;
  const int *index;
  char *err = NULL;
  const char *outcome = "full";
  int rc;
  pricing_cache_init(&cache);
  rc = pricing_cache_get(&cache, path, NULL, 1, &f, &err);
  if (rc != PRICING_CACHE_OK) {
    outcome = err && !strstr(err, "out of memory") ? "a cache error that is not out of memory" : "nomem";
    tl_free(err);
    pricing_cache_clear(&cache);
    return outcome;
  }
  if (f->set.n != 2 || f->set.entries != 3 || f->set.models != 2 || !f->set.rows[0].price.extra ||
      strcmp(f->set.skipped_detail.data, sample_spec_detail) != 0)
    outcome = "a cached decode with wrong figures";
  else if (!(index = pricing_cached_index(f, PRICING_BY_PROVIDER)))
    outcome = "nomem";
  else if (index[0] != 0 || index[1] != 1)
    outcome = "a wrong index";
  pricing_cached_release(f);
  pricing_cache_clear(&cache);
  if (strcmp(outcome, "full") != 0) return outcome;
  if (pricing_rows_open(&stream, path, NULL, 0, 0, &err) < 0 || pricing_rows_read_all(&stream, &err) < 0)
    outcome = err && !strstr(err, "out of memory") ? "a stream error that is not out of memory" : "nomem";
  else if (stream.rows_read != 2 || stream.skipped != 1 || stream.entries != 3)
    outcome = "a stream with wrong figures";
  tl_free(err);
  pricing_rows_clear(&stream);
  return outcome;
}

static void test_out_of_memory(void) {
  const char *path = scratch_path("oom.json");
  const char *broken = NULL;
  int reached_full = 0;
  write_file(path, three_entries);
  for (long n = 0; n < 400 && !broken; n++) {
    const char *got;
    tl_alloc_fail_from(n);
    got = oom_pass(path);
    if (strcmp(got, "full") == 0) reached_full = 1;
    else if (strcmp(got, "nomem") != 0) broken = got;
  }
  tl_alloc_fail_from(-1);
  if (broken) printf("# %s\n", broken);
  CHECK("every allocation failing in turn: the whole answer or out of memory", !broken && reached_full);
}

int main(void) {
  if (!mkdtemp(dir)) {
    CHECK("scratch directory", 0);
    CHECK_DONE();
  }
  test_keeping();
  test_decoding();
  test_sort();
  test_cache_hit_and_replace();
  test_cache_eviction();
  test_cache_limits_and_errors();
  test_out_of_memory();
  {
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) printf("# could not remove %s\n", dir);
  }
  CHECK_DONE();
}
