/*
** libFuzzer target for ext/csv.c: the first byte picks the delimiter, the
** rest is CSV. Every record's fields are read back and typed, so that any
** out-of-bounds offset or unterminated field shows under ASan.
*/
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "csv.h"

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
