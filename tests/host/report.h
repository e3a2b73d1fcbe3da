/*
** The check line of the host tests (tests/host/), as tests/run.py counts
** them: `ok - NAME`, or `not ok - NAME: DETAIL` with DETAIL a printf format.
** failures counts the second kind; a test exits non-zero when it is not 0.
*/
#ifndef TOKENLEDGER_HOST_REPORT_H
#define TOKENLEDGER_HOST_REPORT_H

#include <stdarg.h>
#include <stdio.h>

static int failures;

__attribute__((format(printf, 3, 4)))
static void report(int ok, const char *name, const char *fmt, ...) {
  va_list ap;
  if (ok) {
    printf("ok - %s\n", name);
    return;
  }
  failures++;
  printf("not ok - %s: ", name);
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  printf("\n");
}

#endif
