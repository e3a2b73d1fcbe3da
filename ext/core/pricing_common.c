/*
** What every pricing decoder needs: prices from JSON values in exact
** decimal, taking members (so that the rest becomes `extra`), and strings in
** the per-entry scratch arena. See pricing.h.
*/
#include <math.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pricing.h"
#include "units.h"

const size_t pricing_cost_offsets[] = {
    offsetof(PriceRow, input_cost_per_token),
    offsetof(PriceRow, output_cost_per_token),
    offsetof(PriceRow, cache_read_cost_per_token),
    offsetof(PriceRow, cache_write_cost_per_token),
    offsetof(PriceRow, reasoning_cost_per_token),
    offsetof(PriceRow, input_audio_cost_per_token),
    offsetof(PriceRow, output_audio_cost_per_token),
    offsetof(PriceRow, cache_read_audio_cost_per_token),
    offsetof(PriceRow, input_image_cost_per_token),
    offsetof(PriceRow, output_image_cost_per_token),
    offsetof(PriceRow, input_video_cost_per_token),
    offsetof(PriceRow, output_video_cost_per_token),
    offsetof(PriceRow, cache_write_1h_cost_per_token),
    offsetof(PriceRow, per_request_cost),
    offsetof(PriceRow, web_search_cost),
};
const int pricing_cost_count = (int)(sizeof pricing_cost_offsets / sizeof pricing_cost_offsets[0]);

void pricing_row_clear_prices(PriceRow *row) {
  for (int i = 0; i < pricing_cost_count; i++) PRICING_COST(row, pricing_cost_offsets[i]) = NAN;
}

void pricing_row_init(PriceRow *row) {
  memset(row, 0, sizeof *row);
  pricing_row_clear_prices(row);
  row->context_window = -1;
  row->max_output_tokens = -1;
  row->currency = "USD";
}

int pricing_value_to_cost(const JsonValue *v, int shift10, double *out, const char **why) {
  PriceError err;
  *out = NAN;
  if (!v || v->type == JSON_NULL) {
    *why = "missing";
    return -1;
  }
  if (v->type != JSON_NUMBER && v->type != JSON_STRING) {
    *why = "not a number";
    return -1;
  }
  err = tl_price_parse(v->text, v->len, shift10, out);
  if (err == PRICE_OK) return 0;
  *out = NAN;
  *why = err == PRICE_NEGATIVE    ? "negative"
         : err == PRICE_TOO_LARGE ? "too large for a double"
         : err == PRICE_TOO_SMALL ? "nonzero but too small for a double (it would read as free)"
                                  : "not a number";
  return -1;
}

const char *pricing_take_string(const JsonValue *obj, const char *key) {
  const JsonValue *v = json_get(obj, key);
  if (!v || v->type != JSON_STRING) return NULL;
  json_take(obj, key);
  return v->text;
}

long long pricing_take_integer(const JsonValue *obj, const char *key) {
  const JsonValue *v = json_get(obj, key);
  if (!v || v->type != JSON_NUMBER || json_number(v) != floor(json_number(v)) ||
      fabs(json_number(v)) > 9e15) {
    return -1;
  }
  json_take(obj, key);
  return (long long)json_number(v);
}

const char *pricing_extra(PricingEmitter *em, const JsonValue *obj) {
  JsonBuf buf = {0};
  const char *copy;
  if (em->skip_extra) return NULL;
  json_write_unused(&buf, obj);
  copy = buf.oom ? NULL : json_arena_strdup(em->scratch, buf.data, buf.len);
  json_buf_free(&buf);
  if (!copy) em->oom = 1;
  return copy;
}

const char *pricing_printf(PricingEmitter *em, const char *fmt, ...) {
  char small[256];
  char *out;
  int n;
  va_list ap;
  va_start(ap, fmt);
  n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0) return NULL;
  out = json_arena_alloc(em->scratch, (size_t)n + 1);
  if (!out) {
    em->oom = 1;
    return NULL;
  }
  if ((size_t)n < sizeof small) {
    memcpy(out, small, (size_t)n + 1);
  } else {
    va_start(ap, fmt);
    vsnprintf(out, (size_t)n + 1, fmt, ap);
    va_end(ap);
  }
  return out;
}

const char *pricing_note_add(PricingEmitter *em, const char *note, const char *more) {
  if (!more) return note;
  if (!note) return more;
  return pricing_printf(em, "%s; %s", note, more);
}

/* ------------------------------------------------------------ extra objects */

JsonValue *pricing_extra_object(PricingEmitter *em) {
  JsonValue *obj = json_arena_alloc(em->scratch, sizeof *obj);
  if (!obj) {
    em->oom = 1;
    return NULL;
  }
  memset(obj, 0, sizeof *obj);
  obj->type = JSON_OBJECT;
  return obj;
}

int pricing_extra_put(PricingEmitter *em, JsonValue *obj, const char *key, const JsonValue *v) {
  JsonValue *copy, **link;
  if (!obj || !v || !key) return -1;
  if (em->skip_extra) return 0; /* pricing_extra will not read the object */
  copy = json_arena_alloc(em->scratch, sizeof *copy);
  if (!copy) {
    em->oom = 1;
    return -1;
  }
  *copy = *v;
  copy->key = key;
  copy->key_len = (uint32_t)strlen(key);
  copy->next = NULL;
  copy->used = 0;
  for (link = &obj->child; *link; link = &(*link)->next) {
  }
  *link = copy;
  obj->len++;
  return 0;
}

int pricing_extra_put_unused(PricingEmitter *em, JsonValue *obj, const JsonValue *src,
                             const char *prefix) {
  if (!src || src->type != JSON_OBJECT || em->skip_extra) return 0;
  for (const JsonValue *m = src->child; m; m = m->next) {
    const char *key = m->key;
    if (m->used) continue;
    if (prefix && strncmp(key, prefix, strlen(prefix)) != 0) {
      key = pricing_printf(em, "%s%s", prefix, m->key);
    }
    if (pricing_extra_put(em, obj, key, m)) return -1;
  }
  return 0;
}

int pricing_extra_put_rest(PricingEmitter *em, JsonValue *obj, const char *key,
                           const JsonValue *src) {
  JsonValue *rest;
  if (!src || src->type != JSON_OBJECT) return 0;
  rest = pricing_extra_object(em);
  if (!rest || pricing_extra_put_unused(em, rest, src, NULL)) return -1;
  return rest->len ? pricing_extra_put(em, obj, key, rest) : 0;
}
