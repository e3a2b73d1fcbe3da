/*
** genai_match(rule, model_id): does a genai-prices match rule hold for an id?
**
**   SELECT genai_match('{"or":[{"starts_with":"gpt-"},{"regex":"^o[134]"}]}',
**                      'o3-mini');                               -- 1
**   SELECT raw_model FROM pricing('v2/data.json')
**    WHERE raw_provider = 'openai'
**      AND genai_match(extra ->> '$.match', 'GPT-4o-2024-08-06');
**
** rule      a match clause as JSON text (pricing()'s extra carries each
**           model's as `$.match`, and the provider's as `$.provider_match`
**           and `$.provider_model_match`).
** model_id  the id to test, as TEXT.
** Returns 1 or 0; NULL when either argument is NULL. A rule that is not
** valid JSON or not a clause, or a regex outside the supported subset, is
** an error naming the place: `genai_match: rule:1:2: unknown clause ...`.
** The rules and the regex subset are documented in ext/core/genai_match.c.
**
** Deterministic and innocuous: the answer depends on the arguments only.
*/
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT3

#include <string.h>

#include "func_result.h"
#include "genai_match.h"
#include "tokenledger_modules.h"

static void genai_match_func(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  char err[256];
  int m;
  (void)argc;
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL)
    return;
  {
    const char *rule = (const char *)sqlite3_value_text(argv[0]);
    size_t rule_len = (size_t)sqlite3_value_bytes(argv[0]);
    const char *id = (const char *)sqlite3_value_text(argv[1]);
    size_t id_len = (size_t)sqlite3_value_bytes(argv[1]);
    if (!rule || !id) {
      sqlite3_result_error_nomem(ctx);
      return;
    }
    m = genai_match(rule, rule_len, id, id_len, err, sizeof err);
  }
  if (m < 0 && tl_is_nomem_message(err)) {
    sqlite3_result_error_nomem(ctx);
  } else if (m < 0) {
    char *msg = sqlite3_mprintf("genai_match: %s", err);
    if (msg) sqlite3_result_error(ctx, msg, -1);
    else sqlite3_result_error_nomem(ctx);
    sqlite3_free(msg);
  } else {
    sqlite3_result_int(ctx, m);
  }
}

int tl_register_genai_match(sqlite3 *db, char **pzErr) {
  (void)pzErr; /* nothing to say beyond the connection's message */
  return sqlite3_create_function(db, "genai_match", 2,
                                 TL_FUNC_PURE, NULL,
                                 genai_match_func, NULL, NULL);
}
