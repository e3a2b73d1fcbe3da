/* Results of the scalar functions; the contract is in func_result.h. */
#include "func_result.h"

#include <string.h>
SQLITE_EXTENSION_INIT3

void tl_result_error_msg(sqlite3_context *ctx, char *msg) {
  if (msg) sqlite3_result_error(ctx, msg, -1);
  else sqlite3_result_error_nomem(ctx);
  sqlite3_free(msg);
}

const char *tl_arg_text(sqlite3_context *ctx, sqlite3_value *v) {
  const char *text = (const char *)sqlite3_value_text(v);
  if (!text) sqlite3_result_error_nomem(ctx);
  return text;
}

int tl_is_nomem_message(const char *message) {
  static const char oom[] = "out of memory";
  size_t n = strlen(message), k = sizeof oom - 1;
  return n >= k && strcmp(message + n - k, oom) == 0;
}
