/*
** A minimal check harness for the C unit tests: each check prints one line
** that tests/run.py counts (`ok - NAME`, `not ok - NAME: DETAIL`,
** `skip - NAME: REASON`). A test binary exits non-zero if any check failed.
*/
#ifndef TOKENLEDGER_CHECK_H
#define TOKENLEDGER_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_failures;

#define CHECK(name, cond)                                                    \
  do {                                                                       \
    if (cond) {                                                              \
      printf("ok - %s\n", name);                                             \
    } else {                                                                 \
      printf("not ok - %s: %s (%s:%d)\n", name, #cond, __FILE__, __LINE__); \
      check_failures++;                                                      \
    }                                                                        \
  } while (0)

#define CHECK_STR(name, got, want)                                           \
  do {                                                                       \
    const char *g_ = (got), *w_ = (want);                                    \
    if (g_ && w_ && strcmp(g_, w_) == 0) {                                   \
      printf("ok - %s\n", name);                                             \
    } else {                                                                 \
      printf("not ok - %s: got '%s', want '%s' (%s:%d)\n", name,             \
             g_ ? g_ : "(null)", w_ ? w_ : "(null)", __FILE__, __LINE__);    \
      check_failures++;                                                      \
    }                                                                        \
  } while (0)

#define SKIP(name, reason) printf("skip - %s: %s\n", name, reason)

/* The directory of ../shared/data, or NULL when it is absent. */
static inline const char *check_shared_dir(void) {
  const char *dir = getenv("TL_SHARED");
  FILE *probe;
  char path[4096];
  if (!dir) return NULL;
  snprintf(path, sizeof path, "%s/PROVENANCE.md", dir);
  probe = fopen(path, "r");
  if (!probe) return NULL;
  fclose(probe);
  return dir;
}

#define CHECK_DONE() return check_failures ? 1 : 0

#endif
