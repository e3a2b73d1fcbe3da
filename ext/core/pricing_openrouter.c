/*
** OpenRouter's /api/v1/models response: {"data": [model, ...], ...}.
**
** OpenRouter bills every call itself, so raw_provider is "openrouter" and
** raw_model the model's id (e.g. "anthropic/claude-3.5-sonnet",
** "qwen/qwen-plus-2025-07-28:thinking"). Prices are USD per token written as
** decimal strings ("0.000003"), converted exactly. "-1" means the price
** varies per request (router models such as openrouter/auto): NULL, with the
** note saying so. "0" is a real price (":free" variants) and stays 0.
**
** pricing.overrides [{min_prompt_tokens, prompt, completion, ...}] are
** context tiers: one row each, tier_start_tokens = min_prompt_tokens.
** Columns (all USD per token unless named otherwise):
**   prompt -> input, completion -> output, input_cache_read -> cache read,
**   input_cache_write -> cache write, internal_reasoning -> reasoning,
**   audio -> input audio, audio_output -> output audio, input_audio_cache
**   -> cache read audio, image -> input image, image_output -> output image,
**   input_cache_write_1h -> cache write 1h, request -> per_request_cost (per
**   API request), web_search -> web_search_cost (per search call).
** `image` is per input image token in these snapshots (it equals `prompt`
** for every Gemini model; OpenRouter's older docs called it per image). Any
** other price and all other fields stay in `extra`. OpenRouter has no
** service tiers or time windows in this API.
*/
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "pricing.h"

static int openrouter_detect(const char *key, const JsonValue *entry) {
  (void)key;
  if (!entry || entry->type != JSON_OBJECT) return 0;
  if (json_get(entry, "pricing") && json_get(entry, "id")) return 90;
  return json_get(entry, "id") ? 20 : 0;
}

/* Reads the prices of a pricing (or override) object. */
static void take_prices(PricingEmitter *em, const JsonValue *pricing, PriceRow *row) {
  static const struct {
    const char *field, *label;
    size_t offset;
  } map[] = {
      {"prompt", "prompt", offsetof(PriceRow, input_cost_per_token)},
      {"completion", "completion", offsetof(PriceRow, output_cost_per_token)},
      {"input_cache_read", "input_cache_read", offsetof(PriceRow, cache_read_cost_per_token)},
      {"input_cache_write", "input_cache_write", offsetof(PriceRow, cache_write_cost_per_token)},
      {"internal_reasoning", "internal_reasoning", offsetof(PriceRow, reasoning_cost_per_token)},
      {"audio", "audio", offsetof(PriceRow, input_audio_cost_per_token)},
      {"audio_output", "audio_output", offsetof(PriceRow, output_audio_cost_per_token)},
      {"input_audio_cache", "input_audio_cache", offsetof(PriceRow, cache_read_audio_cost_per_token)},
      {"image", "image", offsetof(PriceRow, input_image_cost_per_token)},
      {"image_output", "image_output", offsetof(PriceRow, output_image_cost_per_token)},
      {"input_cache_write_1h", "input_cache_write_1h", offsetof(PriceRow, cache_write_1h_cost_per_token)},
      {"request", "request", offsetof(PriceRow, per_request_cost)},
      {"web_search", "web_search", offsetof(PriceRow, web_search_cost)},
  };
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
    const JsonValue *v = json_take(pricing, map[i].field);
    double *slot = (double *)((char *)row + map[i].offset);
    const char *why;
    if (!v) {
      if (i < 2) row->note = pricing_note_add(em, row->note, pricing_printf(em, "no %s price", map[i].label));
      continue;
    }
    if (v->type == JSON_STRING && strcmp(v->text, "-1") == 0) {
      /* OpenRouter's mark for a price that varies per request. */
      row->note = pricing_note_add(em, row->note, pricing_printf(em, "%s price variable (-1)", map[i].label));
    } else if (pricing_value_to_cost(v, 0, slot, &why) != 0) {
      row->note = pricing_note_add(em, row->note, pricing_printf(em, "%s price %s", map[i].label, why));
    }
  }
}

static int openrouter_decode(PricingEmitter *em, const char *key, const JsonValue *entry) {
  PriceRow row;
  const JsonValue *pricing, *top, *overrides;
  const char *extra_pricing;
  (void)key;
  pricing_row_init(&row);
  row.raw_provider = "openrouter";
  if (entry->type != JSON_OBJECT) {
    row.note = "not an object";
    row.extra = pricing_printf(em, "{\"line\":%u}", entry->line);
    return em->emit(em, &row);
  }
  row.raw_model = pricing_take_string(entry, "id");
  if (!row.raw_model) row.note = "no id";
  row.context_window = pricing_take_integer(entry, "context_length");
  top = json_get(entry, "top_provider");
  if (top && top->type == JSON_OBJECT) row.max_output_tokens = pricing_take_integer(top, "max_completion_tokens");
  pricing = json_get(entry, "pricing");
  if (!pricing || pricing->type != JSON_OBJECT) {
    row.note = pricing_note_add(em, row.note, "no pricing object");
    row.extra = pricing_extra(em, entry);
    return em->emit(em, &row);
  }
  take_prices(em, pricing, &row);
  overrides = json_take(pricing, "overrides");
  /* The pricing object's remaining prices go into extra under "pricing";
  ** the entry's extra then leaves the pricing member out. */
  extra_pricing = pricing_extra(em, pricing);
  json_take(entry, "pricing");
  if (!em->skip_extra) {
    const char *rest = pricing_extra(em, entry);
    if (!rest || !extra_pricing) return -1;
    if (strcmp(extra_pricing, "{}") == 0) row.extra = rest;
    else if (strcmp(rest, "{}") == 0) row.extra = pricing_printf(em, "{\"pricing\":%s}", extra_pricing);
    else row.extra = pricing_printf(em, "%.*s,\"pricing\":%s}", (int)strlen(rest) - 1, rest, extra_pricing);
  }
  if (em->emit(em, &row)) return -1;
  if (overrides && overrides->type == JSON_ARRAY) {
    for (const JsonValue *o = overrides->child; o; o = o->next) {
      PriceRow tier = row;
      pricing_row_clear_prices(&tier);
      tier.tier_start_tokens = pricing_take_integer(o, "min_prompt_tokens");
      tier.note = tier.tier_start_tokens < 0
                      ? "override without min_prompt_tokens"
                      : pricing_printf(em, "tier: >= %lld prompt tokens (pricing.overrides)",
                                       tier.tier_start_tokens);
      if (o->type == JSON_OBJECT) take_prices(em, o, &tier);
      if (em->emit(em, &tier)) return -1;
    }
  }
  return 0;
}

const PricingFormat pricing_format_openrouter = {
    .name = "openrouter",
    .layout = PRICING_KEYED_ELEMENTS,
    .detect = openrouter_detect,
    .decode = openrouter_decode,
    .array_key = "data",
};
