/*
** The models.dev decoder, driven directly: small provider objects written
** here go through json_parse and pricing_format_modelsdev.decode into an
** emitter that records every row. Expected prices are the doubles strtod
** gives for the per-token decimal (0.3 per 1M is exactly strtod("3e-7")).
** With ../shared/data, the real api.json is streamed and its rows counted
** against figures worked out with python3 (see the comment there).
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "pricing.h"

#include "pricing_recorder.h"

/* Decodes one provider entry (JSON text) under `key`; returns decode's
** result, or -2 if the text does not parse. */
static int decode_text(Recorder *rec, JsonArena *arena, const char *key,
                       const char *text) {
  JsonValue *entry;
  char err[256];
  int rc;
  recorder_clear(rec);
  json_arena_reset(arena);
  if (json_parse("t.json", text, strlen(text), arena, &entry, err, sizeof err)) {
    printf("# parse error: %s\n", err);
    return -2;
  }
  rc = pricing_format_modelsdev.decode(&rec->em, key, entry);
  json_arena_reset(rec->em.scratch);
  return rc;
}

static int same(double got, const char *want) {
  return want ? got == strtod(want, NULL) : isnan(got);
}

static int has(const char *s, const char *part) {
  return s && strstr(s, part) != NULL;
}

/* A provider with a plain model, a tiered model whose legacy
** context_over_200k repeats its tier (under another size, as in the real
** file), a model with only the legacy field, and a model without cost. */
static const char *PROVIDER =
    "{\"id\": \"acme\", \"name\": \"Acme AI\", \"env\": [\"ACME_KEY\"],"
    " \"npm\": \"@ai-sdk/acme\", \"api\": \"https://api.acme.test/v1\","
    " \"doc\": \"https://acme.test/docs\", \"models\": {"
    "  \"plain-1\": {\"id\": \"plain-1\", \"name\": \"Plain 1\", \"family\": \"plain\","
    "    \"release_date\": \"2025-09-29\","
    "    \"modalities\": {\"input\": [\"text\"], \"output\": [\"text\"]},"
    "    \"limit\": {\"context\": 200000, \"output\": 64000},"
    "    \"cost\": {\"input\": 3, \"output\": 15, \"cache_read\": 0.3, \"cache_write\": 3.75,"
    "             \"input_audio\": 0.7}},"
    "  \"tiered-2\": {\"id\": \"tiered-2\","
    "    \"modalities\": {\"input\": [\"text\", \"image\"], \"output\": [\"text\"]},"
    "    \"limit\": {\"context\": 1050000, \"input\": 922000, \"output\": 128000},"
    "    \"cost\": {\"input\": 2.5, \"output\": 15, \"cache_read\": 0.25, \"reasoning\": 10,"
    "             \"context_over_200k\": {\"input\": 5, \"output\": 22.5},"
    "             \"tiers\": [{\"input\": 5, \"output\": 22.5,"
    "                        \"tier\": {\"type\": \"context\", \"size\": 272000}}]}},"
    "  \"legacy-3\": {\"id\": \"legacy-3\", \"limit\": {\"context\": 1000000, \"output\": 8192},"
    "    \"cost\": {\"input\": 0.15, \"output\": 0.6,"
    "             \"context_over_200k\": {\"input\": 0.3, \"output\": 1.2}}},"
    "  \"free-4\": {\"id\": \"free-4\", \"limit\": {\"context\": 8192, \"output\": 4096}}"
    "}}";

static void test_rows(Recorder *rec, JsonArena *arena) {
  PriceRow *r;
  CHECK("provider decodes", decode_text(rec, arena, "acme", PROVIDER) == 0);
  /* plain-1: 1 row; tiered-2: base + one tier (the legacy copy skipped);
  ** legacy-3: base + the legacy 200000 tier; free-4: 1 row */
  CHECK("6 rows", rec->n == 6);
  if (rec->n != 6) return;

  r = &rec->rows[0];
  CHECK_STR("raw_provider is the provider key", r->raw_provider, "acme");
  CHECK_STR("raw_model is the model key", r->raw_model, "plain-1");
  CHECK_STR("mode from text output", r->mode, "chat");
  CHECK("base row starts at 0", r->tier_start_tokens == 0);
  CHECK("input 3 per 1M is 3e-06", same(r->input_cost_per_token, "3e-06"));
  CHECK("output 15 per 1M is 1.5e-05", same(r->output_cost_per_token, "1.5e-05"));
  CHECK("cache_read 0.3 per 1M is exactly 3e-07", same(r->cache_read_cost_per_token, "3e-07"));
  CHECK("cache_write 3.75 per 1M", same(r->cache_write_cost_per_token, "3.75e-06"));
  CHECK("no reasoning price is NULL", isnan(r->reasoning_cost_per_token));
  CHECK("input_audio 0.7 per 1M is 7e-07", same(r->input_audio_cost_per_token, "7e-07"));
  CHECK("no output_audio is NULL", isnan(r->output_audio_cost_per_token));
  CHECK("context window from limit.context", r->context_window == 200000);
  CHECK("max output from limit.output", r->max_output_tokens == 64000);
  CHECK_STR("currency", r->currency, "USD");
  CHECK("release_date is not an effective date", r->effective_from == NULL);
  CHECK("a fully priced row has no note", r->note == NULL);
  CHECK_STR("extra keeps what no column carries", r->extra,
            "{\"name\":\"Plain 1\",\"family\":\"plain\",\"release_date\":\"2025-09-29\","
            "\"modalities\":{\"input\":[\"text\"],\"output\":[\"text\"]},"
            "\"provider_name\":\"Acme AI\",\"provider_env\":[\"ACME_KEY\"],"
            "\"provider_npm\":\"@ai-sdk/acme\",\"provider_api\":\"https://api.acme.test/v1\","
            "\"provider_doc\":\"https://acme.test/docs\"}");

  r = &rec->rows[1];
  CHECK_STR("tiered model base row", r->raw_model, "tiered-2");
  CHECK("tiered base row at 0", r->tier_start_tokens == 0);
  CHECK("tiered base input 2.5", same(r->input_cost_per_token, "2.5e-06"));
  CHECK("reasoning 10 per 1M", same(r->reasoning_cost_per_token, "1e-05"));
  CHECK("limit.input stays in extra", has(r->extra, "\"limit\":{\"input\":922000}"));
  CHECK("the duplicate legacy tier is not in extra", !has(r->extra, "context_over_200k"));
  CHECK("tiers are not in the base row's extra", !has(r->extra, "tiers"));
  r = &rec->rows[2];
  CHECK_STR("tier row model", r->raw_model, "tiered-2");
  CHECK("tier row starts at the tier size", r->tier_start_tokens == 272000);
  CHECK("tier input 5", same(r->input_cost_per_token, "5e-06"));
  CHECK("tier output 22.5", same(r->output_cost_per_token, "2.25e-05"));
  CHECK("tier without cache_read: NULL", isnan(r->cache_read_cost_per_token));
  CHECK("tier row keeps the model's limits", r->context_window == 1050000 && r->max_output_tokens == 128000);
  CHECK_STR("tier note", r->note, "context tier: these prices apply when the prompt is over 272000 tokens");

  r = &rec->rows[3];
  CHECK("legacy-only base", r->tier_start_tokens == 0 && same(r->input_cost_per_token, "1.5e-07"));
  r = &rec->rows[4];
  CHECK("legacy context_over_200k becomes a 200000 tier", r->tier_start_tokens == 200000);
  CHECK("legacy tier input 0.3", same(r->input_cost_per_token, "3e-07"));
  CHECK("legacy tier output 1.2", same(r->output_cost_per_token, "1.2e-06"));
  CHECK("legacy tier note", has(r->note, "legacy context_over_200k"));

  r = &rec->rows[5];
  CHECK_STR("model without cost is kept", r->raw_model, "free-4");
  CHECK("no cost: every price NULL",
        isnan(r->input_cost_per_token) && isnan(r->output_cost_per_token) &&
            isnan(r->cache_read_cost_per_token) && isnan(r->cache_write_cost_per_token) &&
            isnan(r->reasoning_cost_per_token));
  CHECK_STR("no cost: note", r->note, "no cost in models.dev");
  CHECK("no cost: limits still read", r->context_window == 8192 && r->max_output_tokens == 4096);
}

static void test_bad_values(Recorder *rec, JsonArena *arena) {
  PriceRow *r;
  CHECK("bad prices decode",
        decode_text(rec, arena, "p",
                    "{\"id\": \"p\", \"models\": {"
                    " \"m\": {\"id\": \"m-other\", \"cost\": {\"input\": \"abc\", \"output\": -2.5,"
                    "  \"cache_read\": null}, \"limit\": {\"context\": 1.5}},"
                    " \"n\": {\"cost\": {\"output\": 2}},"
                    " \"o\": 7,"
                    " \"q\": {\"cost\": {\"input\": 1, \"output\": 2,"
                    "  \"tiers\": [{\"tier\": {\"type\": \"requests\", \"size\": 10}, \"input\": 0.5}, 3]}}"
                    "}}") == 0);
  CHECK("one row per model and tier element", rec->n == 6);
  if (rec->n != 6) return;
  r = &rec->rows[0];
  CHECK("text price is NULL", isnan(r->input_cost_per_token));
  CHECK("negative price is NULL", isnan(r->output_cost_per_token));
  CHECK_STR("notes say why", r->note, "input: not a number; output: negative; cache_read: missing");
  CHECK("invalid prices stay in extra as written",
        has(r->extra, "\"cost\":{\"input\":\"abc\",\"output\":-2.5,\"cache_read\":null}"));
  CHECK("an id other than the key stays in extra", has(r->extra, "\"id\":\"m-other\""));
  CHECK("a fractional context is not an integer", r->context_window == -1 &&
                                                       has(r->extra, "\"limit\":{\"context\":1.5}"));
  r = &rec->rows[1];
  CHECK_STR("missing input is noted", r->note, "no input price");
  CHECK("output still read", same(r->output_cost_per_token, "2e-06"));
  r = &rec->rows[2];
  CHECK_STR("a model that is not an object", r->note, "model is not an object");
  CHECK_STR("its value in extra", r->extra, "{\"value\":7}");
  r = &rec->rows[4];
  CHECK("a tier of another type has no start", r->tier_start_tokens == -1);
  CHECK("and says so", has(r->note, "tier not understood"));
  CHECK("and keeps its tier in extra",
        has(r->extra, "\"cost\":{\"tier\":{\"type\":\"requests\",\"size\":10}}"));
  r = &rec->rows[5];
  CHECK_STR("a tier that is not an object", r->note, "tier 2 is not an object");
  CHECK("the tiers array then stays in the base row's extra",
        has(rec->rows[3].extra, "\"tiers\":[{"));

  CHECK("no models", decode_text(rec, arena, "e", "{\"id\": \"e\", \"models\": {}}") == 0);
  CHECK("a provider without models gives one row", rec->n == 1 && rec->rows[0].raw_model == NULL &&
                                                       has(rec->rows[0].note, "no models"));
  CHECK("not an object", decode_text(rec, arena, "x", "[1]") == 0);
  CHECK("a provider that is not an object gives one row",
        rec->n == 1 && has(rec->rows[0].note, "not an object") &&
            has(rec->rows[0].extra, "[1]"));
}

static void test_modes(Recorder *rec, JsonArena *arena) {
  CHECK("modes decode",
        decode_text(rec, arena, "p",
                    "{\"id\": \"p\", \"models\": {"
                    " \"img\": {\"modalities\": {\"input\": [\"text\"], \"output\": [\"image\"]}},"
                    " \"tts\": {\"modalities\": {\"input\": [\"text\"], \"output\": [\"audio\"]}},"
                    " \"stt\": {\"modalities\": {\"input\": [\"audio\"], \"output\": [\"text\"]}},"
                    " \"vid\": {\"modalities\": {\"input\": [\"text\"], \"output\": [\"video\"]}},"
                    " \"e5\": {\"family\": \"text-embedding\","
                    "          \"modalities\": {\"input\": [\"text\"], \"output\": [\"text\"]}},"
                    " \"bare\": {}}}") == 0);
  CHECK("six rows", rec->n == 6);
  if (rec->n != 6) return;
  CHECK_STR("image output", rec->rows[0].mode, "image_generation");
  CHECK_STR("audio output", rec->rows[1].mode, "audio_speech");
  CHECK_STR("audio in, text out", rec->rows[2].mode, "audio_transcription");
  CHECK_STR("video output", rec->rows[3].mode, "video_generation");
  CHECK_STR("embedding family", rec->rows[4].mode, "embedding");
  CHECK("family stays in extra", has(rec->rows[4].extra, "\"family\":\"text-embedding\""));
  CHECK_STR("no modalities: chat", rec->rows[5].mode, "chat");
}

static void test_stop(Recorder *rec, JsonArena *arena) {
  JsonValue *entry;
  char err[256];
  recorder_clear(rec);
  json_arena_reset(arena);
  CHECK("stop: parses", json_parse("t.json", PROVIDER, strlen(PROVIDER), arena, &entry, err,
                                   sizeof err) == 0);
  rec->stop_after = 2;
  CHECK("emit asking to stop stops the decoder",
        pricing_format_modelsdev.decode(&rec->em, "acme", entry) == -1 && rec->n == 2);
  json_arena_reset(rec->em.scratch);
}

static int detect_text(JsonArena *arena, const PricingFormat *f, const char *key,
                       const char *text) {
  JsonValue *v;
  char err[256];
  json_arena_reset(arena);
  if (json_parse("t.json", text, strlen(text), arena, &v, err, sizeof err)) return -1;
  return f->detect(key, v);
}

static void test_detect(JsonArena *arena) {
  int md = detect_text(arena, &pricing_format_modelsdev, "acme", PROVIDER);
  CHECK("detects a models.dev provider", md >= 80);
  CHECK("not a LiteLLM entry",
        detect_text(arena, &pricing_format_modelsdev, "gpt-4o",
                    "{\"input_cost_per_token\": 2.5e-06, \"mode\": \"chat\"}") == 0);
  CHECK("not a genai-prices provider (models is an array)",
        detect_text(arena, &pricing_format_modelsdev, NULL,
                    "{\"id\": \"x\", \"api_pattern\": \"a\", \"models\": []}") == 0);
  CHECK("the format's name and layout",
        strcmp(pricing_format_modelsdev.name, "modelsdev") == 0 &&
            pricing_format_modelsdev.layout == PRICING_ROOT_MEMBERS);
}

/* Real api.json. Figures from python3 over the same file:
**   d = json.load(open('models-dev/api.json'))
**   providers = len(d)                                            -> 147
**   models = sum(len(p['models']) for p in d.values())            -> 5276
**   no cost = models without 'cost'                               -> 382
**   tier rows = sum(len(m['cost'].get('tiers', [])))              -> 194
**   legacy-only = context_over_200k without tiers                 -> 0
**   rows = models + tier rows + legacy-only                       -> 5470 */
typedef struct Counter {
  PricingEmitter em;
  long long rows, no_cost, tiers;
} Counter;

static int count_row(PricingEmitter *em, const PriceRow *row) {
  Counter *c = (Counter *)em;
  c->rows++;
  if (row->note && strcmp(row->note, "no cost in models.dev") == 0) c->no_cost++;
  if (row->tier_start_tokens > 0) c->tiers++;
  return 0;
}

static void test_real_file(void) {
  const char *dir = check_shared_dir();
  char path[4096], *err = NULL;
  PricingSource *src;
  JsonArena scratch = {0};
  Counter c;
  int rc;
  if (!dir) {
    SKIP("real models.dev api.json", "needs ../shared/data");
    return;
  }
  snprintf(path, sizeof path, "%s/models-dev/api.json", dir);
  memset(&c, 0, sizeof c);
  c.em.emit = count_row;
  c.em.scratch = &scratch;
  c.em.file = path;
  src = pricing_source_open(path, NULL, &err);
  CHECK("api.json opens", src != NULL);
  if (!src) {
    printf("# %s\n", err ? err : "?");
    free(err);
    return;
  }
  CHECK_STR("api.json is detected as modelsdev", pricing_source_format(src)->name, "modelsdev");
  while ((rc = pricing_source_next(src, &c.em, &err)) == 1) {
  }
  CHECK("api.json streams to the end", rc == 0);
  CHECK("147 providers", pricing_source_entries(src) == 147);
  CHECK("5470 rows", c.rows == 5470);
  CHECK("382 models without cost", c.no_cost == 382);
  CHECK("194 tier rows", c.tiers == 194);
  pricing_source_close(src);
  json_arena_free(&scratch);
  free(err);
}

int main(void) {
  static Recorder rec;
  JsonArena arena = {0}, scratch = {0};
  rec.em.emit = record;
  rec.em.scratch = &scratch;
  rec.em.file = "t.json";
  test_rows(&rec, &arena);
  test_bad_values(&rec, &arena);
  test_modes(&rec, &arena);
  test_stop(&rec, &arena);
  test_detect(&arena);
  test_real_file();
  recorder_clear(&rec);
  json_arena_free(&arena);
  json_arena_free(&scratch);
  CHECK_DONE();
}
