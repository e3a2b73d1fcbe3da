/*
** libFuzzer target for usage_events' core: the input is a JSONL file (read
** from memory with a small line cap, so over-long lines are exercised too),
** every record is checked against the invariants the table promises, and
** the same bytes go through the timestamp parser.
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  UsageStream *s = usage_stream_open_memory("fuzz", (const char *)data, size, 4096);
  UsageRecord rec;
  uint64_t line = 0;
  TlTime t;
  char out[TL_TIME_ISO_SIZE];
  int rc;
  if (!s) return 0;
  while ((rc = usage_stream_next(s, &rec)) == 1) check_record(&rec, ++line);
  if (rc == USAGE_ERROR) abort(); /* memory input cannot fail to read */
  usage_stream_close(s);
  if (tl_time_parse((const char *)data, size, &t) == 0) {
    if (t.nsec < 0 || t.nsec >= 1000000000) abort();
    tl_time_format(t, out);
  }
  return 0;
}
