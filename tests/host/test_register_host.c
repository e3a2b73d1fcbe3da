/*
** A registration that fails says which function failed and why, and what
** was registered before it keeps working (ext/tokenledger.c,
** tl_register_error). Loads TL_EXTENSION into libsqlite3 and prints
** `ok - NAME` / `not ok - NAME: DETAIL` lines that tests/run.py counts with
** the unit tests.
**
** SQLite refuses to replace a function while a statement runs ("unable to
** delete/modify user-function due to active statements"), so a host that
** defines one of tokenledger's names and loads the extension with a
** statement open provokes a real failure at that name, in the middle of a
** register function: model_creator inside the canonicalizer's group, whose
** canonical_model was registered (with the shared index and cache) just
** before it and must outlive the failure. The canonicalizer's other failure,
** a vocabulary that contradicts itself, cannot be provoked from here: the
** build refuses such a vocabulary (ext/vocab/check_vocab.c).
*/
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "report.h"

#ifndef TL_EXTENSION
#define TL_EXTENSION "./tokenledger"
#endif

#define BUSY_CAUSE "unable to delete/modify user-function due to active statements"

static void dummy(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  (void)argv;
  sqlite3_result_null(ctx);
}

/* The first column of sql's first row as text, into out ("" for none). */
static void first_text(sqlite3 *db, const char *sql, char *out, size_t cap) {
  sqlite3_stmt *st = NULL;
  out[0] = 0;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
    snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
  else
    snprintf(out, cap, "error: %s", sqlite3_errmsg(db));
  sqlite3_finalize(st);
}

/* Load the extension into a connection where `name` (nArg args) already
** exists, with a statement running: the load must fail and say why; then
** probe gives want_probe. */
static void clash(const char *test, const char *name, int nArg, const char *want_msg,
                  const char *probe, const char *want_probe) {
  sqlite3 *db = NULL;
  sqlite3_stmt *running = NULL;
  char *err = NULL, got[256], label[160];
  sqlite3_open(":memory:", &db);
  sqlite3_enable_load_extension(db, 1);
  sqlite3_create_function(db, name, nArg, SQLITE_UTF8, NULL, dummy, NULL, NULL);
  sqlite3_prepare_v2(db, "SELECT 1 UNION ALL SELECT 2", -1, &running, NULL);
  sqlite3_step(running);
  int rc = sqlite3_load_extension(db, TL_EXTENSION, NULL, &err);
  snprintf(label, sizeof label, "%s: the load fails", test);
  report(rc != SQLITE_OK, label, "it loaded");
  snprintf(label, sizeof label, "%s: the message names it", test);
  report(err && strcmp(err, want_msg) == 0, label, "got '%s', want '%s'", err ? err : "(null)",
         want_msg);
  sqlite3_free(err);
  sqlite3_finalize(running);
  first_text(db, probe, got, sizeof got);
  snprintf(label, sizeof label, "%s: what it registered before works, nothing after", test);
  report(strcmp(got, want_probe) == 0, label, "%s: got '%s', want '%s'", probe, got, want_probe);
  snprintf(label, sizeof label, "%s: the connection closes", test);
  rc = sqlite3_close(db);
  report(rc == SQLITE_OK, label, "sqlite3_close: %d", rc);
}

int main(void) {
  clash("inside a group", "model_creator", 1,
        "error during initialization: tokenledger: cannot register model_creator: " BUSY_CAUSE,
        "SELECT canonical_model('openai/gpt-4o') || ' ' || canonical_provider('azure')",
        "gpt-4o-2024-08-06 azure");
  clash("a line of its own", "tokenledger_version", 0,
        "error during initialization: tokenledger: cannot register tokenledger_version: "
        BUSY_CAUSE,
        "SELECT count(*) FROM pragma_function_list WHERE name = 'canonical_model'", "0");
  return failures ? 1 : 0;
}
