/*
** libFuzzer target for ext/core/csv.c: the first byte picks the delimiter, the
** rest is CSV. Every record's fields are read back and typed, so that any
** out-of-bounds offset or unterminated field shows under ASan; the column
** names of each record are built and checked to be distinct ignoring ASCII
** case (the promise of csv_reader_column_names).
*/
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

static int same_ignoring_case(const char *a, const char *b) {
  for (; *a && *b; a++, b++) {
    char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
    char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
    if (x != y) return 0;
  }
  return *a == *b;
}

/* Quadratic, so only for small records: the check, not the code under test. */
static void check_names(CsvReader *r, int header) {
  size_t n = csv_reader_nfield(r);
  char **names = csv_reader_column_names(r, header);
  if (!names) return;
  for (size_t i = 0; i < n && n <= 64; i++) {
    if (!names[i][0]) __builtin_trap();
    for (const char *p = names[i]; *p; p++) {
      if ((unsigned char)*p < 0x20) __builtin_trap();
    }
    for (size_t j = 0; j < i; j++) {
      if (same_ignoring_case(names[i], names[j])) __builtin_trap();
    }
  }
  free(names);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char delimiters[] = {',', ';', '\t', '|'};
  CsvReader *r;
  char delim = ',';
  if (size > 0) {
    delim = delimiters[data[0] % sizeof delimiters];
    data++;
    size--;
  }
  r = csv_reader_open_memory("fuzz", (const char *)data, size, delim);
  if (!r) return 0;
  while (csv_reader_next(r) == 1) {
    check_names(r, size & 1);
    for (size_t i = 0; i < csv_reader_nfield(r); i++) {
      size_t len;
      int64_t iv;
      double dv;
      const char *z = csv_reader_field(r, i, &len);
      if (strlen(z) > len) __builtin_trap(); /* the NUL ends the field */
      (void)csv_type_field(z, len, csv_reader_quoted(r, i), &iv, &dv);
    }
  }
  csv_reader_close(r);
  return 0;
}
