/*
** tl_vtab_error / tl_vtab_error_take: every virtual table's error into
** SQLite's hands the same way. See vtab_error.h.
*/
#include <stdarg.h>

#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT3

#include "vtab_error.h"

int tl_vtab_error_take(char **slot, int rc, char *message) {
  sqlite3_free(*slot);
  *slot = message;
  return message ? rc : SQLITE_NOMEM;
}

int tl_vtab_error(char **slot, int rc, const char *format, ...) {
  va_list ap;
  char *message;
  va_start(ap, format);
  message = sqlite3_vmprintf(format, ap);
  va_end(ap);
  return tl_vtab_error_take(slot, rc, message);
}
