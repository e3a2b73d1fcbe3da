/*
** Unit tests of ext/core/canonical.c. Expected answers are written by hand from
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

/* The model of raw, and its creator, as "model|creator". */
static const char *model_creator(const char *raw) {
  static char out[TL_CANON_MAX_NAME * 2];
  TlCanon c;
  tl_canon_resolve(ix, raw, strlen(raw), NULL, 0, NULL, NULL, &c);
  snprintf(out, sizeof out, "%.*s|%s", (int)c.model_len, c.model, c.creator ? c.creator : "NULL");
  return out;
}

/* The naming schemes of tests/aliases_real/ (real names from ../shared/data):
** each rule written for one, with a spelling of another model than the one
** it was written from where the data has one. */
static void test_real_schemes(void) {
  /* a parenthesized snapshot or variant changes the answer */
  CHECK_STR("(May '24) month of a ?alias", resolve3("GPT-4o (May '24)", NULL),
            "gpt-4o-2024-05-13|display|85");
  CHECK_STR("(2024-11-20) date", resolve3("GPT-4o (2024-11-20)", NULL),
            "gpt-4o-2024-11-20|display|85");
  CHECK_STR("(ChatGPT)", resolve3("GPT-4o (ChatGPT)", NULL), "chatgpt-4o-latest|display|85");
  CHECK_STR("(0613)", resolve3("GPT-3.5 Turbo (0613)", NULL), "gpt-3.5-turbo-0613|display|85");
  CHECK_STR("(older v0613)", resolve3("GPT-3.5 Turbo (older v0613)", NULL),
            "gpt-3.5-turbo-0613|display|85");
  CHECK_STR("(older v1106)", resolve3("GPT-4 Turbo (older v1106)", NULL),
            "gpt-4-1106-preview|display|85");
  CHECK_STR("gpt-4-turbo-0125", resolve3("gpt-4-turbo-0125", NULL), "gpt-4-0125-preview|alias|90");
  CHECK_STR("(May '24) through latest.tsv", resolve3("Gemini 1.5 Pro (May '24)", NULL),
            "gemini-1.5-pro-001|display|80");
  CHECK_STR("(Sep '24) through latest.tsv", resolve3("Gemini 1.5 Flash (Sep '24)", NULL),
            "gemini-1.5-flash-002|display|80");
  CHECK_STR("(turbo)", resolve3("Kimi-K2-Thinking (turbo)", NULL),
            "kimi-k2-thinking-turbo|display|85");
  CHECK_STR("(Reasoning) names the thinking sibling",
            resolve3("Qwen3 235B A22B 2507 (Reasoning)", NULL),
            "qwen3-235b-a22b-thinking-2507|variant|80");
  CHECK_STR("-thinking names the thinking sibling", resolve3("qwen3-30b-a3b-2507-thinking", NULL),
            "qwen3-30b-a3b-thinking-2507|alias|90");
  CHECK_STR("(08-2024)", resolve3("Command R+ (08-2024)", NULL), "command-r-plus-08-2024|display|85");
  CHECK_STR("R+ is plus", resolve3("Command R+ (04-2024)", NULL), "command-r-plus-04-2024|display|85");
  CHECK_STR("(Mar '24) of an -MM-YYYY series", resolve3("Command-R (Mar '24)", NULL),
            "command-r-03-2024|display|85");
  CHECK_STR("(May '25) of a YYMM series", resolve3("Devstral Small (May '25)", NULL),
            "devstral-small-2505|display|85");
  CHECK_STR("undated series", resolve3("devstral-small", NULL), "devstral-small-2507|undated|60");
  CHECK_STR("one of a series", resolve3("command-a-reasoning", NULL),
            "command-a-reasoning-08-2025|undated|60");
  CHECK_STR("(Nov '24) against an alias's snapshot", resolve3("Mistral Large 2 (Nov '24)", NULL),
            "mistral-large-2411|display|85");
  CHECK_STR("v14 is no version 1.4", resolve3("cohere.summarize-text-v14", NULL),
            "summarize-text-v14|family|30");
  CHECK_STR("Bedrock's id of Cohere Command", resolve3("cohere.command-text-v14", NULL),
            "command|alias|90");
  CHECK_STR("month word in an id", resolve3("claude-35-sonnet-june-24", NULL),
            "claude-3-5-sonnet-20240620|display|85");
  CHECK_STR("month word, no year", resolve3("Claude-Sonnet-3.5-June", NULL),
            "claude-3-5-sonnet-20240620|display|85");
  CHECK_STR("unknown month is no other snapshot", resolve3("Devstral Small (Jan '24)", NULL),
            "devstral-small-2401|family|30");
  CHECK_STR("non-reasoning never a reasoning model", resolve3("Command A Reasoning (Non-reasoning)", NULL),
            "command-a-reasoning-non-reasoning|family|30");
  CHECK_STR("non-reasoning: the reasoning id's sibling", resolve3("grok-4.20-beta-non-reasoning", NULL),
            "grok-4.20-0309-non-reasoning|variant|80");
  CHECK_STR("-beta", resolve3("xai/grok-4.20-non-reasoning-beta", NULL),
            "grok-4.20-0309-non-reasoning|variant|80");
  /* a leading vendor word is the creator */
  CHECK_STR("OpenAI o3 Mini", model_creator("OpenAI o3 Mini"), "o3-mini-2025-01-31|openai");
  CHECK_STR("Google Gemma 3 12B", model_creator("Google Gemma 3 12B"), "gemma-3-12b-it|google");
  CHECK_STR("NVIDIA Nemotron Nano 9B V2", model_creator("NVIDIA Nemotron Nano 9B V2"),
            "nvidia-nemotron-nano-9b-v2|nvidia");
  CHECK_STR("Amazon Nova Lite 1.0", model_creator("Amazon Nova Lite 1.0"), "nova-lite-v1|amazon");
  CHECK_STR("AI21 Jamba 1.5 Large", model_creator("AI21 Jamba 1.5 Large"), "jamba-1.5-large|ai21");
  CHECK_STR("Azure gpt-4-turbo", model_creator("Azure gpt-4-turbo"), "gpt-4-turbo-2024-04-09|openai");
  CHECK_STR("xAI Grok 3 Mini", model_creator("xAI Grok 3 Mini"), "grok-3-mini|xai");
  CHECK_STR("Llama-based Nemotron is nvidia's", model_creator("Llama 3.1 Nemotron 70B Instruct"),
            "llama-3.1-nemotron-70b-instruct|nvidia");
  CHECK_STR("a Llama-based Nemotron outside the vocabulary",
            model_creator("Llama-3.1-Nemotron-Nano-8B-v1"), "llama-3.1-nemotron-nano-8b-v1|nvidia");
  CHECK_STR("perplexity serves meta's llama", model_creator("perplexity/llama-9-70b-instruct"),
            "llama-9-70b-instruct|meta");
  CHECK_STR("a Llama-based Sonar is perplexity's", model_creator("perplexity/llama-9-sonar-70b"),
            "llama-9-sonar-70b|perplexity");
  CHECK_STR("ai21. Bedrock prefix", model_creator("ai21.jamba-1-5-mini-v1:0"), "jamba-1.5-mini|ai21");
  CHECK_STR("lab as words in a path", model_creator("AI21 Labs/jamba-mini-1.7"), "jamba-1.7-mini|ai21");
  CHECK_STR("vendor word twice", model_creator("nvidia-nvidia-nemotron-3-super-120b-a12b-bf16"),
            "nemotron-3-super-120b-a12b|nvidia");
  CHECK_STR("gpt-o3 is o3", model_creator("openai/gpt-o3-mini"), "o3-mini-2025-01-31|openai");
  /* an undated model with a deployment date: that model, the date a qualifier */
  CHECK_STR("undated + date", resolve3("azure/gpt-5.5-2026-04-23", NULL), "gpt-5.5|variant|80");
  CHECK_STR("undated + compact date", resolve3("openai/gpt-5.4-pro-20260305", NULL),
            "gpt-5.4-pro|variant|80");
  CHECK_STR("undated + YYMMDD", resolve3("deepseek/deepseek-v3.2-251201", NULL),
            "deepseek-v3.2|variant|80");
  CHECK_STR("undated + MMDD", resolve3("moonshotai/kimi-k2.5-0127", NULL), "kimi-k2.5|variant|70");
  CHECK_STR("a dated model's unknown date stays, in Anthropic's spelling",
            resolve3("claude-sonnet-4-5-20260101", NULL), "claude-sonnet-4-5-20260101|family|30");
  /* mode words of hybrid models, serving words */
  CHECK_STR("-thinking hybrid", resolve3("deepseek-v3.2-thinking", NULL), "deepseek-v3.2|variant|80");
  CHECK_STR("(Thinking) hybrid", resolve3("DeepSeek V4 Pro (Thinking)", NULL),
            "deepseek-v4-pro|variant|80");
  CHECK_STR("-think", resolve3("claude-opus-4-6-think", NULL), "claude-opus-4-6|variant|80");
  CHECK_STR("thinking model of its own", resolve3("Qwen3 VL 30B A3B Thinking", NULL),
            "qwen3-vl-30b-a3b-thinking|display|85");
  CHECK_STR("TEE", resolve3("Kimi K2.5 Thinking TEE", NULL), "kimi-k2.5|variant|80");
  CHECK_STR("Free", resolve3("GLM-5 Free", NULL), "glm-5|variant|80");
  CHECK_STR("-lightning", resolve3("minimax-m2.1-lightning", NULL), "minimax-m2.1|variant|80");
  CHECK_STR("High Speed", resolve3("Kimi K2.7 Code High Speed", NULL), "kimi-k2.7-code|variant|80");
  CHECK_STR("-6bit", resolve3("route/deepseek-v4-flash-6bit", NULL), "deepseek-v4-flash|variant|80");
  CHECK_STR("-hf", resolve3("meta-llama/Llama-2-13b-chat-hf", NULL), "llama-2-13b-chat|variant|80");
  CHECK_STR("-gguf", resolve3("lemonade/Qwen3-Coder-30B-A3B-Instruct-GGUF", NULL),
            "qwen3-coder-30b-a3b-instruct|variant|80");
  CHECK_STR("-nvfp4", model_creator("nvidia/DeepSeek-V3.2-NVFP4"), "deepseek-v3.2|deepseek");
  /* spelled-out versions */
  CHECK_STR("glued minimax-m25", resolve3("minimax-m25", NULL), "minimax-m2.5|alias|90");
  CHECK_STR("glued qwen25", resolve3("lambda_ai/qwen25-coder-32b-instruct", NULL),
            "qwen2.5-coder-32b-instruct|alias|90");
  CHECK_STR("glued qwen35", resolve3("qwen35-397b-a17b", NULL), "qwen3.5-397b-a17b|alias|90");
  CHECK_STR("mistral-large2", resolve3("snowflake/mistral-large2", NULL), "mistral-large-2407|alias|90");
  CHECK_STR("bf16 is no version", resolve3("llama-3.1-405b-instruct-bf16", NULL),
            "llama-3.1-405b-instruct|variant|80");
  CHECK_STR("Fireworks 1p7b", resolve3("fireworks_ai/accounts/fireworks/models/qwen3-1p7b", NULL),
            "qwen3-1.7b|alias|90");
  CHECK_STR("MM-DD as MMDD", resolve3("Gemini 2.5 Pro Preview 0605", NULL),
            "gemini-2.5-pro-preview-06-05|display|85");
  CHECK_STR("Mistral version and size", resolve3("mistralai/mistral-small-3.1-24b-instruct-2503", NULL),
            "mistral-small-2503|variant|70");
  CHECK_STR("Ministral 3 14B 2512", resolve3("Ministral 3 14B 2512", NULL),
            "ministral-14b-2512|variant|70");
  CHECK_STR("32k is no version", resolve3("gpt-4-32k-0613", NULL), "gpt-4-32k|variant|70");
  CHECK_STR("Vertex @001 build", resolve3("vertex_ai/jamba-1.5-large@001", NULL),
            "jamba-1.5-large|variant|70");
  CHECK_STR("a build the vocabulary has", resolve3("gemini-1.5-pro-001", NULL),
            "gemini-1.5-pro-001|exact|100");
  CHECK_STR("Bedrock -1:0", resolve3("openai.gpt-oss-120b-1:0", NULL), "gpt-oss-120b|alias|90");
  CHECK_STR("Gemma Instruct is -it", resolve3("Gemma 3n E2B Instruct", NULL),
            "gemma-3n-e2b-it|variant|70");
  CHECK_STR("instruct word the id lacks", resolve3("Llama 4 Scout Instruct", NULL),
            "llama-4-scout-17b-16e-instruct|display|85");
  CHECK_STR("(Non-reasoning) of an instruct model", resolve3("Granite 3.3 8B (Non-reasoning)", NULL),
            "granite-3.3-8b-instruct|variant|70");
  /* models outside the vocabulary: one id for their spellings */
  CHECK_STR("unknown display", resolve3("Acme Llama 9 70B TEE", NULL), "acme-llama-9-70b|unmapped|0");
  CHECK_STR("unknown id", resolve3("acme/acme-llama-9-70b", NULL), "acme-llama-9-70b|family|30");
  CHECK_STR("unknown p version", resolve3("qwen9p5-7b-instruct-free", NULL),
            "qwen9.5-7b-instruct|family|30");
  CHECK_STR("unknown underscore version", resolve3("Llama-9_1-8B-Instruct", NULL),
            "llama-9.1-8b-instruct|family|30");
  /* held-out naming schemes (2026-12-01), on names no vocabulary line names */
  CHECK_STR("unknown org is the creator", model_creator("acme-labs/foo-7b-instruct"),
            "foo-7b-instruct|acme-labs");
  CHECK_STR("unknown display lab is the creator", model_creator("Acme Labs: Foo 7B"), "foo-7b|acme-labs");
  CHECK_STR("an org spelling of vendors.tsv", model_creator("LiquidAI/LFM9-2B"), "lfm9-2b|liquid");
  CHECK_STR("a display lab written as a family word", model_creator("Nous: Hermes 9 70B"),
            "hermes-9-70b|nousresearch");
  CHECK_STR("org spelled as the family word", model_creator("longcat/longcat-flash-9"),
            "longcat-flash-9|meituan");
  CHECK_STR("glued host word yields to the family", model_creator("databricks/databricks-mpt-99b-instruct"),
            "mpt-99b-instruct|mosaicml");
  CHECK_STR("a display's leading lab word is the creator, no word of the id",
            model_creator("Cohere Rerank 9"), "rerank-9|cohere");
  CHECK_STR("an id's leading lab word stays in it", model_creator("cohere-rerank-9"),
            "cohere-rerank-9|cohere");
  CHECK_STR("PaLM's bison", model_creator("code-bison@009"), "code-bison-009|google");
  CHECK_STR("unmapped id tidied", resolve3("foo-9-5-0-8b", NULL), "foo-9.5-0.8b|unmapped|0");
  CHECK_STR("display (Reasoning) of an unknown model", resolve3("Solar Pro 9 (Reasoning)", NULL),
            "solar-pro-9|family|30");
  CHECK_STR("-non-reasoning of an unknown model", resolve3("solar-pro-9-non-reasoning", NULL),
            "solar-pro-9|family|30");
  CHECK_STR("an unknown -reasoning id is AA's slug of (Reasoning)", resolve3("phi-9-mini-reasoning", NULL),
            "phi-9-mini|family|30");
  CHECK_STR("a lab's own -reasoning model is in the vocabulary", resolve3("phi-4-mini-reasoning", NULL),
            "phi-4-mini-reasoning|exact|100");
  CHECK_STR("Bedrock -v0:N is the model's version", resolve3("mistral.mistral-7b-instruct-v0:2", NULL),
            "mistral-7b-instruct-v0.2|prefix|95");
  CHECK_STR("a dated lab's unknown date is its own snapshot", resolve3("qwen3-max-2099-01-23", NULL),
            "qwen3-max-2099-01-23|family|30");
  CHECK_STR("OpenRouter slug date outside the vocabulary", resolve3("acme/foo-7b-20260101", NULL),
            "foo-7b|family|30");
  CHECK_STR("a dated lab's slug date stays, dashed as the lab's ids write dates",
            resolve3("qwen/qwen9-plus-20260101", NULL), "qwen9-plus-2026-01-01|family|30");
  /* the -fast before the listing date is read as after it, so the date is the
  ** deployment date of the undated model (80), as without -fast */
  CHECK_STR("OpenRouter slug of a known model", resolve3("anthropic/claude-4.6-opus-fast-20260407", NULL),
            "claude-opus-4-6|variant|80");
  CHECK_STR("unplaced month hint kept", resolve3("Foo Bar (Mar '25)", NULL), "foo-bar-2503|unmapped|0");
  CHECK_STR("Mistral YY.MM outside the vocabulary", resolve3("Pixtral Large 27.02", NULL),
            "pixtral-large-2702|family|30");
  CHECK_STR("month hint by a -MM-DD suffix", resolve3("Gemini 2.0 Flash Thinking Experimental (Jan '25)", NULL),
            "gemini-2.0-flash-thinking-exp-01-21|display|85");
  CHECK_STR("the lab's -preview", resolve3("Kimi K2 Turbo", NULL), "kimi-k2-turbo-preview|variant|80");
  CHECK_STR("month word with a four-digit year", resolve3("gpt-4o-realtime-oct-2024", NULL),
            "gpt-4o-realtime-preview-2024-10-01|variant|80");
  CHECK_STR("the serving cloud in parentheses", resolve3("GLM-5.1 (Alibaba Cloud)", NULL), "glm-5.1|display|85");
  CHECK_STR("(Reasoning) as the lab's thinking", resolve3("Qwen3 VL 30B A3B (Reasoning)", NULL),
            "qwen3-vl-30b-a3b-thinking|variant|80");
  CHECK_STR("nickname (model name)", resolve3("Nano Banana (Gemini 2.5 Flash Image)", NULL),
            "gemini-2.5-flash-image|variant|70");
  CHECK_STR("no size: the one MoE model", resolve3("Nemotron 3 Ultra", NULL),
            "nemotron-3-ultra-550b-a55b|variant|70");
  /* the new vocabulary lines, one spelling each */
  static const char *const azNew[][2] = {
      {"openai/gpt-4o-search-preview-2025-03-11", "gpt-4o-search-preview"},
      {"GPT-4o Transcribe", "gpt-4o-transcribe"},
      {"Gemini 2.0 Flash Thinking 1219", "gemini-2.0-flash-thinking-exp-1219"},
      {"gemini-2-0-flash-thinking-exp-0121", "gemini-2.0-flash-thinking-exp-01-21"},
      {"Gemini 2.5 Pro Experimental 0325", "gemini-2.5-pro-exp-03-25"},
      {"Gemini 2.5 Flash Preview 04-17 (thinking)", "gemini-2.5-flash-preview-04-17"},
      {"Gemini 2.5 Flash 0520 Thinking", "gemini-2.5-flash-preview-05-20"},
      {"gemini-2.5-flash-lite-preview-06-17-thinking", "gemini-2.5-flash-lite-preview-06-17"},
      {"Gemma 2 2b It", "gemma-2-2b-it"},
      {"Gemma 3 270M", "gemma-3-270m"},
      {"Llama 2 Chat 7B", "llama-2-7b-chat"},
      {"meta.llama2-13b-chat-v1", "llama-2-13b-chat"},
      {"meta-llama/Llama-2-70b-chat-hf", "llama-2-70b-chat"},
      {"fireworks_ai/accounts/fireworks/models/code-llama-70b-instruct", "codellama-70b-instruct"},
      {"Magistral Medium 1", "magistral-medium-2506"},
      {"mistral/magistral-small-1", "magistral-small-2506"},
      {"ministral-3:3b", "ministral-3b-2512"},
      {"mistral.ministral-3-8b-instruct", "ministral-8b-2512"},
      {"mistral/ministral-14b", "ministral-14b-2512"},
      {"Voxtral Mini 3B 2507", "voxtral-mini-2507"},
      {"devstral-small-2505", "devstral-small-2505"},
      {"Devstral Small 1.0", "devstral-small-2505"},
      {"Magistral Medium 1.1", "magistral-medium-2507"},
      {"mistral/magistral-small-2507", "magistral-small-2507"},
      {"Mistral NeMo 12B", "mistral-nemo"},
      {"Titan Text Express", "titan-text-express-v1"},
      {"Titan Text Lite", "titan-text-lite-v1"},
      {"jamba-large-1.7-2025-07", "jamba-1.7-large"},
      {"jamba-mini-1.7-2025-07", "jamba-1.7-mini"},
      {"Jurassic-2 Mid", "j2-mid"},
      {"ai21.jurassic-2-ultra", "j2-ultra"},
      {"Jurassic-2 Light", "j2-light"},
      {"open-mixtral-8x22b-2404", "mixtral-8x22b-instruct-v0.1"},
      {"gemini-embedding", "gemini-embedding-001"},
      {"@cf/nvidia/nemotron-3-120b-a12b", "nemotron-3-super-120b-a12b"},
      {"DeepSeek OCR", "deepseek-ocr"},
      {"Deepseek Prover V2 671B", "deepseek-prover-v2-671b"},
      {"DeepSeek R1 0528 Qwen3 8B (free)", "deepseek-r1-0528-qwen3-8b"},
      {"fireworks_ai/accounts/fireworks/models/qwen2p5-vl-32b-instruct", "qwen2.5-vl-32b-instruct"},
      {"Qwen3 1.7B (Non-reasoning)", "qwen3-1.7b"},
      {"fireworks_ai/accounts/fireworks/models/qwen3-embedding-0p6b", "qwen3-embedding-0.6b"},
      {"Qwen: Qwen3 Coder Next", "qwen3-coder-next"},
      {"Qwen3 Max Preview", "qwen3-max-preview"},
      {"Qwen3 Omni 30B A3B Thinking", "qwen3-omni-30b-a3b-thinking"},
      {"Kimi K2 Turbo Preview", "kimi-k2-turbo-preview"},
      {"zai/glm-4-32b-0414-128k", "glm-4-32b-0414"},
      {"GLM 4.5 Flash", "glm-4.5-flash"},
      {"GLM-4.5 AirX", "glm-4.5-airx"},
      {"GLM 4.6V Flash (Free)", "glm-4.6v-flash"},
      {"MiniMax: MiniMax-01", "minimax-text-01"},
      {"Command-R (Mar '24)", "command-r-03-2024"},
      {"Command R+ (04-2024)", "command-r-plus-04-2024"},
      {"oci/cohere.command-a-vision", "command-a-vision-07-2025"},
      {"Command A Reasoning", "command-a-reasoning-08-2025"},
      {"Jamba Mini 1.5", "jamba-1.5-mini"},
      {"jamba-large-1.5", "jamba-1.5-large"},
      {"ai21/jamba-mini-1.6", "jamba-1.6-mini"},
      {"Jamba Large 1.6", "jamba-1.6-large"},
      {"Jamba Mini-1.7", "jamba-1.7-mini"},
      {"AI21: Jamba Large 1.7", "jamba-1.7-large"},
      {"Phi-3-mini-instruct (128k)", "phi-3-mini-128k-instruct"},
      {"Phi 3 Small-8K", "phi-3-small-8k-instruct"},
      {"Phi-3-medium instruct (4k)", "phi-3-medium-4k-instruct"},
      {"microsoft/phi-3.5-mini-128k-instruct", "phi-3.5-mini-instruct"},
      {"Phi 3.5 Moe", "phi-3.5-moe-instruct"},
      {"Microsoft: Phi 4", "phi-4"},
      {"Phi 4 Reasoning (free)", "phi-4-reasoning"},
      {"Phi 4 Reasoning Plus", "phi-4-reasoning-plus"},
      {"Granite 3 3 8b Instruct", "granite-3.3-8b-instruct"},
      {"IBM: Granite 4.0 Micro", "granite-4.0-micro"},
      {"nvidia/Llama-3.1-Nemotron-70B-Instruct-HF", "llama-3.1-nemotron-70b-instruct"},
      {"Llama-3_1-Nemotron-Ultra-253B-v1", "llama-3.1-nemotron-ultra-253b-v1"},
      {"Llama 3.3 Nemotron Super 49B v1 (free)", "llama-3.3-nemotron-super-49b-v1"},
      {"nvidia/Llama-3_3-Nemotron-Super-49B-v1_5", "llama-3.3-nemotron-super-49b-v1.5"},
      {"nvidia.nemotron-nano-9b-v2:0", "nvidia-nemotron-nano-9b-v2"},
      {"nvidia.nemotron-super-3-120b", "nemotron-3-super-120b-a12b"},
      {"Mistral: Mistral Small 3", "mistral-small-2501"},
      {"MoonshotAI: Kimi K2 0711", "kimi-k2-0711-preview"},
      /* the held-out naming schemes (2026-12-01): one spelling per line added */
      {"anthropic.claude-v1", "claude-1"},
      {"deepseek-tng-r1t2-chimera", "deepseek-r1t2-chimera"},
      {"Gemma SEA-LION v4 27B IT", "gemma-sea-lion-v4-27b-it"},
      {"cohere.embed-english-v3", "embed-english-v3.0"},
      {"Embed Multilingual v3.0", "embed-multilingual-v3.0"},
      {"embed-english-light-v3", "embed-english-light-v3.0"},
      {"embed-multilingual-light-v3", "embed-multilingual-light-v3.0"},
      {"Embed v4.0", "embed-v4.0"},
      {"GPT-4o Realtime (Dec '24)", "gpt-4o-realtime-preview-2024-12-17"},
      {"GPT-4o Realtime (Oct '24)", "gpt-4o-realtime-preview-2024-10-01"},
      {"GPT-4o Realtime (Jun '25)", "gpt-4o-realtime-preview-2025-06-03"},
      {"gpt-4o-audio (Oct '24)", "gpt-4o-audio-preview-2024-10-01"},
      {"gpt-4o-audio (Dec '24)", "gpt-4o-audio-preview-2024-12-17"},
      {"gpt-4o-audio (Jun '25)", "gpt-4o-audio-preview-2025-06-03"},
      {"openai/gpt-realtime-1.5", "gpt-realtime-1.5-2026-02-23"},
      {"GPT Realtime Mini (Oct '25)", "gpt-realtime-mini-2025-10-06"},
      {"GPT Realtime Mini (Dec '25)", "gpt-realtime-mini-2025-12-15"},
      {"gemini 1.0 pro vision", "gemini-1.0-pro-vision-001"},
      {"Mistral Small (24.02)", "mistral-small-2402"},
      {"Mistral Small (Sep '24)", "mistral-small-2409"},
      {"GLM Z1 32B", "glm-z1-32b-0414"},
      {"Command A Plus", "command-a-plus-05-2026"},
      {"Titan Text G1 - Express", "titan-text-express-v1"},
      {"Titan Text G1 - Lite", "titan-text-lite-v1"},
      {"amazon.titan-text-premier-v1:0", "titan-text-premier-v1"},
      {"NVIDIA: Nemotron 3 Ultra", "nemotron-3-ultra-550b-a55b"},
      {"Nemotron Nano 3 Omni", "nemotron-3-nano-omni-30b-a3b"},
      {"nemotron-nano-v2-12b-vl", "nvidia-nemotron-nano-12b-v2-vl"},
      {"Hermes 3 405B Instruct", "hermes-3-llama-3.1-405b"},
      {"lambda_ai/hermes3-70b", "hermes-3-llama-3.1-70b"},
      {"DeepSeek Chat 0324", "deepseek-v3-0324"},
      /* Deepgram's own ids (LiteLLM's deepgram/ keys, Cloudflare's @cf/deepgram/) */
      {"deepgram/nova-3", "nova-3"},
      {"deepgram/nova-2", "nova-2"},
      {"deepgram/nova", "nova"},
      {"deepgram/nova-3-general", "nova-3"},
      {"@cf/deepgram/aura-1", "aura"},
      {"@cf/deepgram/aura-2-en", "aura-2"},
      {"deepgram/nova-3-medical", "nova-3-medical"},
      {"deepgram/nova-2-meeting", "nova-2-meeting"},
      {"deepgram/nova-2-phonecall", "nova-2-phonecall"},
      {"deepgram/nova-2-finance", "nova-2-finance"},
      {"deepgram/nova-2-conversationalai", "nova-2-conversationalai"},
      {"deepgram/nova-2-voicemail", "nova-2-voicemail"},
      {"deepgram/nova-2-video", "nova-2-video"},
      {"deepgram/nova-2-medical", "nova-2-medical"},
      {"deepgram/nova-2-drivethru", "nova-2-drivethru"},
      {"deepgram/nova-2-automotive", "nova-2-automotive"},
      {"deepgram/nova-2-atc", "nova-2-atc"},
      {"deepgram/nova-phonecall", "nova-phonecall"},
      /* the labs' own ids of the LiteLLM file (models.tsv, end), a real spelling each */
      {"azure/gpt-4o-transcribe-diarize", "gpt-4o-transcribe-diarize"},
      {"babbage-002", "babbage-002"},
      {"davinci-002", "davinci-002"},
      {"text-embedding-004", "text-embedding-004"},
      {"google/text-embedding-005", "text-embedding-005"},
      {"google/text-multilingual-embedding-002", "text-multilingual-embedding-002"},
      {"multimodalembedding", "multimodalembedding"},
      {"gemini-embedding-2", "gemini-embedding-2"},
      {"gemini-2.0-flash-exp-image-generation", "gemini-2.0-flash-exp-image-generation"},
      {"medlm-large", "medlm-large"},
      {"medlm-medium", "medlm-medium"},
      {"codestral/codestral-2405", "codestral-2405"},
      {"mistral/codestral-embed", "codestral-embed-2505"},
      {"mistral/mistral-medium-2312", "mistral-medium-2312"},
      {"mistral-tiny", "mistral-tiny"},
      {"mistral/open-codestral-mamba", "open-codestral-mamba"},
      {"moonshot-v1-8k", "moonshot-v1-8k"},
      {"moonshot-v1-32k", "moonshot-v1-32k"},
      {"moonshot-v1-128k", "moonshot-v1-128k"},
      {"moonshot/moonshot-v1-8k-0430", "moonshot-v1-8k-0430"},
      {"moonshot/moonshot-v1-32k-0430", "moonshot-v1-32k-0430"},
      {"moonshot/moonshot-v1-128k-0430", "moonshot-v1-128k-0430"},
      {"moonshot/moonshot-v1-8k-vision-preview", "moonshot-v1-8k-vision-preview"},
      {"moonshot/moonshot-v1-32k-vision-preview", "moonshot-v1-32k-vision-preview"},
      {"moonshot/moonshot-v1-128k-vision-preview", "moonshot-v1-128k-vision-preview"},
      {"moonshot/moonshot-v1-auto", "moonshot-v1-auto"},
      {"kimi-thinking-preview", "kimi-thinking-preview"},
      {"dashscope/qwen-plus-2025-01-25", "qwen-plus-2025-01-25"},
      {"dashscope/qwen-plus-2025-04-28", "qwen-plus-2025-04-28"},
      {"dashscope/qwen-plus-2025-07-14", "qwen-plus-2025-07-14"},
      {"dashscope/qwen-plus-2025-09-11", "qwen-plus-2025-09-11"},
      {"Qwen/Qwen3-VL-32B-Instruct", "qwen3-vl-32b-instruct"},
      {"Qwen/Qwen3-VL-32B-Thinking", "qwen3-vl-32b-thinking"},
      {"Qwen Image 2.0", "qwen-image-2.0"},
      {"Qwen Image 2.0 Pro", "qwen-image-2.0-pro"},
      {"perplexity/pplx-7b-chat", "pplx-7b-chat"},
      {"perplexity/pplx-70b-chat", "pplx-70b-chat"},
      {"perplexity/pplx-7b-online", "pplx-7b-online"},
      {"perplexity/pplx-70b-online", "pplx-70b-online"},
      {"perplexity/pplx-embed-v1-0.6b", "pplx-embed-v1-0.6b"},
      {"perplexity/pplx-embed-v1-4b", "pplx-embed-v1-4b"},
      {"perplexity/sonar-small-chat", "sonar-small-chat"},
      {"perplexity/sonar-medium-chat", "sonar-medium-chat"},
      {"Sonar Small-Online", "sonar-small-online"},
      {"perplexity/sonar-medium-online", "sonar-medium-online"},
      {"minimax/speech-02-hd", "speech-02-hd"},
      {"minimax/speech-02-turbo", "speech-02-turbo"},
      {"minimax/speech-2.6-hd", "speech-2.6-hd"},
      {"minimax/speech-2.6-turbo", "speech-2.6-turbo"},
      {"grok-beta", "grok-beta"},
      {"Grok Vision Beta", "grok-vision-beta"},
      {"GLM-4.5 X", "glm-4.5-x"},
      {"zai/glm-5-code", "glm-5-code"},
      {"ai21.jamba-instruct-v1:0", "jamba-instruct"},
      {"amazon.titan-embed-text-v1", "titan-embed-text-v1"},
      {"amazon.titan-embed-text-v2:0", "titan-embed-text-v2"},
      {"amazon.titan-embed-g1-text-02", "titan-embed-g1-text-02"},
      {"amazon.titan-embed-image-v1", "titan-embed-image-v1"},
      {"amazon.titan-image-generator-v1", "titan-image-generator-v1"},
      {"amazon.titan-image-generator-v2", "titan-image-generator-v2"},
      {"stability.sd3-large-v1:0", "sd3-large"},
      {"stability.sd3-5-large-v1:0", "sd3.5-large"},
      {"stability/sd3-large-turbo", "sd3-large-turbo"},
      {"stability/sd3.5-large-turbo", "sd3.5-large-turbo"},
      {"stability.stable-image-core-v1:0", "stable-image-core"},
      {"stability.stable-image-ultra-v1:0", "stable-image-ultra"},
      {"stability.stable-conservative-upscale-v1:0", "stable-conservative-upscale"},
      {"stability.stable-creative-upscale-v1:0", "stable-creative-upscale"},
      {"stability.stable-fast-upscale-v1:0", "stable-fast-upscale"},
      {"stability.stable-image-control-sketch-v1:0", "stable-image-control-sketch"},
      {"stability.stable-image-control-structure-v1:0", "stable-image-control-structure"},
      {"stability.stable-image-erase-object-v1:0", "stable-image-erase-object"},
      {"stability.stable-image-inpaint-v1:0", "stable-image-inpaint"},
      {"stability.stable-image-remove-background-v1:0", "stable-image-remove-background"},
      {"stability.stable-image-search-recolor-v1:0", "stable-image-search-recolor"},
      {"stability.stable-image-search-replace-v1:0", "stable-image-search-replace"},
      {"stability.stable-image-style-guide-v1:0", "stable-image-style-guide"},
      {"stability.stable-outpaint-v1:0", "stable-outpaint"},
      {"stability.stable-style-transfer-v1:0", "stable-style-transfer"},
      {"eu.twelvelabs.marengo-embed-2-7-v1:0", "marengo-embed-2.7"},
      {"eu.twelvelabs.pegasus-1-2-v1:0", "pegasus-1.2"},
      {"Palmyra X4", "palmyra-x4"},
      {"Palmyra X5", "palmyra-x5"},
  };
  for (size_t i = 0; i < sizeof azNew / sizeof azNew[0]; i++) {
    char name[160];
    snprintf(name, sizeof name, "new vocabulary: %s", azNew[i][0]);
    TlCanon c;
    tl_canon_resolve(ix, azNew[i][0], strlen(azNew[i][0]), NULL, 0, NULL, NULL, &c);
    char got[TL_CANON_MAX_NAME + 1];
    snprintf(got, sizeof got, "%.*s", (int)c.model_len, c.model);
    CHECK_STR(name, got, azNew[i][1]);
  }
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
  test_real_schemes();
  test_alias_file();
  tl_canon_index_free(ix);
  CHECK_DONE();
}
