/*
** The coster: rate cards in memory, and one event's cost against them.
** The rules are event_costs' (vtab/event_costs.c has the manual); this file
** is their C form, checked column for column against the SQL form
** (tests/reference/event_costs_reference.sql) by tests/costing.
**
** HOW IT WORKS. The book holds every card of rate_timeline, sorted by
** (provider, model, variant, tier_start_tokens, effective_from). A key is
** the run of cards of one (provider, model, variant): what event_costs'
** `keys` CTE groups. A block is the run of keys of one (provider, model),
** found by a hash on the two names, so an event's provider card, its
** variant card and its creator's card are one hash probe each, and the
** card in force at a time is a binary search on valid_from inside the
** run of one tier (the periods of one key and tier are disjoint and
** ascending: rate_timeline_live makes them so). Prices are kept as the
** exact decimals tl_exact_cost_decimal sums (ext/core/units.h), their shortest
** form found once per card rather than once per event.
**
** Text comparisons are SQLite's BINARY collation (strcmp: no card or
** timestamp text holds a NUL), as the SQL compares ts with valid_from.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "costing.h"
#include "genai_match.h"
#include "tl_alloc.h"

typedef struct Card {
  const char *provider, *model, *variant;
  const char *effective_from, *valid_from, *valid_to;
  const char *tier_counts, *tier_comparison, *tier_mode;
  const char *window_start, *window_end, *source_path;
  long long tier_start;
  unsigned has_price;
  TlDecimalPrice price[TL_NUNIT];
  int row;
} Card;

/* The cards of one (provider, model, variant): card[first .. first+n). */
typedef struct Key {
  int first, n;
  int has_min_tier;
  long long min_tier;      /* the smallest usable tier start (> 0) */
  const char *windowless;  /* a window card's offering without its window */
  int is_window;
  const char *first_from;  /* min(effective_from) over every tier */
} Key;

/* The keys of one (provider, model): key[first .. first+n), variant order,
** the plain offering (NULL variant) first. */
typedef struct TlRateBlock {
  int first, n;
  int has_window;
} Block;

/* Strings copied into chunks that live as long as the book. */
typedef struct Chunk {
  struct Chunk *next;
  size_t used, size;
  char data[];
} Chunk;

/* A price list's name rule for the card of (provider, model, variant), or
** of (provider, own_model, variant) when the book has that one. */
typedef struct Rule {
  const char *provider, *model, *variant, *own_model, *rule, *source_path;
  int order; /* the order added: list order within a provider */
} Rule;

struct TlRateBook {
  Card *card;
  int ncard, acard;
  Rule *rule;
  int nrule, arule;
  Key *key;
  int nkey;
  Block *block;
  int nblock;
  int *slot; /* hash of blocks by (provider, model): block index + 1; 0 empty */
  size_t nslot;
  Chunk *chunks;
};

#define CHUNK_SIZE 65536

/* ------------------------------------------------------------ the book */

TlRateBook *tl_ratebook_new(void) {
  TlRateBook *b = tl_malloc(sizeof *b);
  if (b) memset(b, 0, sizeof *b);
  return b;
}

void tl_ratebook_free(TlRateBook *book) {
  if (!book) return;
  for (Chunk *c = book->chunks, *next; c; c = next) {
    next = c->next;
    tl_free(c);
  }
  tl_free(book->card);
  tl_free(book->rule);
  tl_free(book->key);
  tl_free(book->block);
  tl_free(book->slot);
  tl_free(book);
}

/* A copy of s that lives as long as the book; NULL for NULL. *nomem is set
** when the copy cannot be made. */
static const char *book_strdup(TlRateBook *book, const char *s, int *nomem) {
  if (!s) return NULL;
  size_t n = strlen(s) + 1;
  Chunk *c = book->chunks;
  if (!c || c->size - c->used < n) {
    size_t size = n > CHUNK_SIZE ? n : CHUNK_SIZE;
    c = tl_malloc(sizeof *c + size);
    if (!c) {
      *nomem = 1;
      return NULL;
    }
    c->next = book->chunks;
    c->used = 0;
    c->size = size;
    book->chunks = c;
  }
  char *p = c->data + c->used;
  memcpy(p, s, n);
  c->used += n;
  return p;
}

int tl_ratebook_add(TlRateBook *book, const TlRateCardIn *in, int row) {
  int nomem = 0;
  if (!in->provider || !in->model || !in->effective_from) return 0;
  if (book->ncard == book->acard) {
    int n = book->acard ? 2 * book->acard : 256;
    Card *grown = tl_realloc(book->card, (size_t)n * sizeof *grown);
    if (!grown) return -1;
    book->card = grown;
    book->acard = n;
  }
  Card *c = &book->card[book->ncard];
  memset(c, 0, sizeof *c);
  c->provider = book_strdup(book, in->provider, &nomem);
  c->model = book_strdup(book, in->model, &nomem);
  c->variant = book_strdup(book, in->variant, &nomem);
  c->effective_from = book_strdup(book, in->effective_from, &nomem);
  c->valid_from = book_strdup(book, in->valid_from, &nomem);
  c->valid_to = book_strdup(book, in->valid_to, &nomem);
  c->tier_counts = book_strdup(book, in->tier_counts, &nomem);
  c->tier_comparison = book_strdup(book, in->tier_comparison, &nomem);
  c->tier_mode = book_strdup(book, in->tier_mode, &nomem);
  c->window_start = book_strdup(book, in->window_start, &nomem);
  c->window_end = book_strdup(book, in->window_end, &nomem);
  c->source_path = book_strdup(book, in->source_path, &nomem);
  if (nomem) return -1;
  c->tier_start = in->tier_start;
  c->has_price = in->has_price;
  for (int u = 0; u < TL_NUNIT; u++)
    if (in->has_price & (1u << u)) tl_decimal_price(in->price[u], &c->price[u]);
  c->row = row;
  book->ncard++;
  return 0;
}

int tl_ratebook_add_rule(TlRateBook *book, const char *provider, const char *model,
                         const char *variant, const char *own_model, const char *rule,
                         const char *source_path) {
  int nomem = 0;
  if (!provider || !model || !rule) return 0;
  if (book->nrule == book->arule) {
    int n = book->arule ? 2 * book->arule : 64;
    Rule *grown = tl_realloc(book->rule, (size_t)n * sizeof *grown);
    if (!grown) return -1;
    book->rule = grown;
    book->arule = n;
  }
  Rule *r = &book->rule[book->nrule];
  r->provider = book_strdup(book, provider, &nomem);
  r->model = book_strdup(book, model, &nomem);
  r->variant = book_strdup(book, variant, &nomem);
  r->own_model = book_strdup(book, own_model, &nomem);
  r->rule = book_strdup(book, rule, &nomem);
  r->source_path = book_strdup(book, source_path, &nomem);
  r->order = book->nrule;
  if (nomem) return -1;
  book->nrule++;
  return 0;
}

/* NULL sorts first, as in SQL. */
static int cmp_nullable(const char *a, const char *b) {
  if (!a || !b) return (a != NULL) - (b != NULL);
  return strcmp(a, b);
}

static int cmp_card(const void *pa, const void *pb) {
  const Card *a = pa, *b = pb;
  int c = strcmp(a->provider, b->provider);
  if (!c) c = strcmp(a->model, b->model);
  if (!c) c = cmp_nullable(a->variant, b->variant);
  if (!c) c = (a->tier_start > b->tier_start) - (a->tier_start < b->tier_start);
  if (!c) c = strcmp(a->effective_from, b->effective_from);
  return c;
}

static uint64_t hash_names(const char *provider, const char *model) {
  uint64_t h = 1469598103934665603u;
  for (const char *p = provider; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211u;
  h = (h ^ 0xff) * 1099511628211u; /* a separator no name byte sequence forges */
  for (const char *p = model; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211u;
  return h;
}

/* ';' + variant + ';' with every ';window=START-END;' made ';', then ';'
** trimmed from both ends; NULL when nothing is left (event_costs' SQL for a
** window card's offering without its window). */
static const char *windowless_variant(TlRateBook *book, const Card *c, int *nomem) {
  if (!c->variant || !c->window_start || !c->window_end) return NULL;
  size_t vn = strlen(c->variant);
  char pat[64];
  int pn = snprintf(pat, sizeof pat, ";window=%s-%s;", c->window_start, c->window_end);
  char *buf = tl_malloc(vn + 3);
  if (!buf) {
    *nomem = 1;
    return NULL;
  }
  size_t o = 0;
  char *src = tl_malloc(vn + 3);
  if (!src) {
    tl_free(buf);
    *nomem = 1;
    return NULL;
  }
  snprintf(src, vn + 3, ";%s;", c->variant);
  for (size_t i = 0; i < vn + 2;) {
    if (pn > 0 && (size_t)pn < sizeof pat && i + (size_t)pn <= vn + 2 &&
        memcmp(src + i, pat, (size_t)pn) == 0) {
      buf[o++] = ';';
      i += (size_t)pn;
    } else {
      buf[o++] = src[i++];
    }
  }
  size_t a = 0, z = o;
  while (a < z && buf[a] == ';') a++;
  while (z > a && buf[z - 1] == ';') z--;
  const char *out = NULL;
  if (z > a) {
    buf[z] = 0;
    out = book_strdup(book, buf + a, nomem);
  }
  tl_free(buf);
  tl_free(src);
  return out;
}

/* The keys and blocks over the sorted cards. */
static int build_keys(TlRateBook *book) {
  int nomem = 0;
  book->key = tl_malloc((size_t)(book->ncard ? book->ncard : 1) * sizeof *book->key);
  book->block = tl_malloc((size_t)(book->ncard ? book->ncard : 1) * sizeof *book->block);
  if (!book->key || !book->block) return -1;
  for (int i = 0; i < book->ncard;) {
    const Card *c = &book->card[i];
    int j = i;
    Key *k = &book->key[book->nkey];
    memset(k, 0, sizeof *k);
    k->first = i;
    k->first_from = c->effective_from;
    while (j < book->ncard && strcmp(book->card[j].provider, c->provider) == 0 &&
           strcmp(book->card[j].model, c->model) == 0 &&
           cmp_nullable(book->card[j].variant, c->variant) == 0) {
      const Card *d = &book->card[j];
      if (d->tier_start > 0 && d->tier_comparison && (!k->has_min_tier || d->tier_start < k->min_tier)) {
        k->has_min_tier = 1;
        k->min_tier = d->tier_start;
      }
      if (strcmp(d->effective_from, k->first_from) < 0) k->first_from = d->effective_from;
      j++;
    }
    k->n = j - i;
    k->is_window = c->window_start != NULL;
    if (k->is_window) k->windowless = windowless_variant(book, c, &nomem);
    if (nomem) return -1;
    /* a new block when the (provider, model) changes */
    Block *b = book->nblock ? &book->block[book->nblock - 1] : NULL;
    const Card *head = b ? &book->card[book->key[b->first].first] : NULL;
    if (!head || strcmp(head->provider, c->provider) || strcmp(head->model, c->model)) {
      b = &book->block[book->nblock++];
      b->first = book->nkey;
      b->n = 0;
      b->has_window = 0;
    }
    b->n++;
    if (k->is_window) b->has_window = 1;
    book->nkey++;
    i = j;
  }
  return 0;
}

static int cmp_rule(const void *pa, const void *pb) {
  const Rule *a = pa, *b = pb;
  int c = strcmp(a->provider, b->provider);
  return c ? c : (a->order > b->order) - (a->order < b->order);
}

int tl_ratebook_finish(TlRateBook *book, char *err, size_t errlen) {
  if (book->ncard > 1) qsort(book->card, (size_t)book->ncard, sizeof *book->card, cmp_card);
  if (book->nrule > 1) qsort(book->rule, (size_t)book->nrule, sizeof *book->rule, cmp_rule);
  /* a rule genai_match cannot read fails here, not at some event */
  for (int i = 0; i < book->nrule; i++) {
    char why[200];
    if (genai_match(book->rule[i].rule, strlen(book->rule[i].rule), "", 0, why, sizeof why) < 0) {
      if (strstr(why, "out of memory")) return -1;
      snprintf(err, errlen, "the match rule of %s/%s: %s", book->rule[i].provider,
               book->rule[i].model, why);
      return -2;
    }
  }
  if (build_keys(book)) return -1;
  book->nslot = 16;
  while (book->nslot < 2 * (size_t)book->nblock) book->nslot *= 2;
  book->slot = tl_malloc(book->nslot * sizeof *book->slot);
  if (!book->slot) return -1;
  memset(book->slot, 0, book->nslot * sizeof *book->slot);
  for (int i = 0; i < book->nblock; i++) {
    const Card *c = &book->card[book->key[book->block[i].first].first];
    size_t s = (size_t)hash_names(c->provider, c->model) & (book->nslot - 1);
    while (book->slot[s]) s = (s + 1) & (book->nslot - 1);
    book->slot[s] = i + 1;
  }
  return 0;
}

static const Block *find_block(const TlRateBook *book, const char *provider, const char *model) {
  if (!provider || !model || !book->nblock) return NULL;
  size_t s = (size_t)hash_names(provider, model) & (book->nslot - 1);
  for (; book->slot[s]; s = (s + 1) & (book->nslot - 1)) {
    const Block *b = &book->block[book->slot[s] - 1];
    const Card *c = &book->card[book->key[b->first].first];
    if (strcmp(c->provider, provider) == 0 && strcmp(c->model, model) == 0) return b;
  }
  return NULL;
}

const TlRateBlock *tl_ratebook_block(const TlRateBook *book, const char *provider,
                                     const char *model) {
  return find_block(book, provider, model);
}

/* The key of a block whose variant IS variant. */
static const Key *find_key(const TlRateBook *book, const Block *b, const char *variant) {
  if (!b) return NULL;
  for (int i = b->first; i < b->first + b->n; i++)
    if (cmp_nullable(book->card[book->key[i].first].variant, variant) == 0) return &book->key[i];
  return NULL;
}

/* The cards of key k with tier start `tier`: [*lo, *hi). */
static void tier_run(const TlRateBook *book, const Key *k, long long tier, int *lo, int *hi) {
  int a = k->first, z = k->first + k->n;
  while (a < z && book->card[a].tier_start < tier) a++;
  int e = a;
  while (e < z && book->card[e].tier_start == tier) e++;
  *lo = a;
  *hi = e;
}

/* The card of [lo, hi) in force at ts: valid_from <= ts < valid_to. */
static const Card *in_force(const TlRateBook *book, int lo, int hi, const char *ts) {
  int a = lo, z = hi; /* the last card with valid_from <= ts is a - 1 */
  while (a < z) {
    int mid = a + (z - a) / 2;
    const char *from = book->card[mid].valid_from;
    if (from && strcmp(from, ts) <= 0) a = mid + 1;
    else z = mid;
  }
  if (a == lo) return NULL;
  const Card *c = &book->card[a - 1];
  if (!c->valid_from || strcmp(ts, c->valid_from) < 0) return NULL;
  if (c->valid_to && strcmp(ts, c->valid_to) >= 0) return NULL;
  return c;
}

/* ------------------------------------------------------------ one event */

/* The base card's effective_from a window card is weighed against: of the
** offering's base cards, the latest dated at or before ts, else the
** earliest; NULL when it has none. */
static const char *windowless_base_from(const TlRateBook *book, const Block *b,
                                        const Key *wk, const char *ts) {
  const Key *k = find_key(book, b, wk->windowless);
  if (!k) return NULL;
  int lo, hi;
  tier_run(book, k, 0, &lo, &hi);
  if (lo == hi) return NULL;
  const char *best = NULL;
  for (int i = lo; i < hi; i++)
    if (strcmp(book->card[i].effective_from, ts) <= 0) best = book->card[i].effective_from;
  return best ? best : book->card[lo].effective_from;
}

/* The window card's key of the offering `variant` of block b whose daily
** window holds the time of day of ts (wrapping midnight when end < start),
** the first in variant order; NULL when none. */
static const Key *window_key(const TlRateBook *book, const Block *b, const char *variant,
                             const char *ts) {
  if (!b || !b->has_window || strlen(ts) < 19) return NULL;
  char tod[9];
  memcpy(tod, ts + 11, 8);
  tod[8] = 0;
  for (int i = b->first; i < b->first + b->n; i++) {
    const Key *k = &book->key[i];
    const Card *c = &book->card[k->first];
    if (!k->is_window || cmp_nullable(k->windowless, variant) != 0) continue;
    const char *base_from = windowless_base_from(book, b, k, ts);
    if (strcmp(k->first_from, base_from ? base_from : k->first_from) > 0) continue;
    const char *ws = c->window_start, *we = c->window_end;
    if (!we) continue;
    int inside = strcmp(ws, we) <= 0 ? strcmp(tod, ws) >= 0 && strcmp(tod, we) < 0
                                     : strcmp(tod, ws) >= 0 || strcmp(tod, we) < 0;
    if (inside) return k;
  }
  return NULL;
}

/* The block a rule bills from: its own name's, when that has the rule's
** offering, else its model's; NULL when neither has it. */
static const Block *rule_block(const TlRateBook *book, const Rule *r) {
  const Block *b = find_block(book, r->provider, r->own_model);
  if (find_key(book, b, r->variant)) return b;
  b = find_block(book, r->provider, r->model);
  return find_key(book, b, r->variant) ? b : NULL;
}

/* The first rule of provider (in list order) whose card exists and that
** holds for raw: its index, or -1. -2 out of memory. */
static int first_rule(const TlRateBook *book, const char *provider, const char *raw) {
  if (!provider) return -1;
  int lo = 0, hi = book->nrule;
  while (lo < hi) { /* the provider's first rule */
    int mid = lo + (hi - lo) / 2;
    if (strcmp(book->rule[mid].provider, provider) < 0) lo = mid + 1;
    else hi = mid;
  }
  for (int i = lo; i < book->nrule && strcmp(book->rule[i].provider, provider) == 0; i++) {
    const Rule *r = &book->rule[i];
    if (!rule_block(book, r)) continue;
    char why[200];
    int m = genai_match(r->rule, strlen(r->rule), raw, strlen(raw), why, sizeof why);
    if (m < 0) return -2; /* every rule was read at finish: only memory fails */
    if (m) return i;
  }
  return -1;
}

/* The name rule for an event no card names: of its provider, else of its
** creator; memoized through ev->rule_memo. -1 none, -2 out of memory. */
static int event_rule(const TlRateBook *book, const TlCostEvent *ev) {
  if (ev->rule_memo && *ev->rule_memo != -2) return *ev->rule_memo;
  int i = -1;
  if (ev->raw_model && book->nrule) {
    i = first_rule(book, ev->provider, ev->raw_model);
    if (i == -1) i = first_rule(book, ev->creator, ev->raw_model);
  }
  if (ev->rule_memo && i != -2) *ev->rule_memo = i;
  return i;
}

/* Whether the event passes a tier card's rule. */
static int passes_tier(const Card *t, const TlCostEvent *ev, const TlCostResult *r) {
  long long n;
  if (t->tier_counts && strcmp(t->tier_counts, "input") == 0) {
    if (!(ev->known & (1u << TL_TOK_INPUT))) return 0;
    n = ev->tokens[TL_TOK_INPUT];
  } else if (t->tier_counts && strcmp(t->tier_counts, "total") == 0) {
    n = r->prompt_tokens + r->completion_tokens;
  } else {
    n = r->prompt_tokens;
  }
  return strcmp(t->tier_comparison, ">") == 0 ? n > t->tier_start : n >= t->tier_start;
}

/* The highest tier of key k in force at ts whose rule the event passes. */
static const Card *find_tier(const TlRateBook *book, const Key *k, const TlCostEvent *ev,
                             const TlCostResult *r) {
  if (!k->has_min_tier || !r->has_prompt || !r->has_completion ||
      k->min_tier > r->prompt_tokens + r->completion_tokens)
    return NULL;
  for (int hi = k->first + k->n; hi > k->first;) {
    long long tier = book->card[hi - 1].tier_start;
    if (tier <= 0) break;
    int lo = hi;
    while (lo > k->first && book->card[lo - 1].tier_start == tier) lo--;
    const Card *t = in_force(book, lo, hi, ev->at_ts);
    if (t && t->tier_comparison && passes_tier(t, ev, r)) return t;
    hi = lo;
  }
  return NULL;
}

/* Whether card c (may be NULL) prices unit u. */
static int prices(const Card *c, int u) { return c && (c->has_price & (1u << u)); }

/* Unit u's price: the first of chain (units, tier card first, then base
** card, per unit) that is given. */
static void pick_price(TlCostResult *r, int u, const Card *t, const Card *b, const int *chain,
                       int n) {
  for (int i = 0; i < n; i++) {
    const Card *from = prices(t, chain[i]) ? t : prices(b, chain[i]) ? b : NULL;
    if (from) {
      r->has_price |= 1u << u;
      r->price[u] = &from->price[chain[i]];
      r->price_row[u] = from->row;
      r->price_unit[u] = chain[i];
      return;
    }
  }
}

/* The billed prices: each unit's own, else its documented fallback: cache
** reads and writes at the input price, reasoning at the output price, a
** modality at the text price of its direction, a 1-hour write at the
** 5-minute price, then the input price; cached audio at the cache read
** price, else the audio input price, else the input price (genai-prices'
** nearest priced ancestor unit: cache_read_tokens, input_audio_tokens,
** input_tokens). */
static void pick_prices(TlCostResult *r, const Card *t, const Card *b) {
  static const int in[] = {TL_UNIT_INPUT}, out[] = {TL_UNIT_OUTPUT};
  static const int cr[] = {TL_UNIT_CACHE_READ, TL_UNIT_INPUT};
  static const int cw[] = {TL_UNIT_CACHE_WRITE, TL_UNIT_INPUT};
  static const int rs[] = {TL_UNIT_REASONING, TL_UNIT_OUTPUT};
  static const int cw1h[] = {TL_UNIT_CACHE_WRITE_1H, TL_UNIT_CACHE_WRITE, TL_UNIT_INPUT};
  static const int cra[] = {TL_UNIT_CACHE_READ_AUDIO, TL_UNIT_CACHE_READ, TL_UNIT_AUDIO_INPUT,
                            TL_UNIT_INPUT};
  static const int req[] = {TL_UNIT_REQUEST}, ws[] = {TL_UNIT_WEB_SEARCH};
  pick_price(r, TL_UNIT_INPUT, t, b, in, 1);
  pick_price(r, TL_UNIT_CACHE_READ, t, b, cr, 2);
  pick_price(r, TL_UNIT_CACHE_WRITE, t, b, cw, 2);
  pick_price(r, TL_UNIT_CACHE_WRITE_1H, t, b, cw1h, 3);
  pick_price(r, TL_UNIT_CACHE_READ_AUDIO, t, b, cra, 4);
  pick_price(r, TL_UNIT_OUTPUT, t, b, out, 1);
  pick_price(r, TL_UNIT_REASONING, t, b, rs, 2);
  for (int u = TL_UNIT_AUDIO_INPUT; u <= TL_UNIT_VIDEO_OUTPUT; u++) {
    int chain[2] = {u, (u - TL_UNIT_AUDIO_INPUT) % 2 ? TL_UNIT_OUTPUT : TL_UNIT_INPUT};
    pick_price(r, u, t, b, chain, 2);
  }
  pick_price(r, TL_UNIT_REQUEST, t, b, req, 1);
  pick_price(r, TL_UNIT_WEB_SEARCH, t, b, ws, 1);
}

/* The units billed per unit; known_units says which are values. The cache
** buckets are billed less their parts priced apart (1-hour writes, cached
** audio). */
static void count_units(TlCostResult *r, const TlCostEvent *ev) {
  static const int token_unit[5] = {TL_UNIT_INPUT, TL_UNIT_CACHE_READ, TL_UNIT_CACHE_WRITE,
                                    TL_UNIT_OUTPUT, TL_UNIT_REASONING};
  const long long apart[5] = {0, ev->cache_read_audio, ev->cache_write_1h, 0, 0};
  for (int b = 0; b < 5; b++)
    if (ev->known & (1u << b)) {
      r->units[token_unit[b]] = ev->tokens[b] - apart[b];
      r->known_units |= 1u << token_unit[b];
    }
  const long long other[] = {ev->cache_write_1h, ev->cache_read_audio, ev->audio_in,
                             ev->audio_out, ev->image_in, ev->image_out, ev->video_in,
                             ev->video_out};
  const int other_unit[] = {TL_UNIT_CACHE_WRITE_1H, TL_UNIT_CACHE_READ_AUDIO,
                            TL_UNIT_AUDIO_INPUT, TL_UNIT_AUDIO_OUTPUT, TL_UNIT_IMAGE_INPUT,
                            TL_UNIT_IMAGE_OUTPUT, TL_UNIT_VIDEO_INPUT, TL_UNIT_VIDEO_OUTPUT};
  for (int i = 0; i < 8; i++) {
    r->units[other_unit[i]] = other[i];
    r->known_units |= 1u << other_unit[i];
  }
  /* a per-request fee once per call where the card has one; web searches
  ** only where the card prices them */
  r->units[TL_UNIT_REQUEST] = (r->has_price & (1u << TL_UNIT_REQUEST)) ? 1 : 0;
  r->units[TL_UNIT_WEB_SEARCH] =
      (r->has_price & (1u << TL_UNIT_WEB_SEARCH)) ? ev->web_searches : 0;
  r->known_units |= (1u << TL_UNIT_REQUEST) | (1u << TL_UNIT_WEB_SEARCH);
}

static int unit_known(const TlCostResult *r, int u) { return (r->known_units >> u) & 1; }
static int has_price(const TlCostResult *r, int u) { return (r->has_price >> u) & 1; }

/* Units billed without a price of their own (tier or base). */
static void fallback_flags(TlCostResult *r, const Card *t, const Card *b) {
#define OWN(u) (prices(t, u) || prices(b, u))
  r->cache_read_fallback = unit_known(r, TL_UNIT_CACHE_READ) &&
                           r->units[TL_UNIT_CACHE_READ] > 0 && !OWN(TL_UNIT_CACHE_READ);
  r->cache_write_fallback =
      (unit_known(r, TL_UNIT_CACHE_WRITE) && r->units[TL_UNIT_CACHE_WRITE] > 0 &&
       !OWN(TL_UNIT_CACHE_WRITE)) ||
      (r->units[TL_UNIT_CACHE_WRITE_1H] > 0 && !OWN(TL_UNIT_CACHE_WRITE_1H) &&
       !OWN(TL_UNIT_CACHE_WRITE));
  r->cache_write_1h_fallback = r->units[TL_UNIT_CACHE_WRITE_1H] > 0 && !OWN(TL_UNIT_CACHE_WRITE_1H);
  r->cache_read_audio_fallback =
      r->units[TL_UNIT_CACHE_READ_AUDIO] > 0 && !OWN(TL_UNIT_CACHE_READ_AUDIO);
  r->modality_fallback = 0;
  for (int u = TL_UNIT_AUDIO_INPUT; u <= TL_UNIT_VIDEO_OUTPUT; u++)
    if (r->units[u] > 0 && !OWN(u)) r->modality_fallback = 1;
#undef OWN
}

/* bucket_cost over the units [from, to) of the result, as ext/func_cost.c:
** 1 with *cost, 0 NULL, -1 past the largest double, -2 a negative count. */
static int sum_units(const TlCostResult *r, int from, int to, double *cost) {
  long long tokens[TL_NUNIT];
  TlDecimalPrice dec[TL_NUNIT];
  int n = 0, unknown = 0;
  for (int u = from; u < to; u++) {
    if (!unit_known(r, u)) return 0;
    if (r->units[u] < 0) return -2;
    if (r->units[u] == 0) continue;
    if (!has_price(r, u)) {
      unknown = 1;
      continue;
    }
    tokens[n] = r->units[u];
    dec[n++] = *r->price[u];
  }
  if (unknown) return 0;
  *cost = n ? tl_exact_cost_decimal(tokens, dec, n) : 0.0;
  return *cost - *cost == 0 ? 1 : -1; /* NaN and Inf fail */
}

int tl_cost_unit(const TlCostResult *r, TlCostUnit u, double *cost) {
  if (!r->costable) return 0;
  return sum_units(r, (int)u, (int)u + 1, cost);
}

/* The status: unpriced when a billed unit has no price or a token count
** is unknown; free when every price is 0 (or absent). */
static TlCostStatus cost_status(const TlCostResult *r) {
  if (!r->costable) return TL_COST_UNPRICED;
  for (int u = 0; u < TL_NUNIT; u++) {
    if (u == TL_UNIT_REQUEST || u == TL_UNIT_WEB_SEARCH) continue;
    if (!unit_known(r, u)) return TL_COST_UNPRICED;
    if (r->units[u] != 0 && !has_price(r, u)) return TL_COST_UNPRICED;
  }
  static const int charged[] = {TL_UNIT_INPUT, TL_UNIT_CACHE_READ, TL_UNIT_CACHE_WRITE,
                                TL_UNIT_OUTPUT, TL_UNIT_REASONING, TL_UNIT_REQUEST};
  for (size_t i = 0; i < sizeof charged / sizeof charged[0]; i++)
    if (has_price(r, charged[i]) && r->price[charged[i]]->value != 0) return TL_COST_PRICED;
  if (r->units[TL_UNIT_WEB_SEARCH] != 0 && has_price(r, TL_UNIT_WEB_SEARCH) &&
      r->price[TL_UNIT_WEB_SEARCH]->value != 0)
    return TL_COST_PRICED;
  return TL_COST_FREE;
}

/* The result's scalars cleared; its per-unit arrays are read only where
** has_price and known_units say, so they are left as they are (clearing
** them was a tenth of the cost of an event). */
static void result_init(TlCostResult *r) {
  r->rate_provider = r->rate_variant = r->rate_model = NULL;
  r->match_rule = r->match_rule_path = NULL;
  r->base_row = r->tier_row = -1;
  r->base_path = r->tier_path = NULL;
  r->tier = 0;
  r->has_price = r->known_units = 0;
  r->has_total = r->total_error = 0;
  r->total = 0;
}

int tl_cost_event(const TlRateBook *book, const TlCostEvent *ev, TlCostResult *r) {
  result_init(r);
  const long long *tok = ev->tokens;
  r->has_prompt = (ev->known & 7u) == 7u;
  r->prompt_tokens = tok[TL_TOK_INPUT] + tok[TL_TOK_CACHE_READ] + tok[TL_TOK_CACHE_WRITE] +
                     ev->audio_in + ev->image_in + ev->video_in;
  r->has_completion = (ev->known & 24u) == 24u;
  r->completion_tokens = tok[TL_TOK_OUTPUT] + tok[TL_TOK_REASONING] + ev->audio_out +
                         ev->image_out + ev->video_out;
  if (!r->has_prompt) r->prompt_tokens = 0;
  if (!r->has_completion) r->completion_tokens = 0;

  /* the card: the event's provider's of its offering (a window's, when its
  ** time of day falls in one), else its base card, else the creator's */
  const Block *own = ev->blocks_given ? ev->own_block : find_block(book, ev->provider, ev->model);
  const Key *wk = window_key(book, own, ev->variant, ev->at_ts);
  const char *variant = wk ? book->card[wk->first].variant : ev->variant;
  const Key *k = variant ? find_key(book, own, variant) : NULL;
  if (k) r->rate_variant = book->card[k->first].variant;
  if (!k) k = find_key(book, own, NULL);
  if (!k)
    k = find_key(book, ev->blocks_given ? ev->creator_block
                                        : find_block(book, ev->creator, ev->model), NULL);
  if (k) r->rate_model = ev->model;
  if (!k) { /* last: the card a price list's own name rule gives (its window's
            ** at a time of day its window holds) */
    int i = event_rule(book, ev);
    if (i == -2) return -1;
    if (i >= 0) {
      const Rule *rule = &book->rule[i];
      const Block *rb = rule_block(book, rule);
      k = window_key(book, rb, rule->variant, ev->at_ts);
      if (!k) k = find_key(book, rb, rule->variant);
      r->rate_variant = book->card[k->first].variant;
      r->rate_model = book->card[k->first].model;
      r->match_rule = rule->rule;
      r->match_rule_path = rule->source_path;
    }
  }

  const Card *b = NULL, *t = NULL;
  if (k) {
    int lo, hi;
    r->rate_provider = book->card[k->first].provider;
    tier_run(book, k, 0, &lo, &hi);
    b = in_force(book, lo, hi, ev->at_ts);
    t = find_tier(book, k, ev, r);
  }
  if (b) {
    r->base_row = b->row;
    r->base_path = b->source_path;
  }
  if (t) {
    r->tier_row = t->row;
    r->tier_path = t->source_path;
    r->tier = t->tier_start;
  }
  pick_prices(r, t, b);
  count_units(r, ev);
  fallback_flags(r, t, b);
  r->incremental_tier = t && t->tier_mode && strcmp(t->tier_mode, "incremental") == 0;
  r->costable = !ev->has_error && b && !(t && t->tier_mode && strcmp(t->tier_mode, "cliff") != 0);
  r->status = cost_status(r);
  if (r->costable) {
    int rc = sum_units(r, 0, TL_NUNIT, &r->total);
    r->has_total = rc == 1;
    r->total_error = rc < 0 ? -rc : 0;
  }
  return 0;
}

/* ------------------------------------------------------------ the note */

#include <stdarg.h>

typedef struct Text {
  char *p;
  size_t n, cap;
  int nomem;
} Text;

static void text_add(Text *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void text_add(Text *t, const char *fmt, ...) {
  va_list ap;
  if (t->nomem) return;
  va_start(ap, fmt);
  int need = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (need < 0) return;
  if (t->n + (size_t)need + 1 > t->cap) {
    size_t cap = (t->n + (size_t)need + 1) * 2;
    char *p = tl_realloc(t->p, cap);
    if (!p) {
      t->nomem = 1;
      return;
    }
    t->p = p;
    t->cap = cap;
  }
  va_start(ap, fmt);
  vsnprintf(t->p + t->n, t->cap - t->n, fmt, ap);
  va_end(ap);
  t->n += (size_t)need;
}

/* The price cached audio was billed at without one of its own. */
static const char *cached_audio_price_name(const TlCostResult *r) {
  if (!has_price(r, TL_UNIT_CACHE_READ_AUDIO)) return "input";
  switch (r->price_unit[TL_UNIT_CACHE_READ_AUDIO]) {
    case TL_UNIT_CACHE_READ: return "cache read";
    case TL_UNIT_AUDIO_INPUT: return "audio input";
    default: return "input";
  }
}

/* The notes that accompany a cost: what was billed in place of a missing
** price, web searches left unbilled; ';'-separated. */
static void add_billing_notes(Text *t, const TlCostEvent *ev, const TlCostResult *r,
                              const char *path) {
  if (r->match_rule)
    text_add(t, "priced as %s/%s: the match rule of %s covers %s; ", r->rate_provider,
             r->rate_model, r->match_rule_path ? r->match_rule_path : "", ev->raw_model);
  if (r->cache_read_fallback || r->cache_write_fallback)
    text_add(t, "cache %s billed at the input price: no cache price in %s; ",
             r->cache_read_fallback && r->cache_write_fallback ? "read and write"
             : r->cache_read_fallback                          ? "read"
                                                               : "write",
             path);
  if (r->cache_read_audio_fallback)
    text_add(t, "cached audio billed at the %s price: none for cached audio in %s; ",
             cached_audio_price_name(r), path);
  if (r->cache_write_1h_fallback && has_price(r, TL_UNIT_CACHE_WRITE))
    text_add(t, "1-hour cache writes billed at the 5-minute price: none for 1 hour in %s; ", path);
  if (r->modality_fallback)
    text_add(t, "audio, image or video tokens billed at the text price: no price of their own "
                "in %s; ", path);
  if (ev->web_searches > 0 && !has_price(r, TL_UNIT_WEB_SEARCH))
    text_add(t, "%lld web searches not billed: no web search price in %s; ", ev->web_searches,
             path);
  while (t->n && (t->p[t->n - 1] == ';' || t->p[t->n - 1] == ' ')) t->p[--t->n] = 0;
}

static int missing(const TlCostResult *r, int u) {
  return unit_known(r, u) && r->units[u] != 0 && !has_price(r, u);
}

int tl_cost_note(const TlCostEvent *ev, const char *error, const TlCostResult *r, char **note) {
  Text t = {NULL, 0, 0, 0};
  const char *path = r->base_path ? r->base_path : "";
  *note = NULL;
  if (ev->has_error) {
    text_add(&t, "unsound record: %s", error ? error : "");
  } else if (r->base_row < 0) {
    int nor = ev->creator && (!ev->provider || strcmp(ev->creator, ev->provider) != 0);
    if (nor && !ev->model) return 0; /* as in SQL, where text || NULL is NULL */
    text_add(&t, "unknown model: no rate card for %s/%s",
             ev->provider ? ev->provider : "(no provider)", ev->model ? ev->model : "(no model)");
    if (nor) text_add(&t, " nor %s/%s", ev->creator, ev->model);
  } else if (r->incremental_tier) {
    text_add(&t, "tier %lld of %s is incremental: not costed", r->tier,
             r->tier_path ? r->tier_path : "");
  } else if (unit_known(r, TL_UNIT_INPUT) && r->units[TL_UNIT_INPUT] > 0 &&
             !has_price(r, TL_UNIT_INPUT)) {
    text_add(&t, "no input price in %s", path);
  } else if (unit_known(r, TL_UNIT_OUTPUT) && r->units[TL_UNIT_OUTPUT] > 0 &&
             !has_price(r, TL_UNIT_OUTPUT)) {
    text_add(&t, "no output price in %s", path);
  } else if (unit_known(r, TL_UNIT_REASONING) && r->units[TL_UNIT_REASONING] > 0 &&
             !has_price(r, TL_UNIT_REASONING)) {
    text_add(&t, "no reasoning or output price in %s", path);
  } else if (missing(r, TL_UNIT_AUDIO_INPUT) || missing(r, TL_UNIT_IMAGE_INPUT) ||
             missing(r, TL_UNIT_VIDEO_INPUT)) {
    text_add(&t, "no input price for the audio, image or video input in %s", path);
  } else if (missing(r, TL_UNIT_AUDIO_OUTPUT) || missing(r, TL_UNIT_IMAGE_OUTPUT) ||
             missing(r, TL_UNIT_VIDEO_OUTPUT)) {
    text_add(&t, "no output price for the audio, image or video output in %s", path);
  } else {
    add_billing_notes(&t, ev, r, path);
  }
  if (t.nomem) {
    tl_free(t.p);
    return -1;
  }
  if (t.n == 0) {
    tl_free(t.p);
    return 0;
  }
  *note = t.p;
  return 0;
}
