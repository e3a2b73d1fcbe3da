/*
** Canonical model and provider names as SQL functions.
**
**   SELECT canonical_model('us.anthropic.claude-3-5-sonnet-20241022-v2:0');
**     -> claude-3-5-sonnet-20241022
**   SELECT canonical_model('my-gpt', 'azure', '{"my-gpt": "gpt-4o-2024-08-06"}');
**     -> gpt-4o-2024-08-06                      (rule user)
**   SELECT canonical_provider('bedrock_converse');   -> amazon-bedrock
**   SELECT model_creator('Llama 3.3 Instruct 70B');   -> meta
**
** canonical_model(raw [, provider [, aliases [, as_of]]])
**   raw       any value; NULL gives NULL. A name no rule understands comes
**             back as itself, unchanged (see resolve_model for the rule).
**   provider  who served the call (optional, may be NULL). It does not
**             change the model; it is accepted so that one call site can
**             pass (model, provider) pairs to every function alike.
**   aliases   the caller's own vocabulary, a JSON object (optional) of
**             aliases {"raw": "canonical id"} and of models the built-in
**             vocabulary lacks, {"acme-1": {"creator": "acme", "aliases":
**             ["acme one"]}}, found by every spelling that signs alike
**             (ext/core/canonical.h says how). They win over every built-in
**             rule, rule user. Typical use:
**               canonical_model(u.model, u.provider,
**                 (SELECT json_group_object(raw, canonical) FROM my_aliases))
**   as_of     the date the name was used on: 'YYYY-MM-DD', or a timestamp
**             that starts with one (optional). A floating alias
**             (mistral-large-latest, claude-3-5-sonnet-latest: the
**             aliases of ext/vocab/latest.tsv) then names the snapshot it
**             pointed at that day; without it, the newest (confidence 60).
**             Typical use: a price list's snapshot date, an event's ts.
** canonical_provider(raw)  the serving provider (models.dev id) of a model
**             name, or of a provider name itself (bedrock_converse,
**             vertex_ai-language-models); NULL when it cannot be told.
** model_creator(raw)  the lab that made the model (models.dev lab ids), or
**             NULL.
** variant_key(variant, service_tier [, window_start, window_end])
**             the rate-card key of an offering: resolve_model's variant
**             ('region=eu', NULL for the plain offering) with the price's
**             conditions merged in, in the fixed kind order: service_tier
**             ('batch', 'flex', 'priority', 'scale'; NULL, '', 'default',
**             'standard' and 'auto' are the standard tier, no pair) and a
**             daily UTC window ('HH:MM:SS' each: 'window=00:30:00-16:30:00').
**             Price rows and events both go through it, so a batch price
**             and a batch call meet on one key:
**               variant_key('region=eu', 'batch')
**                 -> 'region=eu;service_tier=batch'
**             NULL when nothing remains.
**
** Why aliases are an argument and not a table the functions read: the
** functions are SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, so SQLite may keep
** their results in indexes and generated columns. A function that consulted
** a table (or a registration call) could answer differently tomorrow for the
** same arguments, and every index built on it would silently be wrong. With
** the aliases in the arguments, the answer depends on the arguments only;
** an index over canonical_model(model) never sees user aliases, and a query
** that wants them says so.
**
** HOW IT WORKS: the work is in ext/core/canonical.c. tl_register_canonical
** registers these functions and resolve_model (vtab/resolve_model.c) with
** the connection's canonicalizer (ext/core/canonical_cache.h: the index and a
** cache of answers, keyed by (raw, provider), of up to 16,384 names), which
** ext/tokenledger.c builds once and also gives cost_events; each holds a
** reference, and the last one SQLite drops frees it.
** Names repeat heavily in usage logs, so calls without aliases go through
** the cache; SQLite serializes calls on one connection, so it needs no lock.
** The parsed aliases object is kept with sqlite3_set_auxdata, so a constant
** aliases argument is parsed once per statement; calls with aliases bypass
** the cache.
*/
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT3

#include <string.h>

#include "canonical.h"
#include "canonical_cache.h"
#include "func_result.h"
#include "tokenledger_modules.h"

/* Which answer a function returns. */
enum { WANT_MODEL, WANT_PROVIDER, WANT_CREATOR };

/* The parsed aliases argument, kept across rows as auxdata. */
static const TlCanonUser *aliases_arg(sqlite3_context *ctx, sqlite3_value *v, int iArg,
                                      const char *fname) {
  TlCanonUser *u = sqlite3_get_auxdata(ctx, iArg);
  if (u) return u;
  const char *json = (const char *)sqlite3_value_text(v);
  char err[256];
  if (!json) { /* not NULL (the caller checked): the conversion to text failed */
    sqlite3_result_error_nomem(ctx);
    return NULL;
  }
  u = tl_canon_user_parse(json, (size_t)sqlite3_value_bytes(v), err, sizeof err);
  if (!u) {
    char *msg = tl_is_nomem_message(err) ? NULL : sqlite3_mprintf("%s: %s", fname, err);
    if (msg) sqlite3_result_error(ctx, msg, -1);
    else sqlite3_result_error_nomem(ctx);
    sqlite3_free(msg);
    return NULL;
  }
  sqlite3_set_auxdata(ctx, iArg, u, (void (*)(void *))tl_canon_user_free);
  /* set_auxdata may free u at once (on OOM); fetch it back */
  u = sqlite3_get_auxdata(ctx, iArg);
  if (!u) sqlite3_result_error_nomem(ctx);
  return u;
}

static void result_text_or_null(sqlite3_context *ctx, const char *s) {
  if (s) sqlite3_result_text(ctx, s, -1, SQLITE_TRANSIENT);
  else sqlite3_result_null(ctx);
}

static void canonical_func(sqlite3_context *ctx, int argc, sqlite3_value **argv, int want,
                           const char *fname) {
  TlCanonShared *cs = sqlite3_user_data(ctx);
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
    sqlite3_result_null(ctx);
    return;
  }
  const char *raw = (const char *)sqlite3_value_text(argv[0]);
  size_t n = (size_t)sqlite3_value_bytes(argv[0]);
  if (!raw) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  const char *prov = NULL;
  size_t pn = 0;
  if (argc > 1 && sqlite3_value_type(argv[1]) != SQLITE_NULL) {
    prov = (const char *)sqlite3_value_text(argv[1]);
    pn = (size_t)sqlite3_value_bytes(argv[1]);
    if (!prov) {
      sqlite3_result_error_nomem(ctx);
      return;
    }
  }
  const TlCanonUser *user = NULL;
  if (argc > 2 && sqlite3_value_type(argv[2]) != SQLITE_NULL) {
    user = aliases_arg(ctx, argv[2], 2, fname);
    if (!user) return;
  }
  const char *as_of = NULL;
  if (argc > 3 && sqlite3_value_type(argv[3]) != SQLITE_NULL) {
    as_of = (const char *)sqlite3_value_text(argv[3]);
    if (!as_of) {
      sqlite3_result_error_nomem(ctx);
      return;
    }
    if (!tl_canon_is_date(as_of, (size_t)sqlite3_value_bytes(argv[3]))) {
      tl_result_error_msg(ctx, sqlite3_mprintf(
          "%s: as_of '%.40s' is not a date: expected YYYY-MM-DD, or a timestamp that starts with one",
          fname, as_of));
      return;
    }
  }

  TlCanon c;
  if (user) tl_canon_resolve(cs->ix, raw, n, prov, pn, user, as_of, &c);
  else tl_canon_cache_resolve(cs->cache, cs->ix, raw, n, prov, pn, as_of, &c);
  if (want == WANT_PROVIDER) result_text_or_null(ctx, c.provider);
  else if (want == WANT_CREATOR) result_text_or_null(ctx, c.creator);
  else if (c.model_is_raw) sqlite3_result_value(ctx, argv[0]);
  else sqlite3_result_text(ctx, c.model, (int)c.model_len, SQLITE_TRANSIENT);
}

static void canonical_model_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  canonical_func(ctx, argc, argv, WANT_MODEL, "canonical_model");
}

/* canonical_provider also accepts a provider name on its own. */
static void canonical_provider_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
    sqlite3_result_null(ctx);
    return;
  }
  const char *raw = (const char *)sqlite3_value_text(argv[0]);
  if (!raw) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  TlCanon c;
  tl_canon_provider(raw, (size_t)sqlite3_value_bytes(argv[0]), NULL, 0, &c);
  result_text_or_null(ctx, c.provider);
}

static void model_creator_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  canonical_func(ctx, argc, argv, WANT_CREATOR, "model_creator");
}

static void variant_key_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  const char *text[4] = {NULL, NULL, NULL, NULL};
  size_t len[4] = {0, 0, 0, 0};
  for (int i = 0; i < argc; i++) {
    if (sqlite3_value_type(argv[i]) == SQLITE_NULL) continue;
    text[i] = (const char *)sqlite3_value_text(argv[i]);
    if (!text[i]) {
      sqlite3_result_error_nomem(ctx);
      return;
    }
    len[i] = (size_t)sqlite3_value_bytes(argv[i]);
  }
  char key[TL_VARIANT_KEY_SIZE], err[300];
  if (tl_variant_key(text[0], len[0], text[1], len[1], text[2], len[2], text[3], len[3], key, err,
                     sizeof err)) {
    tl_result_error_msg(ctx, sqlite3_mprintf("variant_key: %s", err));
    return;
  }
  if (key[0]) sqlite3_result_text(ctx, key, -1, SQLITE_TRANSIENT);
  else sqlite3_result_null(ctx);
}

/* The canonicalizer's functions, then resolve_model, registered with one
** shared index and cache: each registration holds a reference, released by
** SQLite when the function is replaced or the connection closes (and by
** create_function_v2 itself when it fails). */
int tl_register_canonical(sqlite3 *db, TlCanonShared *cs, char **pzErr) {
  static const struct {
    const char *name;
    int nArg;
    void (*fn)(sqlite3_context *, int, sqlite3_value **);
  } aFunc[] = {
      {"canonical_model", 1, canonical_model_func},
      {"canonical_model", 2, canonical_model_func},
      {"canonical_model", 3, canonical_model_func},
      {"canonical_model", 4, canonical_model_func},
      {"canonical_provider", 1, canonical_provider_func},
      {"model_creator", 1, model_creator_func},
      {"variant_key", 2, variant_key_func},
      {"variant_key", 4, variant_key_func},
  };
  const int flags = TL_FUNC_PURE;
  int rc = SQLITE_OK;
  for (size_t i = 0; i < sizeof aFunc / sizeof aFunc[0] && rc == SQLITE_OK; i++) {
    rc = sqlite3_create_function_v2(db, aFunc[i].name, aFunc[i].nArg, flags,
                                    tl_canon_shared_ref(cs), aFunc[i].fn, 0, 0,
                                    tl_canon_shared_unref);
    if (rc != SQLITE_OK) rc = tl_register_error(db, rc, aFunc[i].name, pzErr);
  }
  if (rc == SQLITE_OK) rc = tl_register_resolve_model(db, cs, pzErr);
  return rc;
}
