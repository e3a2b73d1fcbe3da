/*
** LiteLLM's model_prices_and_context_window.json.
**
** The root object maps a LiteLLM model name to its entry. Prices are USD per
** token. One row for the base price, then one row per context tier:
**
**   - tiers written into field names: input_cost_per_token_above_200k_tokens,
**     output_cost_per_token_above_128k_tokens, cache_read_input_token_cost_
**     above_272k_tokens, ... ("Nk" = N x 1000 tokens). LiteLLM bills the
**     whole request at the tier rate once the prompt exceeds N tokens, so the
**     row's tier_start_tokens is N and its note says "> N input tokens";
**   - a tiered_pricing list [{input_cost_per_token, output_cost_per_token,
**     range: [lo, hi]}]: the range starting at 0 gives the base price when
**     the entry has none of its own, every other range a tier row.
**
** Service tiers (_batches, _priority, _flex suffixes), per-image, per-second,
** per-character and other non-token prices stay in `extra`, as does every
** field no column carries. Two root members are not models and give no row:
** `sample_spec` (LiteLLM's documentation of the fields) and a string such as
** the `last_updated` stamp some mirrors add; both are reported as skipped.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pricing.h"

/* The token-priced columns and their LiteLLM field names. */
enum { COST_INPUT, COST_OUTPUT, COST_CACHE_READ, COST_CACHE_WRITE, COST_REASONING, N_COSTS };

static const char *const cost_field[N_COSTS] = {
    "input_cost_per_token", "output_cost_per_token", "cache_read_input_token_cost",
    "cache_creation_input_token_cost", "output_cost_per_reasoning_token"};

static const char *const cost_label[N_COSTS] = {"input", "output", "cache read", "cache write",
                                                "reasoning"};

#define MAX_TIERS 8

static double *row_cost(PriceRow *row, int which) {
  switch (which) {
    case COST_INPUT: return &row->input_cost_per_token;
    case COST_OUTPUT: return &row->output_cost_per_token;
    case COST_CACHE_READ: return &row->cache_read_cost_per_token;
    case COST_CACHE_WRITE: return &row->cache_write_cost_per_token;
    default: return &row->reasoning_cost_per_token;
  }
}

static int litellm_detect(const char *key, const JsonValue *entry) {
  if (key && strcmp(key, "sample_spec") == 0) return 100;
  if (!entry || entry->type != JSON_OBJECT) return 0;
  if (json_get(entry, "litellm_provider")) return 90;
  if (json_get(entry, "input_cost_per_token") || json_get(entry, "max_input_tokens")) return 60;
  return 0;
}

/* Takes one price member into *out; an invalid one adds to the note. */
static void take_cost(PricingEmitter *em, const JsonValue *entry, const char *field,
                      const char *label, double *out, const char **note) {
  const JsonValue *v = json_get(entry, field);
  const char *why;
  if (!v) return;
  json_take(entry, field);
  if (pricing_value_to_cost(v, 0, out, &why) != 0) {
    *note = pricing_note_add(em, *note, pricing_printf(em, "%s price %s", label, why));
  }
}

/* "above_200k_tokens" at the end of a field name: the threshold, or 0. */
static long long tier_threshold(const char *field, size_t prefix_len) {
  const char *p = field + prefix_len;
  char *end;
  long long n;
  if (strncmp(p, "_above_", 7) != 0) return 0;
  n = strtoll(p + 7, &end, 10);
  /* Up to a billion k: no context is that long, and n * 1000 cannot overflow. */
  if (n <= 0 || n > 1000000000LL || strcmp(end, "k_tokens") != 0) return 0;
  return n * 1000;
}

/* Collects the distinct token-tier thresholds named in field names. */
static int find_tiers(const JsonValue *entry, long long *tiers) {
  int n = 0;
  for (const JsonValue *m = entry->child; m; m = m->next) {
    if (m->key_len < 16 || memcmp(m->key + m->key_len - 8, "k_tokens", 8) != 0) continue;
    for (int c = 0; c < N_COSTS; c++) {
      size_t len = strlen(cost_field[c]);
      long long t;
      int known = 0;
      if (strncmp(m->key, cost_field[c], len) != 0 || !(t = tier_threshold(m->key, len))) continue;
      for (int i = 0; i < n; i++) known |= tiers[i] == t;
      if (!known && n < MAX_TIERS) tiers[n++] = t;
    }
  }
  /* Ascending, so rows come out in tier order. */
  for (int i = 1; i < n; i++) {
    for (int j = i; j > 0 && tiers[j - 1] > tiers[j]; j--) {
      long long t = tiers[j];
      tiers[j] = tiers[j - 1];
      tiers[j - 1] = t;
    }
  }
  return n;
}

static int emit_field_tier(PricingEmitter *em, const PriceRow *base, const JsonValue *entry,
                           long long threshold) {
  PriceRow row = *base;
  row.input_cost_per_token = row.output_cost_per_token = NAN;
  row.cache_read_cost_per_token = row.cache_write_cost_per_token = NAN;
  row.reasoning_cost_per_token = NAN;
  row.tier_start_tokens = threshold;
  row.note = pricing_printf(em, "tier: > %lld input tokens, whole request at this rate", threshold);
  for (int c = 0; c < N_COSTS; c++) {
    char field[96];
    snprintf(field, sizeof field, "%s_above_%lldk_tokens", cost_field[c], threshold / 1000);
    take_cost(em, entry, field, cost_label[c], row_cost(&row, c), &row.note);
  }
  return em->emit(em, &row);
}

/* Whether every element of a tiered_pricing list has a token range whose
** start is a whole number of tokens (at most 9e15, so it converts exactly). */
static int is_token_tier_list(const JsonValue *list) {
  if (list->type != JSON_ARRAY) return 0;
  for (const JsonValue *tier = list->child; tier; tier = tier->next) {
    const JsonValue *range = json_get(tier, "range");
    double start;
    if (tier->type != JSON_OBJECT || !range || range->type != JSON_ARRAY || !range->child ||
        range->child->type != JSON_NUMBER) {
      return 0;
    }
    start = json_number(range->child);
    if (!(start >= 0 && start <= 9e15 && start == floor(start))) return 0;
  }
  return 1;
}

/* A tiered_pricing list: fills the base row from the range at 0, and emits
** a row for every other range. Returns 0, -1 to stop. */
static int emit_tiered_pricing(PricingEmitter *em, PriceRow *base, const JsonValue *list,
                               int base_only) {
  for (const JsonValue *tier = list->child; tier; tier = tier->next) {
    const JsonValue *range = json_get(tier, "range");
    PriceRow row = *base;
    long long lo = (long long)json_number(range->child);
    if ((lo == 0) != base_only) continue;
    if (lo != 0) {
      row.cache_read_cost_per_token = row.cache_write_cost_per_token = NAN;
      row.reasoning_cost_per_token = NAN;
      row.tier_start_tokens = lo;
      row.note = pricing_printf(em, "tier: tiered_pricing range starting at %lld input tokens", lo);
    }
    for (int c = 0; c < N_COSTS; c++) {
      double *slot = lo == 0 ? row_cost(base, c) : row_cost(&row, c);
      if (lo == 0 && !isnan(*slot)) continue; /* the entry's own price wins */
      if (lo != 0) *slot = NAN;
      take_cost(em, tier, cost_field[c], cost_label[c], slot, lo == 0 ? &base->note : &row.note);
    }
    if (lo != 0 && em->emit(em, &row)) return -1;
  }
  return 0;
}

static int litellm_decode(PricingEmitter *em, const char *key, const JsonValue *entry) {
  PriceRow row;
  long long tiers[MAX_TIERS];
  int ntiers;
  const JsonValue *tiered;
  if (key && strcmp(key, "sample_spec") == 0) {
    return em->skip(em, key, "LiteLLM's documentation of its fields, not a model");
  }
  if (entry->type != JSON_OBJECT) {
    return em->skip(em, key, entry->type == JSON_STRING ? "a string, not a model entry"
                                                        : "not an object, not a model entry");
  }
  pricing_row_init(&row);
  row.raw_model = key;
  row.raw_provider = pricing_take_string(entry, "litellm_provider");
  row.mode = pricing_take_string(entry, "mode");
  row.context_window = pricing_take_integer(entry, "max_input_tokens");
  row.max_output_tokens = pricing_take_integer(entry, "max_output_tokens");
  for (int c = 0; c < N_COSTS; c++) {
    take_cost(em, entry, cost_field[c], cost_label[c], row_cost(&row, c), &row.note);
  }
  tiered = json_get(entry, "tiered_pricing");
  if (tiered && !is_token_tier_list(tiered)) {
    /* Tiers by something else (exa_ai/search: by max_results_range) are
    ** not token prices: they stay in extra. */
    row.note = pricing_note_add(em, row.note, "tiered_pricing is not by tokens (see extra)");
    tiered = NULL;
  }
  if (tiered) {
    json_take(entry, "tiered_pricing");
    emit_tiered_pricing(em, &row, tiered, 1);
  }
  ntiers = find_tiers(entry, tiers);
  if (isnan(row.input_cost_per_token) && !json_get(entry, "input_cost_per_token")) {
    row.note = pricing_note_add(em, row.note, "no input_cost_per_token (not priced per token)");
  }
  if (isnan(row.output_cost_per_token) && !json_get(entry, "output_cost_per_token")) {
    row.note = pricing_note_add(em, row.note, "no output_cost_per_token");
  }
  /* Every row of the entry carries the same extra: the fields no row
  ** carries. So the tier fields are marked taken before it is written. */
  for (int i = 0; i < ntiers; i++) {
    for (int c = 0; c < N_COSTS; c++) {
      char field[96];
      snprintf(field, sizeof field, "%s_above_%lldk_tokens", cost_field[c], tiers[i] / 1000);
      json_take(entry, field);
    }
  }
  row.extra = pricing_extra(em, entry);
  if (em->emit(em, &row)) return -1;
  for (int i = 0; i < ntiers; i++) {
    if (emit_field_tier(em, &row, entry, tiers[i])) return -1;
  }
  if (tiered) {
    PriceRow tier_base = row;
    if (emit_tiered_pricing(em, &tier_base, tiered, 0)) return -1;
  }
  return 0;
}

const PricingFormat pricing_format_litellm = {
    .name = "litellm",
    .layout = PRICING_ROOT_MEMBERS,
    .detect = litellm_detect,
    .decode = litellm_decode,
    .array_key = NULL,
};
