/*
** models.dev `api.json` decoder (format name "modelsdev").
**
** USAGE
**   SELECT raw_provider, raw_model, tier_start_tokens, input_cost_per_token
**     FROM pricing('api.json', 'modelsdev');
**
** THE FILE
**   {"anthropic": {"id": "anthropic", "name": "Anthropic", "env": [...],
**                  "npm": "@ai-sdk/anthropic", "api": "...", "doc": "...",
**                  "models": {"claude-sonnet-4-5": {
**                     "id": "claude-sonnet-4-5", "name": ..., "family": ...,
**                     "modalities": {"input": ["text"], "output": ["text"]},
**                     "limit": {"context": 200000, "output": 64000},
**                     "cost": {"input": 3, "output": 15, "cache_read": 0.3,
**                              "cache_write": 3.75, "reasoning": ...,
**                              "tiers": [{"tier": {"type": "context",
**                                                  "size": 200000},
**                                         "input": 6, "output": 22.5}],
**                              "context_over_200k": {...legacy tier...}}},
**                  ...}},
**    ...}
**   Prices are USD per 1M tokens, as JSON numbers.
**
** HOW IT WORKS
**   One entry is one provider (a member of the root object); it gives one row
**   per model and price tier. raw_provider is the provider's key, raw_model
**   the model's key. A model's base row has tier_start_tokens 0; each
**   `cost.tiers` element of type "context" adds a row whose
**   tier_start_tokens is its `size` (its prices apply once the prompt is
**   over that many tokens). `cost.context_over_200k` is the legacy spelling
**   of a tier: when `tiers` also carries the same prices it is a duplicate
**   and is skipped (in the real file it always is one, often under a size
**   other than 200000); without `tiers` it becomes a 200000 tier row; with
**   tiers that do not repeat it, it stays in the base row's extra.cost.
**   Rows come in file order: providers, their models, base row then tiers.
**
**   Columns: input, output, cache_read, cache_write, reasoning, and
**   input_audio / output_audio (input_audio_cost_per_token,
**   output_audio_cost_per_token), in the base cost and in each tier.
**   models.dev has no service tiers or time windows.
**   Prices go through pricing_value_to_cost(v, -6): the per-1M decimal is
**   shifted, not divided, so 0.3 becomes exactly the double nearest 3e-7.
**   A model without `cost` still gives its row, every price NULL and the note
**   "no cost in models.dev"; a missing input or output price, or an invalid
**   one, is NULL with a note. Missing cache or reasoning prices are NULL
**   without a note: most models simply have none.
**
**   mode comes from the model's modalities (models.dev has no mode field):
**   "embedding" when the family or id says embed, "chat" when the output
**   includes text (or "audio_transcription" for audio-in, text-out),
**   otherwise "image_generation", "audio_speech" or "video_generation".
**   release_date is not a price's effective date, so effective_from stays
**   NULL and release_date stays in extra.
**
**   extra is a JSON object of everything no column carries: the model's
**   other fields (name, family, modalities, release_date, ...), "cost" with
**   the price fields no column carries at this row's tier (image, request,
**   citation, cached_input: units or spellings models.dev does not define), "limit" with the limits other than context and
**   output, and the provider's own fields as "provider_name",
**   "provider_api", "provider_npm", "provider_doc", "provider_env". It is
**   built as a small JsonValue object in scratch and written by
**   pricing_extra(), which keeps each field's text exactly as in the file.
*/
#include <math.h>
#include <string.h>

#include "pricing.h"

#define MODELSDEV_LEGACY_TIER 200000

/* ------------------------------------------------------------------ prices */

/* Everything a model's rows share. */
typedef struct ModelCtx {
  const JsonValue *provider;  /* the provider object */
  const JsonValue *model;     /* the model object */
  const JsonValue *limit;     /* model.limit, or NULL */
  PriceRow row;               /* columns common to every row of the model */
} ModelCtx;

/* One price field of a cost or tier object, into *out; a missing required
** price or an invalid one adds to *note. An invalid value is not taken, so
** it stays in extra as written. */
static void take_price(PricingEmitter *em, const JsonValue *obj,
                       const char *field, int required, double *out,
                       const char **note) {
  const JsonValue *v = json_get(obj, field);
  const char *why;
  *out = NAN;
  if (!v) {
    if (required) {
      *note = pricing_note_add(em, *note,
                               pricing_printf(em, "no %s price", field));
    }
    return;
  }
  if (pricing_value_to_cost(v, -6, out, &why) == 0) {
    json_take(obj, field);
  } else {
    *note = pricing_note_add(em, *note, pricing_printf(em, "%s: %s", field, why));
  }
}

/* The priced columns of a cost or tier object. */
static void take_prices(PricingEmitter *em, const JsonValue *obj, PriceRow *row) {
  take_price(em, obj, "input", 1, &row->input_cost_per_token, &row->note);
  take_price(em, obj, "output", 1, &row->output_cost_per_token, &row->note);
  take_price(em, obj, "cache_read", 0, &row->cache_read_cost_per_token,
             &row->note);
  take_price(em, obj, "cache_write", 0, &row->cache_write_cost_per_token,
             &row->note);
  take_price(em, obj, "reasoning", 0, &row->reasoning_cost_per_token,
             &row->note);
  take_price(em, obj, "input_audio", 0, &row->input_audio_cost_per_token,
             &row->note);
  take_price(em, obj, "output_audio", 0, &row->output_audio_cost_per_token,
             &row->note);
}

/* Emits row with its extra: the model's untaken fields, `cost` (the untaken
** price fields of this row's cost or tier object), the untaken limits and
** the provider's fields. */
static int emit_row(PricingEmitter *em, const ModelCtx *ctx, PriceRow *row,
                    const JsonValue *cost) {
  JsonValue *extra = pricing_extra_object(em);
  if (!extra || pricing_extra_put_unused(em, extra, ctx->model, NULL) ||
      pricing_extra_put_rest(em, extra, "cost", cost) ||
      pricing_extra_put_rest(em, extra, "limit", ctx->limit) ||
      pricing_extra_put_unused(em, extra, ctx->provider, "provider_")) {
    return -1;
  }
  row->extra = pricing_extra(em, extra);
  return em->emit(em, row);
}

/* True when the legacy context_over_200k object carries exactly the prices
** of one of the tiers. */
static int duplicates_a_tier(const JsonValue *legacy, const JsonValue *tiers) {
  if (!legacy || legacy->type != JSON_OBJECT || !tiers ||
      tiers->type != JSON_ARRAY) {
    return 0;
  }
  for (const JsonValue *t = tiers->child; t; t = t->next) {
    uint32_t prices = 0;
    int same = t->type == JSON_OBJECT;
    for (const JsonValue *m = same ? t->child : NULL; m; m = m->next) {
      const JsonValue *old;
      if (strcmp(m->key, "tier") == 0) continue;
      prices++;
      old = json_get(legacy, m->key);
      if (!old || old->type != JSON_NUMBER || m->type != JSON_NUMBER ||
          json_number(old) != json_number(m)) {
        same = 0;
      }
    }
    if (same && prices == legacy->len) return 1;
  }
  return 0;
}

/* True when every member of obj has been taken. */
static int all_taken(const JsonValue *obj) {
  for (const JsonValue *m = obj->child; m; m = m->next) {
    if (!m->used) return 0;
  }
  return 1;
}

/* The row of one cost.tiers element (the n-th, from 1). */
static int emit_tier(PricingEmitter *em, const ModelCtx *ctx,
                     const JsonValue *t, int n) {
  PriceRow row = ctx->row;
  const JsonValue *tier = json_get(t, "tier");
  const char *type = pricing_take_string(tier, "type");
  long long size = pricing_take_integer(tier, "size");
  if (t->type != JSON_OBJECT) {
    /* the whole tiers array stays in the base row's extra.cost */
    row.note = pricing_printf(em, "tier %d is not an object", n);
    return emit_row(em, ctx, &row, NULL);
  }
  if (type && strcmp(type, "context") == 0 && size > 0) {
    row.tier_start_tokens = size;
    row.note = pricing_printf(
        em, "context tier: these prices apply when the prompt is over %lld tokens",
        size);
    if (all_taken(tier)) json_take(t, "tier");
  } else {
    row.tier_start_tokens = -1;
    row.note = "tier not understood (expected tier: {type: \"context\", size})";
  }
  take_prices(em, t, &row);
  return emit_row(em, ctx, &row, t);
}

/* True when every element of a tiers array is an object. */
static int all_objects(const JsonValue *array) {
  for (const JsonValue *e = array->child; e; e = e->next) {
    if (e->type != JSON_OBJECT) return 0;
  }
  return 1;
}

/* The base row and the tier rows of one model. */
static int decode_cost(PricingEmitter *em, ModelCtx *ctx, const JsonValue *cost) {
  PriceRow row = ctx->row;
  const JsonValue *tiers = json_get(cost, "tiers");
  const JsonValue *legacy = json_get(cost, "context_over_200k");
  int legacy_row = 0;
  take_prices(em, cost, &row);
  if (tiers && tiers->type == JSON_ARRAY) {
    if (all_objects(tiers)) json_take(cost, "tiers");
    if (duplicates_a_tier(legacy, tiers)) json_take(cost, "context_over_200k");
  } else if (!tiers && legacy && legacy->type == JSON_OBJECT) {
    json_take(cost, "context_over_200k");
    legacy_row = 1;
  }
  if (emit_row(em, ctx, &row, cost)) return -1;
  if (tiers && tiers->type == JSON_ARRAY) {
    int n = 0;
    for (const JsonValue *t = tiers->child; t; t = t->next) {
      if (emit_tier(em, ctx, t, ++n)) return -1;
    }
  }
  if (legacy_row) {
    row = ctx->row;
    row.tier_start_tokens = MODELSDEV_LEGACY_TIER;
    row.note = "context tier: these prices apply when the prompt is over 200000 "
               "tokens (legacy context_over_200k)";
    take_prices(em, legacy, &row);
    if (emit_row(em, ctx, &row, legacy)) return -1;
  }
  return 0;
}

/* ------------------------------------------------------------------- model */

static int has_text(const JsonValue *list, const char *word) {
  if (!list || list->type != JSON_ARRAY) return 0;
  for (const JsonValue *e = list->child; e; e = e->next) {
    if (e->type == JSON_STRING && strcmp(e->text, word) == 0) return 1;
  }
  return 0;
}

/* The mode a model's modalities imply (models.dev has no mode field). */
static const char *model_mode(const JsonValue *model) {
  const JsonValue *family = json_get(model, "family");
  const JsonValue *modalities = json_get(model, "modalities");
  const JsonValue *in = json_get(modalities, "input");
  const JsonValue *out = json_get(modalities, "output");
  if ((family && family->type == JSON_STRING && strstr(family->text, "embed")) ||
      strstr(model->key, "embed")) {
    return "embedding";
  }
  if (!out || has_text(out, "text")) {
    if (in && in->len == 1 && has_text(in, "audio")) return "audio_transcription";
    return "chat";
  }
  if (has_text(out, "image")) return "image_generation";
  if (has_text(out, "video")) return "video_generation";
  if (has_text(out, "audio")) return "audio_speech";
  return "chat";
}

/* Takes obj's string member `field` when it equals `expected`: an id that
** only repeats its key is carried by a column, one that differs is kept in
** extra. */
static void take_if_equal(const JsonValue *obj, const char *field,
                          const char *expected) {
  const JsonValue *v = json_get(obj, field);
  if (v && v->type == JSON_STRING && expected && strcmp(v->text, expected) == 0) {
    json_take(obj, field);
  }
}

static int decode_model(PricingEmitter *em, const JsonValue *provider,
                        const char *provider_id, const JsonValue *model) {
  ModelCtx ctx;
  const JsonValue *cost, *limit;
  memset(&ctx, 0, sizeof ctx);
  ctx.provider = provider;
  ctx.model = model;
  pricing_row_init(&ctx.row);
  ctx.row.raw_provider = provider_id;
  ctx.row.raw_model = model->key;
  if (model->type != JSON_OBJECT) {
    PriceRow row = ctx.row;
    JsonValue *extra = pricing_extra_object(em);
    row.note = "model is not an object";
    if (!extra || pricing_extra_put(em, extra, "value", model)) return -1;
    row.extra = pricing_extra(em, extra);
    return em->emit(em, &row);
  }
  take_if_equal(model, "id", model->key);
  ctx.row.mode = model_mode(model);
  limit = json_get(model, "limit");
  if (limit && limit->type == JSON_OBJECT) {
    json_take(model, "limit");
    ctx.limit = limit;
    ctx.row.context_window = pricing_take_integer(limit, "context");
    ctx.row.max_output_tokens = pricing_take_integer(limit, "output");
  }
  cost = json_get(model, "cost");
  if (!cost || cost->type != JSON_OBJECT) {
    PriceRow row = ctx.row;
    row.note = cost ? "cost is not an object" : "no cost in models.dev";
    return emit_row(em, &ctx, &row, NULL);
  }
  json_take(model, "cost");
  return decode_cost(em, &ctx, cost);
}

/* ---------------------------------------------------------------- provider */

/* xDecode: one provider, one or more rows per model. */
static int modelsdev_decode(PricingEmitter *em, const char *key,
                            const JsonValue *entry) {
  const JsonValue *models;
  PriceRow row;
  pricing_row_init(&row);
  row.raw_provider = key;
  if (!entry || entry->type != JSON_OBJECT) {
    JsonValue *extra = pricing_extra_object(em);
    row.note = "provider is not an object";
    if (!extra || (entry && pricing_extra_put(em, extra, "value", entry))) return -1;
    row.extra = pricing_extra(em, extra);
    return em->emit(em, &row);
  }
  take_if_equal(entry, "id", key);
  models = json_get(entry, "models");
  if (!models || models->type != JSON_OBJECT || !models->child) {
    row.note = !models ? "provider has no models"
               : models->type == JSON_OBJECT ? "provider lists no models"
                                              : "models is not an object";
    row.extra = pricing_extra(em, entry);
    return em->emit(em, &row);
  }
  json_take(entry, "models");
  for (const JsonValue *m = models->child; m; m = m->next) {
    if (decode_model(em, entry, key, m)) return -1;
  }
  return 0;
}

/* xDetect: a provider object with an id and a models object. */
static int modelsdev_detect(const char *key, const JsonValue *entry) {
  const JsonValue *id = json_get(entry, "id");
  const JsonValue *models = json_get(entry, "models");
  int score;
  if (!entry || entry->type != JSON_OBJECT || !models ||
      models->type != JSON_OBJECT || !id || id->type != JSON_STRING) {
    return 0;
  }
  score = 60;
  if (key && strcmp(key, id->text) == 0) score += 20;
  if (json_get(entry, "npm") || json_get(entry, "env")) score += 15;
  return score;
}

const PricingFormat pricing_format_modelsdev = {
    .name = "modelsdev",
    .layout = PRICING_ROOT_MEMBERS,
    .detect = modelsdev_detect,
    .decode = modelsdev_decode,
};
