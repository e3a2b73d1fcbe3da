/*
** Scalar functions over prices and costs (the logic is ext/core/units.c).
**
**   per_token(value [, unit])
**     The cost per token of a price quoted in `unit`: 'token' (default), '1k'
**     or '1m', in any usual spelling ('per_1m', '/1M', 'mtok', 'per 1K
**     tokens', 'million', ...). value is REAL, INTEGER or TEXT ('2.50',
**     '$2.50', '0.0000025'). The result is the double nearest the decimal
**     value / 10^k: per_token('0.15', '1m') is exactly 1.5e-07. NULL in, NULL
**     out. An unknown unit, text that is not a price, a negative price, a
**     price too large for a double, or a nonzero price too small for one
**     (per_token('1e-400'), which would come out as 0 and read as free) is
**     an error that quotes the value.
**
**   token_cost(input_tokens, output_tokens, input_cost_per_token,
**              output_cost_per_token)
**     USD (or whatever currency the prices are in) for one call:
**     input_tokens x input price + output_tokens x output price, computed in
**     exact decimal and rounded once (see units.h). NULL in, NULL out;
**     negative token counts and negative prices are errors, and so is a cost
**     too large for a double (token_cost(1e10, 0, 1e300, 0)), named by the
**     arguments whose product overflows, rather than Inf or NULL.
**
** Out of memory is always SQLITE_NOMEM, never another error or a NULL.
**
** Both are deterministic and innocuous: usable in views, indexes and
** generated columns.
*/
#include <math.h>
#include <sqlite3ext.h>
#include <string.h>

#include "func_result.h"
#include "tokenledger_modules.h"
#include "units.h"
SQLITE_EXTENSION_INIT3

#define UNIT_HELP "expected token, 1k or 1m, such as 'per_1m', '/1K' or 'mtok'"

static void per_token_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  int shift10 = 0;
  double out = 0;
  PriceError err = PRICE_OK;
  const char *text = NULL;

  if (sqlite3_value_type(argv[0]) == SQLITE_NULL ||
      (argc == 2 && sqlite3_value_type(argv[1]) == SQLITE_NULL)) {
    return;
  }
  if (argc == 2) {
    const char *unit = tl_arg_text(ctx, argv[1]);
    if (!unit) return;
    if (tl_unit_shift(unit, (size_t)sqlite3_value_bytes(argv[1]), &shift10) != 0) {
      tl_result_error_msg(ctx, sqlite3_mprintf("per_token: unknown unit '%s': " UNIT_HELP, unit));
      return;
    }
  }
  switch (sqlite3_value_type(argv[0])) {
    case SQLITE_FLOAT:
      err = tl_price_scale(sqlite3_value_double(argv[0]), shift10, &out);
      break;
    case SQLITE_INTEGER:
    case SQLITE_TEXT:
      /* Integers go through their decimal text: exact at any size. */
      if (!(text = tl_arg_text(ctx, argv[0]))) return;
      err = tl_price_parse(text, (size_t)sqlite3_value_bytes(argv[0]), shift10, &out);
      break;
    default:
      sqlite3_result_error(ctx, "per_token: a BLOB is not a price", -1);
      return;
  }
  if (err != PRICE_OK) {
    const char *what = err == PRICE_NEGATIVE    ? "a negative price"
                       : err == PRICE_TOO_LARGE ? "not a finite price"
                                                : "not a price";
    const char *value = tl_arg_text(ctx, argv[0]);
    if (!value) return;
    if (err == PRICE_TOO_SMALL)
      tl_result_error_msg(ctx, sqlite3_mprintf("per_token: '%s' is too small: it would round to 0 "
                                            "per token, which reads as free", value));
    else
      tl_result_error_msg(ctx, sqlite3_mprintf("per_token: '%s' is %s: expected a number of "
                                               "dollars such as 2.50 or '$2.50'",
                                               value, what));
    return;
  }
  sqlite3_result_double(ctx, out);
}

/* A token count argument: a non-negative integer (an integral REAL is fine). */
static int token_count_arg(sqlite3_context *ctx, sqlite3_value *v, const char *name,
                           long long *out) {
  int type = sqlite3_value_numeric_type(v);
  double d = sqlite3_value_double(v);
  if (type == SQLITE_INTEGER) {
    *out = sqlite3_value_int64(v);
  } else if (type == SQLITE_FLOAT && d == floor(d) && fabs(d) < 9e18) {
    *out = (long long)d;
  } else {
    const char *value = tl_arg_text(ctx, v);
    if (value)
      tl_result_error_msg(ctx, sqlite3_mprintf(
                                "token_cost: %s is '%s': expected a whole number of tokens",
                                name, value));
    return -1;
  }
  if (*out < 0) {
    tl_result_error_msg(ctx, sqlite3_mprintf("token_cost: %s is negative (%lld)", name, *out));
    return -1;
  }
  return 0;
}

static int price_arg(sqlite3_context *ctx, sqlite3_value *v, const char *name, double *out) {
  int type = sqlite3_value_numeric_type(v);
  const char *value;
  *out = sqlite3_value_double(v);
  if ((type == SQLITE_INTEGER || type == SQLITE_FLOAT) && isfinite(*out) && *out >= 0) return 0;
  if ((value = tl_arg_text(ctx, v)) != NULL)
    tl_result_error_msg(ctx, sqlite3_mprintf(
                              "token_cost: %s is '%s': expected a non-negative number", name,
                              value));
  return -1;
}

static void token_cost_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  static const char *const tokens_name[2] = {"input_tokens", "output_tokens"};
  static const char *const price_name[2] = {"input_cost_per_token", "output_cost_per_token"};
  long long tokens[2];
  double price[2], cost;
  for (int i = 0; i < argc; i++) {
    if (sqlite3_value_type(argv[i]) == SQLITE_NULL) return;
  }
  for (int i = 0; i < 2; i++) {
    if (token_count_arg(ctx, argv[i], tokens_name[i], &tokens[i])) return;
  }
  for (int i = 0; i < 2; i++) {
    if (price_arg(ctx, argv[2 + i], price_name[i], &price[i])) return;
  }
  cost = tl_exact_cost(tokens, price, 2);
  if (isfinite(cost)) {
    sqlite3_result_double(ctx, cost);
    return;
  }
  /* Past the largest double: an error, not Inf (or the NaN, hence NULL, that
  ** Inf - Inf gives inside a compensated sum). Name the product that
  ** overflows, else the sum. */
  for (int i = 0; i < 2; i++) {
    if (!isfinite((double)tokens[i] * price[i])) {
      tl_result_error_msg(ctx, sqlite3_mprintf("token_cost: %s x %s overflows (%lld x %!.15g)",
                                            tokens_name[i], price_name[i], tokens[i],
                                            price[i]));
      return;
    }
  }
  sqlite3_result_error(ctx, "token_cost: the sum of the input and output costs overflows", -1);
}

int tl_register_units(sqlite3 *db, char **pzErr) {
  (void)pzErr; /* nothing to say beyond the connection's message */
  static const struct {
    const char *name;
    int nargs;
    void (*fn)(sqlite3_context *, int, sqlite3_value **);
  } aFunc[] = {
      {"per_token", 1, per_token_func},
      {"per_token", 2, per_token_func},
      {"token_cost", 4, token_cost_func},
  };
  for (size_t i = 0; i < sizeof aFunc / sizeof aFunc[0]; i++) {
    int rc = sqlite3_create_function(
        db, aFunc[i].name, aFunc[i].nargs,
        TL_FUNC_PURE, NULL, aFunc[i].fn, NULL, NULL);
    if (rc != SQLITE_OK) return rc;
  }
  return SQLITE_OK;
}
