/*
** genai-prices match rules (ext/core/genai_match.c). Every regex rule of
** genai-prices v2 (2026-08-21) is run on ids that must and must not match;
** the expectations were written by hand and checked with Python's
** re.search, which genai-prices itself uses.
*/
#include <string.h>

#include "check.h"
#include "genai_match.h"

static char err[256];

static int rx(const char *pattern, const char *text) {
  err[0] = 0;
  return genai_regex_search(pattern, text, strlen(text), err, sizeof err);
}

static int rule(const char *json, const char *text) {
  err[0] = 0;
  return genai_match(json, strlen(json), text, strlen(text), err, sizeof err);
}

int main(void) {
  /* The 15 regex rules of v2, each with a match and a near miss. */
  CHECK("o[134] anchored", rx("^o[134]", "o3-mini") == 1 && rx("^o[134]", "o1") == 1 &&
                               rx("^o[134]", "o2") == 0 && rx("^o[134]", "gpt-o3") == 0);
  CHECK("mistral family", rx("(?:mi|code|dev|magi|mini)stral", "devstral-small-2505") == 1 &&
                              rx("(?:mi|code|dev|magi|mini)stral", "mistral-large") == 1 &&
                              rx("(?:mi|code|dev|magi|mini)stral", "ministral-8b") == 1 &&
                              rx("(?:mi|code|dev|magi|mini)stral", "Mistral-large") == 0 &&
                              rx("(?:mi|code|dev|magi|mini)stral", "pixtral-12b") == 0);
  CHECK("gemini 3.5 flash dated", rx("^gemini-3\\.5-flash-\\d", "gemini-3.5-flash-0520") == 1 &&
                                      rx("^gemini-3\\.5-flash-\\d", "gemini-3.5-flash-lite") == 0 &&
                                      rx("^gemini-3\\.5-flash-\\d", "gemini-3x5-flash-1") == 0);
  CHECK("google gemini 8 digits",
        rx("^google/gemini-3\\.5-flash-\\d{8}$", "google/gemini-3.5-flash-20260101") == 1 &&
            rx("^google/gemini-3\\.5-flash-\\d{8}$", "google/gemini-3.5-flash-2026010") == 0 &&
            rx("^google/gemini-3\\.5-flash-\\d{8}$", "google/gemini-3.5-flash-202601011") == 0);
  {
    static const char *const gpt[] = {
        "^gpt-5-6-luna-\\d{4}-\\d{2}-\\d{2}$",  "^gpt-5-6-sol-\\d{4}-\\d{2}-\\d{2}$",
        "^gpt-5-6-terra-\\d{4}-\\d{2}-\\d{2}$", "^gpt-5\\.6-luna-\\d{4}-\\d{2}-\\d{2}$",
        "^gpt-5\\.6-sol-\\d{4}-\\d{2}-\\d{2}$", "^gpt-5\\.6-terra-\\d{4}-\\d{2}-\\d{2}$"};
    static const char *const yes[] = {"gpt-5-6-luna-2026-07-01", "gpt-5-6-sol-2026-07-01",
                                      "gpt-5-6-terra-2026-07-01", "gpt-5.6-luna-2026-07-01",
                                      "gpt-5.6-sol-2026-07-01", "gpt-5.6-terra-2026-07-01"};
    int all = 1;
    for (int i = 0; i < 6; i++) {
      char longer[64];
      snprintf(longer, sizeof longer, "%s-x", yes[i]);
      all &= rx(gpt[i], yes[i]) == 1 && rx(gpt[i], longer) == 0 &&
              rx(gpt[i], yes[(i + 1) % 6]) == 0;
    }
    CHECK("gpt-5.6 dated ids, six rules", all);
  }
  CHECK("grok 4.3 and 4.5", rx("^grok-4\\.3-\\d{8}$", "grok-4.3-20260101") == 1 &&
                                rx("^grok-4\\.5-\\d{8}$", "grok-4.5-20260101") == 1 &&
                                rx("^grok-4\\.3-\\d{8}$", "grok-4.3") == 0 &&
                                rx("^x-ai/grok-4\\.3-\\d{8}$", "x-ai/grok-4.3-20260101") == 1 &&
                                rx("^x-ai/grok-4\\.5-\\d{8}$", "x-ai/grok-4.5-2026010a") == 0);

  /* The rest of the subset. */
  CHECK("dot and star", rx("a.*c", "xxabbbcx") == 1 && rx("a.*c", "ab") == 0);
  CHECK("plus and optional", rx("^ab+c?$", "abbb") == 1 && rx("^ab+c?$", "ac") == 0);
  CHECK("counted range", rx("^a{2,3}$", "aa") == 1 && rx("^a{2,3}$", "aaaa") == 0 &&
                             rx("^a{2,}$", "aaaaa") == 1 && rx("^a{2,}$", "a") == 0);
  CHECK("negated class and ranges", rx("^[^0-9]+$", "abc") == 1 && rx("^[^0-9]+$", "a1") == 0 &&
                                        rx("^[a-c\\d]+$", "cab9") == 1);
  CHECK("class with ] first", rx("^[]a]+$", "]a]") == 1);
  CHECK("lazy quantifier same answer", rx("^a+?b", "aaab") == 1);
  CHECK("empty pattern matches", rx("", "x") == 1);
  CHECK("nested empty loop terminates", rx("^(a*)*b$", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaac") == 0);
  CHECK("alternation at top", rx("^cat$|^dog$", "dog") == 1 && rx("^cat$|^dog$", "cow") == 0);
  CHECK("unsupported lookahead", rx("(?=a)", "a") == -1 && strstr(err, "'(?'") != NULL);
  CHECK("unsupported backreference", rx("(a)\\1", "aa") == -1 && strstr(err, "escape") != NULL);
  CHECK("unsupported word boundary", rx("\\bx", "x") == -1);
  CHECK("missing paren", rx("(ab", "ab") == -1 && strstr(err, "missing ')'") != NULL);
  CHECK("unbalanced paren", rx("ab)", "ab") == -1 && strstr(err, "unbalanced") != NULL);
  CHECK("nothing to repeat", rx("*a", "a") == -1 && strstr(err, "nothing to repeat") != NULL);
  CHECK("dollar in the middle", rx("a$b", "a") == -1);
  CHECK("too large once unrolled", rx("(?:abcdefgh){1000}", "a") == -1 &&
                                       strstr(err, "too large") != NULL);

  /* Clauses. */
  CHECK("equals ignores case", rule("{\"equals\":\"GPT-4o\"}", "gpt-4O") == 1 &&
                                   rule("{\"equals\":\"gpt-4o\"}", "gpt-4o-mini") == 0);
  CHECK("starts_with", rule("{\"starts_with\":\"Claude-\"}", "claude-3") == 1 &&
                           rule("{\"starts_with\":\"claude-3-5\"}", "claude-3") == 0);
  CHECK("ends_with", rule("{\"ends_with\":\"-MINI\"}", "o3-mini") == 1 &&
                         rule("{\"ends_with\":\"xo3-mini\"}", "o3-mini") == 0);
  CHECK("contains", rule("{\"contains\":\"anthropic\"}", "global.Anthropic.claude") == 1 &&
                        rule("{\"contains\":\"z\"}", "") == 0);
  CHECK("regex is case-sensitive", rule("{\"regex\":\"^o[134]\"}", "O3") == 0);
  CHECK("or", rule("{\"or\":[{\"equals\":\"a\"},{\"equals\":\"b\"}]}", "b") == 1 &&
                  rule("{\"or\":[]}", "b") == 0);
  CHECK("and", rule("{\"and\":[{\"contains\":\"huggingface\"},{\"contains\":\"novita\"}]}",
                    "huggingface_novita") == 1 &&
                   rule("{\"and\":[{\"contains\":\"huggingface\"},{\"contains\":\"novita\"}]}",
                        "huggingface_groq") == 0 &&
                   rule("{\"and\":[]}", "x") == 1);
  CHECK("nested", rule("{\"or\":[{\"and\":[{\"starts_with\":\"a\"},{\"ends_with\":\"z\"}]},"
                       "{\"regex\":\"^q\"}]}",
                       "abcz") == 1);
  CHECK("two members is an error", rule("{\"equals\":\"a\",\"contains\":\"b\"}", "a") == -1 &&
                                       strstr(err, "one member") != NULL);
  CHECK("unknown clause names place", rule("{\"like\":\"a%\"}", "a") == -1 &&
                                          strstr(err, "rule:1:1: unknown clause 'like'") != NULL);
  CHECK("non-string argument", rule("{\"equals\":3}", "3") == -1 &&
                                   strstr(err, "expected a string") != NULL);
  CHECK("or needs a list", rule("{\"or\":{\"equals\":\"a\"}}", "a") == -1);
  CHECK("invalid JSON names place", rule("{\"equals\":", "a") == -1 &&
                                        strncmp(err, "rule:1:", 7) == 0);
  CHECK("error inside or propagates",
        rule("{\"or\":[{\"equals\":\"x\"},{\"regex\":\"(?<n>a)\"}]}", "a") == -1);
  CHECK_DONE();
}
