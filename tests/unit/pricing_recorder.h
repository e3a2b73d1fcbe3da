/*
** A PricingEmitter that records every row a decoder emits (strings copied),
** for the decoder unit tests.
*/
#ifndef TOKENLEDGER_PRICING_RECORDER_H
#define TOKENLEDGER_PRICING_RECORDER_H

#include <stdlib.h>
#include <string.h>

#include "pricing.h"

#define MAX_ROWS 32

typedef struct Recorder {
  PricingEmitter em;
  int n;
  int stop_after; /* emit returns -1 after this many rows; 0 never */
  PriceRow rows[MAX_ROWS];
} Recorder;

static inline char *dup_or_null(const char *s) {
  char *copy;
  if (!s) return NULL;
  copy = malloc(strlen(s) + 1);
  if (copy) strcpy(copy, s);
  return copy;
}

static inline int record(PricingEmitter *em, const PriceRow *row) {
  Recorder *rec = (Recorder *)em;
  PriceRow *r;
  if (rec->n >= MAX_ROWS) return -1;
  r = &rec->rows[rec->n++];
  *r = *row;
  r->raw_provider = dup_or_null(row->raw_provider);
  r->raw_model = dup_or_null(row->raw_model);
  r->mode = dup_or_null(row->mode);
  r->currency = dup_or_null(row->currency);
  r->effective_from = dup_or_null(row->effective_from);
  r->note = dup_or_null(row->note);
  r->extra = dup_or_null(row->extra);
  r->service_tier = dup_or_null(row->service_tier);
  r->window_start = dup_or_null(row->window_start);
  r->window_end = dup_or_null(row->window_end);
  return rec->stop_after && rec->n >= rec->stop_after ? -1 : 0;
}

static inline void recorder_clear(Recorder *rec) {
  for (int i = 0; i < rec->n; i++) {
    PriceRow *r = &rec->rows[i];
    free((char *)r->raw_provider);
    free((char *)r->raw_model);
    free((char *)r->mode);
    free((char *)r->currency);
    free((char *)r->effective_from);
    free((char *)r->note);
    free((char *)r->extra);
    free((char *)r->service_tier);
    free((char *)r->window_start);
    free((char *)r->window_end);
  }
  rec->n = 0;
  rec->stop_after = 0;
}

#endif
