/*
** The coster: the rate cards in force, held in memory, and the cost of one
** usage event against them. The rules are event_costs' (the manual is at
** the top of vtab/event_costs.c; the same rules written in SQL are
** tests/reference/event_costs_reference.sql, the test oracle).
**
**   TlRateBook *book = tl_ratebook_new();
**   tl_ratebook_add(book, &card, row);      -- every row of rate_timeline
**   tl_ratebook_finish(book);                -- sort and index
**   tl_cost_event(book, &event, &cost);      -- per event
**   tl_ratebook_free(book);
**
** Plain C; no SQLite. Allocation through tl_malloc (ext/core/tl_alloc.h).
*/
#ifndef TOKENLEDGER_COSTING_H
#define TOKENLEDGER_COSTING_H

#include <stddef.h>

#include "units.h"

/* The billed units, in the order their costs are summed and listed. */
typedef enum TlCostUnit {
  TL_UNIT_INPUT,
  TL_UNIT_CACHE_READ,
  TL_UNIT_CACHE_WRITE,    /* 5-minute (and unsplit) cache writes */
  TL_UNIT_CACHE_WRITE_1H, /* 1-hour cache writes */
  TL_UNIT_OUTPUT,
  TL_UNIT_REASONING,
  TL_UNIT_AUDIO_INPUT,
  TL_UNIT_AUDIO_OUTPUT,
  TL_UNIT_IMAGE_INPUT,
  TL_UNIT_IMAGE_OUTPUT,
  TL_UNIT_VIDEO_INPUT,
  TL_UNIT_VIDEO_OUTPUT,
  TL_UNIT_REQUEST,        /* a per-request fee: 1 per call */
  TL_UNIT_WEB_SEARCH,     /* web search calls */
  TL_UNIT_CACHE_READ_AUDIO, /* cached audio input; TL_UNIT_CACHE_READ is the rest */
  TL_NUNIT
} TlCostUnit;

/* One row of rate_timeline. Strings are copied by tl_ratebook_add; NULL is
** SQL NULL. A card without provider, model or effective_from can never be
** chosen (SQL compares NULL with nothing) and is left out. */
typedef struct TlRateCardIn {
  const char *provider, *model, *variant;
  long long tier_start;               /* tier_start_tokens; 0 the base card */
  const char *effective_from;
  const char *valid_from, *valid_to;  /* [valid_from, valid_to); valid_to NULL: open */
  unsigned has_price;                 /* bit u: price[u] is a value */
  double price[TL_NUNIT];             /* USD per unit (token, request, search) */
  const char *tier_counts;            /* 'input', 'total', else the prompt */
  const char *tier_comparison;        /* '>' or '>='; NULL: not a usable tier */
  const char *tier_mode;              /* NULL or 'cliff': costed; else not */
  const char *window_start, *window_end; /* a daily UTC window, 'HH:MM:SS' */
  const char *source_path;            /* for cost_note */
} TlRateCardIn;

typedef struct TlRateBook TlRateBook;

TlRateBook *tl_ratebook_new(void);
void tl_ratebook_free(TlRateBook *book);
/* Adds a card; row is the caller's index of it (tl_cost_event names cards by
** it). 0, or -1 out of memory. */
int tl_ratebook_add(TlRateBook *book, const TlRateCardIn *card, int row);
/* Adds a price list's own name rule (rate_match_rules: genai-prices'
** `match`, JSON text) for the card of (provider, model, variant; NULL: the
** plain offering), or of (provider, own_model, variant) when own_model is
** given and the book has that card (an undated name the ledger keeps
** apart); rules are tried per provider in the order added. 0, or -1 out of
** memory. */
int tl_ratebook_add_rule(TlRateBook *book, const char *provider, const char *model,
                         const char *variant, const char *own_model, const char *rule,
                         const char *source_path);
/* Sorts and indexes the cards; 0, or -1 out of memory, or -2 with err
** naming a rule genai_match cannot read. */
int tl_ratebook_finish(TlRateBook *book, char *err, size_t errlen);

/* The cards of one (provider, model); NULL when the book has none. A
** caller costing many events of one name looks it up once and passes it in
** TlCostEvent (blocks_given), sparing a hash probe per event. */
typedef struct TlRateBlock TlRateBlock;
const TlRateBlock *tl_ratebook_block(const TlRateBook *book, const char *provider,
                                     const char *model);

/* One event, with its canonical names (resolve_model) and its variant key
** (variant_key of the name's variant and the event's service tier). */
typedef struct TlCostEvent {
  const char *provider, *creator, *model, *variant; /* NULL: unknown / plain */
  const char *at_ts;   /* the instant the card is chosen for (rate_at); never NULL */
  int has_error;       /* an unsound record: never costed */
  /* input, cache_read, cache_write (5m and 1h together), output, reasoning:
  ** bit b of known says tokens[b] is a value */
  long long tokens[5];
  unsigned known;
  /* the other units, 0 where the log says nothing: audio in/out, image
  ** in/out, video in/out, 1-hour cache writes (part of cache_write), web
  ** searches, cached audio (part of cache_read) */
  long long audio_in, audio_out, image_in, image_out, video_in, video_out;
  long long cache_write_1h, web_searches, cache_read_audio;
  /* tl_ratebook_block(provider, model) and (creator, model), when given */
  int blocks_given;
  const TlRateBlock *own_block, *creator_block;
  /* the raw model name as the log wrote it (NUL-terminated; NULL: none), for
  ** the price lists' name rules; *rule_memo, when given, keeps the rule
  ** found for it (-2: not sought yet, -1: none) across events of one name */
  const char *raw_model;
  int *rule_memo;
} TlCostEvent;

enum { TL_TOK_INPUT, TL_TOK_CACHE_READ, TL_TOK_CACHE_WRITE, TL_TOK_OUTPUT, TL_TOK_REASONING };

typedef enum TlCostStatus { TL_COST_UNPRICED, TL_COST_FREE, TL_COST_PRICED } TlCostStatus;

/* What tl_cost_event found. Strings point into the book or the event. */
typedef struct TlCostResult {
  const char *rate_provider; /* whose card: the event's provider, else the creator */
  const char *rate_variant;  /* the variant card's key, NULL: a base card */
  const char *rate_model;    /* the card's model: the event's, or a name rule's */
  const char *match_rule;    /* that name rule (JSON), NULL: the names found the card */
  const char *match_rule_path; /* the list the rule is from */
  int base_row;              /* the base card in force (caller's row), -1: none */
  int tier_row;              /* the tier card applied, -1: none */
  const char *base_path, *tier_path; /* their source paths */
  long long tier;            /* its tier_start_tokens, when tier_row >= 0 */
  int has_prompt, has_completion;
  long long prompt_tokens, completion_tokens;
  /* the price each unit is billed at (the tier's, else the base card's, else
  ** the documented fallback); bit u of has_price: price[u] is a value */
  unsigned has_price;
  const TlDecimalPrice *price[TL_NUNIT];
  int price_row[TL_NUNIT], price_unit[TL_NUNIT]; /* whose price: card row, its unit */
  long long units[TL_NUNIT]; /* billed units; valid where known_units has the bit */
  unsigned known_units;
  int costable;              /* sound, a base card, a cliff tier (or none) */
  int cache_read_fallback, cache_write_fallback, cache_write_1h_fallback,
      cache_read_audio_fallback, modality_fallback;
  int incremental_tier;      /* the tier card's mode is not 'cliff' */
  TlCostStatus status;
  /* total_cost when has_total; total_error: a cost past the largest double */
  int has_total, total_error;
  double total;
} TlCostResult;

/* Costs ev (the manual of vtab/event_costs.c): 0, or -1 out of memory. */
int tl_cost_event(const TlRateBook *book, const TlCostEvent *ev, TlCostResult *out);

/* The cost of unit u of a result (the per-unit cost columns): 1 with *cost
** set, 0 for NULL (no price for units billed, unknown units, not
** costable), -1 past the largest double. */
int tl_cost_unit(const TlCostResult *r, TlCostUnit u, double *cost);

/* cost_note: why a cost is NULL, or what was billed in place of a missing
** price. *note is a tl_malloc'd string, or NULL for no note. 0, or -1 out
** of memory. error: the record's error, when has_error. */
int tl_cost_note(const TlCostEvent *ev, const char *error, const TlCostResult *r, char **note);

#endif
