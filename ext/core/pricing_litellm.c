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
** Besides the five token prices, COSTS maps the audio, image and video
** token prices, the 1-hour cache write (cache_creation_input_token_cost_
** above_1hr), and per_request_cost (input_cost_per_request, else a rerank or
** search API's input_cost_per_query). web_search_cost is the medium size of
** search_context_cost_per_query (LiteLLM's default; when low or high
** differ, the object stays in extra and the note says so).
**
** Service tiers are suffixes: input_cost_per_token_batches (also
** _batch_requests), _flex, _priority, after a context tier when there is one
** (input_cost_per_token_above_200k_tokens_priority). Each tier present gives
** a row with service_tier 'batch', 'flex' or 'priority' and only the prices
** the entry lists for it: a price it lacks is NULL, not the standard one,
** and the note names them; then its own context-tier rows. Rows come as:
** standard, its context tiers, tiered_pricing ranges, then per service tier
** (batch, flex, priority) its row and its context tiers.
**
** Per-image, per-second, per-character and other non-token prices stay in
** `extra`, as does every field no column carries. Two root members are not models and give no row:
** `sample_spec` (LiteLLM's documentation of the fields) and a string such as
** the `last_updated` stamp some mirrors add; both are reported as skipped.
*/
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pricing.h"

/* The priced columns and their LiteLLM field names. A field may also carry
** a context tier ("_above_200k_tokens") and then a service tier suffix
** ("_priority"): input_cost_per_token_above_200k_tokens_priority. */
enum { COST_INPUT, COST_OUTPUT, COST_CACHE_READ, COST_CACHE_WRITE, COST_REASONING };

static const struct {
  const char *field, *label;
  size_t column;
} COSTS[] = {
    {"input_cost_per_token", "input", offsetof(PriceRow, input_cost_per_token)},
    {"output_cost_per_token", "output", offsetof(PriceRow, output_cost_per_token)},
    {"cache_read_input_token_cost", "cache read", offsetof(PriceRow, cache_read_cost_per_token)},
    {"cache_creation_input_token_cost", "cache write", offsetof(PriceRow, cache_write_cost_per_token)},
    {"output_cost_per_reasoning_token", "reasoning", offsetof(PriceRow, reasoning_cost_per_token)},
    {"input_cost_per_audio_token", "input audio", offsetof(PriceRow, input_audio_cost_per_token)},
    {"output_cost_per_audio_token", "output audio", offsetof(PriceRow, output_audio_cost_per_token)},
    {"cache_read_input_audio_token_cost", "cache read audio",
     offsetof(PriceRow, cache_read_audio_cost_per_token)},
    {"input_cost_per_image_token", "input image", offsetof(PriceRow, input_image_cost_per_token)},
    {"output_cost_per_image_token", "output image", offsetof(PriceRow, output_image_cost_per_token)},
    {"output_cost_per_video_token", "output video", offsetof(PriceRow, output_video_cost_per_token)},
    {"cache_creation_input_token_cost_above_1hr", "cache write 1h",
     offsetof(PriceRow, cache_write_1h_cost_per_token)},
    /* USD per request; a rerank or search API bills per query, one per call */
    {"input_cost_per_request", "per request", offsetof(PriceRow, per_request_cost)},
    {"input_cost_per_query", "per query", offsetof(PriceRow, per_request_cost)},
};
#define N_COSTS ((int)(sizeof COSTS / sizeof COSTS[0]))

/* Service tiers, written as field-name suffixes. Index 0 is the standard
** tier (no suffix); batch has two spellings (_batch_requests: one old
** Vertex embedding). */
#define N_SERVICE 4
static const char *const service_name[N_SERVICE] = {NULL, "batch", "flex", "priority"};
static const char *const service_suffix[N_SERVICE][2] = {
    {"", NULL}, {"_batches", "_batch_requests"}, {"_flex", NULL}, {"_priority", NULL}};

#define MAX_TIERS 8

/* What the field names of an entry hold: per service tier, whether any of
** its prices is there, and its context-tier thresholds (ascending). */
typedef struct FieldPlan {
  int present[N_SERVICE];
  int ntiers[N_SERVICE];
  long long tiers[N_SERVICE][MAX_TIERS];
} FieldPlan;

static double *row_cost(PriceRow *row, int which) {
  return &PRICING_COST(row, COSTS[which].column);
}

static int litellm_detect(const char *key, const JsonValue *entry) {
  if (key && strcmp(key, "sample_spec") == 0) return 100;
  if (!entry || entry->type != JSON_OBJECT) return 0;
  if (json_get(entry, "litellm_provider")) return 90;
  if (json_get(entry, "input_cost_per_token") || json_get(entry, "max_input_tokens")) return 60;
  return 0;
}

/* Takes one price member into *out; an invalid one adds to the note. A
** column two fields feed (per request) keeps the first price found. */
static void take_cost(PricingEmitter *em, const JsonValue *entry, const char *field,
                      const char *label, double *out, const char **note) {
  const JsonValue *v = json_get(entry, field);
  const char *why;
  double price;
  if (!v || !isnan(*out)) return;
  json_take(entry, field);
  if (pricing_value_to_cost(v, 0, &price, &why) != 0) {
    *note = pricing_note_add(em, *note, pricing_printf(em, "%s price %s", label, why));
  } else {
    *out = price;
  }
}

/* "_above_200k_tokens" at p: its threshold and the rest of the name after
** it, or 0 ("Nk" = N x 1000 tokens). */
static long long tier_threshold(const char *p, const char **rest) {
  char *end;
  long long n;
  if (strncmp(p, "_above_", 7) != 0 || p[7] < '0' || p[7] > '9') return 0;
  n = strtoll(p + 7, &end, 10);
  /* Up to a billion k: no context is that long, and n * 1000 cannot overflow. */
  if (n <= 0 || n > 1000000000LL || strncmp(end, "k_tokens", 8) != 0) return 0;
  *rest = end + 8;
  return n * 1000;
}

/* The service tier a name's tail spells ("" standard), or -1. */
static int service_of(const char *tail) {
  for (int s = 0; s < N_SERVICE; s++) {
    for (int k = 0; k < 2; k++) {
      if (service_suffix[s][k] && strcmp(tail, service_suffix[s][k]) == 0) return s;
    }
  }
  return -1;
}

static void add_tier(FieldPlan *plan, int s, long long t) {
  int n = plan->ntiers[s];
  for (int i = 0; i < n; i++) {
    if (plan->tiers[s][i] == t) return;
  }
  if (n == MAX_TIERS) return;
  /* insertion keeps them ascending, so rows come out in tier order */
  while (n > 0 && plan->tiers[s][n - 1] > t) {
    plan->tiers[s][n] = plan->tiers[s][n - 1];
    n--;
  }
  plan->tiers[s][n] = t;
  plan->ntiers[s]++;
}

/* Reads which service tiers and context tiers the field names spell. */
static void plan_fields(const JsonValue *entry, FieldPlan *plan) {
  memset(plan, 0, sizeof *plan);
  for (const JsonValue *m = entry->child; m; m = m->next) {
    for (int c = 0; c < N_COSTS; c++) {
      /* the first letter first: most keys begin no price field (every key of
      ** every entry meets every field here) */
      if (m->key[0] != COSTS[c].field[0]) continue;
      size_t len = strlen(COSTS[c].field);
      const char *tail = m->key + len, *rest = tail;
      long long t;
      int s;
      if (strncmp(m->key, COSTS[c].field, len) != 0) continue;
      t = tier_threshold(tail, &rest);
      if ((s = service_of(rest)) < 0) continue;
      if (s > 0) plan->present[s] = 1;
      if (t) add_tier(plan, s, t);
    }
  }
}

/* The field name of price c at a context tier (0: none) and service tier.
** Without a tier it is two strings joined by hand: every row asks for each
** price under each suffix, and snprintf there was a sixth of decoding. */
static const char *field_name(char *buf, size_t size, int c, long long threshold, int s, int k) {
  const char *field = COSTS[c].field, *suffix = service_suffix[s][k];
  size_t field_len = strlen(field), suffix_len = strlen(suffix);
  if (threshold) {
    snprintf(buf, size, "%s_above_%lldk_tokens%s", field, threshold / 1000, suffix);
  } else if (field_len + suffix_len < size) {
    memcpy(buf, field, field_len);
    memcpy(buf + field_len, suffix, suffix_len + 1);
  } else {
    snprintf(buf, size, "%s%s", field, suffix);
  }
  return buf;
}

/* Takes every price of one (context tier, service tier) into row. */
static void take_variant(PricingEmitter *em, const JsonValue *entry, PriceRow *row,
                         long long threshold, int s) {
  for (int c = 0; c < N_COSTS; c++) {
    for (int k = 0; k < 2 && service_suffix[s][k]; k++) {
      char field[128];
      take_cost(em, entry, field_name(field, sizeof field, c, threshold, s, k), COSTS[c].label,
                row_cost(row, c), &row->note);
    }
  }
}

/* Marks taken every field of one (context tier, service tier), so that the
** entry's extra (shared by all its rows) leaves them out. */
static void take_variant_fields(const JsonValue *entry, long long threshold, int s) {
  for (int c = 0; c < N_COSTS; c++) {
    for (int k = 0; k < 2 && service_suffix[s][k]; k++) {
      char field[128];
      json_take(entry, field_name(field, sizeof field, c, threshold, s, k));
    }
  }
}

/* A service tier's note: which prices the standard row has that this one
** lacks (NULL: LiteLLM gives no price for them in this tier). */
static const char *service_note(PricingEmitter *em, const PriceRow *standard, const PriceRow *row,
                                int s) {
  const char *missing = NULL;
  const char *note = pricing_printf(em, "service tier %s (fields ending %s)", service_name[s],
                                    service_suffix[s][0]);
  for (int c = 0; c < N_COSTS; c++) {
    const double *have = &PRICING_COST(standard, COSTS[c].column);
    /* two fields of one column: name it once */
    if (c > 0 && COSTS[c].column == COSTS[c - 1].column) continue;
    if (!isnan(*have) && isnan(PRICING_COST(row, COSTS[c].column))) {
      missing = missing ? pricing_printf(em, "%s, %s", missing, COSTS[c].label) : COSTS[c].label;
    }
  }
  if (!isnan(standard->web_search_cost) && isnan(row->web_search_cost)) {
    missing = missing ? pricing_printf(em, "%s, web search", missing) : "web search";
  }
  if (missing) {
    note = pricing_note_add(
        em, note,
        pricing_printf(em, "no %s price for %s: NULL, not the standard price", service_name[s], missing));
  }
  return note;
}

/* A context tier row of service tier s, from its base row. */
static int emit_field_tier(PricingEmitter *em, const PriceRow *base, const JsonValue *entry,
                           long long threshold, int s) {
  PriceRow row = *base;
  pricing_row_clear_prices(&row);
  row.tier_start_tokens = threshold;
  row.note = pricing_printf(em, "tier: > %lld input tokens, whole request at this rate", threshold);
  if (s) row.note = pricing_note_add(em, row.note, pricing_printf(em, "service tier %s", service_name[s]));
  take_variant(em, entry, &row, threshold, s);
  return em->emit(em, &row);
}

/* search_context_cost_per_query {search_context_size_low, _medium, _high}:
** USD per web search call by the search context size the request asks for.
** web_search_cost is the medium one (LiteLLM's and OpenAI's default); when
** low or high differ, the object stays in extra and the note says so. */
static void take_web_search(PricingEmitter *em, const JsonValue *entry, PriceRow *row) {
  static const char *const sizes[] = {"search_context_size_low", "search_context_size_high"};
  const JsonValue *obj = json_get(entry, "search_context_cost_per_query");
  const JsonValue *medium = json_get(obj, "search_context_size_medium");
  const char *why;
  int same = 1;
  if (!obj || obj->type != JSON_OBJECT || !medium) return;
  if (pricing_value_to_cost(medium, 0, &row->web_search_cost, &why) != 0) {
    row->note = pricing_note_add(em, row->note, pricing_printf(em, "web search price %s", why));
    return;
  }
  for (const JsonValue *m = obj->child; m; m = m->next) {
    int known = m == medium;
    for (int i = 0; i < 2; i++) known |= strcmp(m->key, sizes[i]) == 0;
    if (!known || m->type != JSON_NUMBER || medium->type != JSON_NUMBER ||
        json_number(m) != json_number(medium)) {
      same = 0;
    }
  }
  if (same) {
    json_take(entry, "search_context_cost_per_query");
  } else {
    row->note = pricing_note_add(em, row->note,
                                 "web search: the medium search context size; the other sizes "
                                 "differ (extra.search_context_cost_per_query)");
  }
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
      pricing_row_clear_prices(&row);
      row.tier_start_tokens = lo;
      row.note = pricing_printf(em, "tier: tiered_pricing range starting at %lld input tokens", lo);
    }
    for (int c = 0; c <= COST_REASONING; c++) {
      double *slot = lo == 0 ? row_cost(base, c) : row_cost(&row, c);
      if (lo == 0 && !isnan(*slot)) continue; /* the entry's own price wins */
      take_cost(em, tier, COSTS[c].field, COSTS[c].label, slot, lo == 0 ? &base->note : &row.note);
    }
    if (lo != 0 && em->emit(em, &row)) return -1;
  }
  return 0;
}

static int litellm_decode(PricingEmitter *em, const char *key, const JsonValue *entry) {
  PriceRow row;
  FieldPlan plan;
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
  plan_fields(entry, &plan);
  take_variant(em, entry, &row, 0, 0);
  take_web_search(em, entry, &row);
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
  if (isnan(row.input_cost_per_token) && !json_get(entry, "input_cost_per_token")) {
    row.note = pricing_note_add(em, row.note, "no input_cost_per_token (not priced per token)");
  }
  if (isnan(row.output_cost_per_token) && !json_get(entry, "output_cost_per_token")) {
    row.note = pricing_note_add(em, row.note, "no output_cost_per_token");
  }
  /* Every row of the entry carries the same extra: the fields no row
  ** carries. So the fields of the other rows are marked taken before it
  ** is written. */
  for (int s = 0; s < N_SERVICE; s++) {
    if (s && plan.present[s]) take_variant_fields(entry, 0, s);
    for (int i = 0; i < plan.ntiers[s]; i++) take_variant_fields(entry, plan.tiers[s][i], s);
  }
  row.extra = pricing_extra(em, entry);
  if (em->emit(em, &row)) return -1;
  for (int i = 0; i < plan.ntiers[0]; i++) {
    if (emit_field_tier(em, &row, entry, plan.tiers[0][i], 0)) return -1;
  }
  if (tiered) {
    PriceRow tier_base = row;
    if (emit_tiered_pricing(em, &tier_base, tiered, 0)) return -1;
  }
  /* One row per service tier, then its context tiers. */
  for (int s = 1; s < N_SERVICE; s++) {
    PriceRow service = row;
    if (!plan.present[s]) continue;
    pricing_row_clear_prices(&service);
    service.note = NULL;
    service.service_tier = service_name[s];
    take_variant(em, entry, &service, 0, s);
    service.note = pricing_note_add(em, service_note(em, &row, &service, s), service.note);
    if (em->emit(em, &service)) return -1;
    for (int i = 0; i < plan.ntiers[s]; i++) {
      if (emit_field_tier(em, &service, entry, plan.tiers[s][i], s)) return -1;
    }
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
