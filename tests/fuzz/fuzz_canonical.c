/*
** libFuzzer target for ext/core/canonical.c: the input is split at the first
** 0x01 byte into a raw name and a provider; a second 0x01 starts a user
** aliases object. Every string of the answer is read back, so that a
** pointer out of the result buffer shows under ASan.
*/
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "canonical.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t touch(const char *s) { return s ? strlen(s) : 0; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static TlCanonIndex *ix;
  char err[256];
  if (!ix) ix = tl_canon_index_new(err, sizeof err);
  if (!ix) return 0;
  const char *raw = (const char *)data, *prov = NULL, *json = NULL;
  size_t n = size, pn = 0, jn = 0;
  const uint8_t *sep = memchr(data, 1, size);
  if (sep) {
    n = (size_t)(sep - data);
    prov = (const char *)sep + 1;
    pn = size - n - 1;
    const uint8_t *sep2 = memchr(sep + 1, 1, pn);
    if (sep2) {
      pn = (size_t)(sep2 - sep - 1);
      json = (const char *)sep2 + 1;
      jn = size - (size_t)(sep2 + 1 - data);
    }
  }
  TlCanonUser *u = json ? tl_canon_user_parse(json, jn, err, sizeof err) : NULL;
  TlCanon c;
  /* the date a floating alias is resolved on: one of three, by the length */
  static const char *const as_of[] = {NULL, "2024-12-01", "2026-06-30"};
  tl_canon_resolve(ix, raw, n, prov, pn, u, as_of[size % 3], &c);
  volatile size_t sum = c.model_len + touch(c.provider) + touch(c.creator) +
                        touch(c.family) + touch(c.version) +
                        touch(tl_canon_rule_name(c.model_rule));
  if (!c.model_is_raw) sum += touch(c.model);
  tl_canon_provider(raw, n, prov, pn, &c);
  sum += touch(c.provider);
  (void)sum;
  tl_canon_user_free(u);
  return 0;
}
