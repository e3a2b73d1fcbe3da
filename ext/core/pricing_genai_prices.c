/*
** pydantic/genai-prices `data.json` decoder (format name "genai-prices").
**
** USAGE
**   SELECT raw_provider, raw_model, tier_start_tokens, effective_from,
**          input_cost_per_token, note
**     FROM pricing('data.json', 'genai-prices');
**
** THE FILE (v1 and v2, data.json and data_slim.json alike)
**   [{"id": "anthropic", "name": "Anthropic", "pricing_urls": [...],
**     "api_pattern": "https://api\\.anthropic\\.com",
**     "model_match": {...}, "provider_match": {...}, "extractors": [...],
**     "models": [{"id": "claude-sonnet-4-5", "name": ..., "match": {...},
**                 "context_window": 1000000,
**                 "prices": {"input_mtok": {"base": 3, "tiers":
**                                [{"start": 200000, "price": 6}]},
**                            "output_mtok": 15, "cache_read_mtok": 0.3}},
**                {"id": "o3", "match": {...},
**                 "prices": [{"prices": {"input_mtok": 10, ...}},
**                            {"constraint": {"start_date": "2025-06-10"},
**                             "prices": {"input_mtok": 2, ...}}]}]},
**    ...]
**   Prices are USD per 1M tokens (`_mtok`) or per 1000 requests or web
**   searches (`requests_kcount`, `web_searches_kcount`); units.yml in
**   genai-prices lists them. Units without a column (rerank_searches_kcount,
**   output_citation_mtok, cache_image_read_mtok, ...) stay in extra.
**
** HOW IT WORKS
**   One entry is one provider (an element of the root array); it gives rows
**   per model, in the file's order (genai-prices picks the first model whose
**   `match` holds, so order matters). raw_provider is the provider's id,
**   raw_model the model's id. Columns from price keys (PRICE_FIELDS):
**     input_mtok, output_mtok, cache_read_mtok, cache_write_mtok,
**     output_reasoning_mtok          the five token prices
**     input_audio_mtok, output_audio_mtok, cache_audio_read_mtok,
**     input_image_mtok, output_image_mtok, input_video_mtok,
**     output_video_mtok               the audio/image/video columns
**     cache_write_1h_mtok             cache_write_1h_cost_per_token
**     requests_kcount                 per_request_cost (per 1000: shift -3)
**     web_searches_kcount             web_search_cost (per 1000: shift -3)
**   through pricing_value_to_cost(v, -6 or -3): the decimal is shifted, not
**   divided, so 0.3 per 1M becomes exactly the double nearest 3e-7.
**   genai-prices writes no service tiers (its batch prices are other
**   models), so service_tier is always NULL here.
**
**   A price may be a TieredPrices object {base, tiers: [{start, price}]}.
**   The base row (tier_start_tokens 0) has the base prices; every distinct
**   tier start of the price set adds a row with tier_start_tokens = start,
**   where each tiered price takes its tier at or below that start and flat
**   prices stay as they are. genai-prices bills tiers as a cliff: once the
**   request's input tokens exceed `start`, ALL tokens of that price are
**   billed at the tier price (not just those above it); the row's note says
**   so.
**
**   `prices` may instead be a list of ConditionalPrice {constraint?,
**   prices}, of which genai-prices uses the last whose constraint holds. A
**   {"start_date": D} constraint gives rows with effective_from = D (the
**   unconstrained first price has effective_from NULL and a note saying from
**   when a later price supersedes it). A {"start_time", "end_time"} daily
**   UTC window ("00:30:00Z") gives rows with window_start / window_end
**   ("00:30:00", "16:30:00"; it may wrap past midnight when end < start);
**   the price without a window (window NULL) applies outside it, and its
**   note says so. A time that is not HH:MM:SS UTC stays in extra as
**   "constraint", with a note.
**
**   A model with an empty price set (genai-prices' free models, which it
**   bills as zero) or without input_mtok/output_mtok has NULL prices with a
**   note; an invalid price is NULL with a note and stays in extra as
**   written. Nothing is dropped.
**
**   extra holds what no column carries: the model's other fields (name,
**   description, match as JSON, price_comments, deprecated), "prices" with
**   the price fields no column carries (output_citation_mtok, ...),
**   "constraint" for a constraint not understood, and the provider's fields prefixed "provider_" (provider_name,
**   provider_api_pattern, provider_pricing_urls, provider_model_match;
**   provider_match keeps its name). The provider's `extractors` (how to read
**   token usage out of an API response, about 1.5 KB per provider) are not
**   prices and are left out, rather than repeated on each of its rows.
*/
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "pricing.h"

/* ------------------------------------------------------------------ prices */

/* The fields that have a column; the others stay in extra. */
static const struct {
  const char *field;
  size_t column; /* offset of a double in PriceRow */
  int required;  /* a missing one is noted */
  int shift10;   /* _mtok: per 1M tokens; _kcount: per 1000 (requests, searches) */
} PRICE_FIELDS[] = {
    {"input_mtok", offsetof(PriceRow, input_cost_per_token), 1, -6},
    {"output_mtok", offsetof(PriceRow, output_cost_per_token), 1, -6},
    {"cache_read_mtok", offsetof(PriceRow, cache_read_cost_per_token), 0, -6},
    {"cache_write_mtok", offsetof(PriceRow, cache_write_cost_per_token), 0, -6},
    {"output_reasoning_mtok", offsetof(PriceRow, reasoning_cost_per_token), 0, -6},
    {"input_audio_mtok", offsetof(PriceRow, input_audio_cost_per_token), 0, -6},
    {"output_audio_mtok", offsetof(PriceRow, output_audio_cost_per_token), 0, -6},
    {"cache_audio_read_mtok", offsetof(PriceRow, cache_read_audio_cost_per_token), 0, -6},
    {"input_image_mtok", offsetof(PriceRow, input_image_cost_per_token), 0, -6},
    {"output_image_mtok", offsetof(PriceRow, output_image_cost_per_token), 0, -6},
    {"input_video_mtok", offsetof(PriceRow, input_video_cost_per_token), 0, -6},
    {"output_video_mtok", offsetof(PriceRow, output_video_cost_per_token), 0, -6},
    {"cache_write_1h_mtok", offsetof(PriceRow, cache_write_1h_cost_per_token), 0, -6},
    {"requests_kcount", offsetof(PriceRow, per_request_cost), 0, -3},
    {"web_searches_kcount", offsetof(PriceRow, web_search_cost), 0, -3},
};
#define N_PRICE_FIELDS (sizeof PRICE_FIELDS / sizeof PRICE_FIELDS[0])

static double *price_column(PriceRow *row, size_t i) {
  return (double *)(void *)((char *)row + PRICE_FIELDS[i].column);
}

/* One price field of a ModelPrice: flat, tiered, absent or unreadable. */
typedef struct FieldPrice {
  const JsonValue *tiers; /* TieredPrices: the tiers array, else NULL */
  double base;            /* flat price, or the tiered base; NAN if none */
  int shift10;            /* the field's unit */
} FieldPrice;

/* Everything a model's rows share. */
typedef struct ModelCtx {
  const JsonValue *provider;
  const JsonValue *model;
  PriceRow row; /* raw_provider, raw_model, context_window */
} ModelCtx;

/* A TieredPrices object is usable when its base and every tier's start
** (a positive integer) and price are. */
static int tiered_ok(const JsonValue *v, int shift10, double *base, const char **why) {
  const JsonValue *tiers = json_get(v, "tiers");
  const char *detail; /* the one reason below says enough */
  double price;
  *why = "tiered price not understood (expected {base, tiers: [{start, price}]})";
  if (pricing_value_to_cost(json_get(v, "base"), shift10, base, &detail)) return 0;
  if (!tiers || tiers->type != JSON_ARRAY || v->len != 2) return 0;
  for (const JsonValue *t = tiers->child; t; t = t->next) {
    const JsonValue *start = json_get(t, "start");
    if (t->type != JSON_OBJECT || t->len != 2 || !start ||
        start->type != JSON_NUMBER || json_number(start) < 1 ||
        json_number(start) != floor(json_number(start)) || json_number(start) > 9e15 ||
        pricing_value_to_cost(json_get(t, "price"), shift10, &price, &detail)) {
      return 0;
    }
  }
  return 1;
}

/* Reads field i of a ModelPrice into *fp; a usable value is taken, an
** unusable one stays in extra and its reason goes into *note. */
static void read_field(PricingEmitter *em, const JsonValue *prices, size_t i,
                       FieldPrice *fp, const char **note) {
  const char *field = PRICE_FIELDS[i].field;
  const JsonValue *v = json_get(prices, field);
  const char *why = NULL;
  int ok;
  fp->tiers = NULL;
  fp->base = NAN;
  fp->shift10 = PRICE_FIELDS[i].shift10;
  if (!v) {
    if (PRICE_FIELDS[i].required) {
      *note = pricing_note_add(em, *note, pricing_printf(em, "no %s price", field));
    }
    return;
  }
  if (v->type == JSON_OBJECT) {
    ok = tiered_ok(v, PRICE_FIELDS[i].shift10, &fp->base, &why);
    if (ok) fp->tiers = json_get(v, "tiers");
  } else {
    ok = pricing_value_to_cost(v, PRICE_FIELDS[i].shift10, &fp->base, &why) == 0;
  }
  if (ok) {
    json_take(prices, field);
  } else {
    fp->base = NAN;
    *note = pricing_note_add(em, *note, pricing_printf(em, "%s: %s", field, why));
  }
}

/* The price of fp for a request over `start` input tokens: the tier with
** the greatest start not above it, else the base. */
static double price_at(const FieldPrice *fp, long long start) {
  double price = fp->base, best_start = 0;
  if (!fp->tiers) return price;
  for (const JsonValue *t = fp->tiers->child; t; t = t->next) {
    const JsonValue *s = json_get(t, "start");
    const char *why;
    double p;
    if (json_number(s) <= (double)start && json_number(s) > best_start &&
        pricing_value_to_cost(json_get(t, "price"), fp->shift10, &p, &why) == 0) {
      best_start = json_number(s);
      price = p;
    }
  }
  return price;
}

/* Emits row with its extra (see the top of the file). */
static int emit_row(PricingEmitter *em, const ModelCtx *ctx, PriceRow *row,
                    const JsonValue *cond, const JsonValue *prices) {
  JsonValue *extra = pricing_extra_object(em);
  if (!extra || pricing_extra_put_unused(em, extra, ctx->model, NULL) ||
      pricing_extra_put_unused(em, extra, cond, "price_") ||
      pricing_extra_put_rest(em, extra, "prices", prices) ||
      pricing_extra_put_rest(em, extra, "constraint", json_get(cond, "constraint")) ||
      pricing_extra_put_unused(em, extra, ctx->provider, "provider_")) {
    return -1;
  }
  row->extra = pricing_extra(em, extra);
  return em->emit(em, row);
}

/* Emits the rows of one ModelPrice: the base row, then one row per distinct
** tier start. `row` carries what the caller knows (effective_from, note);
** `cond` is the ConditionalPrice holding it, or NULL. */
static int emit_price_set(PricingEmitter *em, const ModelCtx *ctx,
                          PriceRow row, const JsonValue *cond,
                          const JsonValue *prices) {
  FieldPrice fp[N_PRICE_FIELDS];
  long long last = 0;
  if (!prices || prices->type != JSON_OBJECT) {
    row.note = pricing_note_add(em, row.note, prices ? "prices is not an object"
                                                     : "no prices");
    return emit_row(em, ctx, &row, cond, NULL);
  }
  if (!prices->child) {
    row.note = pricing_note_add(em, row.note,
                                "no prices in genai-prices (an empty price set, "
                                "which genai-prices bills as zero)");
    return emit_row(em, ctx, &row, cond, prices);
  }
  for (size_t i = 0; i < N_PRICE_FIELDS; i++) {
    read_field(em, prices, i, &fp[i], &row.note);
    *price_column(&row, i) = fp[i].base;
  }
  if (emit_row(em, ctx, &row, cond, prices)) return -1;
  /* tier rows, by increasing start; each distinct start once */
  for (;;) {
    long long next = -1;
    PriceRow tier = row;
    for (size_t i = 0; i < N_PRICE_FIELDS; i++) {
      for (const JsonValue *t = fp[i].tiers ? fp[i].tiers->child : NULL; t;
           t = t->next) {
        long long s = (long long)json_number(json_get(t, "start"));
        if (s > last && (next < 0 || s < next)) next = s;
      }
    }
    if (next < 0) return 0;
    for (size_t i = 0; i < N_PRICE_FIELDS; i++) {
      *price_column(&tier, i) = price_at(&fp[i], next);
    }
    tier.tier_start_tokens = next;
    tier.note = pricing_note_add(
        em, row.note,
        pricing_printf(em,
                       "cliff tier: once input tokens exceed %lld, all tokens "
                       "of each tiered price are billed at its tier price",
                       next));
    if (emit_row(em, ctx, &tier, cond, prices)) return -1;
    last = next;
  }
}

/* ------------------------------------------------------ conditional prices */

/* A YYYY-MM-DD string. */
static int is_date(const JsonValue *v) {
  static const char shape[] = "dddd-dd-dd";
  if (!v || v->type != JSON_STRING || v->len != 10) return 0;
  for (int i = 0; i < 10; i++) {
    if (shape[i] == 'd' ? (v->text[i] < '0' || v->text[i] > '9')
                        : v->text[i] != '-') {
      return 0;
    }
  }
  return 1;
}

/* A time of day "HH:MM:SS" with an optional "Z" or "+00:00" (UTC) as
** "HH:MM:SS" in scratch, else NULL. */
static const char *utc_time(PricingEmitter *em, const JsonValue *v) {
  static const char shape[] = "dd:dd:dd";
  const char *t = v->text;
  if (v->len < 8) return NULL;
  for (int i = 0; i < 8; i++) {
    if (shape[i] == 'd' ? (t[i] < '0' || t[i] > '9') : t[i] != ':') return NULL;
  }
  if (strcmp(t + 8, "") != 0 && strcmp(t + 8, "Z") != 0 && strcmp(t + 8, "+00:00") != 0) return NULL;
  if ((t[0] - '0') * 10 + (t[1] - '0') > 24 || t[3] > '5' || t[6] > '5') return NULL;
  return pricing_printf(em, "%.8s", t);
}

/* What a later ConditionalPrice changes for this one, for its note. */
static const char *successor_note(PricingEmitter *em, const JsonValue *later) {
  const char *note = NULL;
  int dated = 0, windowed = 0;
  for (const JsonValue *c = later; c; c = c->next) {
    const JsonValue *k = json_get(c, "constraint");
    const JsonValue *date = json_get(k, "start_date");
    const JsonValue *from = json_get(k, "start_time");
    const JsonValue *to = json_get(k, "end_time");
    if (!dated && is_date(date)) {
      dated = 1;
      note = pricing_note_add(em, note, pricing_printf(em, "superseded from %s by a later price", date->text));
    }
    if (!windowed && from && to && from->type == JSON_STRING && to->type == JSON_STRING) {
      windowed = 1;
      note = pricing_note_add(
          em, note, pricing_printf(em, "a later price applies daily from %s to %s (UTC)", from->text, to->text));
    }
  }
  return note;
}

/* One ConditionalPrice of a `prices` list (the n-th, from 1). */
static int decode_conditional(PricingEmitter *em, const ModelCtx *ctx,
                              const JsonValue *cond, int n) {
  PriceRow row = ctx->row;
  const JsonValue *constraint = json_get(cond, "constraint");
  const JsonValue *prices = json_get(cond, "prices");
  if (cond->type != JSON_OBJECT) {
    JsonValue *extra = pricing_extra_object(em);
    row.note = pricing_note_add(em, row.note, pricing_printf(em, "price %d is not an object", n));
    if (!extra || pricing_extra_put(em, extra, "price", cond)) return -1;
    row.extra = pricing_extra(em, extra);
    return em->emit(em, &row);
  }
  if (constraint && constraint->type == JSON_OBJECT) {
    const JsonValue *date = json_get(constraint, "start_date");
    const JsonValue *from = json_get(constraint, "start_time");
    const JsonValue *to = json_get(constraint, "end_time");
    int understood = 0;
    if (is_date(date)) {
      row.effective_from = date->text;
      json_take(constraint, "start_date");
      understood = 1;
    }
    if (from && to && from->type == JSON_STRING && to->type == JSON_STRING) {
      row.window_start = utc_time(em, from);
      row.window_end = utc_time(em, to);
      if (row.window_start && row.window_end) {
        json_take(constraint, "start_time");
        json_take(constraint, "end_time");
        row.note = pricing_note_add(
            em, row.note,
            pricing_printf(em, "daily window: this price applies from %s to %s (UTC)", row.window_start,
                           row.window_end));
      } else {
        row.window_start = row.window_end = NULL;
        row.note = pricing_note_add(
            em, row.note,
            pricing_printf(em, "daily window not understood (expected HH:MM:SS UTC): from %s to %s",
                           from->text, to->text));
      }
      understood = 1;
    }
    if (!understood) {
      row.note = pricing_note_add(
          em, row.note, "constraint not understood (expected start_date, or start_time and end_time)");
    }
    json_take(cond, "constraint");
  } else if (constraint) {
    row.note = pricing_note_add(em, row.note, "constraint is not an object");
  }
  row.note = pricing_note_add(em, row.note, successor_note(em, cond->next));
  if (prices && prices->type == JSON_OBJECT) json_take(cond, "prices");
  return emit_price_set(em, ctx, row, cond, prices);
}

/* ------------------------------------------------------------------- model */

static int decode_model(PricingEmitter *em, const JsonValue *provider,
                        const char *provider_id, const JsonValue *model,
                        int n) {
  ModelCtx ctx;
  PriceRow row;
  const JsonValue *prices;
  memset(&ctx, 0, sizeof ctx);
  ctx.provider = provider;
  ctx.model = model;
  pricing_row_init(&ctx.row);
  ctx.row.raw_provider = provider_id;
  row = ctx.row;
  if (model->type != JSON_OBJECT) {
    JsonValue *extra = pricing_extra_object(em);
    row.note = pricing_printf(em, "model %d is not an object", n);
    if (!extra || pricing_extra_put(em, extra, "value", model)) return -1;
    row.extra = pricing_extra(em, extra);
    return em->emit(em, &row);
  }
  ctx.row.raw_model = pricing_take_string(model, "id");
  if (!ctx.row.raw_model) ctx.row.note = pricing_printf(em, "model %d has no id", n);
  ctx.row.context_window = pricing_take_integer(model, "context_window");
  prices = json_get(model, "prices");
  if (prices && prices->type == JSON_ARRAY && prices->child) {
    int i = 0;
    json_take(model, "prices");
    for (const JsonValue *c = prices->child; c; c = c->next) {
      if (decode_conditional(em, &ctx, c, ++i)) return -1;
    }
    return 0;
  }
  if (prices && prices->type == JSON_OBJECT) {
    json_take(model, "prices");
    return emit_price_set(em, &ctx, ctx.row, NULL, prices);
  }
  /* absent, an empty list or neither a list nor an object: one row saying
  ** so, with the value (if any) in extra */
  row = ctx.row;
  row.note = pricing_note_add(em, row.note,
                              prices ? "prices is neither a price set nor a list of prices"
                                     : "no prices");
  return emit_row(em, &ctx, &row, NULL, NULL);
}

/* ---------------------------------------------------------------- provider */

/* xDecode: one provider, one or more rows per model. */
static int genai_decode(PricingEmitter *em, const char *key,
                        const JsonValue *entry) {
  const JsonValue *models;
  const char *id;
  PriceRow row;
  int n = 0;
  (void)key;
  pricing_row_init(&row);
  if (!entry || entry->type != JSON_OBJECT) {
    JsonValue *extra = pricing_extra_object(em);
    row.note = "provider is not an object";
    if (!extra || (entry && pricing_extra_put(em, extra, "value", entry))) return -1;
    row.extra = pricing_extra(em, extra);
    return em->emit(em, &row);
  }
  id = pricing_take_string(entry, "id");
  json_take(entry, "extractors");
  models = json_get(entry, "models");
  if (!id || !models || models->type != JSON_ARRAY || !models->child) {
    row.raw_provider = id;
    row.note = !id ? "provider has no id"
               : !models ? "provider has no models"
               : models->type == JSON_ARRAY ? "provider lists no models"
                                            : "models is not an array";
    row.extra = pricing_extra(em, entry);
    return em->emit(em, &row);
  }
  json_take(entry, "models");
  for (const JsonValue *m = models->child; m; m = m->next) {
    if (decode_model(em, entry, id, m, ++n)) return -1;
  }
  return 0;
}

/* xDetect: a provider object with an id, a models array and the API
** pattern or pricing pages genai-prices gives every provider. */
static int genai_detect(const char *key, const JsonValue *entry) {
  const JsonValue *id = json_get(entry, "id");
  const JsonValue *models = json_get(entry, "models");
  int score;
  (void)key;
  if (!entry || entry->type != JSON_OBJECT || !id || id->type != JSON_STRING ||
      !models || models->type != JSON_ARRAY) {
    return 0;
  }
  score = 50;
  if (json_get(entry, "api_pattern")) score += 25;
  if (json_get(entry, "pricing_urls")) score += 15;
  if (json_get(entry, "extractors")) score += 5;
  return score;
}

const PricingFormat pricing_format_genai_prices = {
    .name = "genai-prices",
    .layout = PRICING_ROOT_ELEMENTS,
    .detect = genai_detect,
    .decode = genai_decode,
};
