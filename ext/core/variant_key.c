/*
** The rate-card key of an offering: a model's price-bearing qualifiers
** (resolve_model's variant, 'region=eu') with the conditions of a price or
** a call merged in (a service tier, a daily window), in the fixed kind
** order of ext/vocab/qualifiers.tsv. Price rows and usage events both go
** through it, so a batch price and a batch call meet on one key. The SQL
** function variant_key (ext/func_canonical.c) and the coster
** (vtab/event_costs.c) share this one definition.
**
** Plain C; no SQLite.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canonical.h"

#define VARIANT_MAX_PAIRS 16

/* One kind=value pair of a variant key, as a slice of its text. */
typedef struct VariantPair {
  int rank; /* tl_canon_kind_rank of the kind */
  const char *p;
  size_t n;
} VariantPair;

static int cmp_variant_pair(const void *pa, const void *pb) {
  const VariantPair *a = pa, *b = pb;
  if (a->rank != b->rank) return a->rank < b->rank ? -1 : 1;
  size_t n = a->n < b->n ? a->n : b->n;
  int c = memcmp(a->p, b->p, n);
  return c ? c : (a->n > b->n) - (a->n < b->n);
}

/* A service tier as the key spells it: NULL for the standard tier, else
** the lowercase word in buf (24 bytes); *bad when it is no word. */
static const char *service_tier_word(const char *s, size_t n, char *buf, int *bad) {
  static const char *const azStandard[] = {"", "default", "standard", "auto"};
  *bad = 0;
  if (n >= 24) {
    *bad = 1;
    return NULL;
  }
  for (size_t i = 0; i < n; i++) {
    char c = (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i]);
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
      *bad = 1;
      return NULL;
    }
    buf[i] = c;
  }
  buf[n] = 0;
  for (size_t i = 0; i < sizeof azStandard / sizeof azStandard[0]; i++)
    if (strcmp(buf, azStandard[i]) == 0) return NULL;
  return buf;
}

/* A window bound 'HH:MM:SS' (n bytes). */
static int is_clock(const char *s, size_t n) {
  return n == 8 && s[2] == ':' && s[5] == ':' && s[0] >= '0' && s[0] <= '2' && s[1] >= '0' &&
         s[1] <= '9' && s[3] >= '0' && s[3] <= '5' && s[4] >= '0' && s[4] <= '9' &&
         s[6] >= '0' && s[6] <= '5' && s[7] >= '0' && s[7] <= '9' &&
         (s[0] < '2' || s[1] <= '4');
}

int tl_variant_key(const char *variant, size_t vn, const char *tier, size_t tn,
                   const char *w0, size_t w0n, const char *w1, size_t w1n, char *out,
                   char *err, size_t errlen) {
  VariantPair pair[VARIANT_MAX_PAIRS + 2];
  int np = 0;
  out[0] = 0;
  for (size_t i = 0; variant && i < vn;) {
    const char *semi = memchr(variant + i, ';', vn - i);
    size_t end = semi ? (size_t)(semi - variant) : vn;
    const char *eq = memchr(variant + i, '=', end - i);
    int rank = eq ? tl_canon_kind_rank(variant + i, (size_t)(eq - variant - i)) : -1;
    if (rank < 0 || eq + 1 == variant + end || np == VARIANT_MAX_PAIRS) {
      snprintf(err, errlen, "'%.*s' in variant '%.100s' is not a kind=value pair of a known kind",
               (int)(end - i), variant + i, variant);
      return -1;
    }
    pair[np++] = (VariantPair){rank, variant + i, end - i};
    i = end + 1;
  }
  char tier_buf[24], tier_pair[40], window_pair[40];
  const char *word = NULL;
  if (tier) {
    int bad;
    word = service_tier_word(tier, tn, tier_buf, &bad);
    if (bad) {
      snprintf(err, errlen, "service_tier '%.*s' is not a tier name: expected a word such as "
               "batch, flex, priority", (int)(tn < 40 ? tn : 40), tier);
      return -1;
    }
  }
  if ((w0 || w1) && !(w0 && w1 && is_clock(w0, w0n) && is_clock(w1, w1n))) {
    snprintf(err, errlen, "window '%.20s' and '%.20s': expected two times of day 'HH:MM:SS'",
             w0 ? w0 : "NULL", w1 ? w1 : "NULL");
    return -1;
  }
  /* the conditions given replace any of the same kind in the variant */
  int tier_rank = tl_canon_kind_rank("service_tier", 12);
  int window_rank = tl_canon_kind_rank("window", 6);
  int kept = 0;
  for (int i = 0; i < np; i++)
    if (!((word && pair[i].rank == tier_rank) || (w0 && pair[i].rank == window_rank)))
      pair[kept++] = pair[i];
  np = kept;
  if (word) {
    int n = snprintf(tier_pair, sizeof tier_pair, "service_tier=%s", word);
    pair[np++] = (VariantPair){tier_rank, tier_pair, (size_t)n};
  }
  if (w0) {
    int n = snprintf(window_pair, sizeof window_pair, "window=%s-%s", w0, w1);
    pair[np++] = (VariantPair){window_rank, window_pair, (size_t)n};
  }
  qsort(pair, (size_t)np, sizeof pair[0], cmp_variant_pair);
  size_t o = 0;
  for (int i = 0; i < np; i++) {
    if (o + pair[i].n + 1 >= TL_VARIANT_KEY_SIZE) {
      snprintf(err, errlen, "variant longer than %d bytes", TL_VARIANT_KEY_SIZE);
      return -1;
    }
    if (o) out[o++] = ';';
    memcpy(out + o, pair[i].p, pair[i].n);
    o += pair[i].n;
  }
  out[o] = 0;
  return 0;
}
