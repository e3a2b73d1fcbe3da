/*
** tokenledger's own pricing format, for price lists kept by hand and for
** overrides that win over the public sources. Example:
** fixtures/pricing.example.json.
**
**   {
**     "tokenledger": "pricing/1",      required first member: the format tag
**     "currency": "USD",               default currency of every price
**     "unit": "1m",                    default unit: token, 1k or 1m (any
**                                      spelling per_token() accepts)
**     "prices": [
**       {"provider": "anthropic",                  required
**        "model": "claude-3-7-sonnet-20250219",    required
**        "aliases": ["claude-3-7-sonnet-latest"],  optional, kept in extra
**        "unit": "1m",                             overrides the default
**        "input": 3, "output": 15,                 numbers or "$3.00" strings
**        "cache_read": 0.3, "cache_write": 3.75, "reasoning": 15,
**        "input_audio": 40, "output_audio": 80, "cache_read_audio": 2.5,
**        "input_image": 3, "output_image": 30, "input_video": 3,
**        "output_video": 30, "cache_write_1h": 6,  all in the unit
**        "per_request": 0.005, "web_search": 0.01, USD per call (no unit)
**        "service_tier": "batch",                  standard (default), batch,
**                                                  flex or priority
**        "window_start": "00:30:00",               a daily UTC window in which
**        "window_end": "16:30:00",                 the prices apply (both or
**                                                  neither)
**        "context_window": 200000, "max_output_tokens": 64000,
**        "mode": "chat",
**        "effective_from": "2025-02-24",           YYYY-MM-DD, optional
**        "note": "list price",
**        "tiers": [{"start": 200000, "input": 6, "output": 22.5}]}
**     ]
**   }
**
** Each price entry gives one row, and one more per tier (tier_start_tokens =
** start; prices not given in a tier are NULL there; a tier keeps the entry's
** service_tier and window). A batch price is an entry of its own with
** "service_tier": "batch". Prices are converted
** exactly from their decimal text to cost per token in the entry's unit.
** Anything else an entry carries goes to `extra`.
*/
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "pricing.h"
#include "units.h"

static int tokenledger_detect(const char *key, const JsonValue *entry) {
  (void)key;
  if (!entry || entry->type != JSON_OBJECT) return 0;
  return json_get(entry, "model") ? 80 : 10;
}

static const struct {
  const char *field;
  size_t offset;
} price_fields[] = {
    {"input", offsetof(PriceRow, input_cost_per_token)},
    {"output", offsetof(PriceRow, output_cost_per_token)},
    {"cache_read", offsetof(PriceRow, cache_read_cost_per_token)},
    {"cache_write", offsetof(PriceRow, cache_write_cost_per_token)},
    {"reasoning", offsetof(PriceRow, reasoning_cost_per_token)},
    {"input_audio", offsetof(PriceRow, input_audio_cost_per_token)},
    {"output_audio", offsetof(PriceRow, output_audio_cost_per_token)},
    {"cache_read_audio", offsetof(PriceRow, cache_read_audio_cost_per_token)},
    {"input_image", offsetof(PriceRow, input_image_cost_per_token)},
    {"output_image", offsetof(PriceRow, output_image_cost_per_token)},
    {"input_video", offsetof(PriceRow, input_video_cost_per_token)},
    {"output_video", offsetof(PriceRow, output_video_cost_per_token)},
    {"cache_write_1h", offsetof(PriceRow, cache_write_1h_cost_per_token)},
};

/* USD per call: the unit does not apply. */
static const struct {
  const char *field;
  size_t offset;
} call_fields[] = {
    {"per_request", offsetof(PriceRow, per_request_cost)},
    {"web_search", offsetof(PriceRow, web_search_cost)},
};

static void take_prices(PricingEmitter *em, const JsonValue *obj, int shift10, PriceRow *row) {
  for (size_t i = 0; i < sizeof price_fields / sizeof price_fields[0]; i++) {
    const JsonValue *v = json_take(obj, price_fields[i].field);
    double *slot = (double *)((char *)row + price_fields[i].offset);
    const char *why;
    if (v && pricing_value_to_cost(v, shift10, slot, &why) != 0) {
      row->note = pricing_note_add(em, row->note, pricing_printf(em, "%s price %s", price_fields[i].field, why));
    }
  }
  for (size_t i = 0; i < sizeof call_fields / sizeof call_fields[0]; i++) {
    const JsonValue *v = json_take(obj, call_fields[i].field);
    const char *why;
    if (v && pricing_value_to_cost(v, 0, &PRICING_COST(row, call_fields[i].offset), &why) != 0) {
      row->note = pricing_note_add(em, row->note, pricing_printf(em, "%s price %s", call_fields[i].field, why));
    }
  }
}

/* "HH:MM:SS" (a time of day, UTC). */
static int is_time_of_day(const char *s) {
  if (!s || strlen(s) != 8 || s[2] != ':' || s[5] != ':') return 0;
  for (int i = 0; i < 8; i++) {
    if (i != 2 && i != 5 && (s[i] < '0' || s[i] > '9')) return 0;
  }
  return (s[0] - '0') * 10 + (s[1] - '0') <= 24 && s[3] <= '5' && s[6] <= '5';
}

/* service_tier, window_start and window_end of an entry; a value not
** understood is NULL with a note (and the entry's prices still apply). */
static void take_conditions(PricingEmitter *em, const JsonValue *entry, PriceRow *row) {
  static const char *const tiers[] = {"batch", "flex", "priority"};
  const char *tier = pricing_take_string(entry, "service_tier");
  const char *from = pricing_take_string(entry, "window_start");
  const char *to = pricing_take_string(entry, "window_end");
  if (tier) {
    for (size_t i = 0; i < sizeof tiers / sizeof tiers[0]; i++) {
      if (strcmp(tier, tiers[i]) == 0) row->service_tier = tiers[i];
    }
    if (!row->service_tier && strcmp(tier, "standard") != 0) {
      row->note = pricing_note_add(
          em, row->note, pricing_printf(em, "service_tier '%s' is not standard, batch, flex or priority", tier));
    }
  }
  if (from || to) {
    if (is_time_of_day(from) && is_time_of_day(to)) {
      row->window_start = from;
      row->window_end = to;
    } else {
      row->note = pricing_note_add(em, row->note, "window_start and window_end must both be HH:MM:SS (UTC)");
    }
  }
}

/* YYYY-MM-DD naming a real calendar day. */
static int is_iso_date(const char *s) {
  static const char shape[] = "dddd-dd-dd";
  static const int days_in_month[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int year, month, day;
  if (!s || strlen(s) != 10) return 0;
  for (int i = 0; i < 10; i++) {
    if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != '-') return 0;
  }
  year = atoi(s);
  month = atoi(s + 5);
  day = atoi(s + 8);
  if (month < 1 || month > 12 || day < 1 || day > days_in_month[month - 1]) return 0;
  return month != 2 || day < 29 || (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0));
}

/* The unit's power of ten: the entry's "unit", else the header's, else per
** token. An unknown unit is reported in the note and leaves prices NULL. */
static int entry_shift(PricingEmitter *em, const JsonValue *entry, PriceRow *row, int *shift10) {
  const char *unit = pricing_take_string(entry, "unit");
  const JsonValue *header_unit = json_get(em->header, "unit");
  *shift10 = 0;
  if (!unit && header_unit && header_unit->type == JSON_STRING) unit = header_unit->text;
  if (unit && tl_unit_shift(unit, strlen(unit), shift10) != 0) {
    row->note = pricing_note_add(em, row->note, pricing_printf(em, "unknown unit '%s' (expected token, 1k or 1m)", unit));
    return -1;
  }
  return 0;
}

static int tokenledger_decode(PricingEmitter *em, const char *key, const JsonValue *entry) {
  PriceRow row;
  int shift10;
  const JsonValue *tiers, *currency = json_get(em->header, "currency");
  const char *effective;
  (void)key;
  pricing_row_init(&row);
  if (currency && currency->type == JSON_STRING) row.currency = currency->text;
  if (entry->type != JSON_OBJECT) {
    row.note = pricing_printf(em, "line %u: a price entry must be an object", entry->line);
    return em->emit(em, &row);
  }
  row.raw_provider = pricing_take_string(entry, "provider");
  row.raw_model = pricing_take_string(entry, "model");
  if (!row.raw_provider) row.note = pricing_note_add(em, row.note, "no provider");
  if (!row.raw_model) row.note = pricing_note_add(em, row.note, "no model");
  row.mode = pricing_take_string(entry, "mode");
  row.context_window = pricing_take_integer(entry, "context_window");
  row.max_output_tokens = pricing_take_integer(entry, "max_output_tokens");
  if (pricing_take_string(entry, "currency")) row.currency = json_get(entry, "currency")->text;
  effective = pricing_take_string(entry, "effective_from");
  if (effective && !is_iso_date(effective)) {
    row.note = pricing_note_add(em, row.note, pricing_printf(em, "effective_from '%s' is not YYYY-MM-DD", effective));
    effective = NULL;
  }
  row.effective_from = effective;
  row.note = pricing_note_add(em, row.note, pricing_take_string(entry, "note"));
  take_conditions(em, entry, &row);
  tiers = json_take(entry, "tiers");
  if (entry_shift(em, entry, &row, &shift10) == 0) take_prices(em, entry, shift10, &row);
  row.extra = pricing_extra(em, entry);
  if (em->emit(em, &row)) return -1;
  if (!tiers || tiers->type != JSON_ARRAY) return 0;
  for (const JsonValue *t = tiers->child; t; t = t->next) {
    PriceRow tier = row; /* keeps the entry's service tier and window */
    pricing_row_clear_prices(&tier);
    tier.tier_start_tokens = pricing_take_integer(t, "start");
    tier.note = tier.tier_start_tokens < 0 ? "tier without a whole-number start"
                                           : pricing_printf(em, "tier: > %lld input tokens", tier.tier_start_tokens);
    if (t->type == JSON_OBJECT) take_prices(em, t, shift10, &tier);
    if (em->emit(em, &tier)) return -1;
  }
  return 0;
}

const PricingFormat pricing_format_tokenledger = {
    .name = "tokenledger",
    .layout = PRICING_KEYED_ELEMENTS,
    .detect = tokenledger_detect,
    .decode = tokenledger_decode,
    .array_key = "prices",
};
