/*
** Run by make right after ext/vocab/gen_vocab.py: builds the canonicalizer's
** index from the compiled vocabulary, as every connection does when the
** extension registers. The checks that need the signature rules live there
** (two models sharing a signature, an undated id beside dated snapshots of
** itself, a spelling with no signature, a lookup table out of order), so
** running them here makes such a line fail the build, with the index's own
** message naming the models, instead of the first `.load`. Linked with the
** core; no SQLite.
*/
#include <stdio.h>

#include "canonical.h"

int main(void) {
  char err[512];
  TlCanonIndex *ix = tl_canon_index_new(err, sizeof err);
  if (!ix) {
    fprintf(stderr, "ext/vocab: %s\n", err);
    return 1;
  }
  tl_canon_index_free(ix);
  return 0;
}
