/*
** libFuzzer target: a pricing file through format detection and every
** decoder (the input is written to a temporary file, as pricing() reads
** files). A first byte that is a digit forces a format: 0 the first of
** pricing_formats[], and so on, the digit after the last one auto.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "pricing.h"
#include "tl_alloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count_row(PricingEmitter *em, const PriceRow *row) {
  (void)em;
  /* Touch every string so that a dangling pointer shows under ASan. */
  const char *s[] = {row->raw_provider, row->raw_model, row->mode, row->currency,
                     row->effective_from, row->note, row->extra};
  volatile size_t n = 0;
  for (size_t i = 0; i < sizeof s / sizeof s[0]; i++) {
    for (const char *p = s[i]; p && *p; p++) n++;
  }
  return 0;
}

static int count_skip(PricingEmitter *em, const char *key, const char *reason) {
  (void)em;
  (void)key;
  (void)reason;
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *choices[PRICING_FORMAT_CHOICES];
  int n_choices = 0;
  char path[] = "/tmp/fuzz-pricing-XXXXXX";
  const char *format = NULL;
  int fd = mkstemp(path);
  FILE *f;
  char *err = NULL;
  PricingSource *src;
  JsonArena scratch = {0};
  PricingEmitter em = {.emit = count_row, .scratch = &scratch, .file = path, .skip = count_skip};
  if (fd < 0) return 0;
  pricing_format_choices(choices);
  while (choices[n_choices]) n_choices++;
  /* '0' is the first format, ..., and the digit after the last is auto. */
  if (size > 0 && data[0] >= '0' && data[0] < '0' + n_choices) {
    format = choices[(data[0] - '0' + 1) % n_choices];
    data++;
    size--;
  }
  f = fdopen(fd, "wb");
  if (!f) {
    close(fd);
    unlink(path);
    return 0;
  }
  fwrite(data, 1, size, f);
  fclose(f);
  src = pricing_source_open(path, format, &err);
  if (src) {
    while (pricing_source_next(src, &em, &err) == 1) {
    }
    pricing_source_close(src);
  }
  tl_free(err);
  json_arena_free(&scratch);
  unlink(path);
  return 0;
}
