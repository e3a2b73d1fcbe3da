/*
** The ledger in the database: one statement builds it as ordinary tables,
** which any host can then read without the extension.
**
**   sqlite3 ledger.db ".load tokenledger"
**   INSERT INTO ledger_sources(kind, path, format, snapshot_date, priority)
**     VALUES ('pricing', 'prices/litellm.json', 'litellm', '2026-08-01', 0);
**   SELECT tokenledger_build();
**   -- built 16 tables and 8 views from 1 source in 0.41 s: 1874 ledger rows
**
** tokenledger_build()
**   Reads the sources named in ledger_sources and writes the ledger of
**   sql/ledger.sql (compiled into the extension) into the main database as
**   ordinary tables, each view marked `-- @build` there becoming a table of
**   the same name with its indexes (or, marked `-- @build view`, a view of
**   plain SQL kept in the database): model_prices, price_check_values (what
**   price_checks adds to each model_prices row, by its rowid mp_rid),
**   model_price_medians, rate_card_candidate_values (what the ranking adds
**   to each, by its rowid pc_rid), rate_card_losers, rate_cards,
**   rate_timeline_values (each billed card's period, by its rate_cards rowid
**   rc_rid), rate_match_rules, benchmark_candidates, benchmark_priors,
**   ledger_rows, ledger_model_pareto_ranks, ledger_offering_pareto_ranks,
**   ledger_audit, pricing_coverage, event_costs (every line of every
**   'events' source, costed: the build materializes them), and the views
**   price_checks and rate_card_candidates (those two tables joined to
**   model_prices by rowid), rate_timeline (rate_cards with their periods),
**   unified_model_provider_ledger and
**   unified_model_provider_frontier_offerings (ledger_rows with one of the
**   pareto ranks) and route_cheapest, route_best_quality, route_fastest
**   (plain SQL over those tables and ledger_settings, calling no function).
**   Then its own record:
**     ledger_build        one row: built_at (UTC), seconds, versions, the
**                         database file, counts, warnings (a JSON array)
**     ledger_build_files  per ledger_sources row: the path as written, the
**                         file read (read_path), size, modified (UTC),
**                         sha256 of its bytes, rows it gave the ledger, and
**                         for a price list pricing_files' reconciliation
**                         (entries = models + skipped, skipped_detail)
**     ledger_build_tables per table or view written, in build order: rows
**                         and seconds; also the TEMP tables that some stages
**                         read (type 'temp table', `@build temp` in
**                         sql/ledger.sql), dropped when the build ends
**   The input tables (ledger_sources, ledger_settings,
**   ledger_source_authority, ledger_zero_price_rules, ledger_tier_rules) are
**   created with their defaults when missing, and never written otherwise.
**   A relative path in ledger_sources is read from the directory of the
**   database file (tl_file_beside), so the database finds its sources
**   wherever it is opened from; an in-memory database reads it from the
**   current directory. The build is one savepoint: an error (a file that
**   does not parse, an interrupt) rolls every table back to the previous
**   ledger and is reported as "tokenledger_build: STAGE: message". Its
**   statements run on the caller's connection, so the host's progress
**   handler sees them and may interrupt; ledger_build_tables says how long
**   each stage took. Call it on its own (`SELECT tokenledger_build();`): a
**   statement that is itself reading a table keeps the build from dropping
**   the previous tables ("database table is locked").
**   The build replaces only objects it made (the names listed in the
**   previous ledger_build_tables): a table of yours named rate_cards is
**   never dropped; the build refuses and says so. It refuses input tables
**   that are views or carry triggers: the database is not trusted to run
**   code during a build.
**   A connection that had the TEMP views of sql/ledger.sql has them again
**   afterwards (they are dropped for the build, since they would shadow the
**   tables each stage reads, and made again).
**
** tokenledger_views()
**   The TEMP views of sql/ledger.sql, live over the files (the second way:
**   every query reads the files again), exactly as `.read sql/ledger.sql`
**   makes them, with no file needed. Returns the number of TEMP views.
**
** tokenledger_path(path)
**   The file the ledger reads for a ledger_sources path (see above).
**
** tokenledger_init()
**   The input tables, with their defaults, when missing; returns how many
**   it made. Refuses the same input objects as the build.
**
** All four are DIRECTONLY: they read files, run SQL, or tell where the
** database file is, so no view or trigger of a database can call them.
*/
#include <sqlite3ext.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "build_rank.h"
#include "sha256.h"
#include "tl_alloc.h"
#include "tl_file.h"
#include "tokenledger_modules.h"
SQLITE_EXTENSION_INIT3

/* What a stage becomes: a table of the ledger, a view kept in the database,
** or a TEMP table that later stages read, dropped when the build ends. */
enum { STAGE_TABLE, STAGE_VIEW, STAGE_TEMP };

/* A CTE marked `-- @build-rank TABLE WINDOW`: the TEMP table its build form
** reads, and the query of the rows that ext/build_rank.c sorts and ranks into
** it: how many of its values after rid are the partition's, and the order
** terms' directions (build_rank.h). */
typedef struct BuildRank {
  const char *table;
  const char *rows;
  int nPartition;
  const char *order;
} BuildRank;

/* One view of sql/ledger.sql marked `-- @build`: the object it becomes, its
** SELECT (with the CTE bodies marked `@build-as` replaced), the column
** lists of its indexes, the rank steps run before it, and the SQL run after
** it is written, before its indexes (`-- @build-then`), or NULL. */
typedef struct BuildStage {
  const char *name;
  int kind;
  const char *select;
  const char *index[4];
  const BuildRank *rank;
  int nRank;
  const char *then;
} BuildStage;

#include "ledger_sql.c" /* zLedgerSql, zLedgerInputsSql, zLedgerDropSql, aBuildStage */

#define N_STAGE ((int)(sizeof aBuildStage / sizeof aBuildStage[0]))

static const char *const azInputTable[] = {"ledger_sources", "ledger_settings",
                                           "ledger_source_authority", "ledger_zero_price_rules",
                                           "ledger_tier_rules"};
#define N_INPUT ((int)(sizeof azInputTable / sizeof azInputTable[0]))

/* The build's own record (the list of what it owns is the last one). */
static const char *const azRecordTable[] = {"ledger_build", "ledger_build_files",
                                            "ledger_build_tables"};
#define N_RECORD ((int)(sizeof azRecordTable / sizeof azRecordTable[0]))

#define RECORD_SQL                                                                          \
  "CREATE TABLE main.ledger_build(built_at TEXT, seconds REAL, tokenledger_version TEXT,"  \
  " sqlite_version TEXT, database TEXT, sources INTEGER, tables INTEGER,"                  \
  " ledger_rows INTEGER, warnings TEXT);"                                                  \
  "CREATE TABLE main.ledger_build_files(source INTEGER PRIMARY KEY, kind TEXT, path TEXT," \
  " read_path TEXT, format TEXT, snapshot_date TEXT, priority INTEGER, size_bytes INTEGER," \
  " modified TEXT, sha256 TEXT, rows INTEGER, entries INTEGER, models INTEGER,"            \
  " skipped INTEGER, skipped_detail TEXT);"                                                \
  "CREATE TABLE main.ledger_build_tables(position INTEGER PRIMARY KEY, name TEXT,"        \
  " type TEXT, rows INTEGER, seconds REAL);"

/* What each source gave the ledger, and a price list's reconciliation. */
#define FILE_COUNTS_SQL                                                                     \
  "UPDATE main.ledger_build_files AS f SET rows = CASE f.kind"                             \
  " WHEN 'pricing' THEN (SELECT count(*) FROM main.model_prices m WHERE m.source_path = f.path)" \
  " WHEN 'benchmarks' THEN (SELECT count(*) FROM main.benchmark_candidates b"              \
  "                         WHERE b.source_path = f.path)"                                 \
  " ELSE (SELECT count(*) FROM main.event_costs e WHERE e.source_path = f.path) END;"      \
  "UPDATE main.ledger_build_files AS f SET (entries, models, skipped, skipped_detail) ="    \
  " (SELECT p.entries, p.models, p.skipped, p.skipped_detail"                              \
  "  FROM pricing_files(f.read_path, f.format) p) WHERE f.kind = 'pricing';"

/* Warnings: what a reader skipped, and the events that have no cost (an
** unreadable line, an unpriced model: cost_note says which). */
#define SUMMARY_SQL                                                                         \
  "INSERT INTO main.ledger_build SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?1, ?2,"  \
  " sqlite_version(), ?3, (SELECT count(*) FROM main.ledger_build_files),"                \
  " (SELECT count(*) FROM main.ledger_build_tables WHERE type <> 'temp table'),"             \
  " (SELECT count(*) FROM main.unified_model_provider_ledger),"                           \
  " (SELECT json_group_array(w) FROM ("                                                    \
  "   SELECT path || ': ' || skipped || ' entries skipped (ledger_build_files.skipped_detail)'" \
  "     AS w FROM main.ledger_build_files WHERE skipped > 0"                               \
  "   UNION ALL SELECT source_path || ': ' || count(*) || ' events not costed (event_costs.cost_note)'" \
  "     FROM main.event_costs WHERE cost_status = 'unpriced' GROUP BY source_path))"

typedef struct Build {
  sqlite3 *db;
  char *err;           /* the message, from sqlite3_mprintf */
  const char *stage;   /* what was being done, for the message */
  int had_views;       /* the connection had the TEMP views: made again after */
  struct timespec started;
} Build;

static double seconds_since(const struct timespec *t0) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Records why the build stops (the first reason wins); returns rc, or
** SQLITE_NOMEM when the message could not be made. */
static int fail(Build *b, int rc, char *message) {
  if (!message) return SQLITE_NOMEM;
  if (!b->err) b->err = message;
  else sqlite3_free(message);
  return rc == SQLITE_OK ? SQLITE_ERROR : rc;
}

static int exec(Build *b, const char *sql) {
  int rc = sqlite3_exec(b->db, sql, NULL, NULL, NULL);
  if (rc != SQLITE_OK) return fail(b, rc, sqlite3_mprintf("%s", sqlite3_errmsg(b->db)));
  return SQLITE_OK;
}

static int execf(Build *b, char *sql) {
  if (!sql) return SQLITE_NOMEM;
  int rc = exec(b, sql);
  sqlite3_free(sql);
  return rc;
}

/* The type of SCHEMA.NAME ('table', 'view', ...) into type; "" when there
** is none. */
static int object_type(Build *b, const char *schema, const char *name, char type[16]) {
  sqlite3_stmt *s;
  char *sql = sqlite3_mprintf("SELECT type FROM \"%w\".sqlite_schema WHERE name = ?1", schema);
  if (!sql) return SQLITE_NOMEM;
  int rc = sqlite3_prepare_v2(b->db, sql, -1, &s, NULL);
  sqlite3_free(sql);
  if (rc != SQLITE_OK) return fail(b, rc, sqlite3_mprintf("%s", sqlite3_errmsg(b->db)));
  sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
  type[0] = '\0';
  if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    const char *t = (const char *)sqlite3_column_text(s, 0);
    if (t) snprintf(type, 16, "%s", t);
    rc = SQLITE_OK;
  } else if (rc == SQLITE_DONE) {
    rc = SQLITE_OK;
  }
  sqlite3_finalize(s);
  return rc == SQLITE_OK ? rc : fail(b, rc, sqlite3_mprintf("%s", sqlite3_errmsg(b->db)));
}

/* The input tables must be tables without triggers: the build reads them
** with its own privileges. Missing ones are made with their defaults;
** *made counts them (made may be NULL). */
static int check_inputs(Build *b, int *made) {
  char type[16];
  int missing = 0, rc;
  b->stage = "checking the input tables";
  for (int i = 0; i < N_INPUT; i++) {
    if ((rc = object_type(b, "main", azInputTable[i], type)) != SQLITE_OK) return rc;
    if (type[0] == '\0') missing++;
    else if (strcmp(type, "table") != 0)
      return fail(b, SQLITE_ERROR, sqlite3_mprintf(
          "main.%s is a %s, not a table: the build reads its inputs from tables only",
          azInputTable[i], type));
  }
  sqlite3_stmt *s;
  rc = sqlite3_prepare_v2(b->db,
                          "SELECT name, tbl_name FROM main.sqlite_schema WHERE type = 'trigger'"
                          " AND tbl_name IN ('ledger_sources', 'ledger_settings',"
                          " 'ledger_source_authority', 'ledger_zero_price_rules',"
                          " 'ledger_tier_rules') ORDER BY name",
                          -1, &s, NULL);
  if (rc != SQLITE_OK) return fail(b, rc, sqlite3_mprintf("%s", sqlite3_errmsg(b->db)));
  if (sqlite3_step(s) == SQLITE_ROW)
    rc = fail(b, SQLITE_ERROR, sqlite3_mprintf(
        "trigger main.%s on %s: the build runs no code of the database's; drop it first",
        sqlite3_column_text(s, 0), sqlite3_column_text(s, 1)));
  sqlite3_finalize(s);
  if (rc != SQLITE_OK) return rc;
  if (made) *made = missing;
  return missing ? exec(b, zLedgerInputsSql) : SQLITE_OK;
}

/* 1 when NAME was written by the previous build (its ledger_build_tables). */
static int owned(Build *b, const char *name, int *is_owned) {
  char type[16];
  int rc = object_type(b, "main", "ledger_build_tables", type);
  *is_owned = 0;
  if (rc != SQLITE_OK || strcmp(type, "table") != 0) return rc;
  for (int i = 0; i < N_RECORD; i++)
    if (strcmp(azRecordTable[i], name) == 0) return *is_owned = 1, SQLITE_OK;
  sqlite3_stmt *s;
  rc = sqlite3_prepare_v2(b->db, "SELECT 1 FROM main.ledger_build_tables WHERE name = ?1", -1,
                          &s, NULL);
  if (rc != SQLITE_OK) return fail(b, rc, sqlite3_mprintf("%s", sqlite3_errmsg(b->db)));
  sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
  *is_owned = sqlite3_step(s) == SQLITE_ROW;
  sqlite3_finalize(s);
  return SQLITE_OK;
}

/* Drops main.NAME, a table or view of the previous build; refuses any
** other object of that name. */
static int replace(Build *b, const char *name) {
  char type[16];
  int is_owned, rc = object_type(b, "main", name, type);
  if (rc != SQLITE_OK || type[0] == '\0') return rc;
  if ((rc = owned(b, name, &is_owned)) != SQLITE_OK) return rc;
  if (!is_owned || (strcmp(type, "table") != 0 && strcmp(type, "view") != 0))
    return fail(b, SQLITE_ERROR, sqlite3_mprintf(
        "main.%s exists and was not made by tokenledger_build (ledger_build_tables does not "
        "list it): rename or drop it first",
        name));
  return execf(b, sqlite3_mprintf("DROP %s main.\"%w\"", type, name));
}

static const char *const azStageSchema[] = {"main", "main", "temp"};
static const char *const azStageType[] = {"table", "view", "temp table"};

static int record_table(Build *b, int position, const BuildStage *st, double seconds) {
  if (st->kind == STAGE_VIEW)
    return execf(b, sqlite3_mprintf("INSERT INTO main.ledger_build_tables"
                                    " VALUES(%d, %Q, 'view', NULL, %.3f)",
                                    position, st->name, seconds));
  return execf(b, sqlite3_mprintf("INSERT INTO main.ledger_build_tables VALUES(%d, %Q, %Q,"
                                  " (SELECT count(*) FROM \"%w\".\"%w\"), %.3f)",
                                  position, st->name, azStageType[st->kind],
                                  azStageSchema[st->kind], st->name, seconds));
}

/* Writes one stage (the previous one is already dropped) and its indexes,
** after its rank tables; its seconds include theirs. */
static int build_stage(Build *b, int position, const BuildStage *st) {
  struct timespec t0;
  const char *schema = azStageSchema[st->kind];
  int rc = SQLITE_OK;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  b->stage = st->name;
  for (int i = 0; rc == SQLITE_OK && i < st->nRank; i++) {
    char *err;
    const BuildRank *r = &st->rank[i];
    rc = tl_build_rank(b->db, r->table, r->rows, r->nPartition, r->order, &err);
    if (rc != SQLITE_OK) rc = fail(b, rc, err);
  }
  if (rc == SQLITE_OK)
    rc = execf(b, sqlite3_mprintf("CREATE %s \"%w\".\"%w\" AS %s",
                                  st->kind == STAGE_VIEW ? "VIEW" : "TABLE", schema, st->name,
                                  st->select));
  if (rc == SQLITE_OK && st->then) rc = exec(b, st->then);
  for (int i = 0; rc == SQLITE_OK && i < 4 && st->index[i]; i++)
    rc = execf(b, sqlite3_mprintf("CREATE INDEX \"%w\".\"%w_%d\" ON \"%w\"(%s)", schema,
                                  st->name, i + 1, st->name, st->index[i]));
  if (rc != SQLITE_OK) return rc;
  return record_table(b, position, st, seconds_since(&t0));
}

static char *utc_text(time_t t) {
  struct tm tm;
  char text[32];
  if (!gmtime_r(&t, &tm) || !strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm)) return NULL;
  return sqlite3_mprintf("%s", text);
}

/* One file's row of ledger_build_files; src is the ledger_sources row. */
static int record_file(Build *b, sqlite3_stmt *src, sqlite3_stmt *ins, const char *database) {
  const char *path = (const char *)sqlite3_column_text(src, 2);
  char hex[TL_SHA256_HEX_SIZE];
  long long size = 0;
  const char *why = NULL;
  struct stat st;
  int rc = SQLITE_OK;
  if (!path) return SQLITE_NOMEM; /* path is NOT NULL: only a failed conversion */
  char *read_path = tl_file_beside(database, path);
  if (!read_path) return SQLITE_NOMEM;
  if (tl_sha256_file(read_path, hex, &size, &why) != 0 || stat(read_path, &st) != 0) {
    rc = fail(b, SQLITE_ERROR, sqlite3_mprintf("cannot read '%s': %s", read_path,
                                               why ? why : "it changed while it was read"));
    tl_free(read_path);
    return rc;
  }
  char *modified = utc_text(st.st_mtime);
  for (int i = 0; i < 3; i++) sqlite3_bind_value(ins, i + 1, sqlite3_column_value(src, i));
  sqlite3_bind_text(ins, 4, read_path, -1, SQLITE_TRANSIENT);
  for (int i = 3; i < 6; i++) sqlite3_bind_value(ins, i + 2, sqlite3_column_value(src, i));
  sqlite3_bind_int64(ins, 8, size);
  sqlite3_bind_text(ins, 9, modified, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(ins, 10, hex, -1, SQLITE_TRANSIENT);
  tl_free(read_path);
  if (!modified) rc = SQLITE_NOMEM;
  else if (sqlite3_step(ins) != SQLITE_DONE)
    rc = fail(b, sqlite3_errcode(b->db), sqlite3_mprintf("%s", sqlite3_errmsg(b->db)));
  sqlite3_free(modified);
  sqlite3_reset(ins);
  return rc;
}

/* ledger_build_files: what each ledger_sources row read. */
static int record_files(Build *b) {
  sqlite3_stmt *src = NULL, *ins = NULL;
  const char *database = sqlite3_db_filename(b->db, "main");
  b->stage = "ledger_build_files";
  int rc = sqlite3_prepare_v2(
      b->db, "SELECT rowid, kind, path, format, snapshot_date, priority FROM main.ledger_sources"
             " ORDER BY rowid", -1, &src, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2(b->db, "INSERT INTO main.ledger_build_files(source, kind, path,"
                                   " read_path, format, snapshot_date, priority, size_bytes,"
                                   " modified, sha256) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
                            -1, &ins, NULL);
  if (rc != SQLITE_OK) rc = fail(b, rc, sqlite3_mprintf("%s", sqlite3_errmsg(b->db)));
  while (rc == SQLITE_OK) {
    int step = sqlite3_step(src);
    if (step == SQLITE_DONE) break;
    if (step != SQLITE_ROW) rc = fail(b, step, sqlite3_mprintf("%s", sqlite3_errmsg(b->db)));
    else rc = record_file(b, src, ins, database);
  }
  sqlite3_finalize(src);
  sqlite3_finalize(ins);
  if (rc == SQLITE_OK) rc = exec(b, FILE_COUNTS_SQL);
  return rc;
}

static int record_summary(Build *b) {
  sqlite3_stmt *s;
  b->stage = "ledger_build";
  int rc = sqlite3_prepare_v2(b->db, SUMMARY_SQL, -1, &s, NULL);
  if (rc != SQLITE_OK) return fail(b, rc, sqlite3_mprintf("%s", sqlite3_errmsg(b->db)));
  sqlite3_bind_double(s, 1, seconds_since(&b->started));
  sqlite3_bind_text(s, 2, TOKENLEDGER_VERSION, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 3, sqlite3_db_filename(b->db, "main"), -1, SQLITE_STATIC);
  if (sqlite3_step(s) != SQLITE_DONE)
    rc = fail(b, sqlite3_errcode(b->db), sqlite3_mprintf("%s", sqlite3_errmsg(b->db)));
  sqlite3_finalize(s);
  return rc;
}

/* 1 when the connection has the TEMP views of sql/ledger.sql. */
static int has_temp_views(Build *b, int *has) {
  char type[16];
  int rc = object_type(b, "temp", "model_prices", type);
  *has = strcmp(type, "view") == 0;
  return rc;
}

/* Every stage, then the record, inside the savepoint. */
static int build_all(Build *b) {
  int rc = SQLITE_OK;
  /* the previous ledger_build_tables says what may be dropped: it goes last */
  for (int i = 0; rc == SQLITE_OK && i < N_STAGE; i++) {
    b->stage = aBuildStage[i].name;
    if (aBuildStage[i].kind != STAGE_TEMP) rc = replace(b, aBuildStage[i].name);
  }
  for (int i = 0; rc == SQLITE_OK && i < N_RECORD; i++) {
    b->stage = azRecordTable[i];
    rc = replace(b, azRecordTable[i]);
  }
  if (rc == SQLITE_OK) {
    b->stage = "ledger_build";
    rc = exec(b, RECORD_SQL);
  }
  for (int i = 0; rc == SQLITE_OK && i < N_STAGE; i++) rc = build_stage(b, i + 1, &aBuildStage[i]);
  for (int i = 0; rc == SQLITE_OK && i < N_STAGE; i++) {
    b->stage = aBuildStage[i].name;
    if (aBuildStage[i].kind == STAGE_TEMP)
      rc = execf(b, sqlite3_mprintf("DROP TABLE temp.\"%w\"", aBuildStage[i].name));
    for (int j = 0; rc == SQLITE_OK && j < aBuildStage[i].nRank; j++)
      rc = execf(b, sqlite3_mprintf("DROP TABLE temp.\"%w\"", aBuildStage[i].rank[j].table));
  }
  if (rc == SQLITE_OK) rc = record_files(b);
  if (rc == SQLITE_OK) rc = record_summary(b);
  return rc;
}

/* build_all inside the savepoint: released when it succeeded, else rolled
** back first. A release that fails (the commit of an outermost savepoint:
** busy, full disk) is rolled back too, so no half-built ledger is ever
** committed and no transaction is left open. If even ROLLBACK TO fails (out
** of memory), the whole transaction is rolled back. */
static int in_savepoint(Build *b) {
  b->stage = "savepoint";
  int rc = exec(b, "SAVEPOINT tokenledger_build");
  if (rc != SQLITE_OK) return rc;
  rc = build_all(b);
  if (rc == SQLITE_OK && sqlite3_exec(b->db, "RELEASE tokenledger_build", NULL, NULL, NULL) !=
                             SQLITE_OK) {
    b->stage = "committing";
    rc = fail(b, sqlite3_errcode(b->db), sqlite3_mprintf("%s", sqlite3_errmsg(b->db)));
  }
  if (rc == SQLITE_OK) return rc;
  if (sqlite3_exec(b->db, "ROLLBACK TO tokenledger_build; RELEASE tokenledger_build", NULL, NULL,
                   NULL) != SQLITE_OK)
    sqlite3_exec(b->db, "ROLLBACK", NULL, NULL, NULL);
  return rc;
}

static int build(Build *b) {
  int rc;
  if (sqlite3_db_readonly(b->db, "main") == 1) {
    b->stage = "opening";
    return fail(b, SQLITE_READONLY, sqlite3_mprintf("the main database is read-only"));
  }
  if ((rc = check_inputs(b, NULL)) != SQLITE_OK) return rc;
  if ((rc = has_temp_views(b, &b->had_views)) != SQLITE_OK) return rc;
  if (b->had_views) {
    b->stage = "dropping the TEMP views";
    rc = exec(b, zLedgerDropSql);
  }
  if (rc == SQLITE_OK) rc = in_savepoint(b);
  if (b->had_views) {
    int again = sqlite3_exec(b->db, zLedgerSql, NULL, NULL, NULL);
    if (rc == SQLITE_OK && again != SQLITE_OK) {
      b->stage = "making the TEMP views again";
      rc = fail(b, again, sqlite3_mprintf("%s", sqlite3_errmsg(b->db)));
    }
  }
  return rc;
}

/* Reports a failed build or init as "FUNCTION: STAGE: message" (out of
** memory as SQLITE_NOMEM); frees b->err either way. */
static void result_error(sqlite3_context *ctx, const char *function, Build *b, int rc) {
  if (rc == SQLITE_NOMEM) {
    sqlite3_result_error_nomem(ctx);
  } else if (rc != SQLITE_OK) {
    char *msg = sqlite3_mprintf("%s: %s: %s", function, b->stage,
                                b->err ? b->err : sqlite3_errstr(rc));
    if (msg) sqlite3_result_error(ctx, msg, -1);
    else sqlite3_result_error_nomem(ctx);
    sqlite3_free(msg);
  }
  sqlite3_free(b->err);
  b->err = NULL;
}

static void build_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  Build b;
  (void)argc;
  (void)argv;
  memset(&b, 0, sizeof b);
  b.db = sqlite3_context_db_handle(ctx);
  clock_gettime(CLOCK_MONOTONIC, &b.started);
  int rc = build(&b);
  if (rc == SQLITE_OK) {
    sqlite3_stmt *s;
    rc = sqlite3_prepare_v2(b.db, "SELECT printf('built %d tables and %d views from %d source%s"
                                  " in %.2f s: %d ledger rows', (SELECT count(*) FROM"
                                  " main.ledger_build_tables WHERE type = 'table'), (SELECT"
                                  " count(*) FROM main.ledger_build_tables WHERE type = 'view'),"
                                  " sources, iif(sources = 1, '', 's'), seconds, ledger_rows)"
                                  " FROM main.ledger_build", -1, &s, NULL);
    if (rc == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
      sqlite3_result_value(ctx, sqlite3_column_value(s, 0));
    else
      rc = rc == SQLITE_OK ? SQLITE_NOMEM : rc;
    sqlite3_finalize(s);
  }
  result_error(ctx, "tokenledger_build", &b, rc);
}

/* tokenledger_init(): the input tables, made when missing. */
static void init_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  Build b;
  int made = 0;
  (void)argc;
  (void)argv;
  memset(&b, 0, sizeof b);
  b.db = sqlite3_context_db_handle(ctx);
  int rc = check_inputs(&b, &made);
  if (rc == SQLITE_OK) sqlite3_result_int(ctx, made);
  result_error(ctx, "tokenledger_init", &b, rc);
}

static void views_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  sqlite3 *db = sqlite3_context_db_handle(ctx);
  char *err = NULL;
  (void)argc;
  (void)argv;
  int rc = sqlite3_exec(db, zLedgerSql, NULL, NULL, &err);
  if (rc == SQLITE_OK) {
    sqlite3_stmt *s;
    rc = sqlite3_prepare_v2(db, "SELECT count(*) FROM temp.sqlite_schema WHERE type = 'view'",
                            -1, &s, NULL);
    if (rc == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
      sqlite3_result_int(ctx, sqlite3_column_int(s, 0));
    else
      rc = rc == SQLITE_OK ? SQLITE_NOMEM : rc;
    sqlite3_finalize(s);
  }
  if (rc == SQLITE_NOMEM) {
    sqlite3_result_error_nomem(ctx);
  } else if (rc != SQLITE_OK) {
    char *msg = sqlite3_mprintf("tokenledger_views: %s", err ? err : sqlite3_errstr(rc));
    if (msg) sqlite3_result_error(ctx, msg, -1);
    else sqlite3_result_error_nomem(ctx);
    sqlite3_free(msg);
  }
  sqlite3_free(err);
}

static void path_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  const char *path = (const char *)sqlite3_value_text(argv[0]);
  (void)argc;
  if (!path) {
    if (sqlite3_value_type(argv[0]) != SQLITE_NULL) sqlite3_result_error_nomem(ctx);
    return;
  }
  char *full = tl_file_beside(sqlite3_db_filename(sqlite3_context_db_handle(ctx), "main"), path);
  if (!full) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  sqlite3_result_text(ctx, full, -1, SQLITE_TRANSIENT);
  tl_free(full);
}

int tl_register_build(sqlite3 *db, char **pzErr) {
  static const struct {
    const char *name;
    int nArg;
    void (*fn)(sqlite3_context *, int, sqlite3_value **);
  } aFunc[] = {{"tokenledger_build", 0, build_func},
               {"tokenledger_init", 0, init_func},
               {"tokenledger_views", 0, views_func},
               {"tokenledger_path", 1, path_func}};
  (void)pzErr;
  for (size_t i = 0; i < sizeof aFunc / sizeof aFunc[0]; i++) {
    int rc = sqlite3_create_function(db, aFunc[i].name, aFunc[i].nArg,
                                     SQLITE_UTF8 | SQLITE_DIRECTONLY, NULL, aFunc[i].fn, NULL,
                                     NULL);
    if (rc != SQLITE_OK) return rc;
  }
  return SQLITE_OK;
}
