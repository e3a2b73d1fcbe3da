/*
** Unit tests of ext/canonical.c. Expected answers are written by hand from
** what each vendor's API calls its models; tests/aliases.tsv (877 real
** aliases collected from ../shared/data by hand-written patterns, one per
** model) is read and scored: agreement must be at least 97%.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canonical.h"
#include "check.h"

static TlCanonIndex *ix;

/* The model, rule and confidence of raw, as "model|rule|confidence". */
static const char *resolve3(const char *raw, const char *provider) {
  static char out[TL_CANON_MAX_NAME * 2];
  TlCanon c;
  tl_canon_resolve(ix, raw, strlen(raw), provider, provider ? strlen(provider) : 0, NULL, NULL, &c);
  snprintf(out, sizeof out, "%.*s|%s|%d", (int)c.model_len, c.model,
           tl_canon_rule_name(c.model_rule), c.model_conf);
  return out;
}

static const char *provider_of(const char *raw) {
  static char out[128];
  TlCanon c;
  tl_canon_resolve(ix, raw, strlen(raw), NULL, 0, NULL, NULL, &c);
  snprintf(out, sizeof out, "%s|%s|%d", c.provider ? c.provider : "NULL",
           tl_canon_rule_name(c.provider_rule), c.provider_conf);
  return out;
}

static void test_issue_examples(void) {
  /* the six spellings of one model named in the issue */
  CHECK_STR("plain dated id", resolve3("claude-3-5-sonnet-20241022", NULL),
            "claude-3-5-sonnet-20241022|exact|100");
  CHECK_STR("vertex v2@date", resolve3("vertex_ai/claude-3-5-sonnet-v2@20241022", NULL),
            "claude-3-5-sonnet-20241022|prefix|95");
  CHECK_STR("bedrock cross-region",
            resolve3("us.anthropic.claude-3-5-sonnet-20241022-v2:0", NULL),
            "claude-3-5-sonnet-20241022|prefix|95");
  CHECK_STR("openrouter undated", resolve3("anthropic/claude-3.5-sonnet", NULL),
            "claude-3-5-sonnet-20241022|undated|60");
  CHECK_STR("artificial analysis dotless", resolve3("claude-35-sonnet", NULL),
            "claude-3-5-sonnet-20241022|undated|60");
  CHECK_STR("display name month hint", resolve3("Claude 3.5 Sonnet (Oct '24)", NULL),
            "claude-3-5-sonnet-20241022|display|85");
  CHECK_STR("display name other month", resolve3("Claude 3.5 Sonnet (June '24)", NULL),
            "claude-3-5-sonnet-20240620|display|85");
  /* the other shapes of the issue */
  CHECK_STR("bedrock gov region",
            resolve3("bedrock/us-gov-west-1/anthropic.claude-sonnet-4-5-20250929-v1:0", NULL),
            "claude-sonnet-4-5-20250929|prefix|95");
  CHECK_STR("azure tier", resolve3("azure/global-standard/gpt-4o-2024-08-06", NULL),
            "gpt-4o-2024-08-06|prefix|95");
  CHECK_STR("groq vendor path", resolve3("groq/openai/gpt-oss-120b", NULL),
            "gpt-oss-120b|prefix|95");
  CHECK_STR("cloudflare fp8-fast",
            resolve3("cloudflare/@cf/meta/llama-3.3-70b-instruct-fp8-fast", NULL),
            "llama-3.3-70b-instruct|variant|80");
  CHECK_STR("fireworks v3p1",
            resolve3("fireworks_ai/accounts/fireworks/models/llama-v3p1-70b-instruct", NULL),
            "llama-3.1-70b-instruct|alias|90");
  CHECK_STR("hugging face id", resolve3("meta-llama/Llama-3.3-70B-Instruct", NULL),
            "llama-3.3-70b-instruct|prefix|95");
  CHECK_STR("aa reordered slug", resolve3("llama-3-3-instruct-70b", NULL),
            "llama-3.3-70b-instruct|alias|90");
  CHECK_STR("aa dashed version", resolve3("gpt-5-4-mini", NULL), "gpt-5.4-mini|alias|90");
  CHECK_STR(":free variant", resolve3("openrouter/meta-llama/llama-3.3-70b-instruct:free", NULL),
            "llama-3.3-70b-instruct|prefix|95");
  CHECK_STR(":thinking variant", resolve3("qwen/qwen-plus-2025-07-28:thinking", NULL),
            "qwen-plus-2025-07-28|prefix|95");
  CHECK_STR("fine-tune", resolve3("ft:gpt-4o-2024-08-06:my-org::abc123", NULL),
            "ft:gpt-4o-2024-08-06|finetune|80");
  CHECK_STR("(high) effort", resolve3("GPT-5.4 mini (xhigh)", NULL), "gpt-5.4-mini|display|85");
  /* the parenthesized mode is kept as a -non-reasoning word (issue 10: "Grok
  ** 4.20 (Non-reasoning)" is its own model), which the lookup then drops */
  CHECK_STR("(Non-reasoning)", resolve3("Claude 4.5 Haiku (Non-reasoning)", NULL),
            "claude-haiku-4-5-20251001|variant|80");
  CHECK_STR("(Non-reasoning) model", resolve3("xAI: Grok 4.20 (Non-reasoning)", NULL),
            "grok-4.20-0309-non-reasoning|display|85");
  CHECK_STR("aa -non-reasoning slug", resolve3("gpt-5-4-mini-non-reasoning", NULL),
            "gpt-5.4-mini|variant|80");
  CHECK_STR("nosana gateway", resolve3("nosana/meta-llama/Llama-3.3-70B-Instruct", NULL),
            "llama-3.3-70b-instruct|prefix|95");
  CHECK_STR("unknown gateway path", resolve3("acmecloud/meta-llama/Llama-3.3-70B-Instruct", NULL),
            "llama-3.3-70b-instruct|prefix|70");
  CHECK_STR("unknown gateway is the provider", provider_of("acmecloud/meta-llama/Llama-3.3-70B-Instruct"),
            "acmecloud|prefix|30");
  CHECK_STR("deepinfra", resolve3("deepinfra/meta-llama/Llama-3.3-70B-Instruct", NULL),
            "llama-3.3-70b-instruct|prefix|95");
}

static void test_ambiguity(void) {
  /* gpt-4o pointed at 2024-05-13, then 2024-08-06: a guess, said so */
  CHECK_STR("gpt-4o undated", resolve3("gpt-4o", NULL), "gpt-4o-2024-08-06|undated|60");
  /* only one snapshot known: surer, still not certain */
  CHECK_STR("one snapshot", resolve3("claude-sonnet-4-5", NULL),
            "claude-sonnet-4-5-20250929|undated|85");
  /* deepseek-r1 was re-used for the 0528 checkpoint by Artificial Analysis */
  CHECK_STR("deepseek-r1 bare", resolve3("deepseek-r1", NULL), "deepseek-r1-0120|undated|60");
  CHECK_STR("-latest", resolve3("claude-3-5-sonnet-latest", NULL),
            "claude-3-5-sonnet-20241022|undated|60");
  /* an unknown date is never moved to a known one */
  CHECK_STR("unknown snapshot stays", resolve3("gpt-4o-2099-01-01", NULL),
            "gpt-4o-2099-01-01|family|30");
}

static void test_providers(void) {
  CHECK_STR("bedrock dots", provider_of("us.anthropic.claude-3-5-sonnet-20241022-v2:0"),
            "amazon-bedrock|prefix|90");
  CHECK_STR("vertex claude", provider_of("vertex_ai/claude-3-5-sonnet-v2@20241022"),
            "google-vertex-anthropic|prefix|95");
  CHECK_STR("vertex gemini", provider_of("vertex_ai/gemini-2.5-pro"), "google-vertex|prefix|95");
  CHECK_STR("creator guess", provider_of("claude-3-5-sonnet-20241022"), "anthropic|creator|50");
  CHECK_STR("no first-party API", provider_of("llama-3-3-instruct-70b"), "NULL|unmapped|0");
  CHECK_STR("fireworks path", provider_of("accounts/fireworks/models/gpt-oss-120b"),
            "fireworks-ai|prefix|95");
  TlCanon c;
  tl_canon_provider("bedrock_converse", 16, NULL, 0, &c);
  CHECK_STR("litellm provider id", c.provider, "amazon-bedrock");
  tl_canon_provider("vertex_ai-language-models", 25, NULL, 0, &c);
  CHECK_STR("litellm vertex id", c.provider, "google-vertex");
  tl_canon_resolve(ix, "gpt-4o", 6, "Azure_AI", 8, NULL, NULL, &c);
  CHECK_STR("given provider", c.provider, "azure");
  CHECK("given rule", c.provider_rule == TL_RULE_GIVEN && c.provider_conf == 100);
  tl_canon_resolve(ix, "gpt-4o", 6, "acme-cloud", 10, NULL, NULL, &c);
  CHECK_STR("unknown given provider is itself", c.provider, "acme-cloud");
  CHECK("unknown given rule", c.provider_rule == TL_RULE_UNMAPPED && c.provider_conf == 0);
}

static void test_family_version_creator(void) {
  TlCanon c;
  tl_canon_resolve(ix, "claude-35-sonnet", 16, NULL, 0, NULL, NULL, &c);
  CHECK_STR("family", c.family, "claude-3-5-sonnet");
  CHECK_STR("version", c.version, "20241022");
  CHECK_STR("creator", c.creator, "anthropic");
  tl_canon_resolve(ix, "Kimi K2 Thinking", 16, NULL, 0, NULL, NULL, &c);
  CHECK_STR("moonshot creator", c.creator, "moonshotai");
  CHECK("no version", c.version == NULL);
  tl_canon_resolve(ix, "z-ai/glm-4.6", 12, NULL, 0, NULL, NULL, &c);
  CHECK_STR("glm creator", c.creator, "zhipuai");
  tl_canon_resolve(ix, "command-r-plus-08-2024", 22, NULL, 0, NULL, NULL, &c);
  CHECK_STR("mm-yyyy version", c.version, "08-2024");
  CHECK_STR("mm-yyyy family", c.family, "command-r-plus");
}

static void test_bad_input(void) {
  TlCanon c;
  tl_canon_resolve(ix, "", 0, NULL, 0, NULL, NULL, &c);
  CHECK("empty is itself", c.model_is_raw && c.model_len == 0 && c.model_rule == TL_RULE_UNMAPPED);
  char *big = malloc(10240);
  memset(big, 'a', 10240);
  tl_canon_resolve(ix, big, 10240, NULL, 0, NULL, NULL, &c);
  CHECK("10 kB is itself", c.model_is_raw && c.model_len == 10240 && c.model_conf == 0);
  memcpy(big, "gpt-4o/", 7);
  big[300] = '/';
  tl_canon_resolve(ix, big, 301, NULL, 0, NULL, NULL, &c);
  CHECK("long path is itself", c.model_is_raw);
  free(big);
  const char bad_utf8[] = "gpt-4o\xff\xfe";
  tl_canon_resolve(ix, bad_utf8, sizeof bad_utf8 - 1, NULL, 0, NULL, NULL, &c);
  CHECK("invalid utf-8 is itself", c.model_is_raw && c.model_len == 8);
  const char nul[] = "gpt-4o\0-mini";
  tl_canon_resolve(ix, nul, sizeof nul - 1, NULL, 0, NULL, NULL, &c);
  CHECK("embedded NUL is itself", c.model_is_raw && c.model_len == 12);
  CHECK_STR("only punctuation", resolve3("/-/", NULL), "/-/|unmapped|0");
  /* was the raw name; lowercased since issue 10, so that one unknown model
  ** cased two ways (NousResearch/Hermes-4-70B) is one id; a display name is
  ** cleaned like an id, so that "Some Random Model" and some-random-model
  ** are one id too */
  CHECK_STR("unknown name", resolve3("Some Random Model", NULL),
            "some-random-model|unmapped|0");
  CHECK_STR("unknown id", resolve3("some-random-model", NULL), "some-random-model|unmapped|0");
  CHECK_STR("many tokens", resolve3("a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p-q-r-s-t-u-v-w-x-y-z-a-b-c-d-e-f-g", NULL),
            "a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p-q-r-s-t-u-v-w-x-y-z-a-b-c-d-e-f-g|unmapped|0");
}

static void test_user_aliases(void) {
  char err[256];
  const char json[] = "{\"My-GPT\": \"gpt-4o-2024-08-06\", \"claude-3-5-sonnet\": \"claude-3-5-sonnet-20240620\"}";
  TlCanonUser *u = tl_canon_user_parse(json, sizeof json - 1, err, sizeof err);
  CHECK("aliases parse", u != NULL);
  TlCanon c;
  tl_canon_resolve(ix, " my-gpt ", 8, NULL, 0, u, NULL, &c);
  CHECK_STR("user alias wins", c.model, "gpt-4o-2024-08-06");
  CHECK("user rule", c.model_rule == TL_RULE_USER && c.model_conf == 100);
  CHECK_STR("user alias creator", c.creator, "openai");
  tl_canon_resolve(ix, "openrouter/anthropic/claude-3-5-sonnet", 38, NULL, 0, u, NULL, &c);
  CHECK_STR("user alias on cleaned name", c.model, "claude-3-5-sonnet-20240620");
  CHECK_STR("user alias keeps provider", c.provider, "openrouter");
  tl_canon_resolve(ix, "gpt-4o", 6, NULL, 0, u, NULL, &c);
  CHECK("no user alias: built-in rule", c.model_rule == TL_RULE_UNDATED);
  tl_canon_user_free(u);
  CHECK("aliases not an object", tl_canon_user_parse("[1]", 3, err, sizeof err) == NULL);
  CHECK("aliases error text", strstr(err, "expected a JSON object") != NULL);
  CHECK("aliases value not a string", tl_canon_user_parse("{\"a\": 1}", 8, err, sizeof err) == NULL);
  CHECK("aliases broken json", tl_canon_user_parse("{\"a\"", 4, err, sizeof err) == NULL);
}

/* tl_canon_copy: the copy must not depend on the original's memory. */
static void test_copy(void) {
  TlCanon *src = malloc(sizeof *src), *dst = malloc(sizeof *dst);
  CHECK("copy buffers", src && dst);
  if (!src || !dst) {
    free(src);
    free(dst);
    return;
  }
  const char raw[] = "vertex_ai/claude-3-5-sonnet-v2@20241022";
  /* an unknown provider argument comes back lowercased, from buf */
  tl_canon_resolve(ix, raw, sizeof raw - 1, "My-Cloud", 8, NULL, NULL, src);
  tl_canon_copy(dst, src);
  memset(src, 0x5a, sizeof *src); /* the original is gone */
  CHECK_STR("copy model", dst->model, "claude-3-5-sonnet-20241022");
  CHECK("copy model_len", dst->model_len == 26 && !dst->model_is_raw);
  CHECK("copy model in own buf", dst->model >= dst->buf && dst->model < dst->buf + sizeof dst->buf);
  CHECK_STR("copy family", dst->family, "claude-3-5-sonnet");
  CHECK_STR("copy version", dst->version, "20241022");
  CHECK_STR("copy provider from buf", dst->provider, "my-cloud");
  CHECK("copy provider rule", dst->provider_rule == TL_RULE_UNMAPPED && dst->provider_conf == 0);
  CHECK_STR("copy creator", dst->creator, "anthropic");
  CHECK("copy model rule", dst->model_rule == TL_RULE_PREFIX && dst->model_conf == 95);

  /* a static provider stays static; a raw model is not the copy's */
  /* raw only when it cannot be cleaned (non-ASCII); a cleanable unknown
  ** name is lowercased into buf since issue 10 */
  const char unk[] = "Some Random Model\xc3\xa9";
  tl_canon_resolve(ix, unk, sizeof unk - 1, "openrouter", 10, NULL, NULL, src);
  tl_canon_copy(dst, src);
  CHECK("copy static provider kept", dst->provider == src->provider);
  memset(src, 0x5a, sizeof *src);
  CHECK("copy raw model is NULL", dst->model_is_raw && dst->model == NULL && dst->model_len == 19);
  CHECK_STR("copy given provider", dst->provider, "openrouter");
  CHECK("copy no family", dst->family == NULL && dst->version == NULL);
  free(src);
  free(dst);
}

static void test_vocabulary_unique(void) {
  size_t n = tl_canon_model_count(), dup = 0;
  for (size_t i = 0; i < n; i++)
    for (size_t j = i + 1; j < n; j++)
      if (strcmp(tl_canon_model_id(i), tl_canon_model_id(j)) == 0) dup++;
  CHECK("vocabulary ids are distinct", dup == 0);
  /* every canonical id resolves to itself, exactly */
  size_t bad = 0;
  for (size_t i = 0; i < n; i++) {
    TlCanon c;
    const char *id = tl_canon_model_id(i);
    tl_canon_resolve(ix, id, strlen(id), NULL, 0, NULL, NULL, &c);
    if (c.model_rule != TL_RULE_EXACT || strcmp(c.model, id) != 0) {
      printf("# %s -> %s (%s)\n", id, c.model, tl_canon_rule_name(c.model_rule));
      bad++;
    }
  }
  CHECK("every canonical id is a fixed point", bad == 0);
}

/* tests/aliases.tsv: expected, ambiguous, raw, source. */
static void test_alias_file(void) {
  FILE *f = fopen("tests/aliases.tsv", "r");
  if (!f) {
    SKIP("aliases.tsv agreement", "tests/aliases.tsv not found (run from the repository)");
    return;
  }
  char line[1024];
  int total = 0, agree = 0, amb_high = 0, sure_low = 0, shared = 0, header = 1;
  static char got_of[1024][TL_CANON_MAX_NAME + 4], want_of[1024][TL_CANON_MAX_NAME + 4];
  int ndistinct = 0;
  while (fgets(line, sizeof line, f)) {
    if (line[0] == '#') continue;
    if (header) { header = 0; continue; }
    line[strcspn(line, "\n")] = 0;
    char *want = strtok(line, "\t"), *amb = strtok(NULL, "\t"), *raw = strtok(NULL, "\t");
    if (!want || !amb || !raw) continue;
    TlCanon c;
    tl_canon_resolve(ix, raw, strlen(raw), NULL, 0, NULL, NULL, &c);
    char got[TL_CANON_MAX_NAME + 4];
    snprintf(got, sizeof got, "%.*s", (int)c.model_len, c.model);
    total++;
    if (strcmp(got, want) == 0) agree++;
    else printf("# disagree: %s -> %s, want %s\n", raw, got, want);
    if (amb[0] == '1' && c.model_conf > 60) amb_high++;
    if (amb[0] == '0' && strcmp(got, want) == 0 && c.model_conf <= 60) sure_low++;
    /* one answer must never stand for two expected models */
    int k;
    for (k = 0; k < ndistinct && strcmp(got_of[k], got) != 0; k++) {}
    if (k < ndistinct) {
      if (strcmp(want_of[k], want) != 0) {
        printf("# shared: %s names both %s and %s\n", got, want_of[k], want);
        shared++;
      }
    } else if (ndistinct < 1024) {
      snprintf(got_of[ndistinct], sizeof got_of[0], "%s", got);
      snprintf(want_of[ndistinct], sizeof want_of[0], "%s", want);
      ndistinct++;
    }
  }
  fclose(f);
  printf("# aliases.tsv: %d of %d agree (%.1f%%), %d distinct answers\n", agree, total,
         total ? 100.0 * agree / total : 0.0, ndistinct);
  CHECK("aliases.tsv has at least 300 aliases", total >= 300);
  CHECK("aliases.tsv agreement >= 97%", total > 0 && agree * 100 >= total * 97);
  CHECK("ambiguous aliases have confidence <= 60", amb_high == 0);
  CHECK("unambiguous aliases have confidence > 60", sure_low == 0);
  CHECK("no answer names two models", shared == 0);
}

int main(void) {
  char err[256];
  ix = tl_canon_index_new(err, sizeof err);
  if (!ix) {
    printf("not ok - index builds: %s\n", err);
    return 1;
  }
  CHECK("index builds", ix != NULL);
  test_issue_examples();
  test_ambiguity();
  test_providers();
  test_family_version_creator();
  test_bad_input();
  test_user_aliases();
  test_copy();
  test_vocabulary_unique();
  test_alias_file();
  tl_canon_index_free(ix);
  CHECK_DONE();
}
