/*
** The connection both fuzz_sql_* targets drive: a fresh :memory: database per
** input (the pricing cache is per connection, keyed by file identity, which a
** rewritten temp file can repeat), the extension registered directly (the
** targets are built with -DSQLITE_CORE), and limits that keep one input's
** work small: short values and SQL, few columns, no ATTACH (pareto's query
** could otherwise ATTACH or VACUUM INTO), and a progress handler that
** interrupts after about a million VM operations.
*/
#ifndef FUZZ_SQL_DB_H
#define FUZZ_SQL_DB_H

#include <sqlite3ext.h>
#include <stdio.h>
#include <stdlib.h>

int sqlite3_tokenledger_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi);

static int fuzz_progress_budget;

static int fuzz_progress(void *p) {
  (void)p;
  return --fuzz_progress_budget <= 0; /* nonzero interrupts the statement */
}

static sqlite3 *fuzz_sql_open(const char *target) {
  sqlite3 *db = NULL;
  char *err = NULL;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) abort();
  if (sqlite3_tokenledger_init(db, &err, NULL) != SQLITE_OK) {
    fprintf(stderr, "%s: init: %s\n", target, err ? err : "?");
    abort();
  }
  sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 1000000);
  sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 100000);
  sqlite3_limit(db, SQLITE_LIMIT_COLUMN, 128);
  sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
  fuzz_progress_budget = 1000;
  sqlite3_progress_handler(db, 1000, fuzz_progress, NULL);
  return db;
}

/* Runs sql/ledger.sql (read once per process, from beside FUZZ_FIXTURES) on
** db: the ledger's tables and views, as both targets' ledger modes need. */
static int fuzz_sql_load_ledger(sqlite3 *db) {
  static char *ledger_sql;
  if (!ledger_sql) {
    FILE *f = fopen(FUZZ_FIXTURES "/../sql/ledger.sql", "rb");
    if (!f) return SQLITE_CANTOPEN;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    ledger_sql = malloc((size_t)n + 1);
    if (!ledger_sql || fread(ledger_sql, 1, (size_t)n, f) != (size_t)n) {
      fclose(f);
      free(ledger_sql);
      ledger_sql = NULL;
      return SQLITE_IOERR;
    }
    ledger_sql[n] = 0;
    fclose(f);
  }
  return sqlite3_exec(db, ledger_sql, 0, 0, NULL);
}

#endif
