/*
** Decimal text to the nearest double, scaled by a power of ten on the way.
**
** Prices arrive as decimal text ("0.0000025", "2.50", 3e-06) in units of one
** token, 1K or 1M tokens. Dividing a parsed 0.15 by 1e6 rounds twice and can
** land one ulp away from the double nearest 1.5e-7; shifting the decimal
** exponent before the single conversion does not. That is the point of
** shift10: tl_decimal_to_double("0.15", 4, -6, &x) gives exactly the double
** strtod("1.5e-7") gives. The conversion is locale-independent.
*/
#ifndef TOKENLEDGER_DECIMAL_H
#define TOKENLEDGER_DECIMAL_H

#include <stddef.h>

/* Accepts [+-]? digits [. digits]? ([eE][+-]?digits)?, also ".5" and "5.",
** and nothing else (no spaces, no hex, no inf/nan). Returns 0 and the nearest
** double; TL_DECIMAL_OUT_OF_RANGE when the value is nonzero but rounds to 0
** (1e-400) or lies beyond the largest double (1e400), with *out then 0 or an
** infinity, so that no caller mistakes it for a real 0 ("free") or a number;
** or -1 if s is not such a number. It never allocates. */
#define TL_DECIMAL_OUT_OF_RANGE (-2)
int tl_decimal_to_double(const char *s, size_t n, int shift10, double *out);

#endif
