/*
** The genai-prices decoder, driven directly: small provider objects written
** here go through json_parse and pricing_format_genai_prices.decode into an
** emitter that records every row. Expected prices are the doubles strtod
** gives for the per-token decimal. With ../shared/data, all four real files
** (v1 and v2, data.json and data_slim.json) are streamed and their rows
** counted against figures worked out with python3 (see the comment there).
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "pricing.h"

#include "pricing_recorder.h"

/* Decodes one provider element (JSON text); returns decode's result, or -2
** if the text does not parse. */
static int decode_text(Recorder *rec, JsonArena *arena, const char *text) {
  JsonValue *entry;
  char err[256];
  int rc;
  recorder_clear(rec);
  json_arena_reset(arena);
  if (json_parse("t.json", text, strlen(text), arena, &entry, err, sizeof err)) {
    printf("# parse error: %s\n", err);
    return -2;
  }
  rc = pricing_format_genai_prices.decode(&rec->em, NULL, entry);
  json_arena_reset(rec->em.scratch);
  return rc;
}

static int same(double got, const char *want) {
  return want ? got == strtod(want, NULL) : isnan(got);
}

static int has(const char *s, const char *part) {
  return s && strstr(s, part) != NULL;
}

/* A provider in the shape of the real file: a flat-priced model, a model
** with tiered prices (two tier starts on different fields), a model whose
** price changed on a date, a model with a daily window, and a free model. */
static const char *PROVIDER =
    "{\"id\": \"acme\", \"name\": \"Acme\", \"pricing_urls\": [\"https://acme.test/pricing\"],"
    " \"api_pattern\": \"https://api\\\\.acme\\\\.test\","
    " \"model_match\": {\"contains\": \"acme\"}, \"provider_match\": {\"equals\": \"acme\"},"
    " \"extractors\": [{\"api_flavor\": \"default\", \"root\": \"usage\"}],"
    " \"models\": ["
    "  {\"id\": \"flat-1\", \"name\": \"Flat 1\", \"match\": {\"equals\": \"flat-1\"},"
    "   \"context_window\": 128000,"
    "   \"prices\": {\"input_mtok\": 0.15, \"output_mtok\": 0.6, \"cache_read_mtok\": 0.075,"
    "              \"cache_write_mtok\": 0.1875, \"output_reasoning_mtok\": 3.5,"
    "              \"requests_kcount\": 1}},"
    "  {\"id\": \"tiered-2\", \"match\": {\"starts_with\": \"tiered-2\"},"
    "   \"prices\": {\"input_mtok\": {\"base\": 3, \"tiers\": [{\"start\": 200000, \"price\": 6}]},"
    "              \"output_mtok\": {\"base\": 15, \"tiers\": [{\"start\": 200000, \"price\": 22.5},"
    "                                                   {\"start\": 500000, \"price\": 30}]},"
    "              \"cache_read_mtok\": 0.3}},"
    "  {\"id\": \"dated-3\", \"match\": {\"equals\": \"dated-3\"},"
    "   \"prices\": [{\"prices\": {\"input_mtok\": 10, \"output_mtok\": 40}},"
    "              {\"constraint\": {\"start_date\": \"2025-06-10\"},"
    "               \"prices\": {\"input_mtok\": 2, \"output_mtok\": 8}}]},"
    "  {\"id\": \"window-4\", \"match\": {\"equals\": \"window-4\"},"
    "   \"prices\": [{\"prices\": {\"input_mtok\": 0.135, \"output_mtok\": 0.55}},"
    "              {\"constraint\": {\"start_time\": \"00:30:00Z\", \"end_time\": \"16:30:00Z\"},"
    "               \"prices\": {\"input_mtok\": 0.27, \"output_mtok\": 1.1}}]},"
    "  {\"id\": \"free-5\", \"match\": {\"equals\": \"free-5\"}, \"prices\": {}}"
    "]}";

static void test_rows(Recorder *rec, JsonArena *arena) {
  PriceRow *r;
  CHECK("provider decodes", decode_text(rec, arena, PROVIDER) == 0);
  /* flat-1: 1; tiered-2: base + 200000 + 500000; dated-3: 2; window-4: 2;
  ** free-5: 1 */
  CHECK("9 rows", rec->n == 9);
  if (rec->n != 9) return;

  r = &rec->rows[0];
  CHECK_STR("raw_provider is the provider id", r->raw_provider, "acme");
  CHECK_STR("raw_model is the model id", r->raw_model, "flat-1");
  CHECK("no mode in genai-prices", r->mode == NULL);
  CHECK("flat row starts at 0", r->tier_start_tokens == 0);
  CHECK("input 0.15 per 1M is exactly 1.5e-07", same(r->input_cost_per_token, "1.5e-07"));
  CHECK("output 0.6 per 1M", same(r->output_cost_per_token, "6e-07"));
  CHECK("cache read 0.075 per 1M", same(r->cache_read_cost_per_token, "7.5e-08"));
  CHECK("cache write 0.1875 per 1M", same(r->cache_write_cost_per_token, "1.875e-07"));
  CHECK("output_reasoning_mtok is the reasoning price", same(r->reasoning_cost_per_token, "3.5e-06"));
  CHECK("context window", r->context_window == 128000);
  CHECK("no max output", r->max_output_tokens == -1);
  CHECK("no effective date", r->effective_from == NULL);
  CHECK("no note", r->note == NULL);
  CHECK("requests_kcount 1 per 1000 requests is 0.001 per request", same(r->per_request_cost, "0.001"));
  CHECK("no service tier", r->service_tier == NULL);
  CHECK("no window", r->window_start == NULL && r->window_end == NULL);
  CHECK_STR("extra: model fields, provider fields; no extractors", r->extra,
            "{\"name\":\"Flat 1\",\"match\":{\"equals\":\"flat-1\"},"
            "\"provider_name\":\"Acme\",\"provider_pricing_urls\":[\"https://acme.test/pricing\"],"
            "\"provider_api_pattern\":\"https://api\\\\.acme\\\\.test\","
            "\"provider_model_match\":{\"contains\":\"acme\"},"
            "\"provider_match\":{\"equals\":\"acme\"}}");

  r = &rec->rows[1];
  CHECK("tiered base row at 0", r->tier_start_tokens == 0 && same(r->input_cost_per_token, "3e-06") &&
                                    same(r->output_cost_per_token, "1.5e-05") &&
                                    same(r->cache_read_cost_per_token, "3e-07"));
  CHECK("tiered base row has no note", r->note == NULL);
  r = &rec->rows[2];
  CHECK("first tier row at 200000", r->tier_start_tokens == 200000);
  CHECK("input tier 6", same(r->input_cost_per_token, "6e-06"));
  CHECK("output tier 22.5", same(r->output_cost_per_token, "2.25e-05"));
  CHECK("a flat price stays in tier rows", same(r->cache_read_cost_per_token, "3e-07"));
  CHECK_STR("cliff note", r->note,
            "cliff tier: once input tokens exceed 200000, all tokens of each tiered price "
            "are billed at its tier price");
  r = &rec->rows[3];
  CHECK("second tier row at 500000", r->tier_start_tokens == 500000);
  CHECK("input keeps its 200000 tier", same(r->input_cost_per_token, "6e-06"));
  CHECK("output takes its 500000 tier", same(r->output_cost_per_token, "3e-05"));
  CHECK("tiered prices are not in extra", !has(r->extra, "\"prices\""));

  r = &rec->rows[4];
  CHECK("price before the change: no effective date", r->effective_from == NULL &&
                                                          same(r->input_cost_per_token, "1e-05"));
  CHECK_STR("and says when it ends", r->note, "superseded from 2025-06-10 by a later price");
  r = &rec->rows[5];
  CHECK_STR("dated price: effective_from", r->effective_from, "2025-06-10");
  CHECK("dated price values", same(r->input_cost_per_token, "2e-06") &&
                                  same(r->output_cost_per_token, "8e-06"));
  CHECK("dated price: no note", r->note == NULL);
  CHECK("a used start_date is not in extra", !has(r->extra, "constraint"));

  r = &rec->rows[6];
  CHECK("off-window default", same(r->input_cost_per_token, "1.35e-07") && r->effective_from == NULL);
  CHECK_STR("default says a window overrides it", r->note,
            "a later price applies daily from 00:30:00Z to 16:30:00Z (UTC)");
  r = &rec->rows[7];
  CHECK("window price", same(r->input_cost_per_token, "2.7e-07") &&
                            same(r->output_cost_per_token, "1.1e-06"));
  CHECK_STR("window note", r->note, "daily window: this price applies from 00:30:00 to 16:30:00 (UTC)");
  CHECK_STR("window start, UTC without the Z", r->window_start, "00:30:00");
  CHECK_STR("window end", r->window_end, "16:30:00");
  CHECK("a window understood is not in extra", !has(r->extra, "constraint"));

  r = &rec->rows[8];
  CHECK_STR("free model kept", r->raw_model, "free-5");
  CHECK("free model: prices NULL", isnan(r->input_cost_per_token) && isnan(r->output_cost_per_token));
  CHECK("free model: note", has(r->note, "empty price set"));
}

static void test_bad_values(Recorder *rec, JsonArena *arena) {
  PriceRow *r;
  CHECK("bad values decode",
        decode_text(rec, arena,
                    "{\"id\": \"p\", \"models\": ["
                    " {\"id\": \"a\", \"prices\": {\"input_mtok\": \"x\", \"output_mtok\": -3,"
                    "   \"cache_read_mtok\": {\"base\": 1}}},"
                    " {\"id\": \"b\", \"prices\": {\"input_mtok\": 1}},"
                    " {\"prices\": {\"input_mtok\": 1, \"output_mtok\": 2}},"
                    " 42,"
                    " {\"id\": \"c\"},"
                    " {\"id\": \"d\", \"prices\": [{\"constraint\": {\"start_date\": \"June\"},"
                    "   \"prices\": {\"input_mtok\": 1, \"output_mtok\": 2}}]}"
                    "]}") == 0);
  CHECK("one row per model", rec->n == 6);
  if (rec->n != 6) return;
  r = &rec->rows[0];
  CHECK("invalid prices are NULL", isnan(r->input_cost_per_token) && isnan(r->output_cost_per_token) &&
                                       isnan(r->cache_read_cost_per_token));
  CHECK("notes say why", has(r->note, "input_mtok: not a number") &&
                             has(r->note, "output_mtok: negative") &&
                             has(r->note, "cache_read_mtok: tiered price not understood"));
  CHECK("invalid prices stay in extra",
        has(r->extra, "\"prices\":{\"input_mtok\":\"x\",\"output_mtok\":-3,\"cache_read_mtok\":{\"base\":1}}"));
  CHECK_STR("missing output noted", rec->rows[1].note, "no output_mtok price");
  CHECK_STR("model without id", rec->rows[2].note, "model 3 has no id");
  CHECK("model without id keeps its prices", same(rec->rows[2].input_cost_per_token, "1e-06"));
  CHECK_STR("model that is not an object", rec->rows[3].note, "model 4 is not an object");
  CHECK_STR("its value in extra", rec->rows[3].extra, "{\"value\":42}");
  CHECK_STR("model without prices", rec->rows[4].note, "no prices");
  r = &rec->rows[5];
  CHECK("a malformed date is not an effective date", r->effective_from == NULL);
  CHECK("and says so", has(r->note, "constraint not understood"));
  CHECK("and keeps it in extra", has(r->extra, "\"constraint\":{\"start_date\":\"June\"}"));

  CHECK("no models", decode_text(rec, arena, "{\"id\": \"e\", \"models\": []}") == 0);
  CHECK("a provider without models gives one row",
        rec->n == 1 && rec->rows[0].raw_model == NULL && has(rec->rows[0].note, "no models"));
  CHECK("not an object", decode_text(rec, arena, "\"x\"") == 0);
  CHECK("a provider that is not an object gives one row",
        rec->n == 1 && has(rec->rows[0].note, "not an object"));
}

static void test_stop(Recorder *rec, JsonArena *arena) {
  JsonValue *entry;
  char err[256];
  recorder_clear(rec);
  json_arena_reset(arena);
  CHECK("stop: parses", json_parse("t.json", PROVIDER, strlen(PROVIDER), arena, &entry, err,
                                   sizeof err) == 0);
  rec->stop_after = 3;
  CHECK("emit asking to stop stops the decoder",
        pricing_format_genai_prices.decode(&rec->em, NULL, entry) == -1 && rec->n == 3);
  json_arena_reset(rec->em.scratch);
}

static int detect_text(JsonArena *arena, const char *text) {
  JsonValue *v;
  char err[256];
  json_arena_reset(arena);
  if (json_parse("t.json", text, strlen(text), arena, &v, err, sizeof err)) return -1;
  return pricing_format_genai_prices.detect(NULL, v);
}

static void test_detect(JsonArena *arena) {
  CHECK("detects a genai-prices provider", detect_text(arena, PROVIDER) >= 80);
  CHECK("a slim provider (no pricing_urls) still scores",
        detect_text(arena, "{\"id\": \"x\", \"api_pattern\": \"a\", \"models\": []}") >= 70);
  CHECK("not a models.dev provider (models is an object)",
        detect_text(arena, "{\"id\": \"x\", \"models\": {}}") == 0);
  CHECK("not an OpenRouter model", detect_text(arena, "{\"id\": \"x\", \"pricing\": {}}") == 0);
  CHECK("the format's name and layout",
        strcmp(pricing_format_genai_prices.name, "genai-prices") == 0 &&
            pricing_format_genai_prices.layout == PRICING_ROOT_ELEMENTS);
}

/* The real files. Figures from python3 over each file:
**   d = json.load(open(f)); providers = len(d)
**   models = sum(len(p['models']) for p in d)
**   rows = per model, per price set (the list's elements, or the one
**          object): 1 + the number of distinct tier starts among
**          input/output/cache_read/cache_write/output_reasoning_mtok
**   tier rows = rows with a start; dated rows = rows of a start_date price
**   file                providers models rows  tier rows dated rows
**   v1/data.json        34        1442   1471  20        7
**   v1/data_slim.json   34        1285   1314  20        7
**   v2/data.json        36        1466   1506  25        17
**   v2/data_slim.json   36        1309   1349  25        17 */
typedef struct Counter {
  PricingEmitter em;
  long long rows, tiers, dated;
} Counter;

static int count_row(PricingEmitter *em, const PriceRow *row) {
  Counter *c = (Counter *)em;
  c->rows++;
  if (row->tier_start_tokens > 0) c->tiers++;
  if (row->effective_from) c->dated++;
  return 0;
}

static void check_real_file(const char *dir, const char *name, long long providers,
                            long long rows, long long tiers, long long dated) {
  char path[4096], label[256], *err = NULL;
  PricingSource *src;
  JsonArena scratch = {0};
  Counter c;
  int rc;
  snprintf(path, sizeof path, "%s/genai-prices/%s", dir, name);
  memset(&c, 0, sizeof c);
  c.em.emit = count_row;
  c.em.scratch = &scratch;
  c.em.file = path;
  src = pricing_source_open(path, NULL, &err);
  snprintf(label, sizeof label, "%s opens", name);
  CHECK(label, src != NULL);
  if (!src) {
    printf("# %s\n", err ? err : "?");
    free(err);
    return;
  }
  snprintf(label, sizeof label, "%s is detected as genai-prices", name);
  CHECK_STR(label, pricing_source_format(src)->name, "genai-prices");
  while ((rc = pricing_source_next(src, &c.em, &err)) == 1) {
  }
  snprintf(label, sizeof label, "%s streams to the end", name);
  CHECK(label, rc == 0);
  snprintf(label, sizeof label, "%s: %lld providers", name, providers);
  CHECK(label, pricing_source_entries(src) == providers);
  snprintf(label, sizeof label, "%s: %lld rows", name, rows);
  CHECK(label, c.rows == rows);
  snprintf(label, sizeof label, "%s: %lld tier rows", name, tiers);
  CHECK(label, c.tiers == tiers);
  snprintf(label, sizeof label, "%s: %lld dated rows", name, dated);
  CHECK(label, c.dated == dated);
  pricing_source_close(src);
  json_arena_free(&scratch);
  free(err);
}

static void test_real_files(void) {
  const char *dir = check_shared_dir();
  if (!dir) {
    SKIP("real genai-prices files", "needs ../shared/data");
    return;
  }
  check_real_file(dir, "v1/data.json", 34, 1471, 20, 7);
  check_real_file(dir, "v1/data_slim.json", 34, 1314, 20, 7);
  check_real_file(dir, "v2/data.json", 36, 1506, 25, 17);
  check_real_file(dir, "v2/data_slim.json", 36, 1349, 25, 17);
}

int main(void) {
  static Recorder rec;
  JsonArena arena = {0}, scratch = {0};
  rec.em.emit = record;
  rec.em.scratch = &scratch;
  rec.em.file = "t.json";
  test_rows(&rec, &arena);
  test_bad_values(&rec, &arena);
  test_stop(&rec, &arena);
  test_detect(&arena);
  test_real_files();
  recorder_clear(&rec);
  json_arena_free(&arena);
  json_arena_free(&scratch);
  CHECK_DONE();
}
