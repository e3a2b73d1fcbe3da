/*
** The SQL surface of tokenledger, one line per module. Each module defines
** its tl_register_* function in its own file (ext/func_*.c for scalar
** functions, vtab/ for virtual tables) and adds one line here. A register
** function returns an SQLite code and, when it has more to say than the
** connection's last message, sets *pzErr to a message from sqlite3_mprintf
** that begins with the name of what failed: "model_creator: unable to
** delete/modify user-function due to active statements", "canonical_model:
** canonical: models a and b share the signature 'x'" (tl_register_error).
*/
#ifndef TOKENLEDGER_MODULES_H
#define TOKENLEDGER_MODULES_H

#include <sqlite3ext.h>

/* The flags of every pure scalar function: its answer depends on its
** arguments alone, so any view, index or generated column may use it. */
#define TL_FUNC_PURE (SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS)

#include "canonical_cache.h"

int tl_register_units(sqlite3 *db, char **pzErr);
int tl_register_pricing(sqlite3 *db, char **pzErr);
int tl_register_csvfile(sqlite3 *db, char **pzErr);
int tl_register_benchmarks(sqlite3 *db, char **pzErr);
int tl_register_usage_events(sqlite3 *db, char **pzErr);
int tl_register_usage_cost(sqlite3 *db, char **pzErr);
/* cost_events, with the connection's canonicalizer: the module holds a
** reference to cs and resolves event names with its index. */
int tl_register_cost_events(sqlite3 *db, TlCanonShared *cs, char **pzErr);
int tl_register_pareto(sqlite3 *db, char **pzErr);
/* canonical_model and its siblings, and resolve_model, with the
** connection's canonicalizer cs (each holds a reference). */
int tl_register_canonical(sqlite3 *db, TlCanonShared *cs, char **pzErr);
/* resolve_model, with the canonicalizer of tl_register_canonical (which
** calls it): the module holds a reference to cs. */
int tl_register_resolve_model(sqlite3 *db, TlCanonShared *cs, char **pzErr);
int tl_register_cost(sqlite3 *db, char **pzErr);
int tl_register_genai_match(sqlite3 *db, char **pzErr);
int tl_register_ordered_json(sqlite3 *db, char **pzErr);
int tl_register_count_distinct(sqlite3 *db, char **pzErr);
int tl_register_build(sqlite3 *db, char **pzErr);

/* For a register function: the registration of name failed with rc. Sets
** *pzErr to "NAME: cause" (the connection's message when it is about this
** failure, else rc's text; NULL when out of memory) and returns rc. */
int tl_register_error(sqlite3 *db, int rc, const char *name, char **pzErr);

/* name, register function, whether it reads files or runs SQL text (left
** out by the sqlite3_tokenledger_nofs_init entry point, for hosts that open
** untrusted databases: everything that entry point registers is innocuous).
** A module that resolves names has its register function in the second
** slot: it takes the connection's one canonicalizer (ext/core/canonical_cache.h),
** which ext/tokenledger.c builds for the first of them and shares. */
#define TOKENLEDGER_MODULE_LIST                                                     \
  {"per_token, token_cost", tl_register_units, NULL, 0},                           \
  {"pricing, pricing_files", tl_register_pricing, NULL, 1},                        \
  {"csvfile", tl_register_csvfile, NULL, 1},                                       \
  {"benchmarks", tl_register_benchmarks, NULL, 1},                                 \
  {"usage_events", tl_register_usage_events, NULL, 1},                             \
  {"usage_cost", tl_register_usage_cost, NULL, 1},                                 \
  {"cost_events", NULL, tl_register_cost_events, 1},                               \
  {"pareto", tl_register_pareto, NULL, 1},                                         \
  {"canonical_model, canonical_provider, model_creator, variant_key, resolve_model", \
   NULL, tl_register_canonical, 0},                                                \
  {"genai_match", tl_register_genai_match, NULL, 0},                               \
  {"bucket_cost", tl_register_cost, NULL, 0},                                      \
  {"ordered_json_group_array", tl_register_ordered_json, NULL, 0},                 \
  {"count_distinct", tl_register_count_distinct, NULL, 0},                         \
  {"tokenledger_build, tokenledger_init, tokenledger_views, tokenledger_path",     \
   tl_register_build, NULL, 1},

#endif
