/*
** The coster's core (ext/core/costing.c) on a hand-made rate book. Each expected
** cost is worked out by hand in decimal in the comment beside it; the
** SQL oracle comparison over real files is tests/costing.
*/
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "costing.h"
#include "tl_alloc.h"

enum { CARD_A, CARD_B, CARD_TIER, CARD_BATCH, CARD_FEE, CARD_PEAK, CARD_OFFPEAK, N_CARDS };

static void price(TlRateCardIn *c, TlCostUnit u, double p) {
  c->has_price |= 1u << u;
  c->price[u] = p;
}

static TlRateBook *make_book(void) {
  TlRateBook *book = tl_ratebook_new();
  TlRateCardIn c[N_CARDS];
  memset(c, 0, sizeof c);
  /* claude-x: $3/$15 until 2025-06-01 with cache prices, then $2/$10 without */
  c[CARD_A] = (TlRateCardIn){.provider = "anthropic", .model = "claude-x",
                             .effective_from = "2025-01-01", .valid_from = "",
                             .valid_to = "2025-06-01", .source_path = "a.json"};
  price(&c[CARD_A], TL_UNIT_INPUT, 3e-6);
  price(&c[CARD_A], TL_UNIT_OUTPUT, 15e-6);
  price(&c[CARD_A], TL_UNIT_CACHE_READ, 0.3e-6);
  price(&c[CARD_A], TL_UNIT_CACHE_WRITE, 3.75e-6);
  c[CARD_B] = (TlRateCardIn){.provider = "anthropic", .model = "claude-x",
                             .effective_from = "2025-06-01", .valid_from = "2025-06-01",
                             .source_path = "b.json"};
  price(&c[CARD_B], TL_UNIT_INPUT, 2e-6);
  price(&c[CARD_B], TL_UNIT_OUTPUT, 10e-6);
  /* prompts over 200k: $6/$22.50, the whole request */
  c[CARD_TIER] = (TlRateCardIn){.provider = "anthropic", .model = "claude-x",
                                .tier_start = 200000, .effective_from = "2025-01-01",
                                .valid_from = "", .tier_counts = "prompt",
                                .tier_comparison = ">", .tier_mode = "cliff",
                                .source_path = "a.json"};
  price(&c[CARD_TIER], TL_UNIT_INPUT, 6e-6);
  price(&c[CARD_TIER], TL_UNIT_OUTPUT, 22.5e-6);
  c[CARD_BATCH] = (TlRateCardIn){.provider = "anthropic", .model = "claude-x",
                                 .variant = "service_tier=batch",
                                 .effective_from = "2025-01-01", .valid_from = "",
                                 .source_path = "a.json"};
  price(&c[CARD_BATCH], TL_UNIT_INPUT, 1.5e-6);
  price(&c[CARD_BATCH], TL_UNIT_OUTPUT, 7.5e-6);
  c[CARD_FEE] = (TlRateCardIn){.provider = "openai", .model = "gpt-y",
                               .effective_from = "2025-01-01", .valid_from = "",
                               .source_path = "o.json"};
  price(&c[CARD_FEE], TL_UNIT_INPUT, 1e-6);
  price(&c[CARD_FEE], TL_UNIT_OUTPUT, 4e-6);
  price(&c[CARD_FEE], TL_UNIT_REQUEST, 0.01);
  c[CARD_PEAK] = (TlRateCardIn){.provider = "deepseek", .model = "ds",
                                .variant = "window=00:30:00-16:30:00",
                                .effective_from = "2025-01-01", .valid_from = "",
                                .window_start = "00:30:00", .window_end = "16:30:00",
                                .source_path = "d.json"};
  price(&c[CARD_PEAK], TL_UNIT_INPUT, 1e-6);
  c[CARD_OFFPEAK] = (TlRateCardIn){.provider = "deepseek", .model = "ds",
                                   .effective_from = "2025-01-01", .valid_from = "",
                                   .source_path = "d.json"};
  price(&c[CARD_OFFPEAK], TL_UNIT_INPUT, 0.5e-6);
  /* added out of order: the book sorts */
  for (int i = N_CARDS - 1; i >= 0; i--) tl_ratebook_add(book, &c[i], i);
  tl_ratebook_finish(book, NULL, 0);
  return book;
}

static TlCostEvent event(const char *provider, const char *model, const char *ts,
                         long long input, long long output) {
  TlCostEvent e;
  memset(&e, 0, sizeof e);
  e.provider = provider;
  e.creator = "anthropic";
  e.model = model;
  e.at_ts = ts;
  e.tokens[TL_TOK_INPUT] = input;
  e.tokens[TL_TOK_OUTPUT] = output;
  e.known = 31;
  return e;
}

int main(void) {
  TlRateBook *book = make_book();
  TlCostResult r;
  TlCostEvent e;
  char *note;

  /* 1000 x $3/1M + 100 x $15/1M = 0.003 + 0.0015 */
  e = event("anthropic", "claude-x", "2025-03-01T10:00:00.000Z", 1000, 100);
  tl_cost_event(book, &e, &r);
  CHECK("the card in force at ts", r.base_row == CARD_A && r.tier_row == -1 && r.has_total &&
                                       r.total == 0.0045 && r.status == TL_COST_PRICED);
  /* the earliest card also covers the time before it */
  e.at_ts = "2024-01-01";
  tl_cost_event(book, &e, &r);
  CHECK("an event before every card takes the earliest", r.base_row == CARD_A);
  /* from 2025-06-01 the $2/$10 card; 1000 cached at the input price:
  ** 1000 x 2e-6 + 1000 x 2e-6 + 100 x 10e-6 = 0.005 */
  e = event("anthropic", "claude-x", "2025-06-01", 1000, 100);
  e.tokens[TL_TOK_CACHE_READ] = 1000;
  tl_cost_event(book, &e, &r);
  CHECK("a card's first day is inside it", r.base_row == CARD_B);
  CHECK("a missing cache price bills the input price, flagged",
        r.total == 0.005 && r.cache_read_fallback && !r.cache_write_fallback);
  tl_cost_note(&e, NULL, &r, &note);
  CHECK_STR("the note says so", note,
            "cache read billed at the input price: no cache price in b.json");
  tl_free(note);
  /* prompt 250,000 > 200,000: 250000 x 6e-6 + 100 x 22.5e-6 = 1.5 + 0.00225 */
  e = event("anthropic", "claude-x", "2025-03-01", 250000, 100);
  tl_cost_event(book, &e, &r);
  CHECK("a prompt over the tier start takes the tier", r.tier_row == CARD_TIER &&
                                                           r.tier == 200000 && r.total == 1.50225);
  /* exactly 200,000 is not over it: 200000 x 3e-6 + 0.0015 = 0.6015 */
  e = event("anthropic", "claude-x", "2025-03-01", 200000, 100);
  tl_cost_event(book, &e, &r);
  CHECK("'>' is strict", r.tier_row == -1 && r.total == 0.6015);
  e = event("anthropic", "claude-x", "2025-03-01", 1000, 100);
  e.variant = "service_tier=batch";
  tl_cost_event(book, &e, &r);
  /* 1000 x 1.5e-6 + 100 x 7.5e-6 = 0.0015 + 0.00075 */
  CHECK("a batch call meets the batch card", r.base_row == CARD_BATCH && r.total == 0.00225 &&
                                                 r.rate_variant &&
                                                 strcmp(r.rate_variant, "service_tier=batch") == 0);
  e.variant = "service_tier=flex";
  tl_cost_event(book, &e, &r);
  CHECK("a tier without a card of its own takes the base card",
        r.base_row == CARD_A && r.rate_variant == NULL);
  e = event("bedrock", "claude-x", "2025-03-01", 1000, 100);
  tl_cost_event(book, &e, &r);
  CHECK("a provider without a card falls back to the creator's",
        r.base_row == CARD_A && strcmp(r.rate_provider, "anthropic") == 0);
  /* 1000 x 1e-6 + one request x 0.01 = 0.011 */
  e = event("openai", "gpt-y", "2025-03-01", 1000, 0);
  e.creator = "openai";
  tl_cost_event(book, &e, &r);
  CHECK("a per-request fee is billed once", r.total == 0.011 && r.units[TL_UNIT_REQUEST] == 1);
  /* 1000 x 1e-6 inside the window, 1000 x 0.5e-6 outside */
  e = event("deepseek", "ds", "2025-03-01T10:00:00.000Z", 1000, 0);
  e.creator = "deepseek";
  tl_cost_event(book, &e, &r);
  CHECK("inside the daily window, the window card", r.base_row == CARD_PEAK && r.total == 0.001);
  e.at_ts = "2025-03-01T16:30:00.000Z";
  tl_cost_event(book, &e, &r);
  CHECK("the window's end is outside it", r.base_row == CARD_OFFPEAK && r.total == 0.0005);
  e.at_ts = "2025-03-01";
  tl_cost_event(book, &e, &r);
  CHECK("a date without a time is never in a window", r.base_row == CARD_OFFPEAK);
  e = event("acme", "nothing", "2025-03-01", 1000, 0);
  e.creator = NULL;
  tl_cost_event(book, &e, &r);
  tl_cost_note(&e, NULL, &r, &note);
  CHECK("an unknown model is unpriced", r.base_row == -1 && !r.has_total &&
                                           r.status == TL_COST_UNPRICED);
  CHECK_STR("and the note names it", note, "unknown model: no rate card for acme/nothing");
  tl_free(note);
  e = event("anthropic", "claude-x", "2025-03-01", 1000, 100);
  e.known &= ~(1u << TL_TOK_CACHE_READ);
  tl_cost_event(book, &e, &r);
  CHECK("an unknown token count makes the cost unknown", !r.has_total &&
                                                             r.status == TL_COST_UNPRICED);
  tl_ratebook_free(book);

  /* out of memory at every allocation of building a book: never a crash */
  int failed = 0;
  for (long n = 0; n < 40; n++) {
    tl_alloc_fail_from(n);
    TlRateBook *b = tl_ratebook_new();
    TlRateCardIn c = {.provider = "p", .model = "m", .effective_from = "2025-01-01",
                      .valid_from = "", .source_path = "x"};
    int rc = b ? tl_ratebook_add(b, &c, 0) : -1;
    if (rc == 0) rc = tl_ratebook_finish(b, NULL, 0);
    if (rc != 0) failed++;
    tl_ratebook_free(b);
  }
  tl_alloc_fail_from(-1);
  CHECK("a book built under failing allocations fails cleanly", failed > 0);
  return check_failures ? 1 : 0;
}
