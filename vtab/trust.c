/*
** trust: what the extension does for a database file it does not trust.
**
** STORED TABLES. A virtual table created with arguments (csvfile(file=...),
** pricing(file=...), usage_events(file=...), pareto(query=...)) keeps them in
** the schema; whoever opens the file then reads those files or runs that
** query with their own privileges, even with trusted_schema off and even when
** reading the table at top level (DIRECTONLY covers views and triggers, not a
** stored table read directly: a Datasette-style host would show the contents
** of any file the database names). So such tables may be created in the
** temp schema only, which nothing but the connection's own SQL can write. The
** table-valued forms store nothing and are unaffected.
**
** GUARDED SQL. Prepare SQL text that the extension runs for a user (pareto's
** query) as if it came from the schema of an untrusted database.
**
** WHY. pareto runs a query given as text. Text can come from anywhere: a
** column of the database, a parameter, a table created by whoever wrote the
** file. SQLite protects views and triggers of a database file (DIRECTONLY
** functions and tables are refused there, and only innocuous ones are allowed
** once trusted_schema is off), but text prepared by an extension is top-level
** SQL to SQLite, so without this guard `writefile`, `load_extension` or
** `pricing` would run inside pareto's query whatever the database's trust.
**
** THE RULE. Inside the guarded text, a function or virtual table must be
** innocuous, exactly as in a view with trusted_schema=OFF:
**   - a function is innocuous when SQLite reports SQLITE_INNOCUOUS for every
**     function of that name in pragma_function_list (SQLite's own built-ins
**     included: in SQLite 3.40 the JSON functions are not, so SQLite refuses
**     them in untrusted views too);
**   - a virtual table is innocuous when it is one of innocuous_modules below,
**     used as a table-valued function; a table made by CREATE VIRTUAL TABLE
**     is refused, since nothing tells which module it uses or what it reads.
** Ordinary tables and views may be read. What runs inside a TEMP view is
** allowed whatever it calls: the temp schema is written only by this
** connection's own SQL, and SQLite trusts it the same way (a TEMP view may
** use DIRECTONLY functions). So a user who trusts a file reader wraps it in
** a TEMP view and names the view in the query; text from elsewhere cannot
** create one, because the guarded statement must also be read-only.
**
** HOW. The rule is checked by an authorizer installed for the duration of
** sqlite3_prepare_v2 (SQLite calls it for every function and every column
** read, with the innermost view responsible). Before preparing, the guard
** reads what the authorizer needs from the catalogue: the names of functions
** that are not innocuous, every table and view of every schema, and the
** names of TEMP views. The callback itself only looks names up.
**
** LIMIT. SQLite keeps one authorizer per connection and offers no way to read
** it back, so an authorizer the application installed with
** sqlite3_set_authorizer is removed by a guarded prepare (docs/security.md).
*/
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT3

#include <string.h>

#include "trust.h"
#include "vtab_error.h"

/* Eponymous virtual tables safe in untrusted SQL: they read nothing but
** their arguments. SQLite marks its JSON walkers and generate_series
** SQLITE_VTAB_INNOCUOUS; resolve_model is ours and innocuous; pareto guards
** its own query with this same rule, so nesting it adds nothing. pragma_*
** tables are absent because SQLite does not mark them innocuous. */
static const char *const innocuous_modules[] = {
    "json_each", "json_tree", "jsonb_each", "jsonb_tree", "generate_series",
    "resolve_model", "pareto"};

/* Tables that always exist without a catalogue row. */
static const char *const catalogue_tables[] = {"sqlite_master", "sqlite_schema",
                                               "sqlite_temp_master", "sqlite_temp_schema"};

typedef struct GuardTable {
  char *schema;
  char *name;
  int is_virtual; /* made by CREATE VIRTUAL TABLE */
  int is_view;
} GuardTable;

typedef struct Guard {
  char **unsafe_functions;
  int n_unsafe_functions;
  GuardTable *tables; /* temp first, then main, then attached: lookup order */
  int n_tables;
  char **temp_views; /* trusted contexts */
  int n_temp_views;
  char *refusal; /* the first refusal, for the error message */
  int oom;
} Guard;

static int listed(const char *const *names, int n, const char *name) {
  for (int i = 0; i < n; i++)
    if (sqlite3_stricmp(names[i], name) == 0) return 1;
  return 0;
}

static void guard_free(Guard *g) {
  for (int i = 0; i < g->n_unsafe_functions; i++) sqlite3_free(g->unsafe_functions[i]);
  for (int i = 0; i < g->n_tables; i++) {
    sqlite3_free(g->tables[i].schema);
    sqlite3_free(g->tables[i].name);
  }
  for (int i = 0; i < g->n_temp_views; i++) sqlite3_free(g->temp_views[i]);
  sqlite3_free(g->unsafe_functions);
  sqlite3_free(g->tables);
  sqlite3_free(g->temp_views);
  sqlite3_free(g->refusal);
  memset(g, 0, sizeof *g);
}

/* Makes room for element n of an array whose capacity is 8, then doubles
** at each power of two. */
static int grow(void **array, int n, size_t size) {
  if (n == 0 || (n >= 8 && (n & (n - 1)) == 0)) {
    void *p = sqlite3_realloc64(*array, (sqlite3_uint64)(n ? 2 * n : 8) * size);
    if (!p) return SQLITE_NOMEM;
    *array = p;
  }
  return SQLITE_OK;
}

static int push_name(char ***names, int *n, const unsigned char *name) {
  char *copy;
  if (grow((void **)names, *n, sizeof(char *))) return SQLITE_NOMEM;
  if (!(copy = sqlite3_mprintf("%s", name ? (const char *)name : ""))) return SQLITE_NOMEM;
  (*names)[(*n)++] = copy;
  return SQLITE_OK;
}

/* Runs SQL and hands each row to `row`. */
static int for_each_row(sqlite3 *db, const char *sql, Guard *g,
                        int (*row)(Guard *, sqlite3_stmt *, const char *), const char *arg) {
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) rc = row(g, stmt, arg);
  if (rc == SQLITE_DONE) rc = SQLITE_OK;
  sqlite3_finalize(stmt);
  return rc;
}

static int add_unsafe_function(Guard *g, sqlite3_stmt *stmt, const char *unused) {
  (void)unused;
  return push_name(&g->unsafe_functions, &g->n_unsafe_functions, sqlite3_column_text(stmt, 0));
}

static int add_table(Guard *g, sqlite3_stmt *stmt, const char *schema) {
  GuardTable *t;
  if (grow((void **)&g->tables, g->n_tables, sizeof(GuardTable))) return SQLITE_NOMEM;
  t = &g->tables[g->n_tables];
  t->schema = sqlite3_mprintf("%s", schema);
  t->name = sqlite3_mprintf("%s", (const char *)sqlite3_column_text(stmt, 0));
  t->is_virtual = sqlite3_column_int(stmt, 1);
  t->is_view = sqlite3_column_int(stmt, 2);
  if (!t->schema || !t->name) {
    sqlite3_free(t->schema);
    sqlite3_free(t->name);
    return SQLITE_NOMEM;
  }
  g->n_tables++;
  return SQLITE_OK;
}

static int add_schema_tables(Guard *g, sqlite3_stmt *stmt, const char *unused) {
  const char *schema = (const char *)sqlite3_column_text(stmt, 0);
  sqlite3 *db = sqlite3_db_handle(stmt);
  char *sql;
  int rc;
  (void)unused;
  if (!schema || sqlite3_stricmp(schema, "temp") == 0) return SQLITE_OK; /* read first */
  sql = sqlite3_mprintf("SELECT name, sql LIKE 'CREATE VIRTUAL TABLE%%', type = 'view' "
                        "FROM \"%w\".sqlite_master WHERE type IN ('table', 'view')", schema);
  if (!sql) return SQLITE_NOMEM;
  rc = for_each_row(db, sql, g, add_table, schema);
  sqlite3_free(sql);
  return rc;
}

/* A TEMP view is a trusted context unless a view of another schema has its
** name (the authorizer names the innermost view, not its schema). A table
** of that name is no such doubt: tokenledger_build writes the ledger's
** views as main tables of the same names, which the TEMP views shadow. */
static int add_temp_view(Guard *g, sqlite3_stmt *stmt, const char *unused) {
  const char *name = (const char *)sqlite3_column_text(stmt, 0);
  (void)unused;
  for (int i = 0; i < g->n_tables; i++)
    if (g->tables[i].is_view && sqlite3_stricmp(g->tables[i].schema, "temp") != 0 && name &&
        sqlite3_stricmp(g->tables[i].name, name) == 0)
      return SQLITE_OK;
  return push_name(&g->temp_views, &g->n_temp_views, (const unsigned char *)name);
}

static int guard_load(sqlite3 *db, Guard *g) {
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2(db, "SELECT DISTINCT name FROM pragma_function_list "
                                  "WHERE flags & ?1 = 0", -1, &stmt, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_bind_int(stmt, 1, SQLITE_INNOCUOUS);
  while (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW)
    rc = add_unsafe_function(g, stmt, NULL);
  sqlite3_finalize(stmt);
  if (rc != SQLITE_DONE) return rc;
  rc = for_each_row(db, "SELECT name, sql LIKE 'CREATE VIRTUAL TABLE%', type = 'view' "
                        "FROM temp.sqlite_master WHERE type IN ('table', 'view')", g, add_table,
                    "temp");
  if (rc == SQLITE_OK)
    rc = for_each_row(db, "SELECT name FROM pragma_database_list ORDER BY seq", g,
                      add_schema_tables, NULL);
  if (rc == SQLITE_OK)
    rc = for_each_row(db, "SELECT name FROM temp.sqlite_master WHERE type = 'view'", g,
                      add_temp_view, NULL);
  return rc;
}

/* NULL when the table NAME (of SCHEMA, or found the way SQLite resolves an
** unqualified name) may be read, else why not. */
static const char *table_refusal(const Guard *g, const char *name, const char *schema) {
  const int n_modules = (int)(sizeof innocuous_modules / sizeof innocuous_modules[0]);
  const int n_catalogue = (int)(sizeof catalogue_tables / sizeof catalogue_tables[0]);
  for (int i = 0; i < g->n_tables; i++) {
    const GuardTable *t = &g->tables[i];
    if (sqlite3_stricmp(t->name, name) != 0) continue;
    if (schema && sqlite3_stricmp(t->schema, schema) != 0) continue;
    return t->is_virtual ? "a table made by CREATE VIRTUAL TABLE" : NULL;
  }
  if (listed(catalogue_tables, n_catalogue, name)) return NULL;
  return listed(innocuous_modules, n_modules, name) ? NULL : "not an innocuous virtual table";
}

static int refuse(Guard *g, char *message) {
  if (!message) g->oom = 1;
  if (!g->refusal) g->refusal = message;
  else sqlite3_free(message);
  return SQLITE_DENY;
}

static int guard_authorize(void *arg, int action, const char *a1, const char *a2,
                           const char *schema, const char *view) {
  Guard *g = arg;
  const char *why;
  if (view && listed((const char *const *)g->temp_views, g->n_temp_views, view))
    return SQLITE_OK;
  if (action == SQLITE_FUNCTION && a2 &&
      listed((const char *const *)g->unsafe_functions, g->n_unsafe_functions, a2))
    return refuse(g, sqlite3_mprintf("%s() is not innocuous", a2));
  if (action == SQLITE_READ && a1 && (why = table_refusal(g, a1, schema)) != NULL)
    return refuse(g, sqlite3_mprintf("%s is %s", a1, why));
  return SQLITE_OK;
}

int tl_prepare_guarded(sqlite3 *db, const char *sql, sqlite3_stmt **ppStmt,
                       const char **pzTail, char **pzErr) {
  Guard g;
  int rc;
  memset(&g, 0, sizeof g);
  *ppStmt = NULL;
  *pzErr = NULL;
  rc = guard_load(db, &g);
  if (rc != SQLITE_OK) {
    if (rc != SQLITE_NOMEM)
      *pzErr = sqlite3_mprintf("cannot read the catalogue to check the query: %s",
                               sqlite3_errmsg(db));
    guard_free(&g);
    return rc;
  }
  sqlite3_set_authorizer(db, guard_authorize, &g);
  rc = sqlite3_prepare_v2(db, sql, -1, ppStmt, pzTail);
  sqlite3_set_authorizer(db, NULL, NULL);
  if (g.oom) {
    rc = SQLITE_NOMEM;
  } else if (g.refusal) {
    *pzErr = sqlite3_mprintf("%s: expected only innocuous functions and tables, as in an "
                             "untrusted schema (read trusted ones through a TEMP view)",
                             g.refusal);
    rc = *pzErr ? SQLITE_AUTH : SQLITE_NOMEM;
  } else if (rc != SQLITE_OK) {
    *pzErr = sqlite3_mprintf("%s", sqlite3_errmsg(db));
  }
  if (rc != SQLITE_OK) {
    sqlite3_finalize(*ppStmt);
    *ppStmt = NULL;
  }
  guard_free(&g);
  return rc;
}

int tl_require_temp_schema(const char *module, int argc, const char *const *argv,
                           char **pzErr) {
  if (argc <= 3 || sqlite3_stricmp(argv[1], "temp") == 0) return SQLITE_OK;
  return tl_vtab_error(pzErr, SQLITE_ERROR,
                       "%s: a %s table with stored arguments in '%s': expected the temp schema "
                       "(CREATE VIRTUAL TABLE temp.%s ...): in a database file it would act "
                       "for whoever opens the file",
                       module, module, argv[1], argv[2]);
}
