/*
** csvfile: a CSV file as a typed, streaming virtual table.
**
**   .load ./tokenledger
**   CREATE VIRTUAL TABLE temp.m USING csvfile(file='models.csv', header=yes,
**                                             delimiter=',', null='N/A,-');
**   SELECT model, intelligence_index FROM m WHERE ttft_ms < 500;
**
**   SELECT line, row ->> 'model' FROM csvfile('models.csv');
**   SELECT * FROM csvfile('data.tsv', char(9), 'no');
**
** Two forms, because a table-valued function cannot have a schema that
** depends on its argument (SQLite fixes the columns when the eponymous
** table connects, before any argument is seen):
**
**  - CREATE VIRTUAL TABLE ... USING csvfile(...) reads the header when the
**    table is created and declares one column per CSV column. Arguments
**    (key=value as ext/core/args.h reads them: keys in any case, values bare or
**    quoted with '..' or "..", a doubled quote inside standing for one):
**      file='PATH'      required
**      header=yes|no    default yes; any spelling of a PRAGMA boolean (1/0,
**                       yes/no, true/false, on/off); with no, columns are
**                       c1, c2, ... and their number is the first record's
**      delimiter=','    one byte: ',' ';' '|' or '\t' (also written tab)
**      null='A,B'       field texts that also mean NULL (comma-separated),
**                       e.g. null='N/A,-'; the empty unquoted field always
**                       does
**    Column names come from the header: surrounding spaces trimmed, control
**    characters replaced by '_', an empty name becomes cN (N = position),
**    and a repeated name (compared without case, as SQLite does) gets the
**    first free suffix of _2, _3, ... (csv_reader_column_names, linear in
**    the header's size). The schema quotes every name (%w), so any header is
**    valid SQL. At most sqlite3_limit(db, SQLITE_LIMIT_COLUMN) columns (2000
**    by default), read when the table is created: more is an error naming
**    the file, the count and the limit.
**
**  - The table-valued form csvfile(file [, delimiter [, header [, null]]])
**    has fixed columns: `line` (the line the record starts on) and `row`,
**    the record as a JSON object keyed by the same column names, with typed
**    values (numbers, strings, null). Use ->> or json_extract on it. It has
**    no column limit of SQLite's; the reader's cap is 100,000 fields. Its
**    header argument takes the same booleans as header=.
**
** Values are typed as csv_type_field() says (ext/core/csv.h): INTEGER, REAL,
** TEXT; empty -> NULL; '-', 'N/A' and the like stay TEXT unless null= lists
** them. The rowid is the record's number (1 = first data row). A field's
** bytes are kept whole, a NUL byte included (TEXT results carry their
** length; in `row` it is \u0000).
**
** Errors: a record whose number of fields differs from the header's stops
** the query with "csvfile: FILE:LINE: M fields: expected N"; a syntax
** error (text after a closing quote, an unterminated quote) gives
** FILE:LINE:COL. Nothing is skipped silently.
**
** Out of memory anywhere is SQLITE_NOMEM: never a crash, a lost option or a
** different row.
**
** HOW IT WORKS. The reader (ext/core/csv.c) streams the file in 64 KiB chunks;
** the cursor holds one record at a time, so memory stays flat whatever the
** file's size. Every scan re-opens the file. The module reads files, so it is
** SQLITE_VTAB_DIRECTONLY: a schema written by someone else cannot use it.
**
** Bounded work: xFilter reads two records (the header and the first row),
** xNext one; each csv_reader_next() call reads at most 64 MiB of blank lines
** and one record of at most 64 MiB (ext/core/csv.h), so SQLite gets control back
** (sqlite3_interrupt, the progress handler) after at most ~200 MB of input
** per call, whatever the file.
*/
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT3

#include <string.h>

#include "csv.h"
#include "decimal.h"
#include "json.h"
#include "tokenledger_modules.h"
#include "trust.h"
#include "tl_alloc.h"
#include "vtab_args.h"
#include "vtab_error.h"

/* Columns of the table-valued form. */
#define CSVFILE_COLUMN_LINE 0
#define CSVFILE_COLUMN_ROW 1
#define CSVFILE_COLUMN_FILE 2
#define CSVFILE_COLUMN_DELIMITER 3
#define CSVFILE_COLUMN_HEADER 4
#define CSVFILE_COLUMN_NULL 5
#define CSVFILE_NARG 4 /* hidden argument columns, file first */

/* Options of one scan. Strings are owned (sqlite3_malloc). */
typedef struct CsvfileOptions {
  char *file;
  char delimiter;
  int header;
  char *nulls; /* comma-separated texts that mean NULL, or NULL */
} CsvfileOptions;

typedef struct CsvfileTable {
  sqlite3_vtab base;
  sqlite3 *db;
  int tabular;          /* 1: CREATE form with the file's columns */
  CsvfileOptions opt;   /* CREATE form only */
  int ncol;             /* CREATE form: number of columns */
} CsvfileTable;

typedef struct CsvfileCursor {
  sqlite3_vtab_cursor base;
  CsvReader *reader;
  CsvfileOptions opt;   /* table-valued form: this scan's arguments */
  char **names;         /* table-valued form: column names for `row` */
  int ncol;             /* fields every record must have */
  sqlite3_int64 rowid;
  int eof;
} CsvfileCursor;

static void options_clear(CsvfileOptions *o) {
  sqlite3_free(o->file);
  sqlite3_free(o->nulls);
  memset(o, 0, sizeof *o);
}

/* ---- arguments -------------------------------------------------------- */

/* The CREATE form's arguments (ext/core/args.h), in the order messages list
** them. The table-valued form judges its header argument by the same entry. */
enum { CSVFILE_ARG_FILE, CSVFILE_ARG_HEADER, CSVFILE_ARG_DELIMITER, CSVFILE_ARG_NULL };
static const TlArgSpec csvfile_args[] = {
    {"file", TL_ARG_TEXT, 1, NULL},
    {"header", TL_ARG_BOOLEAN, 0, NULL},
    {"delimiter", TL_ARG_TEXT, 0, NULL},
    {"null", TL_ARG_TEXT, 0, NULL},
};
#define CSVFILE_NSPEC (sizeof csvfile_args / sizeof *csvfile_args)

/* Sets o->delimiter from z: SQLITE_OK, or an error with *pzErr. */
static int parse_delimiter(CsvfileOptions *o, const char *z, char **pzErr) {
  if (strcmp(z, "\\t") == 0 || sqlite3_stricmp(z, "tab") == 0) {
    o->delimiter = '\t';
  } else if (strlen(z) == 1 && z[0] != '"' && z[0] != '\n' && z[0] != '\r') {
    o->delimiter = z[0];
  } else {
    return tl_vtab_error(pzErr, SQLITE_ERROR,
                         "csvfile: bad delimiter '%s': expected one character such as ',' ';' "
                         "'|' or '\\t'",
                         z);
  }
  return SQLITE_OK;
}

/* The table-valued form's header argument, worded as header= would be. */
static int parse_header(CsvfileOptions *o, const char *z, char **pzErr) {
  TlArgValue v = {0, NULL, 0};
  char *message;
  int rc = tl_args_value(&csvfile_args[CSVFILE_ARG_HEADER], z, &v, &message);
  o->header = (int)v.number;
  tl_args_clear(&v, 1);
  return tl_vtab_args_result("csvfile", rc, message, pzErr);
}

/* CREATE VIRTUAL TABLE arguments into o: SQLITE_OK, or an error with *pzErr. */
static int parse_arguments(CsvfileOptions *o, int argc, const char *const *argv,
                           char **pzErr) {
  TlArgValue v[CSVFILE_NSPEC];
  int rc;
  memset(v, 0, sizeof v);
  rc = tl_vtab_args("csvfile", csvfile_args, CSVFILE_NSPEC, argc, argv, v, pzErr);
  if (rc != SQLITE_OK) return rc;
  if (v[CSVFILE_ARG_HEADER].given) o->header = (int)v[CSVFILE_ARG_HEADER].number;
  if (v[CSVFILE_ARG_DELIMITER].given) {
    rc = parse_delimiter(o, v[CSVFILE_ARG_DELIMITER].text, pzErr);
  }
  /* tl_malloc is sqlite3_malloc64 here: options_clear frees these */
  o->file = v[CSVFILE_ARG_FILE].text;
  o->nulls = v[CSVFILE_ARG_NULL].text;
  v[CSVFILE_ARG_FILE].text = v[CSVFILE_ARG_NULL].text = NULL;
  tl_args_clear(v, CSVFILE_NSPEC);
  return rc;
}

/* ---- reading ------------------------------------------------------------ */

/* A reader's failure: CSV_NOMEM is SQLITE_NOMEM, anything else its message. */
static int reader_failure(CsvReader *r, int rc, char **pzErr) {
  if (rc == CSV_NOMEM) return tl_vtab_error_take(pzErr, SQLITE_NOMEM, NULL);
  return tl_vtab_error(pzErr, SQLITE_ERROR, "csvfile: %s", csv_reader_error(r));
}

/* Opens o->file and reads its first record (the header, or the first data
** record) into *out: SQLITE_OK, or an error with *pzErr. */
static int open_first(const CsvfileOptions *o, CsvReader **out, char **pzErr) {
  const char *reason = NULL;
  CsvReader *r = csv_reader_open_file(o->file, o->delimiter, &reason);
  int rc;
  *out = NULL;
  if (!r) {
    if (!reason) return SQLITE_NOMEM;
    return tl_vtab_error(pzErr, SQLITE_ERROR, "csvfile: cannot open '%s' for reading: %s",
                         o->file, reason);
  }
  rc = csv_reader_next(r);
  if (rc == 1) {
    *out = r;
    return SQLITE_OK;
  }
  rc = rc < 0 ? reader_failure(r, rc, pzErr)
              : tl_vtab_error(pzErr, SQLITE_ERROR, "csvfile: '%s' is empty: expected %s",
                              o->file, o->header ? "a header line" : "a record");
  csv_reader_close(r);
  return rc;
}

/* Is field i of the current record one of the texts of `nulls`? */
static int is_null_text(const char *nulls, const char *z, size_t n) {
  const char *p = nulls;
  while (p) {
    const char *comma = strchr(p, ',');
    size_t len = comma ? (size_t)(comma - p) : strlen(p);
    if (len == n && memcmp(p, z, n) == 0) return 1;
    p = comma ? comma + 1 : NULL;
  }
  return 0;
}

static CsvType field_type(const CsvfileOptions *o, CsvReader *r, int i,
                          const char **z, size_t *n, sqlite3_int64 *iv,
                          double *dv) {
  int64_t i64 = 0;
  CsvType t;
  *z = csv_reader_field(r, (size_t)i, n);
  if (o->nulls && is_null_text(o->nulls, *z, *n)) return CSV_NULL;
  t = csv_type_field(*z, *n, csv_reader_quoted(r, (size_t)i), &i64, dv);
  *iv = i64;
  return t;
}

/* ---- xCreate / xConnect ---------------------------------------------- */

/* The CREATE form's schema: one column per CSV column, at most
** SQLITE_LIMIT_COLUMN of them (checked before any name is built). */
static int connect_tabular(sqlite3 *db, CsvfileTable *t, char **pzErr) {
  CsvReader *r;
  char **names;
  char *sql;
  sqlite3_str *schema;
  size_t n;
  int limit, rc = open_first(&t->opt, &r, pzErr);
  if (rc != SQLITE_OK) return rc;
  n = csv_reader_nfield(r);
  limit = sqlite3_limit(db, SQLITE_LIMIT_COLUMN, -1);
  if (n > (size_t)limit) {
    rc = tl_vtab_error(pzErr, SQLITE_ERROR,
                       "csvfile: %s:%llu: %llu columns: expected at most %d "
                       "(SQLITE_LIMIT_COLUMN)",
                       t->opt.file, (unsigned long long)csv_reader_line(r),
                       (unsigned long long)n, limit);
    csv_reader_close(r);
    return rc;
  }
  names = csv_reader_column_names(r, t->opt.header);
  csv_reader_close(r);
  if (!names) return SQLITE_NOMEM;
  schema = sqlite3_str_new(db);
  sqlite3_str_appendall(schema, "CREATE TABLE x(");
  for (size_t i = 0; i < n; i++) {
    sqlite3_str_appendf(schema, "%s\"%w\"", i ? "," : "", names[i]);
  }
  sqlite3_str_appendall(schema, ")");
  tl_free(names);
  sql = sqlite3_str_finish(schema); /* NULL on any append's out-of-memory */
  rc = sql ? sqlite3_declare_vtab(db, sql) : SQLITE_NOMEM;
  sqlite3_free(sql);
  t->ncol = (int)n;
  return rc;
}

/* xConnect, also xCreate: the eponymous table (no arguments) is the
** table-valued form; with arguments it is the CREATE form. */
static int csvfileConnect(sqlite3 *db, void *pAux, int argc,
                          const char *const *argv, sqlite3_vtab **ppVtab,
                          char **pzErr) {
  CsvfileTable *t;
  int rc = tl_require_temp_schema("csvfile", argc, argv, pzErr);
  (void)pAux;
  if (rc != SQLITE_OK) return rc;
  t = sqlite3_malloc(sizeof *t);
  if (!t) return SQLITE_NOMEM;
  memset(t, 0, sizeof *t);
  t->db = db;
  t->opt.delimiter = ',';
  t->opt.header = 1;
  if (argc > 3) {
    rc = parse_arguments(&t->opt, argc, argv, pzErr);
    if (rc == SQLITE_OK) rc = connect_tabular(db, t, pzErr);
    t->tabular = 1;
  } else {
    rc = sqlite3_declare_vtab(
        db,
        "CREATE TABLE x(line INTEGER, row TEXT, file HIDDEN, delimiter HIDDEN, "
        "header HIDDEN, \"null\" HIDDEN)");
  }
  if (rc == SQLITE_OK) rc = sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
  if (rc != SQLITE_OK) {
    options_clear(&t->opt);
    sqlite3_free(t);
    return rc;
  }
  *ppVtab = &t->base;
  return SQLITE_OK;
}

/* xDisconnect, also xDestroy */
static int csvfileDisconnect(sqlite3_vtab *pVtab) {
  CsvfileTable *t = (CsvfileTable *)pVtab;
  options_clear(&t->opt);
  sqlite3_free(t);
  return SQLITE_OK;
}

/* ---- xBestIndex ----------------------------------------------------------
** idxNum bitmask, table-valued form only: which hidden arguments arrived as
** equality constraints, in column order; each is handed to xFilter as the
** next argv entry.
**   1  file        2  delimiter        4  header        8  null
** The file is required: without it the plan is refused. */
static int csvfileBestIndex(sqlite3_vtab *pVtab, sqlite3_index_info *info) {
  CsvfileTable *t = (CsvfileTable *)pVtab;
  int argIdx[CSVFILE_NARG] = {-1, -1, -1, -1};
  int unusableFile = 0, next = 1;
  info->idxNum = 0;
  info->estimatedCost = 1e6;
  info->estimatedRows = 100000;
  if (t->tabular) return SQLITE_OK;
  for (int i = 0; i < info->nConstraint; i++) {
    const struct sqlite3_index_constraint *c = &info->aConstraint[i];
    int arg = c->iColumn - CSVFILE_COLUMN_FILE;
    if (arg < 0 || arg >= CSVFILE_NARG) continue;
    if (c->op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
    if (!c->usable) {
      if (arg == 0) unusableFile = 1;
      continue;
    }
    argIdx[arg] = i;
  }
  if (argIdx[0] < 0) {
    if (unusableFile) return SQLITE_CONSTRAINT;
    return tl_vtab_error(&pVtab->zErrMsg, SQLITE_ERROR,
                         "csvfile: the table-valued form needs a file: expected "
                         "csvfile('x.csv' [, delimiter [, header [, null]]])");
  }
  for (int arg = 0; arg < CSVFILE_NARG; arg++) {
    if (argIdx[arg] < 0) continue;
    info->aConstraintUsage[argIdx[arg]].argvIndex = next++;
    info->aConstraintUsage[argIdx[arg]].omit = 1;
    info->idxNum |= 1 << arg;
  }
  return SQLITE_OK;
}

/* ---- cursor ------------------------------------------------------------- */

/* xOpen */
static int csvfileOpen(sqlite3_vtab *pVtab, sqlite3_vtab_cursor **ppCursor) {
  CsvfileCursor *c = sqlite3_malloc(sizeof *c);
  (void)pVtab;
  if (!c) return SQLITE_NOMEM;
  memset(c, 0, sizeof *c);
  *ppCursor = &c->base;
  return SQLITE_OK;
}

static void cursor_reset(CsvfileCursor *c) {
  csv_reader_close(c->reader);
  c->reader = NULL;
  tl_free(c->names);
  c->names = NULL;
  options_clear(&c->opt);
  c->ncol = 0;
  c->eof = 1;
}

/* xClose */
static int csvfileClose(sqlite3_vtab_cursor *cur) {
  CsvfileCursor *c = (CsvfileCursor *)cur;
  cursor_reset(c);
  sqlite3_free(c);
  return SQLITE_OK;
}

/* A copy of src into *out (NULL stays NULL): SQLITE_OK or SQLITE_NOMEM. */
static int copy_text(char **out, const char *src) {
  if (!src) return SQLITE_OK;
  *out = sqlite3_mprintf("%s", src);
  return *out ? SQLITE_OK : SQLITE_NOMEM;
}

/* The options of the scan, the table's (CREATE form) or the arguments:
** SQLITE_OK, or an error with *pzErr. */
static int scan_options(CsvfileTable *t, CsvfileCursor *c, int idxNum,
                        int argc, sqlite3_value **argv, char **pzErr) {
  int a = 0, rc = SQLITE_OK;
  if (t->tabular) {
    c->opt.delimiter = t->opt.delimiter;
    c->opt.header = t->opt.header;
    rc = copy_text(&c->opt.file, t->opt.file);
    return rc == SQLITE_OK ? copy_text(&c->opt.nulls, t->opt.nulls) : rc;
  }
  c->opt.delimiter = ',';
  c->opt.header = 1;
  for (int bit = 0; bit < CSVFILE_NARG && rc == SQLITE_OK; bit++) {
    const char *z;
    if (!(idxNum & (1 << bit)) || a >= argc) continue;
    z = (const char *)sqlite3_value_text(argv[a]);
    if (!z) {
      /* NULL text of a non-NULL value: the conversion ran out of memory. */
      if (sqlite3_value_type(argv[a]) != SQLITE_NULL) return SQLITE_NOMEM;
      if (bit == 0) {
        return tl_vtab_error(pzErr, SQLITE_ERROR, "csvfile: the file is NULL");
      }
      a++;
      continue; /* a NULL option means its default */
    }
    a++;
    switch (bit) {
      case 0:
        rc = copy_text(&c->opt.file, z);
        break;
      case 1:
        rc = parse_delimiter(&c->opt, z, pzErr);
        break;
      case 2:
        rc = parse_header(&c->opt, z, pzErr);
        break;
      default:
        rc = copy_text(&c->opt.nulls, z);
    }
  }
  return rc;
}

/* Reads the next record into the cursor, checking its width. */
static int cursor_step(CsvfileCursor *c, sqlite3_vtab *vtab) {
  int rc = csv_reader_next(c->reader);
  size_t n;
  if (rc == 0) {
    c->eof = 1;
    return SQLITE_OK;
  }
  if (rc < 0) return reader_failure(c->reader, rc, &vtab->zErrMsg);
  n = csv_reader_nfield(c->reader);
  if (n != (size_t)c->ncol) {
    return tl_vtab_error(&vtab->zErrMsg, SQLITE_ERROR,
                         "csvfile: %s:%llu: %llu field%s: expected %d", c->opt.file,
                         (unsigned long long)csv_reader_line(c->reader), (unsigned long long)n,
                         n == 1 ? "" : "s", c->ncol);
  }
  c->rowid++;
  return SQLITE_OK;
}

/* xFilter */
static int csvfileFilter(sqlite3_vtab_cursor *cur, int idxNum,
                         const char *idxStr, int argc, sqlite3_value **argv) {
  CsvfileCursor *c = (CsvfileCursor *)cur;
  CsvfileTable *t = (CsvfileTable *)cur->pVtab;
  int rc;
  (void)idxStr;
  cursor_reset(c);
  c->rowid = 0;
  rc = scan_options(t, c, idxNum, argc, argv, &cur->pVtab->zErrMsg);
  if (rc == SQLITE_OK) rc = open_first(&c->opt, &c->reader, &cur->pVtab->zErrMsg);
  if (rc != SQLITE_OK) return rc;
  c->ncol = (int)csv_reader_nfield(c->reader);
  if (t->tabular && c->ncol != t->ncol) {
    return tl_vtab_error(&cur->pVtab->zErrMsg, SQLITE_ERROR,
                         "csvfile: %s:%llu: %d field%s: expected %d, as when the table was "
                         "created (has the file changed?)",
                         c->opt.file, (unsigned long long)csv_reader_line(c->reader), c->ncol,
                         c->ncol == 1 ? "" : "s", t->ncol);
  }
  if (!t->tabular) {
    c->names = csv_reader_column_names(c->reader, c->opt.header);
    if (!c->names) return SQLITE_NOMEM;
  }
  c->eof = 0;
  if (!c->opt.header) {
    c->rowid = 1; /* the first record is data, already read */
    return SQLITE_OK;
  }
  return cursor_step(c, cur->pVtab);
}

/* xNext */
static int csvfileNext(sqlite3_vtab_cursor *cur) {
  return cursor_step((CsvfileCursor *)cur, cur->pVtab);
}

/* xEof */
static int csvfileEof(sqlite3_vtab_cursor *cur) {
  return ((CsvfileCursor *)cur)->eof;
}

/* Appends a REAL as the shortest text that reads back the same double. */
static void json_append_real(JsonBuf *b, double v) {
  char buf[40];
  double back;
  if (v != v) {
    json_buf_append(b, "null", 4);
    return;
  }
  if (v > 1.7976931348623157e308 || v < -1.7976931348623157e308) {
    json_buf_append(b, v > 0 ? "9e999" : "-9e999", v > 0 ? 5 : 6);
    return;
  }
  sqlite3_snprintf(sizeof buf, buf, "%!.15g", v);
  if (tl_decimal_to_double(buf, strlen(buf), 0, &back) != 0 || back != v) {
    sqlite3_snprintf(sizeof buf, buf, "%!.17g", v);
  }
  json_buf_append(b, buf, strlen(buf));
}

/* The current record as a JSON object keyed by column name. */
static void result_row_json(sqlite3_context *ctx, CsvfileCursor *c) {
  JsonBuf b = {0, 0, 0, 0};
  json_buf_append(&b, "{", 1);
  for (int i = 0; i < c->ncol; i++) {
    const char *z;
    size_t n;
    sqlite3_int64 iv;
    double dv;
    char num[32];
    if (i) json_buf_append(&b, ",", 1);
    json_write_string(&b, c->names[i], strlen(c->names[i]));
    json_buf_append(&b, ":", 1);
    switch (field_type(&c->opt, c->reader, i, &z, &n, &iv, &dv)) {
      case CSV_NULL:
        json_buf_append(&b, "null", 4);
        break;
      case CSV_INTEGER:
        sqlite3_snprintf(sizeof num, num, "%lld", iv);
        json_buf_append(&b, num, strlen(num));
        break;
      case CSV_REAL:
        json_append_real(&b, dv);
        break;
      default:
        json_write_string(&b, z, n);
    }
  }
  json_buf_append(&b, "}", 1);
  if (b.oom) {
    json_buf_free(&b);
    sqlite3_result_error_nomem(ctx);
    return;
  }
  sqlite3_result_text64(ctx, b.data, b.len, SQLITE_TRANSIENT, SQLITE_UTF8);
  json_buf_free(&b);
}

/* xColumn */
static int csvfileColumn(sqlite3_vtab_cursor *cur, sqlite3_context *ctx,
                         int col) {
  CsvfileCursor *c = (CsvfileCursor *)cur;
  CsvfileTable *t = (CsvfileTable *)cur->pVtab;
  const char *z;
  size_t n;
  sqlite3_int64 iv;
  double dv;
  if (!t->tabular) {
    switch (col) {
      case CSVFILE_COLUMN_LINE:
        sqlite3_result_int64(ctx, (sqlite3_int64)csv_reader_line(c->reader));
        break;
      case CSVFILE_COLUMN_ROW:
        result_row_json(ctx, c);
        break;
      case CSVFILE_COLUMN_FILE:
        sqlite3_result_text(ctx, c->opt.file, -1, SQLITE_TRANSIENT);
        break;
      case CSVFILE_COLUMN_DELIMITER:
        sqlite3_result_text(ctx, &c->opt.delimiter, 1, SQLITE_TRANSIENT);
        break;
      case CSVFILE_COLUMN_HEADER:
        sqlite3_result_int(ctx, c->opt.header);
        break;
      case CSVFILE_COLUMN_NULL:
        if (c->opt.nulls) sqlite3_result_text(ctx, c->opt.nulls, -1, SQLITE_TRANSIENT);
        break;
    }
    return SQLITE_OK;
  }
  switch (field_type(&c->opt, c->reader, col, &z, &n, &iv, &dv)) {
    case CSV_NULL:
      break;
    case CSV_INTEGER:
      sqlite3_result_int64(ctx, iv);
      break;
    case CSV_REAL:
      sqlite3_result_double(ctx, dv);
      break;
    default:
      sqlite3_result_text64(ctx, z, n, SQLITE_TRANSIENT, SQLITE_UTF8);
  }
  return SQLITE_OK;
}

/* xRowid */
static int csvfileRowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *pRowid) {
  *pRowid = ((CsvfileCursor *)cur)->rowid;
  return SQLITE_OK;
}

static sqlite3_module csvfileModule = {
    0,                 /* iVersion */
    csvfileConnect,    /* xCreate */
    csvfileConnect,    /* xConnect */
    csvfileBestIndex,  /* xBestIndex */
    csvfileDisconnect, /* xDisconnect */
    csvfileDisconnect, /* xDestroy */
    csvfileOpen,       /* xOpen */
    csvfileClose,      /* xClose */
    csvfileFilter,     /* xFilter */
    csvfileNext,       /* xNext */
    csvfileEof,        /* xEof */
    csvfileColumn,     /* xColumn */
    csvfileRowid,      /* xRowid */
    0,                 /* xUpdate */
    0,                 /* xBegin */
    0,                 /* xSync */
    0,                 /* xCommit */
    0,                 /* xRollback */
    0,                 /* xFindFunction */
    0,                 /* xRename */
    0,                 /* xSavepoint */
    0,                 /* xRelease */
    0,                 /* xRollbackTo */
    0,                 /* xShadowName */
};

int tl_register_csvfile(sqlite3 *db, char **pzErr) {
  (void)pzErr; /* nothing to say beyond the connection's message */
  return sqlite3_create_module(db, "csvfile", &csvfileModule, 0);
}
