/*
** Prices and costs: units to cost per token, and exact cost arithmetic.
**
** Units. A price is quoted per token, per 1K or per 1M tokens; the spellings
** vary ("1m", "per_1m", "/1M", "mtok", "per million tokens"). tl_unit_shift
** turns a spelling into the power of ten that converts to cost per token
** (0, -3, -6); tl_price_parse reads a price written as text ("2.50",
** "$2.50", " 0.0000025 ") and applies that shift in the one decimal
** conversion (see decimal.h for why that matters).
**
** Costs. tokens x price summed over buckets, done in decimal: each price is
** taken at its shortest round-trip decimal form (the digits the source file
** wrote: 3.75e-06, not 3.7500000000000001e-06), every product and the sum are
** exact integers scaled by a common power of ten, and only the total is
** rounded, once, to the nearest double. So $3.75/1M x 12304 tokens gives
** exactly the double nearest 0.04614, and the worked example of the issue
** tracker (3 x 3e-6 + 12304 x 3.75e-6 + 550 x 15e-6) gives the double nearest
** 0.054399, not 0.054399000000000004. When the exact form would overflow 128
** bits the sum falls back to compensated (Neumaier) double arithmetic.
*/
#ifndef TOKENLEDGER_UNITS_H
#define TOKENLEDGER_UNITS_H

#include <stddef.h>

/* The power of ten a unit spelling scales by: 0 (per token), -3 (per 1K),
** -6 (per 1M). Returns -1 and leaves *shift10 alone for an unknown unit. */
int tl_unit_shift(const char *unit, size_t n, int *shift10);

/* Reasons tl_price_parse and tl_price_scale can fail with. PRICE_TOO_SMALL:
** nonzero but rounds to 0 per token, which would read as free (1e-400);
** PRICE_TOO_LARGE: beyond the largest double, or infinite. */
typedef enum PriceError {
  PRICE_OK = 0,
  PRICE_NOT_A_NUMBER,
  PRICE_NEGATIVE,
  PRICE_TOO_SMALL,
  PRICE_TOO_LARGE
} PriceError;

/* A price written as text: optional surrounding spaces, an optional '$'
** before the digits, a decimal number. */
PriceError tl_price_parse(const char *text, size_t n, int shift10, double *out);

/* A double price scaled by 10^shift10, through its shortest decimal form. */
PriceError tl_price_scale(double value, int shift10, double *out);

/* The shortest decimal that round-trips to value: value = mantissa x
** 10^exp10, mantissa with at most 17 digits. value must be finite. */
void tl_shortest_decimal(double value, long long *mantissa, int *exp10);

/* sum of tokens[i] x price[i] over n buckets, exactly, rounded once.
** Every price must be finite; tokens non-negative. */
double tl_exact_cost(const long long *tokens, const double *price, int n);

/* A price with its shortest decimal found once, for a caller that costs
** many calls at the same price (the coster, ext/core/costing.c): exact is 0 for a
** negative or non-finite price, which tl_exact_cost_decimal then sums in
** compensated double arithmetic as tl_exact_cost does. */
typedef struct TlDecimalPrice {
  double value;
  long long mantissa;
  int exp10;
  int exact;
} TlDecimalPrice;
void tl_decimal_price(double price, TlDecimalPrice *out);

/* tl_exact_cost over prices prepared by tl_decimal_price: the same result,
** without a shortest-decimal search per call. n <= 16. */
double tl_exact_cost_decimal(const long long *tokens, const TlDecimalPrice *dec, int n);

#endif
