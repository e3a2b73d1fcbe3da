/*
** libFuzzer target: the arguments of the virtual tables, through SQLite.
**
**   make build/fuzz/fuzz_sql_args
**   build/fuzz/fuzz_sql_args -max_total_time=60 -dict=tests/fuzz/fuzz_sql.dict \
**     build/fuzz/corpus/fuzz_sql_args tests/fuzz/corpus/fuzz_sql_args
**
** INPUT. The first byte picks a mode (aMode[] below); the rest is split at
** '\n' into up to MAX_FIELDS fields, in which "@/" stands for the sandbox
** directory and its slash (so "@/a.csv" is a file there; a lone '@', as in
** Vertex names, stays). The mode bytes 'A'..'M' are the modes in order. Modes:
**   - CREATE VIRTUAL TABLE temp.t USING csvfile / pricing / usage_events /
**     pareto (FIELD, FIELD, ...): the fields are the raw argument text
**     (key=value or anything else), then a few queries over temp.t, then
**     DROP TABLE;
**   - pareto(query=Q, objectives=F1, dominated_by=F2, nulls=F3) with Q one
**     of the small fixed queries of aQuery[] (chosen by the first field's
**     first byte) and the other values quoted or not as the mode says;
**   - the table-valued forms csvfile(?1..?4), pricing(?1, ?2),
**     pricing_files(?1, ?2), benchmarks(?1..?4), usage_events(?1) and
**     usage_cost(?1..?4) over the ledger's views,
**     resolve_model(?1, ?2, ?3), with the fields bound as text;
**   - pareto(QUERY, ?2, ?3, ?4 ...) over a fixed query of aQuery[] (the
**     objectives, the options and the parameters fuzzed), and over a fuzzed
**     query.
** Only crashes, UB and leaks matter; SQL errors are expected and ignored.
**
** FILES. LLVMFuzzerInitialize makes a private directory (mkdtemp) holding a
** copy of fixtures/ (FUZZ_FIXTURES, set by the Makefile) and a few tiny files
** (aFile[]). Every file the extension opens goes through tl_file_open(),
** which this target wraps (-Wl,--wrap=tl_file_open): a path outside that
** directory is refused as if it did not exist, so fuzzed text never reads an
** arbitrary file. ATTACH (and with it VACUUM INTO, which attaches) is off
** through SQLITE_LIMIT_ATTACHED = 0, so pareto's inner query cannot create
** files either; load_extension() is off by default.
**
** LIMITS. Per input: SQLITE_LIMIT_LENGTH 1 MB, SQLITE_LIMIT_COLUMN 128, and
** a progress handler that interrupts after about 1e6 VM instructions.
**
** BUILD: as fuzz_sql_files.c (glue and core compiled in with SQLITE_CORE,
** system libsqlite3, a fresh :memory: connection per input).
*/
#include <dirent.h>
#include <errno.h>
#include <sqlite3ext.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz_sql_db.h"

#include "tl_file.h"

#ifndef FUZZ_FIXTURES
#define FUZZ_FIXTURES "fixtures"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);
int __real_tl_file_open(const char *path, TlFileId *id, const char **err);
int __wrap_tl_file_open(const char *path, TlFileId *id, const char **err);

#define MAX_FIELDS 12

/* ------------------------------------------------------------ the sandbox */

static char sandbox[64];
static size_t sandbox_len;

static const struct {
  const char *name, *text;
} aFile[] = {
    {"a.csv", "model,price,quality\ngpt-x,1.5,80\nclaude-y,3,\"9,0\"\nN/A,-,\n"},
    {"b.tsv", "name\tin\tout\nm1\t1\t2\nm2\t2\t1\n"},
    {"c.csv", "a;a;A;;b\n1;2;3;4;5\n"},
    {"e.jsonl",
     "{\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5}}\n"
     "not json\n\n{\"usage\":{\"input_tokens\":-1}}\n"},
    {"p.json",
     "{\"gpt-4o\":{\"litellm_provider\":\"openai\",\"input_cost_per_token\":2.5e-6,"
     "\"output_cost_per_token\":1e-5,\"mode\":\"chat\"},\"sample_spec\":{}}"},
    {"empty", ""},
};

static void write_file(const char *dir, const char *name, const char *text, size_t n) {
  char path[512];
  FILE *f;
  snprintf(path, sizeof path, "%s/%s", dir, name);
  f = fopen(path, "wb");
  if (!f) return;
  fwrite(text, 1, n, f);
  fclose(f);
}

static void copy_fixtures(void) {
  DIR *d = opendir(FUZZ_FIXTURES);
  struct dirent *e;
  if (!d) return;
  while ((e = readdir(d)) != NULL) {
    char path[512], buf[1 << 16];
    FILE *f;
    size_t n;
    if (e->d_name[0] == '.') continue;
    snprintf(path, sizeof path, "%s/%s", FUZZ_FIXTURES, e->d_name);
    f = fopen(path, "rb");
    if (!f) continue;
    n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    write_file(sandbox, e->d_name, buf, n);
  }
  closedir(d);
}

static void remove_sandbox(void) {
  DIR *d = opendir(sandbox);
  struct dirent *e;
  if (!d) return;
  while ((e = readdir(d)) != NULL) {
    char path[512];
    if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2]))) continue;
    snprintf(path, sizeof path, "%s/%s", sandbox, e->d_name);
    unlink(path);
  }
  closedir(d);
  rmdir(sandbox);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  strcpy(sandbox, "/tmp/fuzz-sql-args-XXXXXX");
  if (!mkdtemp(sandbox)) {
    perror("fuzz_sql_args: mkdtemp");
    abort();
  }
  sandbox_len = strlen(sandbox);
  copy_fixtures();
  for (size_t i = 0; i < sizeof aFile / sizeof aFile[0]; i++) {
    write_file(sandbox, aFile[i].name, aFile[i].text, strlen(aFile[i].text));
  }
  atexit(remove_sandbox);
  return 0;
}

/* Every reader opens through here: only files directly in the sandbox. */
int __wrap_tl_file_open(const char *path, TlFileId *id, const char **err) {
  const char *rest = path + sandbox_len + 1;
  if (strncmp(path, sandbox, sandbox_len) != 0 || path[sandbox_len] != '/' || strchr(rest, '/') ||
      strcmp(rest, "..") == 0) {
    *err = "No such file or directory (outside the fuzz sandbox)";
    return -1;
  }
  return __real_tl_file_open(path, id, err);
}

/* ------------------------------------------------------------ the modes */

enum {
  M_CREATE_CSV,
  M_CREATE_PRICING,
  M_CREATE_USAGE,
  M_CREATE_PARETO,
  M_PARETO_KEYS,        /* query=fixed, objectives=F, ... unquoted values */
  M_PARETO_KEYS_QUOTED, /* the same with '...' around each value */
  M_CSV,
  M_PRICING,
  M_BENCHMARKS,
  M_USAGE,
  M_RESOLVE,
  M_PARETO_FIXED,
  M_PARETO_FUZZED,
  M_COUNT
};

/* pareto's fixed queries: small, with ties, NULLs, infinities, text, blobs,
** parameters, one column, many columns, and 2/3/4 anti-correlated
** objectives over a few hundred rows (which reach the divide and conquer). */
static const char *const aQuery[] = {
    "SELECT * FROM (VALUES (1,2,3),(2,1,3),(NULL,5,1))",
    "SELECT * FROM (VALUES ('a',1.5,2),('b',1.5,2),('c',0.5,9),('d',-1e308,1e308),('e',9e999,-9e999))",
    "SELECT * FROM (VALUES (1,'x',X'00'),(2,'1.5',2),(3,NULL,NULL))",
    "SELECT ?1, ?2, ?3 UNION ALL SELECT ?3, ?2, ?1",
    "SELECT 1",
    "SELECT 'k', 1, 2, 3, 4, 5, 6, 7, 8, 9 UNION ALL SELECT 'j', 9, 8, 7, 6, 5, 4, 3, 2, 1",
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<300) "
    "SELECT 'k'||i AS key, i AS a, 300-i AS b FROM n",
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<300) "
    "SELECT i AS key, i AS a, (i*37)%101 AS b, 300-i AS c, (i*53)%97 AS d FROM n",
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<200) "
    "SELECT i, i%3, -(i%3), i%5 - 2, NULL FROM n",
    "SELECT model, price, quality FROM csvfile('@/a.csv', ',', 'yes') "
    "JOIN (SELECT 1) WHERE 0",
    "SELECT * FROM (VALUES (1,2),(1,2),(1,2)) WHERE ?1 IS NULL OR ?1 > 0",
};
#define NQUERY ((int)(sizeof aQuery / sizeof aQuery[0]))

static volatile unsigned sink;

/* Steps SQL to the end reading every column; binds binds[0..nbind) as text
** (NULL: SQL NULL). Errors are the point of most inputs and are ignored. */
static void run(sqlite3 *db, const char *sql, char *const *binds, int nbind) {
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK || !st) {
    sqlite3_finalize(st);
    return;
  }
  for (int i = 0; i < nbind && i < sqlite3_bind_parameter_count(st); i++) {
    if (binds[i]) sqlite3_bind_text(st, i + 1, binds[i], -1, SQLITE_STATIC);
  }
  while (sqlite3_step(st) == SQLITE_ROW) {
    for (int i = 0; i < sqlite3_column_count(st); i++) {
      const unsigned char *z = sqlite3_column_text(st, i);
      int len = sqlite3_column_bytes(st, i);
      for (int k = 0; z && k < len; k++) sink += z[k];
    }
  }
  sqlite3_finalize(st);
}

/* A copy of one field with every "@/" expanded to "SANDBOX/". */
static char *expand(const uint8_t *p, size_t n) {
  sqlite3_str *s = sqlite3_str_new(NULL);
  for (size_t i = 0; i < n; i++) {
    if (p[i] == '@' && i + 1 < n && p[i + 1] == '/') {
      sqlite3_str_append(s, sandbox, (int)sandbox_len);
      sqlite3_str_appendchar(s, 1, '/');
      i++;
    } else {
      sqlite3_str_appendchar(s, 1, (char)p[i]);
    }
  }
  return sqlite3_str_finish(s); /* "" comes back as NULL: an SQL NULL */
}

/* Splits at '\n'; returns the number of fields (each expanded, maybe NULL). */
static int split(const uint8_t *data, size_t size, char **field) {
  int n = 0;
  size_t start = 0;
  for (size_t i = 0; i <= size && n < MAX_FIELDS; i++) {
    if (i == size || data[i] == '\n') {
      field[n++] = expand(data + start, i - start);
      start = i + 1;
    }
  }
  return n;
}

static void run_created(sqlite3 *db, const char *module, char **field, int nfield) {
  sqlite3_str *s = sqlite3_str_new(db);
  char *sql;
  sqlite3_str_appendf(s, "CREATE VIRTUAL TABLE temp.t USING %s(", module);
  for (int i = 0; i < nfield; i++) {
    sqlite3_str_appendf(s, "%s%s", i ? ", " : "", field[i] ? field[i] : "");
  }
  sqlite3_str_appendall(s, ")");
  sql = sqlite3_str_finish(s);
  if (!sql) return;
  run(db, sql, NULL, 0);
  sqlite3_free(sql);
  run(db, "SELECT * FROM temp.t", NULL, 0);
  run(db, "SELECT count(*) FROM temp.t", NULL, 0);
  run(db, "SELECT rowid, * FROM temp.t LIMIT 2 OFFSET 1", NULL, 0);
  if (strcmp(module, "pareto") == 0) {
    run(db, "SELECT pareto_rank FROM temp.t WHERE pareto_rank <= 1", NULL, 0);
    run(db, "SELECT dominated_by, dominates_count FROM temp.t WHERE pareto_rank = 2", NULL, 0);
    run(db, "SELECT * FROM temp.t('openai', 2)", NULL, 0);
    run(db, "SELECT * FROM temp.t WHERE param1 = 1", NULL, 0);
  } else if (strcmp(module, "pricing") == 0) {
    run(db, "SELECT * FROM temp.t WHERE raw_model = 'gpt-4o'", NULL, 0);
    run(db, "SELECT * FROM temp.t WHERE file = 'x'", NULL, 0);
  }
  run(db, "DROP TABLE temp.t", NULL, 0);
}

/* pareto(query=Q, objectives=..., dominated_by=..., nulls=...). */
static void run_pareto_keys(sqlite3 *db, char **field, int nfield, int quoted) {
  static const char *const keys[] = {"objectives", "dominated_by", "nulls"};
  sqlite3_str *s = sqlite3_str_new(db);
  int q = field[0] ? (unsigned char)field[0][0] % NQUERY : 0;
  char *sql;
  sqlite3_str_appendf(s, "CREATE VIRTUAL TABLE temp.t USING pareto(query=%Q", aQuery[q]);
  for (int i = 1; i < nfield; i++) {
    const char *key = i <= 3 ? keys[i - 1] : NULL;
    const char *v = field[i] ? field[i] : "";
    if (key && quoted) sqlite3_str_appendf(s, ", %s=%Q", key, v);
    else if (key) sqlite3_str_appendf(s, ", %s=%s", key, v);
    else sqlite3_str_appendf(s, ", %s", v); /* more key=value text, raw */
  }
  sqlite3_str_appendall(s, ")");
  sql = sqlite3_str_finish(s);
  if (!sql) return;
  run(db, sql, NULL, 0);
  sqlite3_free(sql);
  run(db, "SELECT * FROM temp.t", NULL, 0);
  run(db, "SELECT key, pareto_rank FROM temp.t WHERE pareto_rank < 2", NULL, 0);
  run(db, "SELECT dominated_by FROM temp.t WHERE pareto_rank = 3", NULL, 0);
  run(db, "SELECT * FROM temp.t(1, 'x', 2.5)", NULL, 0);
  run(db, "DROP TABLE temp.t", NULL, 0);
}

/* pareto(QUERY, ?2, ?3, ?4 ...) with QUERY given or field[0]. */
static void run_pareto_call(sqlite3 *db, const char *query, char **field, int nfield) {
  static const char *const select[] = {
      "SELECT * FROM pareto(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
      "SELECT key, pareto_rank FROM pareto(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
      "WHERE pareto_rank <= 2",
      "SELECT dominated_by FROM pareto(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
      "WHERE pareto_rank = 1",
      "SELECT count(*) FROM pareto(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) a, "
      "pareto(?1, ?2, ?3) b WHERE a.key = b.key",
  };
  char *binds[MAX_FIELDS];
  char *expanded = NULL;
  int n = 0;
  if (query) {
    expanded = expand((const uint8_t *)query, strlen(query));
    binds[n++] = expanded;
  }
  for (int i = 0; i < nfield && n < MAX_FIELDS; i++) binds[n++] = field[i];
  for (size_t i = 0; i < sizeof select / sizeof select[0]; i++) run(db, select[i], binds, n);
  sqlite3_free(expanded);
}

/* usage_cost(?1, ?2, ?3, ?4) over the ledger's views, the fields as provider,
** model, usage and ts: the ledger SQL (read once) is run first, with the
** bundled fixtures as sources. */
static void run_usage_cost(sqlite3 *db, char **field, int nfield) {
  if (fuzz_sql_load_ledger(db) != SQLITE_OK) return;
  /* the sandbox's copy of the fixtures: the only files a reader may open */
  char *sources = sqlite3_mprintf(
      "INSERT INTO ledger_sources(kind, path, format, snapshot_date, priority) VALUES"
      " ('pricing', '%q/ledger.litellm.2025-05-01.json', 'litellm', '2025-05-01', 0)", sandbox);
  if (sources) sqlite3_exec(db, sources, 0, 0, NULL);
  sqlite3_free(sources);
  run(db, "SELECT * FROM usage_cost(?1, ?2, ?3, ?4)", field, nfield);
  run(db, "SELECT count(*) FROM ledger_calls", NULL, 0);
}

static void run_fixed_calls(sqlite3 *db, int mode, char **field, int nfield) {
  switch (mode) {
    case M_CSV:
      run(db, "SELECT *, file, delimiter, header, \"null\" FROM csvfile(?1, ?2, ?3, ?4)", field, nfield);
      run(db, "SELECT line FROM csvfile(?1, ?2, ?3, ?4) WHERE line = 2", field, nfield);
      break;
    case M_PRICING:
      run(db, "SELECT *, file, format FROM pricing(?1, ?2)", field, nfield);
      run(db, "SELECT * FROM pricing(?1, ?2) WHERE raw_model = ?3 OR raw_provider = ?3", field, nfield);
      run(db, "SELECT *, file, format FROM pricing_files(?1, ?2)", field, nfield);
      break;
    case M_BENCHMARKS:
      run(db, "SELECT *, file, format, model_column, keep_unmeasured FROM benchmarks(?1, ?2, ?3, ?4)",
          field, nfield);
      break;
    case M_USAGE:
      run(db, "SELECT *, file FROM usage_events(?1)", field, nfield);
      run(db, "SELECT * FROM usage_events(?1) WHERE file = ?2", field, nfield);
      run_usage_cost(db, field, nfield);
      break;
    default:
      run(db, "SELECT * FROM resolve_model(?1, ?2, ?3)", field, nfield);
      run(db, "SELECT r.* FROM (VALUES (?1), (?2), (?1)) v, resolve_model(v.column1, ?3) r", field,
          nfield);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  sqlite3 *db = NULL;
  char *field[MAX_FIELDS] = {0};
  int mode, nfield;
  if (size < 1) return 0;
  mode = data[0] % M_COUNT;
  nfield = split(data + 1, size - 1, field);

  db = fuzz_sql_open("fuzz_sql_args");

  switch (mode) {
    case M_CREATE_CSV:
      run_created(db, "csvfile", field, nfield);
      break;
    case M_CREATE_PRICING:
      run_created(db, "pricing", field, nfield);
      break;
    case M_CREATE_USAGE:
      run_created(db, "usage_events", field, nfield);
      break;
    case M_CREATE_PARETO:
      run_created(db, "pareto", field, nfield);
      break;
    case M_PARETO_KEYS:
    case M_PARETO_KEYS_QUOTED:
      run_pareto_keys(db, field, nfield, mode == M_PARETO_KEYS_QUOTED);
      break;
    case M_PARETO_FIXED:
      run_pareto_call(db, aQuery[field[0] ? (unsigned char)field[0][0] % NQUERY : 0], field + 1,
                      nfield - 1);
      break;
    case M_PARETO_FUZZED:
      run_pareto_call(db, NULL, field, nfield);
      break;
    default:
      run_fixed_calls(db, mode, field, nfield);
  }

  for (int i = 0; i < nfield; i++) sqlite3_free(field[i]);
  if (sqlite3_close(db) != SQLITE_OK) {
    fprintf(stderr, "fuzz_sql_args: sqlite3_close: a statement was left open\n");
    abort();
  }
  return 0;
}
