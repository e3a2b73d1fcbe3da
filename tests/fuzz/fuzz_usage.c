/*
** libFuzzer target for usage_events' core: the input is a JSONL file (read
** from memory with a small line cap, so over-long lines are exercised too),
** every record is checked against the invariants the table promises and
** against the record of the same line parsed whole by json_parse (the quick
** parser must change nothing), and the same bytes go through the timestamp
** parser.
**
**   make fuzz && build/fuzz/fuzz_usage -max_total_time=60
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "timestamp.h"
#include "usage.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_record(const UsageRecord *r, uint64_t expected_line) {
  if (r->line != expected_line) abort(); /* no line skipped or repeated */
  if (r->dialect == USAGE_NONE && !r->error[0]) abort(); /* no usage: says why */
  if (r->dialect == USAGE_NONE && r->known) abort();
  if (!r->error[0]) {
    /* A sound record: all five buckets known, none negative. */
    if (r->known != (1u << USAGE_NBUCKET) - 1) abort();
    for (int b = 0; b < USAGE_NBUCKET; b++)
      if (r->tokens[b] < 0) abort();
  }
  if (r->has_ts && strlen(r->ts) != TL_TIME_ISO_SIZE - 1) abort();
  if (strlen(r->error) >= USAGE_ERROR_SIZE) abort();
}

static int same_text(UsageText a, UsageText b) {
  return (!a.p) == (!b.p) && a.n == b.n && (!a.p || !a.n || memcmp(a.p, b.p, a.n) == 0);
}

/* The quick parser's record and json_parse's agree in everything. */
static void check_same(const UsageRecord *a, const UsageRecord *b) {
  if (a->line != b->line || a->dialect != b->dialect || a->known != b->known ||
      a->extra_known != b->extra_known || a->has_ts != b->has_ts ||
      a->has_cost != b->has_cost || a->has_latency != b->has_latency)
    abort();
  for (int i = 0; i < USAGE_NBUCKET; i++)
    if ((a->known & (1u << i)) && a->tokens[i] != b->tokens[i]) abort();
  for (int i = 0; i < USAGE_NEXTRA; i++)
    if ((a->extra_known & (1u << i)) && a->extra[i] != b->extra[i]) abort();
  if (a->has_ts && strcmp(a->ts, b->ts) != 0) abort();
  if (a->has_cost && a->cost != b->cost) abort();
  if (a->has_latency && a->latency_ms != b->latency_ms) abort();
  if (!same_text(a->provider, b->provider) || !same_text(a->model, b->model) ||
      !same_text(a->request_id, b->request_id) || !same_text(a->status, b->status) ||
      !same_text(a->service_tier, b->service_tier) || !same_text(a->raw, b->raw))
    abort();
  if (strcmp(a->error, b->error) != 0) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  UsageStream *s = usage_stream_open_memory("fuzz", (const char *)data, size, 4096);
  UsageStream *whole = usage_stream_open_memory("fuzz", (const char *)data, size, 4096);
  UsageRecord rec, ref;
  uint64_t line = 0;
  TlTime t;
  char out[TL_TIME_ISO_SIZE];
  int rc;
  if (!s || !whole) { /* out of memory: nothing to check */
    usage_stream_close(s);
    usage_stream_close(whole);
    return 0;
  }
  usage_stream_sparse(whole, 0);
  while ((rc = usage_stream_next(s, &rec)) == 1) {
    check_record(&rec, ++line);
    if (usage_stream_next(whole, &ref) != 1) abort();
    check_same(&rec, &ref);
  }
  if (rc == USAGE_ERROR) abort(); /* memory input cannot fail to read */
  if (usage_stream_next(whole, &ref) != rc) abort();
  usage_stream_close(s);
  usage_stream_close(whole);
  if (tl_time_parse((const char *)data, size, &t) == 0) {
    if (t.nsec < 0 || t.nsec >= 1000000000) abort();
    tl_time_format(t, out);
  }
  return 0;
}
