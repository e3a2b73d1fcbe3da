/*
** genai-prices' match rules: does a model id satisfy a `match` clause?
**
** pydantic/genai-prices decides which model entry prices a call with a small
** boolean language, one key per JSON object (see ext/core/genai_match.c):
**   {"equals": s} {"starts_with": s} {"ends_with": s} {"contains": s}
**   {"regex": re} {"or": [clause, ...]} {"and": [clause, ...]}
**
** This file never includes sqlite3ext.h; the SQL binding is
** ext/func_genai_match.c.
*/
#ifndef TOKENLEDGER_GENAI_MATCH_H
#define TOKENLEDGER_GENAI_MATCH_H
#include <stddef.h>

/* 1 when `text` (n bytes) satisfies the rule given as JSON text, 0 when it
** does not, -1 when the rule is not valid JSON, not a clause, or uses regex
** syntax outside the supported subset; then err (errlen bytes) says why. */
int genai_match(const char *rule, size_t rule_len, const char *text, size_t n,
                char *err, size_t errlen);

/* The regex subset alone (unanchored search, case-sensitive): 1, 0, or -1
** with err set for syntax outside the subset. */
int genai_regex_search(const char *pattern, const char *text, size_t n,
                       char *err, size_t errlen);

#endif
