/*
** Units and exact cost arithmetic (ext/core/units.c). Expected values worked out
** by hand in decimal; the "naive" comparisons were checked in python3.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "units.h"

static int shift_of(const char *unit) {
  int shift = 99;
  if (tl_unit_shift(unit, strlen(unit), &shift) != 0) return 99;
  return shift;
}

int main(void) {
  double x;
  long long m;
  int e;

  CHECK("unit 1m", shift_of("1m") == -6 && shift_of("per_1M") == -6 && shift_of("/1M tokens") == -6);
  CHECK("unit mtok and million", shift_of("MTok") == -6 && shift_of("per million tokens") == -6);
  CHECK("unit 1k", shift_of("1k") == -3 && shift_of("per_1k_tokens") == -3 && shift_of("ktok") == -3);
  CHECK("unit token", shift_of("token") == 0 && shift_of("") == 0 && shift_of("per token") == 0);
  CHECK("unknown unit", shift_of("furlong") == 99 && shift_of("1g") == 99);

  CHECK("price text with $", tl_price_parse("$2.50", 5, -6, &x) == PRICE_OK && x == 2.5e-6);
  CHECK("price negative", tl_price_parse("-1", 2, 0, &x) == PRICE_NEGATIVE);
  CHECK("price junk", tl_price_parse("2,50", 4, 0, &x) == PRICE_NOT_A_NUMBER);
  CHECK("price overflow", tl_price_parse("1e400", 5, 0, &x) == PRICE_TOO_LARGE);
  CHECK("price underflow", tl_price_parse("1e-400", 6, 0, &x) == PRICE_TOO_SMALL);
  CHECK("price underflow by the unit", tl_price_parse("1e-320", 6, -6, &x) == PRICE_TOO_SMALL);
  CHECK("a true zero is a price", tl_price_parse("0.000", 5, -6, &x) == PRICE_OK && x == 0);
  CHECK("the smallest double is kept", tl_price_parse("5e-324", 6, 0, &x) == PRICE_OK &&
                                           x == 4.9406564584124654e-324);
  CHECK("scale underflow", tl_price_scale(1e-320, -6, &x) == PRICE_TOO_SMALL);

  tl_shortest_decimal(3.75e-06, &m, &e);
  CHECK("shortest decimal of 3.75e-06 is 375e-8", m == 375 && e == -8);
  tl_shortest_decimal(0.1, &m, &e);
  CHECK("shortest decimal of 0.1 is 1e-1", m == 1 && e == -1);
  tl_shortest_decimal(2.9999900000000002e-06, &m, &e);
  CHECK("17-digit price keeps its digits", m == 29999900000000002LL && e == -22);
  CHECK("scale 0.17 per 1M", tl_price_scale(0.17, -6, &x) == PRICE_OK && x == 1.7e-07);
  {
    /* The digits a price was written with come back: random M x 10^E with up
    ** to 9 digits, parsed by strtod, must give M (less trailing zeros). */
    int all = 1;
    srand(11);
    for (int i = 0; i < 100000 && all; i++) {
      long long written = rand() % 1000000000 + 1;
      int exponent = -(rand() % 25);
      char text[48];
      long long want = written;
      int want_exp = exponent;
      snprintf(text, sizeof text, "%llde%d", written, exponent);
      while (want % 10 == 0) {
        want /= 10;
        want_exp++;
      }
      tl_shortest_decimal(strtod(text, NULL), &m, &e);
      if (m != want || e != want_exp) {
        printf("# shortest decimal of %s gave %lld e%d\n", text, m, e);
        all = 0;
      }
    }
    CHECK("100000 random prices give back their written digits", all);
  }

  {
    /* The issue tracker's worked example: Claude 3.7 Sonnet, $3 / $15 per 1M,
    ** cache write $3.75 per 1M; input 3, cache write 12304, output 550:
    ** 0.000009 + 0.04614 + 0.00825 = 0.054399. */
    long long tokens[3] = {3, 12304, 550};
    double price[3] = {3e-6, 3.75e-6, 15e-6};
    CHECK("worked example costs exactly 0.054399", tl_exact_cost(tokens, price, 3) == 0.054399);
  }
  {
    /* 8019 x 3e-6 + 732 x 1.2e-6 = 0.0249354; naive doubles give 0.024935400000000003. */
    long long tokens[2] = {8019, 732};
    double price[2] = {3e-6, 1.2e-6};
    CHECK("exact where naive drifts", tl_exact_cost(tokens, price, 2) == 0.0249354 &&
                                          8019 * 3e-6 + 732 * 1.2e-6 != 0.0249354);
  }
  {
    long long tokens[2] = {0, 0};
    double price[2] = {3e-6, 0};
    CHECK("zero tokens cost 0", tl_exact_cost(tokens, price, 2) == 0.0);
  }
  {
    /* Overflowing the 128-bit exact form falls back to compensated doubles. */
    long long tokens[2] = {4000000000000000000LL, 1};
    double price[2] = {1e200, 1e-300};
    CHECK("overflow falls back to doubles", tl_exact_cost(tokens, price, 2) == 4e18 * 1e200);
  }
  /* tl_exact_cost against glibc's correctly rounded strtod of the exact
  ** decimal sum, written out with integer arithmetic: the fast path (one
  ** division, sums under 2^53) and the digit path (the larger mantissas)
  ** must both give the nearest double. */
  {
    unsigned long long state = 88172645463325252ull;
    int mismatches = 0;
    for (int i = 0; i < 200000; i++) {
      long long tk[2], mant[2];
      double pr[2];
      char text[64];
      int scale = 6 + i % 9; /* prices m x 10^-scale, one scale per case */
      for (int b = 0; b < 2; b++) {
        state ^= state << 13, state ^= state >> 7, state ^= state << 17;
        tk[b] = (long long)(state % 10000000);
        mant[b] = (long long)((state >> 24) % (i % 2 ? 2000000ull : 2000000000ull));
        snprintf(text, sizeof text, "%llde-%d", mant[b], scale);
        pr[b] = strtod(text, NULL);
      }
      snprintf(text, sizeof text, "%llde-%d", tk[0] * mant[0] + tk[1] * mant[1], scale);
      if (tl_exact_cost(tk, pr, 2) != strtod(text, NULL)) mismatches++;
    }
    CHECK("200,000 random two-bucket costs equal strtod of the exact decimal", mismatches == 0);
  }
  CHECK_DONE();
}
