/*
** A 100 MB pricing file streams through pricing_source in bounded memory:
** every entry comes out, and the process's peak resident set grows by far
** less than the file (the reader holds one 64 KiB chunk and one entry).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "check.h"
#include "pricing.h"
#include "tl_alloc.h"

#define ENTRIES 400000 /* x ~260 bytes = about 100 MB */

static long long rows_seen, input_micros;

static int count_row(PricingEmitter *em, const PriceRow *row) {
  (void)em;
  rows_seen++;
  /* Entry i has input price (i % 1000) / 1e6 per token: sum the micro-dollars. */
  input_micros += (long long)(row->input_cost_per_token * 1e6 + 0.5);
  return 0;
}

static int count_skip(PricingEmitter *em, const char *key, const char *reason) {
  (void)em;
  (void)key;
  (void)reason;
  return 0;
}

static long peak_rss_kb(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

int main(void) {
  char path[] = "/tmp/tokenledger-big-XXXXXX";
  int fd = mkstemp(path);
  FILE *f = fd < 0 ? NULL : fdopen(fd, "wb");
  long long want_micros = 0, bytes;
  long before, after;
  char *err = NULL;
  PricingSource *src;
  JsonArena scratch = {0};
  PricingEmitter em = {.emit = count_row, .scratch = &scratch, .file = path, .skip = count_skip};
  if (!f) {
    CHECK("scratch file", 0);
    CHECK_DONE();
  }
  fputs("{\n", f);
  for (int i = 0; i < ENTRIES; i++) {
    fprintf(f,
            "%s \"example/model-%07d\": {\"litellm_provider\": \"example\", \"mode\": \"chat\", "
            "\"input_cost_per_token\": %d.0e-06, \"output_cost_per_token\": 2e-05, "
            "\"max_input_tokens\": 128000, \"max_output_tokens\": 4096, \"supports_vision\": true, "
            "\"source\": \"https://example.com/pricing/model-%07d\"}",
            i ? ",\n" : "", i, i % 1000, i);
    want_micros += i % 1000;
  }
  fputs("\n}\n", f);
  bytes = ftell(f);
  fclose(f);
  CHECK("generated file is over 100 MB", bytes > 100 * 1000 * 1000);

  before = peak_rss_kb();
  src = pricing_source_open(path, NULL, &err);
  CHECK("opens and detects litellm", src && strcmp(pricing_source_format(src)->name, "litellm") == 0);
  if (src) {
    int rc;
    while ((rc = pricing_source_next(src, &em, &err)) == 1) {
    }
    CHECK("no error at the end", rc == 0 && err == NULL);
    CHECK("every entry read", pricing_source_entries(src) == ENTRIES);
    pricing_source_close(src);
  }
  after = peak_rss_kb();
  CHECK("one row per entry", rows_seen == ENTRIES);
  CHECK("prices intact: sum of input micro-dollars", input_micros == want_micros);
  printf("# peak RSS before %ld kB, after %ld kB, file %lld bytes\n", before, after, bytes);
#ifdef __SANITIZE_ADDRESS__
  /* ASan keeps freed memory in quarantine: the resident set measures that. */
  SKIP("peak memory grew by less than 16 MB while streaming 100 MB",
       "under AddressSanitizer the resident set includes its quarantine");
#else
  if (getenv("TL_VALGRIND")) {
    /* valgrind's own bookkeeping shows in the process's resident set. */
    SKIP("peak memory grew by less than 16 MB while streaming 100 MB",
         "under valgrind the resident set measures valgrind too");
  } else {
    CHECK("peak memory grew by less than 16 MB while streaming 100 MB", after - before < 16 * 1024);
  }
#endif
  tl_free(err);
  json_arena_free(&scratch);
  unlink(path);
  CHECK_DONE();
}
