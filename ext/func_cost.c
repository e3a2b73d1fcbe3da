/*
** bucket_cost: the exact cost of a call whose tokens fall into several
** buckets, each with its own price (the logic is tl_exact_cost, ext/core/units.c).
**
**   SELECT bucket_cost(3, 3e-6, 12304, 3.75e-6, 0, 3e-7, 550, 1.5e-5);
**   -- 0.054399: input, cache write, cache read, output of the issue's
**   -- worked example, summed in decimal and rounded once
**
**   bucket_cost(tokens1, price1 [, tokens2, price2 ... up to 16 pairs])
**     USD (or the prices' currency): sum of tokens_i x price_i, computed in
**     exact decimal from each price's shortest form and rounded once, so
**     the total is the double nearest the true decimal sum. Summing several
**     token_cost() calls instead rounds once per call and can land one ulp
**     away (0.054399000000000004).
**
**   NULLs. A bucket with 0 tokens costs 0 whatever its price, NULL included:
**   a model without a cache-write price still costs a call that wrote no
**   cache. A bucket with tokens but a NULL price makes the result NULL (an
**   unknown price is not free). NULL tokens make the result NULL.
**   Errors: an odd number of arguments (at registration: only 2, 4, ... 32
**   are accepted), a negative or fractional token count, a negative or
**   non-numeric price, a cost too large for a double (rather than Inf, or
**   the NULL a NaN becomes); each message names the arguments and quotes
**   them. Out of memory is always SQLITE_NOMEM.
**
** Deterministic and innocuous: usable in views, indexes and generated
** columns.
*/
#include <math.h>
#include <sqlite3ext.h>

#include "func_result.h"
#include "tokenledger_modules.h"
#include "units.h"
SQLITE_EXTENSION_INIT3

#define COST_MAX_PAIRS 16

/* Argument i (0-based) as a token count; -1 after setting an error. */
static int tokens_arg(sqlite3_context *ctx, sqlite3_value *v, int i, long long *out) {
  int type = sqlite3_value_numeric_type(v);
  double d = sqlite3_value_double(v);
  const char *value;
  if (type == SQLITE_INTEGER) {
    *out = sqlite3_value_int64(v);
  } else if (type == SQLITE_FLOAT && d == floor(d) && fabs(d) < 9e18) {
    *out = (long long)d;
  } else {
    if ((value = tl_arg_text(ctx, v)) != NULL)
      tl_result_error_msg(ctx, sqlite3_mprintf(
                                "bucket_cost: argument %d is '%s': expected a whole number of "
                                "tokens",
                                i + 1, value));
    return -1;
  }
  if (*out < 0) {
    tl_result_error_msg(ctx, sqlite3_mprintf(
                              "bucket_cost: argument %d is a negative token count (%lld)",
                              i + 1, *out));
    return -1;
  }
  return 0;
}

/* Argument i (0-based) as a price per token; -1 after setting an error. */
static int price_arg(sqlite3_context *ctx, sqlite3_value *v, int i, double *out) {
  int type = sqlite3_value_numeric_type(v);
  const char *value;
  *out = sqlite3_value_double(v);
  if ((type == SQLITE_INTEGER || type == SQLITE_FLOAT) && isfinite(*out) && *out >= 0) {
    return 0;
  }
  if ((value = tl_arg_text(ctx, v)) != NULL)
    tl_result_error_msg(ctx, sqlite3_mprintf(
                              "bucket_cost: argument %d is '%s': expected a non-negative price",
                              i + 1, value));
  return -1;
}

/* The cost is past the largest double: name the bucket whose product
** overflows (arg[k] is the 0-based argument of its token count), else the
** sum. */
static void overflow_error(sqlite3_context *ctx, const long long *tokens, const double *price,
                           const int *arg, int n) {
  for (int k = 0; k < n; k++) {
    if (!isfinite((double)tokens[k] * price[k])) {
      tl_result_error_msg(ctx, sqlite3_mprintf(
                                "bucket_cost: argument %d x argument %d overflows (%lld x %!.15g)",
                                arg[k] + 1, arg[k] + 2, tokens[k], price[k]));
      return;
    }
  }
  sqlite3_result_error(ctx, "bucket_cost: the sum of the buckets overflows", -1);
}

static void bucket_cost_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  long long tokens[COST_MAX_PAIRS];
  double price[COST_MAX_PAIRS], cost;
  int arg[COST_MAX_PAIRS];
  int n = 0, unknown = 0;
  for (int i = 0; i + 1 < argc; i += 2) {
    long long t;
    if (sqlite3_value_type(argv[i]) == SQLITE_NULL) return;
    if (tokens_arg(ctx, argv[i], i, &t)) return;
    if (t == 0) continue; /* no tokens: no cost, whatever the price */
    if (sqlite3_value_type(argv[i + 1]) == SQLITE_NULL) {
      unknown = 1; /* keep checking the other arguments for errors */
      continue;
    }
    if (price_arg(ctx, argv[i + 1], i + 1, &price[n])) return;
    arg[n] = i;
    tokens[n++] = t;
  }
  if (unknown) return;
  cost = n ? tl_exact_cost(tokens, price, n) : 0.0;
  /* Inf, or NaN from Inf - Inf inside the compensated sum: never a result */
  if (!isfinite(cost)) overflow_error(ctx, tokens, price, arg, n);
  else sqlite3_result_double(ctx, cost);
}

int tl_register_cost(sqlite3 *db, char **pzErr) {
  (void)pzErr; /* nothing to say beyond the connection's message */
  for (int pairs = 1; pairs <= COST_MAX_PAIRS; pairs++) {
    int rc = sqlite3_create_function(db, "bucket_cost", 2 * pairs,
                                     TL_FUNC_PURE, NULL,
                                     bucket_cost_func, NULL, NULL);
    if (rc != SQLITE_OK) return rc;
  }
  return SQLITE_OK;
}
