/*
** The canonicalizer (see canonical.h for the API).
**
** HOW IT WORKS
**
** 1. Clean. The raw name is trimmed and lowercased (ASCII only: a name with
**    a control byte, a NUL or any byte >= 0x80 is never mapped). Then, left
**    to right:
**      ft:BASE:org::id      an OpenAI fine-tune of BASE (rule finetune)
**      ~vendor/x-latest     an OpenRouter alias id (capped at confidence 60)
**      PROVIDER/            a serving provider or gateway (LiteLLM, models.dev
**                           and gateway ids: bedrock, vertex_ai, azure,
**                           openrouter, fireworks_ai, nosana, deepinfra, ...)
**      REGION/ TIER/        us-gov-west-1/, global-standard/, 1024-x-1024/ ...
**      accounts/X/models/   Fireworks paths;  @cf/ @hf/  Cloudflare paths
**      VENDOR/              the model's creator (meta-llama/, mistralai/, ...)
**      us. eu. global.      Bedrock cross-region inference prefixes, then
**      anthropic. meta. ... Bedrock vendor prefixes
**      -v2:0  :0            Bedrock version suffixes (Bedrock's start at v1:
**                           a -v0:2 is the model's own v0.2,
**                           mistral.mistral-7b-instruct-v0:2)
**      -v2@20241022 @001    Vertex AI snapshot suffixes
**      :free :thinking ...  OpenRouter variants;  :12b  ollama size tags
**                           (gemma3:12b reads as gemma3-12b; a GGUF quant
**                           ending one, 8b-instruct-q4_K_M, a qualifier)
**      ns.model.task.vN     a dotted job type (Prodia's inference.flux.
**                           schnell.txt2img.v2): the model's segments
**                           joined with '-' (flux-schnell)
**      Lab: Name            OpenRouter display names: the lab is the creator
**                           (vendors.tsv's, else its family word's, "Nous";
**                           else the lab as written, lowercased, '-' for
**                           spaces: a lab vendors.tsv lacks)
**      Name (Oct '24) (high)  display names: a month hint kept to pick the
**                           snapshot of that month; regions, efforts and
**                           wording (us, high, max effort, older) dropped;
**                           what else a group says is part of the name:
**                           "GPT-4o (2024-11-20)", "(older v0613)", "(ChatGPT)",
**                           "(turbo)", "(128k)", "(08-2024)" become -words, as
**                           a snapshot or variant named there must change the
**                           answer (never dropped so the undated name picks
**                           another snapshot); "(Reasoning)" -reasoning; a
**                           lab or cloud serving it, "(Alibaba Cloud)",
**                           "(Z.ai)" (a vendors.tsv word first), dropped
**      Lab Words/id         an unknown lab written in words before an id
**                           ("mbzuai institute of foundation models/k2-v2"):
**                           its org, as of an org/ path
**      spaces               display names: spaces and brackets as '-' (before
**                           the vendor words below, so "OpenAI o3 Mini" is
**                           openai-o3-mini); a size's unit written apart
**                           joined ("Yi 34 B", "Mixtral 8 X7B")
**      AU Anthropic ...     a display's leading cross-region word before a
**                           lab or family word: the region qualifier
**      VENDOR-              a leading vendor word glued on (meta-llama-3.1, Z.AI,
**                           openai-o3-mini, nvidia-nemotron-...): the creator,
**                           removed when a family word follows; the name as
**                           written still wins when the vocabulary has it
**                           (nvidia-nemotron-nano-9b-v2 is NVIDIA's own id)
**      gpt-o3  R+           gpt-oN is oN; R+ is r-plus (Command R+)
**      labs-                Mistral's Labs release of a model (labs-
**                           devstral-small-2512), no model of its own
**      code-llama           Code Llama as Meta's codellama (hosts split
**                           the word, the lab's ids do not)
**      -june  -june-24      a month as the last word: a month hint (Poe, AA;
**      -dec-2024            also with a four-digit year)
**
** 2. Sign. The cleaned name becomes a signature: split into tokens at every
**    non-alphanumeric byte and where letters meet digits (qwen2.5 ->
**    qwen 2 5), dates joined (2024-08-06 -> 20240806; a YYMMDD after the
**    name, 251201, is 20251201), short numbers joined into versions (3 5 ->
**    3.5; 4.0 -> 4; Artificial Analysis' dotless claude-35 -> 3.5, gpt-54 ->
**    5.4, fal's gemini-25 -> 2.5, also after Claude's tier word, GitHub
**    Copilot's claude-opus-41; a v0N version is 0.N (mistral-...-v03);
**    a run ends before a month-day, grok-4-07-09 is grok-4 0709; Mistral's
**    YY.MM versions are its snapshot suffixes, "Ministral 8B 24.10" signs
**    as ministral-8b-2410; experimental as Google's exp; nothink as
**    no-think; Fireworks' v3p1 -> 3.1; two digits glued to a word, qwen25,
**    minimax-m25, are 2.5, but not fp16, v14 or a vendor's ai21), a month-day
**    05-20 joined as 0520, a version's v dropped (nova-lite-v1 as "Nova Lite
**    1.0"), then sorted. So
**    claude-3-5-sonnet, claude-3.5-sonnet, claude-35-sonnet and
**    "Claude 3.5 Sonnet" sign alike, and so do llama-3.3-70b-instruct and
**    llama-3-3-instruct-70b.
**
** 3. Look up. The built-in vocabulary (aModel, from ext/vocab/models.tsv:
**    canonical ids as each creator's API names them, lowercase, dated where
**    a date is known, plus spellings the signature cannot reach) is signed
**    the same way into a sorted index. In order:
**      the signature                       exact / prefix / alias / display
**        (a name not written as the id but   (undated, 60)
**        signing like it and like its own
**        ?alias, claude-2 and claude-v2 as
**        claude-2.0, is that ?alias: a .0
**        is not written, several snapshots
**        were named)
**      an undated name: the dated models   undated (85 when one snapshot is
**        whose signature without the date   known, 60 when several: the
**        is this one                        newest; a display name's month
**                                           hint picks its month instead)
**      a dated name the vocabulary lacks   variant (80), the date a
**        whose undated model has no          version qualifier
**        snapshots (gpt-5.5-2026-04-23:
**        a host's deployment date)
**      an undated name with a month hint   display (85; 80 through
**        ("GPT-4o (May '24)"): the snapshot   latest.tsv); no snapshot of
**        of that month (also by a month-day  that month: no answer here
**        suffix without a year, Google's     (an unknown snapshot)
**        -01-21 or a -1219 that is no YYMM:
**        "(Jan '25)" is -01-21), else
**        latest.tsv's row in force then
**      a dated name of a lab whose undated  no answer here (the fallback
**        ids float (dated_labs.tsv full:     keeps the date: a snapshot
**        Alibaba's qwen3-max moves between   of its own)
**        its dated snapshots), or a month-
**        day of a lab that names checkpoints
**        so (mmdd: DeepSeek's -0731): never
**        the undated id as a deployment date
**      a name without the lab's trailing   variant (at most 80)
**        -preview, tried with it before any
**        word is dropped (kimi-k2-turbo is
**        kimi-k2-turbo-preview, not kimi-k2)
**      without trailing effort, serving or
**        mode tokens (high, non-reasoning,
**        fp8, nvfp4, 6bit, -latest, TEE,
**        free, lightning, highspeed, flex,
**        hf, gguf, beta, thinking, think,
**        a context length 131k: a context
**        SKU;
**        Groq's -versatile, its plain
**        deployment, and -specdec, its
**        speculative decoding priced apart),
**        one more at a time (grok-4-fast-
**        reasoning is grok-4-fast); a
**        dropped -latest never takes a
**        ?alias's pick; a mode word moves
**        an -instruct hit to its -thinking
**        sibling (qwen3-...-2507 (Reasoning))
**        or is no answer when it has none;
**        a non-reasoning name never lands
**        on a reasoning id (it moves to the
**        id's -non-reasoning sibling when
**        there is one: Grok 4.20 Beta Non-
**        Reasoning), nor the reverse        variant (at most 80)
**      Bedrock ids (a vendor. prefix was     alias (at most 90)
**        stripped) still unknown: without a
**        trailing -vN when a version remains
**        (claude-opus-4-6-v1; claude-v1 is
**        Claude 1, not claude),
**        then with the vendor word glued on
**        (deepseek. r1, DeepSeek: R1 ->
**        deepseek-r1)
**      without a leading lab word, when    alias/display (at most 80)
**        the model found is that lab's
**        (cohere-embed-v-4-0, "Cohere
**        Embed 4": embed-v4.0)
**      then with -instruct, then -it
**        (gemma3:12b, llama3.3-70b; before
**        up to two trailing words the plain
**        lookup drops, "Gemma 3 27B TEE";
**        an ollama tag -chat too: llama2:7b);
**        Instruct as -it (Gemma), or
**        without it when the model found
**        is an instruct model; after a
**        -non-reasoning (instruct mode)    variant (at most 70)
**      an ollama tag FAMILY:SIZE: the one  variant (at most 60)
**        id with other words between the
**        family and the size (deepseek-r1:
**        7b: deepseek-r1-distill-qwen-7b),
**        else the family's own model when
**        no id sizes the family and its
**        spellings give no other size
**        (phi4:14b: phi-4)
**      a name ending in a snapshot suffix
**        (-2503, -08-2024) whose model of
**        that suffix has all its other
**        words in the name, the name adding
**        only versions, sizes, instruct
**        (mistral-small-3.1-24b-instruct-
**        2503); an undated model + -MMDD
**        (kimi-k2.5-0127); a Vertex -00N
**        build (jamba-1.5-large@001)       variant (at most 70)
**      a snapshot written by its month-   alias (80)
**        day alone (qwen-plus-0728): the
**        one snapshot of that month-day
**      a model named without the lab word alias (at most 70)
**        its ids carry (R1 Distill Qwen
**        32B, m2): with that one word
**      a name with a total size and no     variant (at most 70)
**        active one ("Qwen3 Coder 480B",
**        qwen3-30b): the one mixture-of-
**        experts model whose id adds only
**        its -aNb word (hosts and display
**        names drop it); two: no answer;
**        a name with no size at all ("Nemo-
**        tron 3 Ultra"): the one adding only
**        its -NNNb-aNb words
**      still unknown, after cleaning:
**      a display's "(Reasoning)" as the    variant (at most 80)
**        lab's -thinking ("Qwen3 Omni 30B
**        A3B (Reasoning)"), when that is a
**        thinking id
**      a display nickname with the model's variant (70)
**        own name in parentheses ("Nano
**        Banana (Gemini 2.5 Flash Image)"):
**        that name, when it alone is a
**        vocabulary model (confidence >= 80);
**        also an id there among comma-
**        separated words ("GPT-4o (March
**        2025, chatgpt-4o-latest)"), and a
**        display's last /-part ("DeepSeek
**        V3/Deepseek Chat")
**      an OpenRouter slug (an org/ path and variant (at most 70), the
**        a -YYYYMMDD, the day OpenRouter     date a version qualifier
**        listed the model) without the date,
**        unless the lab dates its snapshots
**        (anthropic/claude-4.6-opus-fast-
**        20260407 is claude-opus-4-6)
**    A dated name whose date is not in the vocabulary is never moved to
**    another date: a different snapshot is a different model. Snapshots are
**    the dated ids (-20241022) and, below them, the ids with another
**    snapshot suffix (-08-2024, -2507, -0613): command-r names
**    command-r-03-2024 and -08-2024 (60, the newest).
**
** 4. Fall back. Not in the vocabulary: the cleaned name, rule family (30)
**    when its creator is known, prefix (20) when only a gateway prefix was
**    removed; under an unknown vendor or host path (alpindale/goliath-120b)
**    the last segment, creator from the segment before it: vendors.tsv's
**    when it knows it, else that org itself when it is no provider or
**    route word (swiss-ai/Apertus-70B-Instruct-2509: swiss-ai; LiquidAI/
**    through vendors.tsv's spelling: liquid), before the model's family
**    word, unless the org is spelled as that word (longcat/longcat-...:
**    the family's) or converted the weights (TheBloke/...-AWQ, a weight
**    format ending the name: the family's); a display name cleaned like an id (unmapped, 0,
**    without a creator), so that "Jamba 1.5 Large" and jamba-1.5-large are
**    one id; otherwise the cleaned name, rule unmapped, confidence 0 (one
**    model however it is cased or punctuated). The cleaned name is tidied so that
**    equivalent spellings converge: '_' as '-' (as '.' between digits:
**    Llama-3_1), p versions (qwen2p5) and glued ones (qwen25) dotted,
**    dashed versions dotted, a size N-Mb after a version dotted (qwen3-5-0-8b
**    is qwen3.5-0.8b; llama-3-8b stays), a leading family word joined to
**    its version as the lab writes it (version_style.tsv: qwen-2.5-14b as
**    qwen2.5-14b, "Qwen 3 Embedding 4B" as qwen3-embedding-4b, llama3.1-8b
**    as llama-3.1-8b, seedance-2 as seedance-2.0; not a size, qwen-7b), Mistral's trailing YY.MM as its
**    -YYMM snapshot ("Pixtral Large 25.02"), trailing serving words dropped
**    (-tee, -free, -lightning, -highspeed, -fw, -flex, -hf, -gguf, -cloud,
**    -6bit, -fp8, -nvfp4, -awq, -gptq, -mlx, -pt), an architecture word after the size
**    ("LFM 40B MoE", "(dense)"), a trailing -non-reasoning (the
**    instruct mode of a hybrid model: AA's qwen3-5-2b-non-reasoning; kept
**    after a reasoning model's own word) and a display's "(Reasoning)"
**    dropped, and so is a -reasoning, Artificial Analysis' slug for it
**    (cogito-v2-1-reasoning; a lab's own -reasoning model, phi-4-reasoning,
**    is in the vocabulary), or, for a model line the vocabulary ships
**    -thinking ids of, that line's -thinking id ("Qwen3 VL 4B (Reasoning)"
**    is qwen3-vl-4b-thinking); other mode words stay. Dates stay (issue
**    10: a distinct date is a distinct snapshot), but for an OpenRouter
**    slug's listing date (org/name-YYYYMMDD: ibm-granite/granite-4.1-8b-
**    20260429 is granite-4.1-8b, a version qualifier) and for a
**    Volcengine build's -YYMMDD (doubao-seed-1-6-thinking-250615 is
**    seed-1.6-thinking), unless the lab dates its own snapshots in full
**    (dated_labs.tsv full); a display month hint the
**    vocabulary could not place stays as -YYMM ("Mistral Small (Feb '24)"
**    is mistral-small-2402, never the undated model, another snapshot).
**    Last, an ollama tag of a known lab takes its lab's tuning word after
**    the size, as the tag is the chat weights (tuning_words.tsv, else
**    -instruct: falcon3:7b is falcon3-7b-instruct, yi:34b yi-34b-chat;
**    none for an embedding, guard or rerank model).
**    The creator: a serving host's vendor segment (perplexity/) or glued
**    host word (databricks-mpt-30b-instruct) yields to the name's family
**    word (llama: meta); nemotron anywhere is NVIDIA's, sonar anywhere
**    Perplexity's, bison and gecko (PaLM 2) Google's; a leading lab word
**    before no family word is the lab's ("Cohere Rerank 3.5"). Only a
**    name that cannot be cleaned (a NUL, a control or non-ASCII byte, too
**    long) is kept raw.
**
** The provider is the caller's argument when given (rule given), else the
** gateway prefix (rule prefix), else the creator's own API for labs that
** sell one (rule creator, 50), else NULL (rule unmapped).
**
** family is the canonical id without its snapshot suffix, version the
** suffix (20241022, 2024-08-06, 0528, 2411, 08-2024), NULL when none.
**
** Qualifiers. What cleaning strips is not all noise: eu., azure/eu/,
** bedrock/us-east-1/, 1-month-commitment/, TEE/, :free, :extended, -fast
** name an offering of the model that is priced apart from it (Bedrock's
** regional prefixes +10%, OpenRouter's gpt-4o:extended $6/$18 against
** $2.50/$10). Each is recorded while cleaning (ext/vocab/qualifiers.tsv
** says which spellings, their kind, value and whether they bear a price;
** region-shaped path segments and Bedrock -v1:0 versions are rules here),
** and the -x words (-fast, -fp8, -maas) after the lookup, when the
** canonical model lacks the word. The model stays the base model; variant
** (the price-bearing ones) and qualifiers (all) say which offering, so the
** ledger keys rate cards on the variant instead of letting it win the base.
*/
#include "canonical.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "tl_alloc.h"

/* ------------------------------------------------------------------ */
/* Vocabulary                                                          */
/* ------------------------------------------------------------------ */

/* A spelling and what it means. aProvider (provider spellings to models.dev
** provider ids), aVendor (creator path segments and Bedrock prefixes to
** models.dev's lab vocabulary), aFamilyWord (a name's first word to its
** creator) and aHostId (a host's id to the model it serves, when its words
** name another) are sorted by name by the generator, for bsearch. */
typedef struct NamePair {
  const char *name;
  const char *id;
} NamePair;

/* One model of the vocabulary (aModel, in the order of models.tsv: the index
** breaks ties). aliases: '|'-separated spellings the signature rules do not
** reach; a leading '?' marks an ambiguous alias (an undated name that pointed
** at several snapshots over time). azSelfServed lists the labs that sell
** their own API under their creator id. */
typedef struct CanonModel {
  const char *id;
  const char *creator;
  const char *aliases;
} CanonModel;

/* A qualifier spelling (aQualifier, from qualifiers.tsv, sorted by
** spelling): its kind (an index of azQualifierKind, which is also the order
** in which variant lists kinds), normalized value, and whether the sources
** price it apart from the base model. */
typedef struct Qualifier {
  const char *spelling;
  int kind;
  const char *value;
  int price_bearing;
} Qualifier;

/* An option a lab writes after a model's id (aModelOption, from
** model_options.tsv, in file order): a voice, language or domain of the
** model `model` (a models.tsv id), its qualifier kind, and the option: a word,
** or "*" (any word of three or more letters). */
typedef struct ModelOption {
  const char *model;
  int kind;
  const char *option;
  int price_bearing;
} ModelOption;

/* A floating alias (aFloating, from latest.tsv, sorted by alias, then
** since): from the date `since` on, `alias` named `model` (a models.tsv id). */
typedef struct Floating {
  const char *alias;
  const char *since; /* YYYY-MM-DD */
  const char *model;
} Floating;

/* The tables themselves are data: the .tsv files of ext/vocab/ (their headers
** say what each holds), checked, sorted and compiled to C by
** ext/vocab/gen_vocab.py into build/gen/canonical_vocab.c (make puts
** build/gen/ on the include path). A new model or provider spelling is a
** line there, not code here. */
#include "canonical_vocab.c"

/* ------------------------------------------------------------------ */
/* Small string helpers                                                */
/* ------------------------------------------------------------------ */

static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_lower(int c) { return c >= 'a' && c <= 'z'; }
static int is_alnum(int c) { return is_digit(c) || is_lower(c); }

static int cmp_pair(const void *key, const void *elem) {
  return strcmp((const char *)key, ((const NamePair *)elem)->name);
}

/* Look a NUL-terminated lowercase name up in a sorted NamePair table. */
static const char *pair_find(const NamePair *a, size_t n, const char *name) {
  const NamePair *p = bsearch(name, a, n, sizeof a[0], cmp_pair);
  return p ? p->id : NULL;
}

#define PAIR_FIND(table, name) \
  pair_find(table, sizeof(table) / sizeof(table[0]), name)

/* Copy s[0..n) into dst (cap bytes), NUL-terminated; 0 if it does not fit. */
static int copy_str(char *dst, size_t cap, const char *s, size_t n) {
  if (n >= cap) return 0;
  memcpy(dst, s, n);
  dst[n] = 0;
  return 1;
}

static int has_prefix(const char *s, const char *prefix) {
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int all_digits(const char *s, size_t n) {
  if (n == 0) return 0;
  for (size_t i = 0; i < n; i++)
    if (!is_digit((unsigned char)s[i])) return 0;
  return 1;
}

static int valid_month_day(const char *mm, const char *dd) {
  int m = (mm[0] - '0') * 10 + (mm[1] - '0');
  int d = (dd[0] - '0') * 10 + (dd[1] - '0');
  return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/* How the lab dates snapshots of its own (dated_labs.tsv): "full" (Alibaba:
** any dated name of theirs is a snapshot), "mmdd" (DeepSeek: a month-day
** names a checkpoint, a full date is a host's listing date), or NULL (a
** date is a host's deployment date of the undated model). */
static const char *lab_dates(const char *creator) { return PAIR_FIND(aDatedLab, creator); }

/* Does the lab move its undated ids between snapshots dated in full? */
static int is_dated_lab(const char *creator) {
  const char *dates = lab_dates(creator);
  return dates && strcmp(dates, "full") == 0;
}

static int is_self_served(const char *creator) {
  for (size_t i = 0; i < sizeof azSelfServed / sizeof azSelfServed[0]; i++)
    if (strcmp(azSelfServed[i], creator) == 0) return 1;
  return 0;
}

/* ------------------------------------------------------------------ */
/* 1. Clean                                                            */
/* ------------------------------------------------------------------ */

/* At most this many qualifiers per name, values of at most QUAL_VALUE - 1
** bytes: real names carry two or three, and the bound keeps both joined
** strings inside TlCanon.buf. */
#define MAX_QUALS 6
#define QUAL_VALUE 32

typedef struct Qual {
  int kind;
  int price_bearing;
  char value[QUAL_VALUE];
} Qual;

typedef struct Cleaned {
  char body[TL_CANON_MAX_NAME + 1]; /* the model part, lowercase */
  const char *provider;             /* models.dev id from a prefix, or NULL */
  int provider_conf;
  const char *creator;              /* from a vendor prefix, or NULL */
  int creator_weak;                 /* creator is a serving host's (perplexity/): the
                                    ** model's family word wins over it */
  int stripped;                     /* some prefix or suffix was removed */
  int display;                      /* had spaces or parentheses */
  int finetune;                     /* ft: */
  int ambiguous;                    /* ~vendor/ alias id */
  const char *as_of;                /* YYYY-MM-DD the name was used on, or NULL */
  char gateway[32];                 /* an unknown first path segment */
  char vendor_word[48];             /* a Bedrock vendor. or display Lab:, or "" */
  int bedrock;                      /* a Bedrock vendor. prefix was stripped */
  int glued;                        /* vendor_word was glued on (nvidia-nemotron-...) */
  int glued_stripped;               /* stripped before it was removed */
  char org[48];                     /* an unknown lab named by a display "Lab: " or an
                                    ** org/ path segment (cleaned), or "" */
  int mode_group;                   /* a display "(Reasoning)" or "(Non-reasoning)" */
  int size_tag;                     /* an ollama FAMILY:SIZE tag (gemma3:12b) */
  int month;                        /* display month hint, 0 when none */
  int year;                         /* display year hint (4 digits) */
  int nqual;
  Qual qual[MAX_QUALS];             /* qualifiers met while cleaning */
} Cleaned;

static int cmp_qualifier(const void *key, const void *elem) {
  return strcmp((const char *)key, ((const Qualifier *)elem)->spelling);
}

/* The qualifier spelled exactly spelling (with its punctuation), or NULL. */
static const Qualifier *qualifier_find(const char *spelling) {
  return bsearch(spelling, aQualifier, sizeof aQualifier / sizeof aQualifier[0],
                 sizeof aQualifier[0], cmp_qualifier);
}

/* Record a qualifier once; past MAX_QUALS or QUAL_VALUE it is dropped, as
** no real name comes near either. */
static void add_qual(Cleaned *c, int kind, const char *value, size_t n, int price_bearing) {
  for (int i = 0; i < c->nqual; i++)
    if (c->qual[i].kind == kind && strlen(c->qual[i].value) == n &&
        memcmp(c->qual[i].value, value, n) == 0)
      return;
  if (c->nqual == MAX_QUALS || !copy_str(c->qual[c->nqual].value, QUAL_VALUE, value, n)) return;
  c->qual[c->nqual].kind = kind;
  c->qual[c->nqual].price_bearing = price_bearing;
  c->nqual++;
}

static void add_known_qual(Cleaned *c, const Qualifier *q) {
  add_qual(c, q->kind, q->value, strlen(q->value), q->price_bearing);
}

/* The kind index of name in azQualifierKind (the generator defines them). */
static int qual_kind(const char *name) {
  for (size_t i = 0; i < sizeof azQualifierKind / sizeof azQualifierKind[0]; i++)
    if (strcmp(azQualifierKind[i], name) == 0) return (int)i;
  return 0;
}

/* s[0..n) followed by mark ('/', '.') or preceded by it (':'), looked up. */
static const Qualifier *qualifier_spelled(const char *s, size_t n, char mark, int mark_first) {
  char key[64];
  if (n + 2 > sizeof key) return NULL;
  if (mark_first) {
    key[0] = mark;
    memcpy(key + 1, s, n);
  } else {
    memcpy(key, s, n);
    key[n] = mark;
  }
  key[n + 1] = 0;
  return qualifier_find(key);
}

/* A cloud region segment: letters, '-', letters (optionally more), '-',
** digits (us-gov-west-1, eu-central-1). */
static int is_region_segment(const char *s, size_t n) {
  return n >= 6 && is_lower((unsigned char)s[0]) && is_lower((unsigned char)s[1]) &&
         s[2] == '-' && is_digit((unsigned char)s[n - 1]) && s[n - 2] == '-';
}

/* A path segment that says which offering of the model a name is: a
** qualifier of qualifiers.tsv (eu/, tee/, 1-month-commitment/) or a cloud
** region, which prices differ by (region=<segment>). Recorded in c. */
static int is_qualifier_segment(Cleaned *c, const char *s, size_t n) {
  const Qualifier *q = qualifier_spelled(s, n, '/', 0);
  if (q) {
    add_known_qual(c, q);
    return 1;
  }
  if (!is_region_segment(s, n)) return 0;
  add_qual(c, qual_kind("region"), s, n, 1);
  return 1;
}

/* A path segment that carries no model information and no price: an
** image quality, size or step count (50-steps, max-steps) in LiteLLM's image keys, a route
** word, fal's own fal-ai/ namespace, or '*' (LiteLLM's "any region"). */
static int is_junk_segment(const char *s, size_t n) {
  static const char *const azJunk[] = {
      "low", "medium", "high", "hd", "max-x-max", "max-steps", "invoke", "pro",
      "route", "chat-completion", "converse", "models", "fal-ai", "*"};
  for (size_t i = 0; i < sizeof azJunk / sizeof azJunk[0]; i++)
    if (strlen(azJunk[i]) == n && memcmp(azJunk[i], s, n) == 0) return 1;
  /* 1024-x-1024, 50-steps */
  if (n > 2 && is_digit((unsigned char)s[0])) {
    const char *x = memchr(s, '-', n);
    if (x && (has_prefix(x, "-x-") || has_prefix(x, "-steps"))) return 1;
  }
  return 0;
}

static int is_tier_segment(const char *s, size_t n) {
  static const char *const azTier[] = {"dev",  "fast",   "lite",     "max",   "preview",
                                       "pro",  "schnell", "standard", "turbo", "ultra"};
  for (size_t i = 0; i < sizeof azTier / sizeof azTier[0]; i++)
    if (strlen(azTier[i]) == n && memcmp(azTier[i], s, n) == 0) return 1;
  return 0;
}

/* A version (v3, 3.2), maybe with tier words after it (v1.1-ultra; not
** Vercel's v0-1.0-md, a name). */
static int is_version_segment(const char *s, size_t n) {
  size_t i = n > 0 && s[0] == 'v' ? 1 : 0;
  if (i >= n || !is_digit((unsigned char)s[i])) return 0;
  while (i < n && (is_digit((unsigned char)s[i]) ||
                   (s[i] == '.' && i + 1 < n && is_digit((unsigned char)s[i + 1]))))
    i++;
  while (i < n) {
    if (s[i] != '-') return 0;
    size_t w = ++i;
    while (i < n && s[i] != '-') i++;
    if (!is_tier_segment(s + w, i - w)) return 0;
  }
  return 1;
}

/* A task an endpoint serves, word-to-word (text-to-image, image-to-video);
** not a model named after one (text-to-video-ms-1.7b). */
static int is_task_segment(const char *s, size_t n) {
  size_t a = 0;
  while (a < n && is_lower((unsigned char)s[a])) a++;
  if (a == 0 || a + 4 >= n || memcmp(s + a, "-to-", 4) != 0) return 0;
  for (size_t i = a + 4; i < n; i++)
    if (!is_lower((unsigned char)s[i])) return 0;
  return 1;
}

/* A task written letters-2-letters (txt2img, img2vid), as a job type names it. */
static int is_job_task(const char *s, size_t n) {
  const char *two = memchr(s, '2', n);
  if (!two || two == s || two == s + n - 1) return 0;
  for (size_t i = 0; i < n; i++)
    if (s + i != two && !is_lower((unsigned char)s[i])) return 0;
  return 1;
}

/* A job type written with dots, NAMESPACE.MODEL[.TIER...].TASK.vN
** (Prodia's inference.flux.schnell.txt2img.v2, inference.recraft.v3.txt2img.v1),
** maybe as a path's last segment (prodia/inference...): the model's segments
** joined with '-' (flux-schnell, recraft-v3); the namespace, the task and the
** job's own version name no model. A display name (spaces) is none. */
static void job_type_name(char *s) {
  char *slash = strrchr(s, '/');
  if (slash) s = slash + 1;
  if (strchr(s, ' ')) return;
  char *first = strchr(s, '.'), *last = strrchr(s, '.');
  if (!first || first == last || first == s) return;
  for (const char *p = s; p < first; p++)
    if (!is_lower((unsigned char)*p)) return;
  if (last[1] != 'v' || !last[2] || !all_digits(last + 2, strlen(last + 2))) return;
  *last = 0;
  char *task = strrchr(s, '.');
  if (task == first || !is_job_task(task + 1, strlen(task + 1))) {
    *last = '.';
    return;
  }
  *task = 0;
  memmove(s, first + 1, strlen(first + 1) + 1);
  for (char *p = s; *p; p++)
    if (*p == '.') *p = '-';
}

/* An image, video or audio host's endpoint path names the model in
** segments: fal's fal-ai/flux-pro/v1.1-ultra, fal-ai/imagen4/preview/fast,
** fal-ai/bytedance/seedream/v3/text-to-image, bria/text-to-image/3.2. The
** version and tier segments that end the path are the model's own, joined
** to the segment before them with '-' (flux-pro-v1.1-ultra); a task names
** no model and goes. After a host, or after a lab without a version, a
** tier is no part of a name (aws_polly/standard, stability/fast) and only
** the tasks go. A path of 16 segments or more is no endpoint: left alone. */
static void merge_endpoint_segments(char *s) {
  if (strchr(s, ' ')) return; /* a display name's "Lab/..." */
  char *seg[16];
  size_t len[16];
  int n = 0;
  for (char *p = s; p && n < 16; p = strchr(p, '/')) {
    if (*p == '/') p++;
    seg[n++] = p;
  }
  if (n < 2 || n == 16) return;
  for (int i = 0; i < n; i++) len[i] = i + 1 < n ? (size_t)(seg[i + 1] - 1 - seg[i]) : strlen(seg[i]);
  int name = n - 1, versioned = 0; /* the last segment that names something */
  for (; name >= 0; name--) {
    int version = is_version_segment(seg[name], len[name]);
    if (!version && !is_tier_segment(seg[name], len[name]) && !is_task_segment(seg[name], len[name]))
      break;
    versioned |= version;
  }
  if (name < 0 || name == n - 1 || len[name] == 0) return;
  char word[64];
  int is_host = copy_str(word, sizeof word, seg[name], len[name]) && PAIR_FIND(aProvider, word);
  int is_lab = !is_host && PAIR_FIND(aVendor, word);
  int join = !is_host && (versioned || !is_lab);
  char *o = seg[name + 1] - 1; /* the '/' after it */
  for (int i = name + 1; i < n; i++) {
    if (is_task_segment(seg[i], len[i])) continue;
    *o++ = join ? '-' : '/';
    memmove(o, seg[i], len[i]); /* o never passes seg[i]: the text only shrinks */
    o += len[i];
  }
  *o = 0;
}

/* Bedrock cross-region prefixes ("us.", the x. lines of qualifiers.tsv)
** and vendor prefixes ("anthropic."). Returns the number of bytes consumed
** at the start of s; the region is recorded in c only when a vendor
** follows, as "us.x" alone is no Bedrock id. */
static size_t strip_bedrock_dots(Cleaned *c, const char *s, const char **creator) {
  size_t off = 0;
  const char *first = strchr(s, '.');
  const Qualifier *region = first ? qualifier_spelled(s, (size_t)(first - s), '.', 0) : NULL;
  if (region) off = (size_t)(first + 1 - s);
  const char *dot = strchr(s + off, '.');
  if (!dot || dot - (s + off) >= 32) return 0;
  char vendor[32];
  if (!copy_str(vendor, sizeof vendor, s + off, (size_t)(dot - (s + off)))) return 0;
  /* a vendor starts with a letter and is letters, digits, hyphens (ai21.) */
  if (!is_lower((unsigned char)vendor[0])) return 0;
  for (const char *p = vendor; *p; p++)
    if (!is_alnum((unsigned char)*p) && *p != '-') return 0;
  const char *v = PAIR_FIND(aVendor, vendor);
  if (!v) return 0;
  *creator = v;
  if (region) add_known_qual(c, region);
  memcpy(c->vendor_word, vendor, strlen(vendor) + 1);
  c->bedrock = 1;
  return (size_t)(dot + 1 - s);
}

/* Month abbreviation to 1..12, 0 if none. */
static int month_of(const char *s) {
  static const char *const azMonth[] = {"jan", "feb", "mar", "apr",
                                        "may", "jun", "jul", "aug",
                                        "sep", "oct", "nov", "dec"};
  for (int i = 0; i < 12; i++)
    if (has_prefix(s, azMonth[i])) return i + 1;
  return 0;
}

/* A word of a display name's parenthesized group that names no model: a
** region (us, eu), an effort (high, max effort), or wording (older, mode; a
** price list's "(alias)" entry, "(2026-04-23 snapshot)"). */
static int is_noise_word(const char *w, size_t n) {
  static const char *const azNoise[] = {
      "us", "eu", "global", "jp", "au", "apac", "ca", "low", "medium", "high", "xhigh",
      "minimal", "max", "effort", "adaptive", "mode", "older", "newer", "version", "new",
      "default", "alias", "snapshot", "regional"};
  for (size_t i = 0; i < sizeof azNoise / sizeof azNoise[0]; i++)
    if (strlen(azNoise[i]) == n && memcmp(azNoise[i], w, n) == 0) return 1;
  return 0;
}

/* Append the words of a parenthesized group s[0..n) to out as -word: what a
** display name writes there that is no region, effort or wording is part of
** the name ("GPT-4o (2024-11-20)", "GPT-3.5 Turbo (older v0613)", "Phi-3-mini
** instruct (128k)", "Command R (08-2024)", "Kimi-K2-Thinking (turbo)", "GPT-4o
** (ChatGPT)"): a snapshot or variant named there must change the answer,
** never be dropped so that the undated name picks another snapshot. The mode
** words go as the id writes them: reasoning, non-reasoning (non-thinking). */
static size_t append_group(char *out, size_t o, size_t cap, const char *s, size_t n, int *mode_group) {
  int non = 0, mode = 0;
  for (size_t i = 0; i < n;) {
    while (i < n && !is_alnum((unsigned char)s[i])) i++;
    size_t st = i;
    while (i < n && (is_alnum((unsigned char)s[i]) || s[i] == '.' || s[i] == '-')) i++;
    const char *w = s + st;
    size_t wl = i - st;
    while (wl && (w[wl - 1] == '.' || w[wl - 1] == '-')) wl--;
    if (wl == 0 || is_noise_word(w, wl)) continue;
    if ((wl == 13 && memcmp(w, "non-reasoning", 13) == 0) ||
        (wl == 12 && memcmp(w, "non-thinking", 12) == 0)) {
      non = 1;
      continue;
    }
    if ((wl == 9 && memcmp(w, "reasoning", 9) == 0) ||
        (wl == 8 && memcmp(w, "thinking", 8) == 0)) {
      mode = 1;
      continue;
    }
    if (w[0] == 'v' && wl >= 4 && all_digits(w + 1, wl - 1)) w++, wl--; /* v0613 */
    if (o + wl + 2 >= cap) break;
    out[o++] = '-';
    if (wl == 5 && w[2] == '.' && w[0] == '2' && w[1] >= '3' && all_digits(w + 3, 2) &&
        valid_month_day(w + 3, "01")) {
      /* "Mistral Medium 3 (25.05)": Mistral's YY.MM, its -2505 snapshot */
      memcpy(out + o, w, 2), memcpy(out + o + 2, w + 3, 2), o += 4;
      continue;
    }
    memcpy(out + o, w, wl);
    o += wl;
  }
  const char *m = non ? "-non-reasoning" : mode ? "-reasoning" : "";
  if (non || mode) *mode_group = 1;
  if (o + strlen(m) + 1 < cap) {
    memcpy(out + o, m, strlen(m));
    o += strlen(m);
  }
  return o;
}

/* A parenthesized group naming the lab, cloud or host that serves the model
** ("DeepSeek V4 Pro (Alibaba Cloud)", "GLM-5.1 (Z.ai)", a price list's
** "Claude 3 Haiku (Bedrock)", "Llama 2 70B Chat (Replicate)"): its first
** word, '.' as '-', is a vendors.tsv or providers.tsv spelling. No part of
** the model. */
static int is_server_group(const char *s, size_t n) {
  char w[48];
  size_t k = 0;
  while (k < n && k < sizeof w - 1 && s[k] != ' ') {
    w[k] = s[k] == '.' ? '-' : s[k];
    k++;
  }
  w[k] = 0;
  /* a host that is a family word names a model ("GPT-4o (ChatGPT)", "Nano
  ** Banana (Gemini 2.5 Flash Image)"), as a lab's name does not */
  return k > 0 && (PAIR_FIND(aVendor, w) != NULL ||
                   (PAIR_FIND(aProvider, w) != NULL && PAIR_FIND(aFamilyWord, w) == NULL));
}

/* A parenthesized group naming a free tier ("(free)"). */
static int is_free_group(const char *s, size_t n) {
  const Qualifier *q = qualifier_spelled(s, n, ':', 1);
  return q && q->kind == qual_kind("free_tier");
}

/* Display names: parenthesized groups are read as the words they add to the
** name (append_group), except a "(Oct '24)" month hint, kept to pick the
** snapshot of that month, and the qualifiers a display name writes in
** parentheses: "(free)" as the :free of its id, "(Fast)" and "(thinking)"
** as a -fast or -thinking word the lookup then treats as in the id
** (OpenRouter's "Anthropic: Claude Opus 4.7 (Fast)" is
** anthropic/claude-opus-4.7-fast, priced apart). Spaces become '-'. */
static void clean_display(Cleaned *c) {
  char out[TL_CANON_MAX_NAME + 1];
  size_t o = 0;
  const char *p = c->body;
  while (*p) {
    if (*p == '(') {
      const char *close = strchr(p, ')');
      size_t len = close ? (size_t)(close - p - 1) : strlen(p + 1);
      int m = month_of(p + 1);
      const char *apos = memchr(p + 1, '\'', len);
      if (m && apos && is_digit((unsigned char)apos[1]) &&
          is_digit((unsigned char)apos[2])) {
        c->month = m;
        c->year = 2000 + (apos[1] - '0') * 10 + (apos[2] - '0');
      } else if (is_free_group(p + 1, len)) {
        /* "(free)": the offering of the id's :free, no word of the name */
        add_known_qual(c, qualifier_spelled(p + 1, len, ':', 1));
      } else if (qualifier_spelled(p + 1, len, '-', 1) && o + len + 1 < sizeof out) {
        /* "(Fast)", "(Thinking)": a word as in the id, which the lookup
        ** reads (grok-4-fast is a model; a thinking sibling) */
        out[o++] = '-';
        memcpy(out + o, p + 1, len);
        o += len;
      } else if (qualifier_spelled(p + 1, len, ':', 1)) {
        add_known_qual(c, qualifier_spelled(p + 1, len, ':', 1));
      } else if (is_server_group(p + 1, len)) {
        /* "(Alibaba Cloud)": who serves it, not which model */
      } else {
        o = append_group(out, o, sizeof out, p + 1, len, &c->mode_group);
      }
      p = close ? close + 1 : p + 1 + len;
      continue;
    }
    if (o + 1 >= sizeof out) break;
    /* "FLUX.1 [dev]": a bracketed word is a word of the name */
    out[o++] = (*p == ' ' || *p == '[' || *p == ']') ? '-' : *p;
    p++;
  }
  while (o > 0 && out[o - 1] == '-') o--;
  out[o] = 0;
  /* "Name - Variant" and "Name, Variant" leave runs of '-'; "Yi 34 B" writes
  ** the size's unit apart (yi-34b) */
  size_t w = 0;
  for (size_t i = 0; i < o; i++) {
    char ch = out[i] == ',' ? '-' : out[i];
    if (ch == '-' && (w == 0 || out[w - 1] == '-')) continue;
    if (ch == '-' && is_digit((unsigned char)out[w - 1]) &&
        ((out[i + 1] == 'b' && (out[i + 2] == 0 || out[i + 2] == '-')) ||
         (out[i + 1] == 'x' && is_digit((unsigned char)out[i + 2]))))
      continue; /* "Mixtral 8 X7B" likewise is mixtral-8x7b */
    out[w++] = ch;
  }
  while (w > 0 && out[w - 1] == '-') w--;
  out[w] = 0;
  memcpy(c->body, out, w + 1);
}

/* The creator an unknown lab spelling names (an OpenRouter display "Lab: ",
** the org of an org/model path): lowercased, spaces and '_' as '-', through
** vendors.tsv when it knows the spelling, else the spelling itself; "" when
** it is no lab (a provider, a route word, not [a-z0-9.-]). */
static void org_creator(const char *s, size_t n, char out[48]) {
  static const char *const azNotLab[] = {"models", "accounts", "route", "api", "v1", "chat",
                                         "completions", "text", "image", "embeddings", "latest"};
  out[0] = 0;
  if (n == 0 || n >= 48) return;
  char w[48];
  for (size_t i = 0; i < n; i++) {
    int ch = (unsigned char)s[i];
    if (ch >= 'A' && ch <= 'Z') ch += 32;
    if (ch == ' ' || ch == '_') ch = '-';
    if (!is_alnum(ch) && ch != '-' && ch != '.') return;
    w[i] = (char)ch;
  }
  w[n] = 0;
  if (!is_alnum((unsigned char)w[0]) || !is_alnum((unsigned char)w[n - 1])) return;
  for (size_t i = 0; i < sizeof azNotLab / sizeof azNotLab[0]; i++)
    if (strcmp(w, azNotLab[i]) == 0) return;
  if (PAIR_FIND(aProvider, w)) return;
  /* a lab written as its family word ("Nous: Hermes 3", "Qwen: ...") is that family's */
  const char *v = PAIR_FIND(aVendor, w);
  /* a lab written in words whose first is the lab's name ("Reka AI", "TII UAE") */
  char first[48];
  const char *dash = strchr(w, '-');
  if (!v && dash && copy_str(first, sizeof first, w, (size_t)(dash - w))) v = PAIR_FIND(aVendor, first);
  if (!v && strspn(w, "abcdefghijklmnopqrstuvwxyz") == n) v = PAIR_FIND(aFamilyWord, w);
  memcpy(out, v ? v : w, strlen(v ? v : w) + 1);
}

static const char *creator_by_word(const char *body);

/* The vendor a word names, also when written with a dot for a dash ("Z.AI
** GLM-4.7": z-ai), or NULL. */
static const char *vendor_dotted(const char *word) {
  const char *v = PAIR_FIND(aVendor, word);
  char dashed[48];
  if (v || !strchr(word, '.') || !copy_str(dashed, sizeof dashed, word, strlen(word))) return v;
  for (char *p = dashed; *p; p++)
    if (*p == '.') *p = '-';
  return PAIR_FIND(aVendor, dashed);
}

/* A display name's leading cross-region word before a lab or family word
** ("AU Anthropic Claude Opus 4.6": Bedrock's au. prefix written as a
** word): the region qualifier, no part of the model. */
static void strip_region_word(Cleaned *c) {
  char *dash = strchr(c->body, '-');
  const Qualifier *q = dash ? qualifier_spelled(c->body, (size_t)(dash - c->body), '.', 0) : NULL;
  if (!q || q->kind != qual_kind("region")) return;
  const char *rest = dash + 1, *end = strchr(rest, '-');
  char word[48];
  if (!creator_by_word(rest) && !(end && copy_str(word, sizeof word, rest, (size_t)(end - rest)) &&
                                  vendor_dotted(word)))
    return;
  add_known_qual(c, q);
  memmove(c->body, rest, strlen(rest) + 1);
  c->stripped = 1;
}

/* Hyphenated vendor or host prefixes glued to the name: meta-llama-3.1,
** anthropic--claude-3-opus (SAP), databricks-claude-sonnet-4, openai-gpt-4o.
** Removed only when what follows starts with a known model family word. */
static void strip_vendor_words(Cleaned *c) {
  for (int round = 0; round < 3; round++) {
    char *b = c->body, *dash[3];
    int nd = 0, done = 0;
    for (char *p = b; *p && nd < 3; p++)
      if (*p == '-') dash[nd++] = p;
    for (int k = nd - 1; k >= 0 && !done; k--) {
      char word[48];
      if (!copy_str(word, sizeof word, b, (size_t)(dash[k] - b))) continue;
      const char *rest = dash[k] + 1;
      while (*rest == '-') rest++;
      const char *v = vendor_dotted(word);
      if (!v && !PAIR_FIND(aProvider, word)) continue;
      if (!creator_by_word(rest) && !(v && has_prefix(rest, word) && rest[strlen(word)] == '-'))
        continue;
      if (v) {
        /* a host's word (databricks-mpt-30b-instruct) yields to the family's */
        c->creator = v, c->creator_weak = PAIR_FIND(aProvider, word) && !is_self_served(v);
        if (!c->vendor_word[0]) {
          memcpy(c->vendor_word, word, strlen(word) + 1);
          c->glued = 1;
          c->glued_stripped = c->stripped;
        }
      }
      memmove(b, rest, strlen(rest) + 1);
      c->stripped = done = 1;
    }
    if (!done) break;
  }
}

/* OpenRouter display names "Lab: Model Name" (OpenAI: GPT-4o, Meta: Llama
** 3.3 70B Instruct, Baidu Qianfan: CoBuddy): the lab is the creator, when
** vendors.tsv knows it (spaces as '-'), and no part of the model. The lab
** is at most 47 bytes of letters, digits, spaces, '-' and '.', then ": "
** and a name; ft:, :free and -v1:0 have no space after the colon. */
static void strip_display_lab(Cleaned *c, char **ps) {
  char *s = *ps, *colon = strstr(s, ": ");
  if (!colon || colon == s || colon - s >= 48 || !colon[2]) return;
  char lab[48];
  size_t n = (size_t)(colon - s);
  for (size_t i = 0; i < n; i++) {
    int ch = (unsigned char)s[i];
    if (!is_alnum(ch) && ch != ' ' && ch != '-' && ch != '.') return;
    lab[i] = ch == ' ' ? '-' : (char)ch;
  }
  lab[n] = 0;
  const char *v = PAIR_FIND(aVendor, lab);
  if (v) {
    c->creator = v;
    memcpy(c->vendor_word, lab, n + 1);
  } else {
    org_creator(lab, n, c->org); /* a lab vendors.tsv lacks is still the creator */
  }
  c->display = 1;
  c->stripped = 1;
  s = colon + 2;
  while (*s == ' ') s++;
  *ps = s;
}

/* Remove a trailing suffix of len bytes from body. */
static void chop(Cleaned *c, size_t len) {
  c->body[strlen(c->body) - len] = 0;
  c->stripped = 1;
}

/* A trailing deployment word that does not change the price (-maas on
** Vertex, -tput on Together: qualifiers.tsv, kind deployment, price_bearing
** 0) names the host's packaging, not a model: recorded and removed. */
static void strip_trailing_deployment(Cleaned *c) {
  size_t n = strlen(c->body);
  for (size_t i = 0; i < sizeof aQualifier / sizeof aQualifier[0]; i++) {
    const Qualifier *q = &aQualifier[i];
    size_t sl = strlen(q->spelling);
    if (q->spelling[0] != '-' || q->price_bearing || q->kind != qual_kind("deployment") ||
        sl >= n || strcmp(c->body + n - sl, q->spelling) != 0)
      continue;
    add_known_qual(c, q);
    chop(c, sl);
    return;
  }
}

/* A month written as the name's last word, with or without a two-digit
** year (Poe's Claude-Sonnet-3.5-June, Artificial Analysis'
** claude-35-sonnet-june-24): the month hint of a display name's "(Jun
** '24)", year 0 when not written (any year). */
static void strip_month_word(Cleaned *c) {
  static const char *const azMonth[] = {
      "jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june",
      "jul", "july", "aug", "august", "sep", "sept", "september", "oct", "october", "nov",
      "november", "dec", "december"};
  if (c->month) return;
  char *b = c->body, *end = b + strlen(b);
  int year = 0;
  if (end - b > 3 && end[-3] == '-' && is_digit((unsigned char)end[-2]) &&
      is_digit((unsigned char)end[-1])) {
    year = 2000 + (end[-2] - '0') * 10 + (end[-1] - '0');
    end -= 3;
  } else if (end - b > 5 && end[-5] == '-' && end[-4] == '2' && end[-3] == '0' &&
             is_digit((unsigned char)end[-2]) && is_digit((unsigned char)end[-1])) {
    year = 2000 + (end[-2] - '0') * 10 + (end[-1] - '0'); /* -dec-2024 */
    end -= 5;
  }
  char *dash = end;
  while (dash > b && dash[-1] != '-') dash--;
  if (dash == b) return;
  size_t wl = (size_t)(end - dash);
  for (size_t i = 0; i < sizeof azMonth / sizeof azMonth[0]; i++)
    if (strlen(azMonth[i]) == wl && memcmp(dash, azMonth[i], wl) == 0) {
      c->month = month_of(azMonth[i]);
      c->year = year;
      dash[-1] = 0;
      c->stripped = 1;
      return;
    }
}

/* The length of the number at w (7, 1.5; not 7. nor .5), or 0. */
static size_t number_len(const char *w) {
  size_t k = 0;
  while (is_digit((unsigned char)w[k]) || (w[k] == '.' && k > 0 && is_digit((unsigned char)w[k + 1])))
    k++;
  return k;
}

/* The length of the size at w (7b, 1.5b, 270m, 8x7b), or 0; is_size_word:
** the whole word at w (to its end or the next dash) is one. */
static size_t size_word_len(const char *w) {
  size_t k = number_len(w);
  /* experts times parameters: 8x7b, 16x17b */
  if (k > 0 && w[k] == 'x' && number_len(w + k + 1) > 0) k += 1 + number_len(w + k + 1);
  return k > 0 && (w[k] == 'b' || w[k] == 'm' || w[k] == 't') ? k + 1 : 0;
}

static int is_size_word(const char *w) {
  size_t k = size_word_len(w);
  return k > 0 && (w[k] == 0 || w[k] == '-');
}

/* Whether a word of id is a size (qwen3.5-27b, qwen3-30b-a3b): open weights. */
static int has_size_word(const char *id) {
  for (const char *w = id; w; w = strchr(w, '-'), w = w ? w + 1 : NULL)
    if (is_size_word(w)) return 1;
  return 0;
}

/* A GGUF quantization type ending an ollama tag (llama3.1:8b-instruct-q4_K_M,
** qwen2.5:7b-q8_0, gemma2:9b-instruct-fp16): q or iq, a width, then
** underscored letters and digits (q4_0, q3_k_s, iq2_xxs); or a float width. */
static int is_gguf_quant(const char *w) {
  static const char *const azFloat[] = {"f16", "f32", "fp16", "fp32", "bf16"};
  for (size_t i = 0; i < sizeof azFloat / sizeof azFloat[0]; i++)
    if (strcmp(w, azFloat[i]) == 0) return 1;
  if (w[0] == 'i') w++;
  if (w[0] != 'q' || w[1] < '1' || w[1] > '8') return 0;
  for (w += 2; *w; w++)
    if ((*w != '_' || !w[1]) && !is_alnum((unsigned char)*w)) return 0;
  return 1;
}

/* An ollama size tag after the colon: 12b, 0.5b, 270m, also with a serving
** word after it (671b-cloud, which the lookup or the fallback drops). */
static int is_size_tag(const char *tail) {
  size_t k = size_word_len(tail);
  return k > 0 && (tail[k] == 0 || (tail[k] == '-' && is_lower((unsigned char)tail[k + 1])));
}

/* A word glued to a dotted version (ollama's qwen2.5vl, gpt-3.5turbo): the
** word the lab writes apart (qwen2.5-vl). Two letters at least, so that a
** size (qwen2.5:0.5b) or a lab's one-letter mark (glm-4.5v) stays. */
static void split_glued_word(Cleaned *c) {
  char *s = c->body;
  for (size_t i = 2, n = strlen(s); i + 2 < n; i++) {
    if (!is_lower((unsigned char)s[i]) || !is_lower((unsigned char)s[i + 1]) ||
        !is_digit((unsigned char)s[i - 1]))
      continue;
    size_t d = i - 1;
    while (d > 0 && is_digit((unsigned char)s[d - 1])) d--;
    if (d < 2 || s[d - 1] != '.' || !is_digit((unsigned char)s[d - 2]) || n + 1 > TL_CANON_MAX_NAME)
      continue;
    memmove(s + i + 1, s + i, n - i + 1);
    s[i] = '-';
    n++;
    c->stripped = 1;
  }
}

/* A quantization width written apart ("Qwen 3.5 9B (MLX 4-bit)"): -4-bit
** as the ids write it, -4bit, which a lookup drops as a variant; recorded as
** the quantization=4bit qualifier. */
static void join_bit_width(Cleaned *c) {
  char *s = c->body;
  for (char *p = strstr(s, "-bit"); p; p = strstr(p + 1, "-bit")) {
    if ((p[4] != 0 && p[4] != '-') || p == s || !is_digit((unsigned char)p[-1])) continue;
    char *d = p;
    while (d > s && is_digit((unsigned char)d[-1])) d--;
    if (d - s < 2 || d[-1] != '-') continue; /* a name before the width */
    memmove(p, p + 1, strlen(p + 1) + 1);
    add_qual(c, qual_kind("quantization"), d, (size_t)(p + 3 - d), 0);
    c->stripped = 1;
  }
}

/* The weight and activation widths of a compressed checkpoint, as vLLM's
** tools name them (RedHatAI/Llama-3.3-70B-Instruct-quantized.w4a16, -w8a8):
** a quantization qualifier, removed with a "quantized" word before it. */
static void strip_weight_widths(Cleaned *c) {
  char *s = c->body, *w = strrchr(s, 'w');
  if (!w || w == s || (w[-1] != '-' && w[-1] != '.')) return;
  size_t d1 = strspn(w + 1, "0123456789");
  if (!d1 || w[1 + d1] != 'a') return;
  size_t d2 = strspn(w + 2 + d1, "0123456789");
  if (!d2 || w[2 + d1 + d2] != 0) return;
  add_qual(c, qual_kind("quantization"), w, strlen(w), 0);
  w[-1] = 0;
  size_t n = strlen(s);
  if (n > 10 && strcmp(s + n - 10, "-quantized") == 0) s[n - 10] = 0;
  c->stripped = 1;
}

/* An MLC build of the weights (WebLLM's Llama-3.1-8B-Instruct-q4f16_1-MLC):
** the model, its MLC quantization (q4f16_1: 4-bit weights, 16-bit floats,
** layout 1) recorded as the quantization qualifier. */
static void strip_mlc_build(Cleaned *c) {
  char *s = c->body;
  size_t n = strlen(s);
  if (n < 5 || strcmp(s + n - 4, "-mlc") != 0) return;
  s[n - 4] = 0;
  c->stripped = 1;
  char *q = strrchr(s, '-');
  if (!q || q[1] != 'q') return;
  size_t d1 = strspn(q + 2, "0123456789");
  if (!d1 || q[2 + d1] != 'f') return;
  const char *t = q + 3 + d1;
  size_t d2 = strspn(t, "0123456789");
  if (!d2) return;
  t += d2;
  if (*t == '_' && is_digit((unsigned char)t[1])) t += 1 + strspn(t + 1, "0123456789");
  if (*t) return;
  add_qual(c, qual_kind("quantization"), q + 1, strlen(q + 1), 0);
  *q = 0;
}

/* The ASCII a display name's typography stands for, at s (n bytes, UTF-8,
** s[0] >= 0x80), its length in *used: dashes and the middle dot ("Gemini
** 2.5 Flash – Thinking", "DALL·E 3") are '-', curly quotes ("Oct ’24") '\'',
** no-break spaces ' ', and an emoji or its variation selector ("Dolphin 2.9.2
** Mixtral 8x22B 🐬") 0, nothing. Any other character: -1, as a name in
** another script is no spelling of a vocabulary model. */
static int typographic_ascii(const char *s, size_t n, size_t *used) {
  const unsigned char *u = (const unsigned char *)s;
  if (n >= 2 && u[0] == 0xc2) {
    *used = 2;
    return u[1] == 0xb7 ? '-' : u[1] == 0xa0 ? ' ' : -1; /* U+00B7, U+00A0 */
  }
  if (n >= 3 && u[0] == 0xe2 && u[1] == 0x80) {
    *used = 3;
    if (u[2] >= 0x90 && u[2] <= 0x95) return '-';  /* U+2010..U+2015 */
    if (u[2] == 0x98 || u[2] == 0x99) return '\''; /* U+2018, U+2019 */
    return u[2] == 0xaf ? ' ' : -1;                /* U+202F */
  }
  /* U+FE0F; U+2600..U+27BF, symbols and dingbats; U+1F000..U+1FFFF, emoji */
  if (n >= 3 && u[0] == 0xef && u[1] == 0xb8 && u[2] == 0x8f) *used = 3;
  else if (n >= 3 && u[0] == 0xe2 && u[1] >= 0x98 && u[1] <= 0x9e && (u[2] & 0xc0) == 0x80) *used = 3;
  else if (n >= 4 && u[0] == 0xf0 && u[1] == 0x9f && (u[2] & 0xc0) == 0x80 && (u[3] & 0xc0) == 0x80)
    *used = 4;
  else return -1;
  return 0;
}

static int is_variant_word(const char *t);

/* A :MMDD tag ending body at colon, on a name of a lab that names its
** checkpoints by month and day (dated_labs.tsv mmdd: deepseek-v4-flash:0731):
** the id's -0731, a checkpoint of its own. Not after a Bedrock -vN (-v1:0)
** nor after a variant word, where it is a budget (thinking:1024 tokens); on
** another lab's name a :NNNN stays a version qualifier (claude-3-7-sonnet:1024). */
static int is_month_day_tag(const Cleaned *c, const char *colon) {
  const char *body = c->body, *tail = colon + 1, *word = colon;
  const char *lab = c->creator ? c->creator : creator_by_word(body);
  const char *dates = lab ? lab_dates(lab) : NULL;
  if (!dates || strcmp(dates, "mmdd") != 0) return 0;
  if (strlen(tail) != 4 || !all_digits(tail, 4) || !valid_month_day(tail, tail + 2)) return 0;
  while (word > body && word[-1] != '-') word--;
  char w[16];
  if (!copy_str(w, sizeof w, word, (size_t)(colon - word))) return 0;
  return !(w[0] == 'v' && all_digits(w + 1, strlen(w + 1))) && !is_variant_word(w);
}

/* The whole cleaning pass. Returns 0 when the name cannot be mapped
** (too long, not printable ASCII, empty). */
static int clean_name(const char *raw, size_t n, Cleaned *c) {
  memset(c, 0, sizeof *c);
  while (n > 0 && (raw[0] == ' ' || raw[0] == '\t')) raw++, n--;
  while (n > 0 && (raw[n - 1] == ' ' || raw[n - 1] == '\t')) n--;
  if (n == 0 || n > TL_CANON_MAX_NAME) return 0;
  char buf[TL_CANON_MAX_NAME + 1];
  size_t o = 0;
  for (size_t i = 0; i < n;) {
    unsigned char ch = (unsigned char)raw[i];
    if (ch >= 0x80) {
      size_t used = 0;
      int ascii = typographic_ascii(raw + i, n - i, &used);
      if (ascii < 0) return 0;
      if (ascii > 0) buf[o++] = (char)ascii;
      i += used;
      continue;
    }
    if (ch < 0x20 || ch == 0x7f) return 0;
    buf[o++] = (ch >= 'A' && ch <= 'Z') ? (char)(ch + 32) : (char)ch;
    i++;
  }
  while (o > 0 && buf[o - 1] == ' ') o--;
  if (o == 0) return 0;
  buf[o] = 0;
  n = o;
  /* gpt-o3, GPT-o4 Mini: OpenAI's o-series written under the gpt name */
  for (char *g = strstr(buf, "gpt-o"); g; g = strstr(g + 1, "gpt-o"))
    if ((g == buf || !is_alnum((unsigned char)g[-1])) && is_digit((unsigned char)g[5])) {
      memmove(g, g + 4, strlen(g + 4) + 1);
      n -= 4;
      break;
    }
  /* Code Llama is Meta's codellama: the lab glues the words, hosts
  ** (Fireworks' code-llama-13b-instruct, "Code Llama 70B") do not */
  for (char *g = strstr(buf, "code"); g; g = strstr(g + 1, "code"))
    if ((g == buf || !is_alnum((unsigned char)g[-1])) && (g[4] == '-' || g[4] == ' ') &&
        strncmp(g + 5, "llama", 5) == 0 && !is_alnum((unsigned char)g[10])) {
      memmove(g + 4, g + 5, strlen(g + 5) + 1);
      n -= 1;
      break;
    }
  /* Command R+ is command-r-plus */
  char *plus = strchr(buf, '+');
  if (plus && n + 5 <= TL_CANON_MAX_NAME &&
      (plus[1] == 0 || plus[1] == ' ' || plus[1] == '-' || plus[1] == '(')) {
    memmove(plus + 5, plus + 1, strlen(plus + 1) + 1);
    memcpy(plus, "-plus", 5);
    n += 4;
  }
  char *s = buf;

  if (has_prefix(s, "ft:")) {
    /* ft:BASE[:org[:name]:id] */
    s += 3;
    char *colon = strchr(s, ':');
    if (colon) *colon = 0;
    c->finetune = 1;
    c->provider = "openai";
    c->provider_conf = 90;
  }
  if (has_prefix(s, "hf:")) s += 3;
  strip_display_lab(c, &s);
  if (*s == '~') {
    s++;
    c->ambiguous = 1;
  }

  job_type_name(s);
  merge_endpoint_segments(s);
  /* path segments: provider, junk, vendor; an unknown segment stops */
  int seg_index = 0;
  for (char *slash; (slash = strchr(s, '/')) != NULL; seg_index++) {
    *slash = 0;
    const char *prov = (seg_index == 0 && !c->provider)
                           ? PAIR_FIND(aProvider, s) : NULL;
    const char *vend = PAIR_FIND(aVendor, s);
    if (!vend && strchr(s, ' ')) {
      /* "AI21 Labs/jamba-mini-1.7": a lab written as words */
      char lab[48];
      if (copy_str(lab, sizeof lab, s, strlen(s))) {
        for (char *q = lab; *q; q++)
          if (*q == ' ') *q = '-';
        vend = PAIR_FIND(aVendor, lab);
      }
      if (!vend && !strpbrk(slash + 1, " /()")) {
        /* "mbzuai institute of foundation models/k2-v2": a lab vendors.tsv
        ** lacks, written as words before an id: the org, as of an org/ path */
        org_creator(s, strlen(s), c->org);
        if (c->org[0]) {
          c->stripped = 1;
          s = slash + 1;
          continue;
        }
      }
    }
    if (prov && !(vend && c->provider)) {
      c->provider = prov;
      c->provider_conf = 95;
      if (vend) c->creator = vend, c->creator_weak = 1;
    } else if (strcmp(s, "accounts") == 0 && strchr(slash + 1, '/')) {
      /* accounts/<owner>/models/<model> (Fireworks) */
      char *owner_end = strchr(slash + 1, '/');
      if (!c->provider) c->provider = "fireworks-ai", c->provider_conf = 95;
      s = owner_end + 1;
      if (has_prefix(s, "models/")) s += 7;
      c->stripped = 1;
      continue;
    } else if (strcmp(s, "@cf") == 0 || strcmp(s, "@hf") == 0) {
      if (!c->provider) c->provider = "cloudflare-workers-ai", c->provider_conf = 95;
    } else if (vend) {
      c->creator = vend, c->creator_weak = 0;
    } else if (!is_qualifier_segment(c, s, (size_t)(slash - s)) &&
               !is_junk_segment(s, (size_t)(slash - s))) {
      if (seg_index == 0) copy_str(c->gateway, sizeof c->gateway, s, (size_t)(slash - s));
      *slash = '/';
      break;
    }
    c->stripped = 1;
    s = slash + 1;
  }
  /* Claude on Vertex AI is its own models.dev provider */
  if (c->provider && strcmp(c->provider, "google-vertex") == 0 &&
      (has_prefix(s, "claude") ||
       (c->creator && strcmp(c->creator, "anthropic") == 0)))
    c->provider = "google-vertex-anthropic";

  const char *bedrock_creator = NULL;
  size_t skip = strchr(s, '/') ? 0 : strip_bedrock_dots(c, s, &bedrock_creator);
  if (skip) {
    s += skip;
    c->creator = bedrock_creator, c->creator_weak = 0;
    c->stripped = 1;
    if (!c->provider) c->provider = "amazon-bedrock", c->provider_conf = 90;
  }
  if (!copy_str(c->body, sizeof c->body, s, strlen(s))) return 0;
  if (c->body[0] == 0) return 0;

  /* :free :thinking :beta (OpenRouter variants); Bedrock -v2:0 and :0 */
  char *colon = strrchr(c->body, ':');
  if (colon) {
    const char *tail = colon + 1;
    size_t tl = strlen(tail);
    if (tl > 0 && strspn(tail, "abcdefghijklmnopqrstuvwxyz") == tl) {
      /* an unknown one (:online, :floor) is still no part of the model */
      const Qualifier *q = qualifier_spelled(tail, tl, ':', 1);
      if (q) add_known_qual(c, q);
      chop(c, tl + 1);
    } else if (is_size_tag(tail)) {
      *colon = '-'; /* an ollama size tag: gemma3:12b, qwen2.5:0.5b, deepseek-v3.1:671b-cloud */
      c->stripped = 1;
      c->size_tag = 1;
      char *last = strrchr(colon, '-');
      if (last > colon && is_gguf_quant(last + 1)) {
        add_qual(c, qual_kind("quantization"), last + 1, strlen(last + 1), 0);
        *last = 0;
      }
    } else if (is_month_day_tag(c, colon)) {
      *colon = '-';
      c->stripped = 1;
    } else if (all_digits(tail, tl)) {
      char *dash = strrchr(c->body, '-');
      int v = dash && dash[1] == 'v' && all_digits(dash + 2, (size_t)(colon - dash - 2)) &&
              colon > dash + 2;
      const char *from = v ? dash + 1 : tail;
      if (v && colon == dash + 3 && dash[2] == '0') {
        /* -v0:2 (mistral.mistral-7b-instruct-v0:2): Bedrock's versions start at
        ** v1, so a v0 is the model's own 0.N version, written with a colon */
        *colon = '.';
        c->stripped = 1;
      } else if (v && !(colon == dash + 3 && dash[2] == '1') &&
                 strpbrk(c->body, "0123456789") > dash) {
        /* -v4:0, -v2:1 on a name with no number of its own (cohere.embed-v4:0,
        ** amazon.titan-embed-text-v2:0, anthropic.claude-v2:1): the model's own
        ** version N (N.M), as no Bedrock id is past its own v1 without one */
        add_qual(c, qual_kind("version"), from, strlen(from), 0);
        if (strcmp(tail, "0") == 0) chop(c, tl + 1);
        else *colon = '.', c->stripped = 1;
      } else {
        add_qual(c, qual_kind("version"), from, strlen(from), 0);
        chop(c, tl + 1);
        if (v) chop(c, strlen(dash));
      }
    }
  }
  /* Vertex: claude-3-5-sonnet-v2@20241022, gemini-1.5-pro@001 */
  char *at = strchr(c->body, '@');
  if (at && at > c->body && !strchr(at, '/')) {
    if (strcmp(at, "@latest") == 0) {
      *at = '-'; /* mistral-large@latest is mistral-large-latest */
      c->stripped = 1;
    } else if (strcmp(at, "@default") == 0) {
      chop(c, strlen(at));
    } else {
      char *dash = at - 1;
      while (dash > c->body && *dash != '-') dash--;
      *at = '-';
      if (*dash == '-' && dash[1] == 'v' && all_digits(dash + 2, (size_t)(at - dash - 2)))
        memmove(dash, at, strlen(at) + 1);
      c->stripped = 1;
    }
  }
  if (strchr(c->body, ' ') || strchr(c->body, '(')) {
    c->display = 1;
    clean_display(c);
    if (c->body[0] == 0) return 0;
  }
  split_glued_word(c);
  join_bit_width(c);
  strip_weight_widths(c);
  strip_mlc_build(c);
  if (c->body[0] == 0) return 0; /* "-w4a16": a width, no name */
  strip_trailing_deployment(c);
  /* Mistral's "labs-" ids (labs-devstral-small-2512) are its Labs releases
  ** of the model, no other model */
  if (has_prefix(c->body, "labs-") && creator_by_word(c->body + 5))
    memmove(c->body, c->body + 5, strlen(c->body + 5) + 1), c->stripped = 1;
  if (c->display) strip_region_word(c);
  strip_vendor_words(c);
  strip_month_word(c);
  return 1;
}

/* ------------------------------------------------------------------ */
/* 2. Sign                                                             */
/* ------------------------------------------------------------------ */

#define MAX_TOKENS 32
#define TOKEN_CAP 40

typedef struct Tokens {
  int n;
  char t[MAX_TOKENS][TOKEN_CAP];
} Tokens;

static int push_token(Tokens *tk, const char *s, size_t n) {
  if (tk->n >= MAX_TOKENS) return 0;
  if (!copy_str(tk->t[tk->n], TOKEN_CAP, s, n)) return 0;
  tk->n++;
  return 1;
}

/* Two digits 1-9 glued to the letters before them and ending the word
** (qwen25, m25, qwen35-397b): a version written without its dot, as Lambda,
** Artificial Analysis and others spell qwen2.5, minimax-m2.5, qwen3.5. A
** zero (gpt-40, qwen20) or a third digit or letter (r1, 235b, 0613) is no
** such version, nor are number formats (fp16, q4) and a lone v (Cohere's
** command-text-v14 is version 14). */
static int glued_version(const char *str, const char *d) {
  if (!(d[0] >= '1' && d[0] <= '9' && d[1] >= '1' && d[1] <= '9' && !is_alnum((unsigned char)d[2])))
    return 0;
  /* fp16, bf16, int16, nvfp16: a number format, not a version */
  const char *w = d;
  while (w > str && is_lower((unsigned char)w[-1])) w--;
  /* an L and two digits start Sao10K's names for the Llama version they
  ** tune (l31-70b-euryale: L3.1); later in a name they count layers
  ** (all-MiniLM-L12-v2) */
  if (d - w == 1 && *w == 'l' && w > str) return 0;
  static const char *const azFormat[] = {"fp", "bf", "int", "nvfp", "mxfp", "w", "a", "q", "v"};
  for (size_t i = 0; i < sizeof azFormat / sizeof azFormat[0]; i++)
    if ((size_t)(d - w) == strlen(azFormat[i]) && memcmp(w, azFormat[i], (size_t)(d - w)) == 0)
      return 0;
  /* dec28: a month's day (AA's mi-dm-k-2-5-pro-dec28), not a version */
  if (d - w == 3 && month_of(w)) return 0;
  /* ai21: a vendor's name, not a version */
  char word[16];
  return !(copy_str(word, sizeof word, w, (size_t)(d - w) + 2) && PAIR_FIND(aVendor, word));
}

/* Split at non-alphanumerics and where a letter meets a digit. Fireworks
** writes version dots as 'p' (llama-v3p1, qwen2p5): digit p digit is a dot. */
static int tokenize(const char *s, Tokens *tk) {
  tk->n = 0;
  size_t i = 0, n = strlen(s);
  while (i < n) {
    while (i < n && !is_alnum((unsigned char)s[i])) i++;
    size_t start = i;
    while (i < n && is_alnum((unsigned char)s[i])) {
      int ch = (unsigned char)s[i];
      if (i > start && is_digit(ch) && is_lower((unsigned char)s[i - 1])) {
        int fireworks_dot = s[i - 1] == 'p' && i >= start + 2 &&
                            is_digit((unsigned char)s[i - 2]);
        if (fireworks_dot) {
          if (!push_token(tk, s + start, i - 1 - start)) return 0;
          start = i;
        } else if (glued_version(s, s + i)) {
          /* qwen25, minimax-m25, kimi-k25: version 2.5 written without its dot */
          char v[4] = {s[i], '.', s[i + 1], 0};
          if (!push_token(tk, s + start, i - start) || !push_token(tk, v, 3)) return 0;
          i += 2;
          start = i;
          break;
        } else {
          break;
        }
      }
      i++;
    }
    if (i > start && !push_token(tk, s + start, i - start)) return 0;
  }
  return 1;
}

int tl_canon_is_date(const char *s, size_t n) {
  if (n < 10 || s[4] != '-' || s[7] != '-') return 0;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !is_digit((unsigned char)s[i])) return 0;
  return valid_month_day(s + 5, s + 8);
}

static int is_year(const char *t) {
  return strlen(t) == 4 && t[0] == '2' && t[1] == '0' && all_digits(t, 4);
}

/* Words a lookup drops from the end of a name, wherever they stand (efforts,
** modes, quantizations, serving offerings); is_variant_token adds the words
** that are variants only in some places. In strcmp order (a binary search;
** tl_canon_index_new checks the order). */
static const char *const azVariantWord[] = {
    "adaptive", "awq", "basic", "batch", "beta", "bf", "cheaper", "cloud", "dynamic", "effort", "fast",
    "flex", "fp", "free", "fw", "gguf", "hf", "high", "highspeed", "int", "latency", "latest",
    "lightning", "low", "medium", "minimal", "mlx", "no", "non", "nvfp", "optimized", "original",
    "quantized", "reasoning",
    "specdec", "speed", "tee", "think", "thinking", "versatile", "xhigh"};

static int cmp_str(const void *pa, const void *pb) {
  return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

static int is_variant_word(const char *t) {
  return bsearch(&t, azVariantWord, sizeof azVariantWord / sizeof azVariantWord[0],
                 sizeof azVariantWord[0], cmp_str) != NULL;
}

/* A quantization width (6bit) or a context or thinking budget (131k, 32k). */
static int is_bits_or_budget(const char *t, size_t n) {
  return (n >= 4 && strcmp(t + n - 3, "bit") == 0 && all_digits(t, n - 3)) ||
         (n >= 2 && t[n - 1] == 'k' && all_digits(t, n - 1));
}

static int is_variant_token(const Tokens *tk, int i) {
  const char *t = tk->t[i];
  if (is_variant_word(t)) return 1;
  /* max is an effort in "max effort" and after a mode word ("Claude Opus 4.5
  ** Thinking Max"); elsewhere a tier of its own (qwen-max, gpt-5.1-codex-max) */
  if (strcmp(t, "max") == 0)
    return (i + 1 < tk->n && strcmp(tk->t[i + 1], "effort") == 0) ||
           (i > 0 && (strcmp(tk->t[i - 1], "thinking") == 0 || strcmp(tk->t[i - 1], "reasoning") == 0));
  if (strcmp(t, "turbo") == 0) /* Together's quantized llama/qwen, not gpt-*-turbo */
    return strcmp(tk->t[0], "gpt") != 0;
  size_t n = strlen(t);
  if (all_digits(t, n) && i > 0)  /* fp8, bf16, nvfp4 split at the digit */
    return strcmp(tk->t[i - 1], "fp") == 0 || strcmp(tk->t[i - 1], "bf") == 0 ||
           strcmp(tk->t[i - 1], "int") == 0 || strcmp(tk->t[i - 1], "nvfp") == 0;
  /* 6bit; a thinking budget (thinking-32k), or a context length ending the
  ** name ("Qwen3 32B 131k"): a context SKU of the model (gpt-4-32k, a model
  ** of its own, is found before any word is dropped) */
  return is_bits_or_budget(t, n);
}

/* Whether is_variant_token could say yes for t in some place of some name:
** the words it knows, and those it judges by their neighbours (max, turbo,
** the digits of fp8). A word for which this is 0 is never dropped. */
static int may_be_variant_token(const char *t) {
  size_t n = strlen(t);
  return is_variant_word(t) || strcmp(t, "max") == 0 || strcmp(t, "turbo") == 0 ||
         all_digits(t, n) || is_bits_or_budget(t, n);
}

/* The tokens of tk in strcmp order, as pointers into it: an insertion sort,
** as a name has a handful of tokens and sign() runs for every candidate
** spelling a lookup tries (qsort's merge sort of 40-byte rows cost a sixth
** of a cold lookup). Equal tokens are equal bytes, so order among them does
** not show. */
static void sort_tokens(const Tokens *tk, const char *sorted[MAX_TOKENS]) {
  for (int i = 0; i < tk->n; i++) {
    const char *t = tk->t[i];
    int j = i;
    for (; j > 0 && strcmp(sorted[j - 1], t) > 0; j--) sorted[j] = sorted[j - 1];
    sorted[j] = t;
  }
}

typedef struct Signature {
  char full[TL_CANON_MAX_NAME * 2];    /* all tokens, date included */
  char undated[TL_CANON_MAX_NAME * 2]; /* without the date token */
  char date[9];                        /* YYYYMMDD or "" */
  int latest;                          /* a stripped variant token was "latest" */
  int mode;                            /* a stripped token was reasoning/thinking/think */
  int nonmode;                         /* ... after non or no: the instruct mode */
  int skip;                            /* this strip count gives no name; try the next */
} Signature;

/* Join the n sorted tokens with ' ', skipping index `skip` (-1 for none). */
static int join_tokens(const char *const *sorted, int n, int skip, char *out, size_t cap) {
  size_t o = 0;
  for (int i = 0; i < n; i++) {
    if (i == skip) continue;
    size_t len = strlen(sorted[i]);
    if (o + len + 2 > cap) return 0;
    if (o) out[o++] = ' ';
    memcpy(out + o, sorted[i], len);
    o += len;
  }
  out[o] = 0;
  return 1;
}

/* The words of name s as a signature reads them: its tokens, with dates
** (sig->date), versions and month-days joined as below. 0 when it has no
** tokens, too many, or one too long. */
static int sign_words(const char *s, Tokens *tk, Signature *sig) {
  Tokens raw;
  if (!tokenize(s, &raw) || raw.n == 0) return 0;
  tk->n = 0;
  sig->date[0] = 0;
  int first_is = -1; /* 1: claude, gpt or gemini (dotless 35 -> 3.5) */
  for (int i = 0; i < raw.n; i++) {
    char *t = raw.t[i];
    size_t len = strlen(t);
    if (first_is < 0)
      first_is = strcmp(t, "claude") == 0 || strcmp(t, "gpt") == 0 || strcmp(t, "gemini") == 0 ||
                 strcmp(t, "mistral") == 0;
    /* dates: 2024 08 06 or 20240806 */
    if (!sig->date[0] && is_year(t) && i + 2 < raw.n &&
        strlen(raw.t[i + 1]) == 2 && strlen(raw.t[i + 2]) == 2 &&
        all_digits(raw.t[i + 1], 2) && all_digits(raw.t[i + 2], 2) &&
        valid_month_day(raw.t[i + 1], raw.t[i + 2])) {
      memcpy(sig->date, t, 4);
      memcpy(sig->date + 4, raw.t[i + 1], 2);
      memcpy(sig->date + 6, raw.t[i + 2], 3);
      push_token(tk, sig->date, 8);
      i += 2;
      continue;
    }
    if (!sig->date[0] && len == 8 && t[0] == '2' && t[1] == '0' &&
        all_digits(t, 8) && valid_month_day(t + 4, t + 6)) {
      memcpy(sig->date, t, 9);
      push_token(tk, t, 8);
      continue;
    }
    /* YYMMDD after the name (deepseek-v3.2-251201, ByteDance's -250615) */
    if (!sig->date[0] && len == 6 && i > 0 && t[0] == '2' && t[1] >= '3' && all_digits(t, 6) &&
        valid_month_day(t + 2, t + 4)) {
      sig->date[0] = '2', sig->date[1] = '0';
      memcpy(sig->date + 2, t, 7);
      push_token(tk, sig->date, 8);
      continue;
    }
    /* dotless versions right after the family word: claude-35, gpt-54 (a
    ** zero digit is no such version: gpt-40 is not gpt-4.0) */
    if (first_is == 1 && len == 2 && t[0] >= '1' && t[0] <= '9' && t[1] >= '1' && t[1] <= '9' &&
        (i + 1 == raw.n || strlen(raw.t[i + 1]) != 2 || !all_digits(raw.t[i + 1], 2)) &&
        (tk->n == 1 || (tk->n == 2 && (strcmp(tk->t[1], "opus") == 0 || strcmp(tk->t[1], "sonnet") == 0 ||
                                     strcmp(tk->t[1], "haiku") == 0 || strcmp(tk->t[1], "small") == 0 ||
                                     strcmp(tk->t[1], "medium") == 0 || strcmp(tk->t[1], "large") == 0)))) {
      /* ... or after the tier word: GitHub Copilot's claude-opus-41, AA's
      ** mistral-small-31-24b-instruct; never the year of a Mistral YY.MM
      ** (mistral-large-24-11) */
      char v[4] = {t[0], '.', t[1], 0};
      push_token(tk, v, 3);
      continue;
    }
    /* a version's v before its number: llama-v3, nova-lite-v1 as "Nova Lite
    ** 1.0", nemotron-nano-9b-v2 */
    if (t[0] == 'v' && t[1] == 0 && tk->n > 0 && i + 1 < raw.n && is_digit((unsigned char)raw.t[i + 1][0]))
      continue;
    /* a month-day written 05-20 is the 0520 written without the dash
    ** (gemini-2.5-flash-preview-05-20, "Gemini 2.5 Pro Preview 0605") */
    if (len == 2 && i + 1 < raw.n && strlen(raw.t[i + 1]) == 2 && all_digits(t, 2) &&
        all_digits(raw.t[i + 1], 2) && (t[0] == '0' || (t[0] == '1' && t[1] <= '2')) &&
        valid_month_day(t, raw.t[i + 1]) && (i + 2 >= raw.n || !all_digits(raw.t[i + 2], strlen(raw.t[i + 2])))) {
      char md[5] = {t[0], t[1], raw.t[i + 1][0], raw.t[i + 1][1], 0};
      if (!push_token(tk, md, 4)) return 0;
      i++;
      continue;
    }
    /* v03 is v0.3 (mistralai/mistral-7b-instruct-v03) */
    if (len == 2 && i > 0 && strcmp(raw.t[i - 1], "v") == 0 && t[0] == '0' && t[1] >= '1' &&
        t[1] <= '9' && (i + 1 == raw.n || !all_digits(raw.t[i + 1], strlen(raw.t[i + 1])))) {
      char v[4] = {'0', '.', t[1], 0};
      if (!push_token(tk, v, 3)) return 0;
      continue;
    }
    /* Mistral's YY.MM versions are its snapshot suffixes: "Ministral 8B
    ** 24.10" is ministral-8b-2410, "Codestral 25.01" codestral-2501 */
    if (len == 2 && i + 1 < raw.n && (i + 2 == raw.n || !all_digits(raw.t[i + 2], strlen(raw.t[i + 2]))) &&
        t[0] == '2' && t[1] >= '3' && strlen(raw.t[i + 1]) == 2 && all_digits(raw.t[i + 1], 2) &&
        ((raw.t[i + 1][0] == '0' && raw.t[i + 1][1] >= '1') || (raw.t[i + 1][0] == '1' && raw.t[i + 1][1] <= '2')) &&
        (i == 0 || !all_digits(raw.t[i - 1], strlen(raw.t[i - 1])))) {
      char ym[5] = {t[0], t[1], raw.t[i + 1][0], raw.t[i + 1][1], 0};
      if (!push_token(tk, ym, 4)) return 0;
      i++;
      continue;
    }
    /* a run of short numbers is one version: 3 5 -> 3.5, 2 0 -> 2; it ends
    ** before a month-day (grok-4-07-09 is grok-4-0709) */
    if (len <= 2 && all_digits(t, len)) {
      char v[TOKEN_CAP];
      size_t vl = 0;
      while (i < raw.n && strlen(raw.t[i]) <= 2 && all_digits(raw.t[i], strlen(raw.t[i])) &&
             vl + 4 < sizeof v &&
             !(vl && i + 1 < raw.n && strlen(raw.t[i]) == 2 && raw.t[i][0] == '0' &&
               strlen(raw.t[i + 1]) == 2 && all_digits(raw.t[i + 1], 2) &&
               valid_month_day(raw.t[i], raw.t[i + 1]) &&
               (i + 2 >= raw.n || !all_digits(raw.t[i + 2], strlen(raw.t[i + 2]))))) {
        if (vl) v[vl++] = '.';
        memcpy(v + vl, raw.t[i], strlen(raw.t[i]));
        vl += strlen(raw.t[i]);
        i++;
      }
      i--;
      while (vl > 2 && v[vl - 1] == '0' && v[vl - 2] == '.') vl -= 2;
      if (!push_token(tk, v, vl)) return 0;
      continue;
    }
    /* Google's ids abbreviate experimental (gemini-2.0-flash-exp); hosts
    ** glue no-think (gemini-2.5-flash-nothink): the mode words below */
    /* (the first letter first: sign runs for every spelling a lookup tries) */
    if (t[0] == 'e' && strcmp(t, "experimental") == 0) t = "exp", len = 3;
    if (t[0] == 'n' && (strcmp(t, "nothink") == 0 || strcmp(t, "nothinking") == 0)) {
      if (!push_token(tk, "no", 2)) return 0;
      t = "think", len = 5;
    }
    if (!push_token(tk, t, len)) return 0;
  }
  return 1;
}

/* The signature of the words tk (sign_words); strip_variants > 0 drops
** exactly that many trailing effort/quantization words. Returns 0 when the
** words give no signature or, with strip_variants, when fewer could be
** stripped (or the strip would leave a lone "non": sig->skip is then set,
** and the caller tries one more). */
static int sign_stripped(Tokens *tk, int strip_variants, Signature *sig) {
  sig->latest = sig->skip = sig->mode = sig->nonmode = 0;
  if (strip_variants) {
    /* a date after the variant words (OpenRouter's slugs write
    ** o3-mini-high-2025-01-31, claude-3-7-sonnet-thinking-20250219) moves
    ** before them, so that they end the name; the order of the other words
    ** does not show in a signature (sorted), and a later call finds the date
    ** already moved. It moves past the words that are variants where they
    ** stand: "max" is one only before "effort", so max-effort-DATE keeps its
    ** date last */
    for (int i = tk->n - 1; sig->date[0] && i > 1 && strcmp(tk->t[i], sig->date) == 0 &&
                            is_variant_token(tk, i - 1);
         i--) {
      char word[TOKEN_CAP];
      memcpy(word, tk->t[i - 1], TOKEN_CAP);
      memcpy(tk->t[i - 1], tk->t[i], TOKEN_CAP);
      memcpy(tk->t[i], word, TOKEN_CAP);
    }
    int n0 = tk->n;
    while (tk->n > 1 && n0 - tk->n < strip_variants && is_variant_token(tk, tk->n - 1)) {
      tk->n--;
      if (strcmp(tk->t[tk->n], "latest") == 0) sig->latest = 1;
      if (strcmp(tk->t[tk->n], "reasoning") == 0 || strcmp(tk->t[tk->n], "thinking") == 0 ||
          strcmp(tk->t[tk->n], "think") == 0)
      {
        int non = tk->n > 0 && (strcmp(tk->t[tk->n - 1], "non") == 0 || strcmp(tk->t[tk->n - 1], "no") == 0);
        sig->mode = !non;
        sig->nonmode |= non;
      }
    }
    if (n0 - tk->n < strip_variants) return 0;
    /* non-reasoning goes as one: a lone "non" left is no name to look up */
    if (strcmp(tk->t[tk->n - 1], "non") == 0 || strcmp(tk->t[tk->n - 1], "no") == 0) {
      sig->skip = 1;
      return 0;
    }
  }
  int date_index = -1;
  const char *sorted[MAX_TOKENS];
  sort_tokens(tk, sorted);
  for (int i = 0; i < tk->n && sig->date[0]; i++)
    if (strcmp(sorted[i], sig->date) == 0) date_index = i;
  if (!join_tokens(sorted, tk->n, -1, sig->full, sizeof sig->full)) return 0;
  if (!join_tokens(sorted, tk->n, date_index, sig->undated, sizeof sig->undated)) return 0;
  return 1;
}

/* sign_stripped, leaving tk whole: lookup_plain signs one name's words
** with one strip count after another. */
static int sign_from_words(Tokens *tk, int strip_variants, Signature *sig) {
  int n = tk->n, ok = sign_stripped(tk, strip_variants, sig);
  tk->n = n;
  return ok;
}

/* The signature of a cleaned name; strip_variants as sign_stripped. */
static int sign(const char *s, int strip_variants, Signature *sig) {
  Tokens tk;
  sig->latest = sig->skip = sig->mode = sig->nonmode = 0;
  return sign_words(s, &tk, sig) && sign_stripped(&tk, strip_variants, sig);
}

/* ------------------------------------------------------------------ */
/* 3. The index                                                        */
/* ------------------------------------------------------------------ */

typedef enum EntryKind {
  KIND_CANON,     /* the model's own id */
  KIND_ALIAS,     /* an exact other spelling */
  KIND_AMBIGUOUS, /* an undated alias that named several snapshots */
  KIND_FLOATING,  /* a floating alias; model is its first aFloating row */
  KIND_SNAPSHOT,  /* keyed by the undated signature of a dated id */
  KIND_SERIES     /* keyed by the signature of an id without its other
                  ** snapshot suffix (-08-2024, -0613, -2507) */
} EntryKind;

typedef struct Entry {
  char *sig;
  int model;
  EntryKind kind;
} Entry;

/* A spelling of a model with its separators dropped (gemini-3.1-pro-preview-customtools:
** gemini31propreviewcustomtools). */
typedef struct Squeezed {
  const char *key;
  int model;
} Squeezed;

struct TlCanonIndex {
  Entry *a;
  size_t n, cap;
  char *word_bytes;  /* every signature's words, each ending in NUL */
  const char **word; /* into word_bytes: an open-addressing set, NULL = empty */
  size_t word_mask;  /* its size - 1, a power of two over twice the words */
  int *moe; /* the aModel indexes, ascending, of ids with an -aNb word (lookup_active) */
  size_t nmoe;
  unsigned char *family_len; /* per aModel index: its id's first word's length, when a
                             ** '-' follows it and it is under 16 (lookup_family_prefix);
                             ** else 0 */
  Squeezed *squeezed; /* every unambiguous spelling without separators, sorted (lookup_squeezed) */
  size_t nsqueezed;
  char *squeezed_bytes;
  int floating_model[sizeof aFloating / sizeof aFloating[0]]; /* aModel index of each row */
  int option_model[sizeof aModelOption / sizeof aModelOption[0]]; /* aModel index of each row */
  int host_model[sizeof aHostId / sizeof aHostId[0]];             /* aModel index of each row */
};

static size_t version_suffix(const char *id);

static int cmp_entry(const void *pa, const void *pb) {
  const Entry *a = pa, *b = pb;
  int c = strcmp(a->sig, b->sig);
  if (c) return c;
  if (a->kind != b->kind) return (int)a->kind - (int)b->kind;
  return a->model - b->model;
}

static int index_add(TlCanonIndex *ix, const char *sig, int model, EntryKind kind) {
  if (ix->n == ix->cap) {
    size_t cap = ix->cap ? ix->cap * 2 : 512;
    Entry *a = tl_realloc(ix->a, cap * sizeof *a);
    if (!a) return 0;
    ix->a = a;
    ix->cap = cap;
  }
  size_t len = strlen(sig);
  char *copy = tl_malloc(len + 1);
  if (!copy) return 0;
  memcpy(copy, sig, len + 1);
  ix->a[ix->n].sig = copy;
  ix->a[ix->n].model = model;
  ix->a[ix->n].kind = kind;
  ix->n++;
  return 1;
}

/* The first entry whose signature is sig, or NULL. */
static const Entry *index_first(const TlCanonIndex *ix, const char *sig) {
  size_t lo = 0, hi = ix->n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (strcmp(ix->a[mid].sig, sig) < 0) lo = mid + 1;
    else hi = mid;
  }
  return (lo < ix->n && strcmp(ix->a[lo].sig, sig) == 0) ? &ix->a[lo] : NULL;
}

static const Entry *index_end(const TlCanonIndex *ix) { return ix->a + ix->n; }

static uint32_t word_hash(const char *w, size_t n) {
  uint32_t h = 2166136261u; /* FNV-1a */
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)w[i]) * 16777619u;
  return h;
}

/* The slot of word w (n bytes) in the set: where it is, or the empty slot
** where it would go. */
static const char **word_slot(const TlCanonIndex *ix, const char *w, size_t n) {
  size_t i = word_hash(w, n) & ix->word_mask;
  while (ix->word[i] && !(strncmp(ix->word[i], w, n) == 0 && ix->word[i][n] == 0))
    i = (i + 1) & ix->word_mask;
  return &ix->word[i];
}

/* The words of every signature in the index, as a set. A name with a word
** outside it that no lookup drops can match no entry: lookup_plain learns
** that from one signature instead of trying every strip and spelling,
** which is most of the time spent on names the vocabulary does not know.
** 0 when out of memory. */
static int index_words(TlCanonIndex *ix) {
  size_t total = 0, count = 0, slots = 16;
  for (size_t i = 0; i < ix->n; i++) total += strlen(ix->a[i].sig) + 1;
  if (!(ix->word_bytes = tl_malloc(total + 1))) return 0;
  char *o = ix->word_bytes;
  for (size_t i = 0; i < ix->n; i++) {
    size_t len = strlen(ix->a[i].sig);
    memcpy(o, ix->a[i].sig, len + 1);
    for (size_t k = 0; k <= len; k++)
      if (o[k] == ' ' || o[k] == 0) o[k] = 0, count++;
    o += len + 1;
  }
  while (slots < 2 * count) slots *= 2;
  if (!(ix->word = tl_malloc(slots * sizeof *ix->word))) return 0;
  memset(ix->word, 0, slots * sizeof *ix->word);
  ix->word_mask = slots - 1;
  for (const char *w = ix->word_bytes; w < o; w += strlen(w) + 1) *(word_slot(ix, w, strlen(w))) = w;
  return 1;
}

/* Whether sig has a word (the date aside) that no index signature has and
** that no strip can drop: then neither sig, nor sig with fewer trailing
** variant words, nor sig with -preview added, is in the index.
** With with_letter, only such words that hold a letter (and are not "v")
** count: sign() reads digit words by their neighbours (3 5 is 3.5, 05 20
** a month-day) and v by the word after it, but passes every other word
** with a letter through as it is, so such a word stays in the signature
** of the name with words added between its own (lookup_instruct,
** lookup_active). */
static int has_foreign_word(const TlCanonIndex *ix, const Signature *sig, int with_letter) {
  char w[TOKEN_CAP];
  for (const char *p = sig->undated; *p;) {
    size_t len = strcspn(p, " ");
    if (!*word_slot(ix, p, len)) {
      if (!copy_str(w, sizeof w, p, len)) return 0;
      int letter = strpbrk(w, "abcdefghijklmnopqrstuvwxyz") != NULL && strcmp(w, "v") != 0;
      if ((letter || !with_letter) && !may_be_variant_token(w)) return 1;
    }
    p += len;
    if (*p) p++;
  }
  return 0;
}

/* Whether no name made by adding words to body can be in the index: see
** has_foreign_word. */
static int keeps_foreign_word(const TlCanonIndex *ix, const char *body) {
  Signature sig;
  return sign(body, 0, &sig) && has_foreign_word(ix, &sig, 1);
}

void tl_canon_index_free(TlCanonIndex *ix) {
  if (!ix) return;
  tl_free(ix->moe);
  tl_free(ix->family_len);
  tl_free(ix->squeezed);
  tl_free(ix->squeezed_bytes);
  tl_free(ix->word);
  tl_free(ix->word_bytes);
  for (size_t i = 0; i < ix->n; i++) tl_free(ix->a[i].sig);
  tl_free(ix->a);
  tl_free(ix);
}

/* Sign one spelling of the vocabulary exactly as a raw name is signed. */
static int sign_spelling(const char *spelling, Signature *sig, char *err, size_t errlen) {
  Cleaned c;
  if (!clean_name(spelling, strlen(spelling), &c) || !sign(c.body, 0, sig)) {
    snprintf(err, errlen, "canonical: vocabulary name '%s' has no signature", spelling);
    return 0;
  }
  return 1;
}

/* The name an entry stands for, for messages. */
static const char *entry_name(const Entry *e) {
  return e->kind == KIND_FLOATING ? aFloating[e->model].alias : aModel[e->model].id;
}

/* Two entries of one signature that would name two models are a bug in the
** vocabulary; so is an undated id that also has dated snapshots (it would
** be a second canonical name for one of them), and a floating alias that
** signs like any other spelling (it would have two meanings). */
static int index_check(const TlCanonIndex *ix, char *err, size_t errlen) {
  for (size_t i = 0; i + 1 < ix->n; i++) {
    const Entry *a = &ix->a[i], *b = &ix->a[i + 1];
    if (strcmp(a->sig, b->sig) != 0) continue;
    if (a->kind == KIND_FLOATING || b->kind == KIND_FLOATING) {
      snprintf(err, errlen, "canonical: '%s' and '%s' share the signature '%s'",
               entry_name(a), entry_name(b), a->sig);
      return 0;
    }
    if (a->kind == KIND_SNAPSHOT && b->kind == KIND_SNAPSHOT) continue;
    if (b->kind == KIND_SERIES) continue; /* any entry before a series wins */
    if (a->model == b->model) continue;
    if (a->kind != KIND_SNAPSHOT && b->kind == KIND_SNAPSHOT &&
        a->kind != KIND_CANON)
      continue; /* an explicit alias chooses among snapshots */
    snprintf(err, errlen, "canonical: '%s' and '%s' share the signature '%s'",
             entry_name(a), entry_name(b), a->sig);
    return 0;
  }
  return 1;
}

/* The aModel index of a models.tsv id, -1 for none. A table that names a
** model (options, host ids, floating aliases) is resolved once, at index
** build; gen_vocab.py has checked every such name, so -1 is a build error. */
static int model_index(const char *id) {
  for (size_t m = 0; m < sizeof aModel / sizeof aModel[0]; m++)
    if (strcmp(aModel[m].id, id) == 0) return (int)m;
  return -1;
}

/* Each model option row's model as an aModel index (lookup_option). */
static int index_options(TlCanonIndex *ix, char *err, size_t errlen) {
  for (size_t i = 0; i < sizeof aModelOption / sizeof aModelOption[0]; i++)
    if ((ix->option_model[i] = model_index(aModelOption[i].model)) < 0) {
      snprintf(err, errlen, "canonical: model option of no model '%s'", aModelOption[i].model);
      return 0;
    }
  return 1;
}

/* Each host id's model as an aModel index (lookup_host_id). */
static int index_host_ids(TlCanonIndex *ix, char *err, size_t errlen) {
  for (size_t i = 0; i < sizeof aHostId / sizeof aHostId[0]; i++)
    if ((ix->host_model[i] = model_index(aHostId[i].id)) < 0) {
      snprintf(err, errlen, "canonical: host id '%s' names no model '%s'", aHostId[i].name,
               aHostId[i].id);
      return 0;
    }
  return 1;
}

/* The floating aliases: one entry per alias (its first row), and each row's
** model as an aModel index. */
static int index_floating(TlCanonIndex *ix, char *err, size_t errlen) {
  for (size_t i = 0; i < sizeof aFloating / sizeof aFloating[0]; i++) {
    if ((ix->floating_model[i] = model_index(aFloating[i].model)) < 0) {
      snprintf(err, errlen, "canonical: floating alias '%s' names no model '%s'",
               aFloating[i].alias, aFloating[i].model);
      return 0;
    }
    if (i > 0 && strcmp(aFloating[i - 1].alias, aFloating[i].alias) == 0) continue;
    Signature sig;
    if (!sign_spelling(aFloating[i].alias, &sig, err, errlen)) return 0;
    if (!index_add(ix, sig.full, (int)i, KIND_FLOATING)) {
      snprintf(err, errlen, "canonical: out of memory");
      return 0;
    }
  }
  return 1;
}

/* The lookup tables are searched with bsearch: one out of order hides its
** neighbours (venice was once unreachable so). gen_vocab.py sorts them; this
** holds its order to strcmp's. Names the first misplaced one. */
static int pairs_sorted(const NamePair *a, size_t n, const char *table, char *err,
                        size_t errlen) {
  for (size_t i = 1; i < n; i++)
    if (strcmp(a[i - 1].name, a[i].name) >= 0) {
      snprintf(err, errlen, "canonical: %s is not in strict order at '%s' (after '%s')", table,
               a[i].name, a[i - 1].name);
      return 0;
    }
  return 1;
}

static size_t active_word(const char *id, size_t *at);

/* The mixture-of-experts models of the vocabulary: the only ones
** lookup_active can answer, so it need not scan every model per name. */
static int index_moe(TlCanonIndex *ix) {
  size_t at;
  ix->moe = tl_malloc(sizeof aModel / sizeof aModel[0] * sizeof *ix->moe);
  if (!ix->moe) return 0;
  for (size_t m = 0; m < sizeof aModel / sizeof aModel[0]; m++)
    if (active_word(aModel[m].id, &at)) ix->moe[ix->nmoe++] = (int)m;
  return 1;
}

/* The length of each id's first word, for lookup_family_prefix, which runs
** for every name the lookups before it miss: finding each id's first '-'
** there scanned every id of the vocabulary per name. */
static int index_family_len(TlCanonIndex *ix) {
  ix->family_len = tl_malloc(sizeof aModel / sizeof aModel[0]);
  if (!ix->family_len) return 0;
  for (size_t m = 0; m < sizeof aModel / sizeof aModel[0]; m++) {
    const char *dash = strchr(aModel[m].id, '-');
    size_t wl = dash ? (size_t)(dash - aModel[m].id) : 0;
    ix->family_len[m] = (unsigned char)(wl < 16 ? wl : 0);
  }
  return 1;
}

static const char *model_spelling(const CanonModel *m, int i, size_t *len);

/* Writes the letters and digits of s[0..n) to out (NUL-terminated); their count. */
static size_t squeeze(const char *s, size_t n, char *out) {
  size_t o = 0;
  for (size_t i = 0; i < n; i++)
    if (is_alnum((unsigned char)s[i])) out[o++] = s[i];
  out[o] = 0;
  return o;
}

static int cmp_squeezed(const void *pa, const void *pb) {
  const Squeezed *a = pa, *b = pb;
  int c = strcmp(a->key, b->key);
  return c ? c : a->model - b->model;
}

/* Every model's unambiguous spellings without their separators, sorted, so
** that lookup_squeezed is a binary search, not a scan of the vocabulary. */
static int index_squeezed(TlCanonIndex *ix) {
  size_t count = 0, bytes = 0, len;
  const char *sp;
  for (size_t m = 0; m < sizeof aModel / sizeof aModel[0]; m++)
    for (int i = 0; (sp = model_spelling(&aModel[m], i, &len)) != NULL; i++) count++, bytes += len + 1;
  ix->squeezed = tl_malloc(count * sizeof *ix->squeezed);
  ix->squeezed_bytes = tl_malloc(bytes);
  if (!ix->squeezed || !ix->squeezed_bytes) return 0;
  char *o = ix->squeezed_bytes;
  for (size_t m = 0; m < sizeof aModel / sizeof aModel[0]; m++)
    for (int i = 0; (sp = model_spelling(&aModel[m], i, &len)) != NULL; i++) {
      if (i > 0 && sp > aModel[m].aliases && sp[-1] == '?') continue;
      ix->squeezed[ix->nsqueezed].key = o;
      ix->squeezed[ix->nsqueezed++].model = (int)m;
      o += squeeze(sp, len, o) + 1;
    }
  qsort(ix->squeezed, ix->nsqueezed, sizeof *ix->squeezed, cmp_squeezed);
  return 1;
}

/* Two models spelled alike but for separators would make lookup_squeezed's
** answer depend on which it met first: the vocabulary must not have them. */
static int squeezed_check(const TlCanonIndex *ix, char *err, size_t errlen) {
  for (size_t k = 1; k < ix->nsqueezed; k++)
    if (strcmp(ix->squeezed[k - 1].key, ix->squeezed[k].key) == 0 &&
        ix->squeezed[k - 1].model != ix->squeezed[k].model) {
      snprintf(err, errlen,
               "canonical: models.tsv: '%s' and '%s' are spelled alike but for separators ('%s');"
               " expected every model's letters and digits to be its own",
               aModel[ix->squeezed[k - 1].model].id, aModel[ix->squeezed[k].model].id,
               ix->squeezed[k].key);
      return 0;
    }
  return 1;
}

TlCanonIndex *tl_canon_index_new(char *err, size_t errlen) {
  TlCanonIndex *ix;
  for (size_t i = 1; i < sizeof azVariantWord / sizeof azVariantWord[0]; i++)
    if (strcmp(azVariantWord[i - 1], azVariantWord[i]) >= 0) {
      snprintf(err, errlen, "canonical: azVariantWord is not in strict order at '%s'", azVariantWord[i]);
      return NULL;
    }
  if (!pairs_sorted(aProvider, sizeof aProvider / sizeof aProvider[0], "aProvider", err, errlen) ||
      !pairs_sorted(aVendor, sizeof aVendor / sizeof aVendor[0], "aVendor", err, errlen) ||
      !pairs_sorted(aFamilyWord, sizeof aFamilyWord / sizeof aFamilyWord[0], "aFamilyWord", err,
                    errlen) ||
      !pairs_sorted(aCreatorWord, sizeof aCreatorWord / sizeof aCreatorWord[0], "aCreatorWord",
                    err, errlen) ||
      !pairs_sorted(aVersionStyle, sizeof aVersionStyle / sizeof aVersionStyle[0], "aVersionStyle",
                    err, errlen) ||
      !pairs_sorted(aTuningWord, sizeof aTuningWord / sizeof aTuningWord[0], "aTuningWord", err,
                    errlen) ||
      !pairs_sorted(aHostId, sizeof aHostId / sizeof aHostId[0], "aHostId", err, errlen) ||
      !pairs_sorted(aDatedLab, sizeof aDatedLab / sizeof aDatedLab[0], "aDatedLab", err, errlen))
    return NULL;
  ix = tl_malloc(sizeof *ix);
  if (!ix) goto oom;
  memset(ix, 0, sizeof *ix);
  for (size_t m = 0; m < sizeof aModel / sizeof aModel[0]; m++) {
    Signature sig;
    if (!sign_spelling(aModel[m].id, &sig, err, errlen)) goto fail;
    if (!index_add(ix, sig.full, (int)m, KIND_CANON)) goto oom;
    if (sig.date[0] && !index_add(ix, sig.undated, (int)m, KIND_SNAPSHOT)) goto oom;
    size_t vs = version_suffix(aModel[m].id);
    if (!sig.date[0] && vs) {
      /* command-r-08-2024, gpt-4-0613, mistral-large-2407: a snapshot of
      ** the name without the suffix too */
      char base[TL_CANON_MAX_NAME];
      Signature bs;
      if (copy_str(base, sizeof base, aModel[m].id, strlen(aModel[m].id) - vs) &&
          sign(base, 0, &bs) && !index_add(ix, bs.full, (int)m, KIND_SERIES))
        goto oom;
    }
    for (const char *p = aModel[m].aliases; p && *p;) {
      const char *bar = strchr(p, '|');
      size_t len = bar ? (size_t)(bar - p) : strlen(p);
      EntryKind kind = KIND_ALIAS;
      char one[TL_CANON_MAX_NAME];
      if (*p == '?') kind = KIND_AMBIGUOUS, p++, len--;
      if (!copy_str(one, sizeof one, p, len)) {
        snprintf(err, errlen, "canonical: alias too long in '%s'", aModel[m].id);
        goto fail;
      }
      if (!sign_spelling(one, &sig, err, errlen)) goto fail;
      if (!index_add(ix, sig.full, (int)m, kind)) goto oom;
      p += len;
      if (*p == '|') p++;
    }
  }
  if (!index_floating(ix, err, errlen) || !index_options(ix, err, errlen) ||
      !index_host_ids(ix, err, errlen))
    goto fail;
  qsort(ix->a, ix->n, sizeof ix->a[0], cmp_entry);
  if (!index_check(ix, err, errlen)) goto fail;
  if (!index_words(ix) || !index_moe(ix) || !index_family_len(ix) || !index_squeezed(ix)) goto oom;
  if (!squeezed_check(ix, err, errlen)) goto fail;
  return ix;
oom:
  snprintf(err, errlen, "canonical: out of memory");
fail:
  tl_canon_index_free(ix);
  return NULL;
}

size_t tl_canon_model_count(void) { return sizeof aModel / sizeof aModel[0]; }

const char *tl_canon_model_id(size_t i) {
  return i < tl_canon_model_count() ? aModel[i].id : NULL;
}

/* ------------------------------------------------------------------ */
/* User aliases                                                        */
/* ------------------------------------------------------------------ */

typedef struct UserAlias {
  char *key;   /* lowercase, trimmed */
  char *value; /* as given */
} UserAlias;

/* One spelling of a model the caller defines: its signature, the model's
** id and creator (both owned by the first spelling of the model, id_owner). */
typedef struct UserSig {
  char *sig;
  const char *id;
  const char *creator; /* NULL when not given */
  int id_owner;
} UserSig;

struct TlCanonUser {
  UserAlias *a;
  size_t n;
  UserSig *s;
  size_t ns, cap;
};

void tl_canon_user_free(TlCanonUser *u) {
  if (!u) return;
  for (size_t i = 0; i < u->n; i++) {
    tl_free(u->a[i].key);
    tl_free(u->a[i].value);
  }
  for (size_t i = 0; i < u->ns; i++) {
    tl_free(u->s[i].sig);
    if (u->s[i].id_owner) {
      tl_free((char *)u->s[i].id);
      tl_free((char *)u->s[i].creator);
    }
  }
  tl_free(u->a);
  tl_free(u->s);
  tl_free(u);
}

static char *dup_lower(const char *s, size_t n, int lower) {
  char *d = tl_malloc(n + 1);
  if (!d) return NULL;
  for (size_t i = 0; i < n; i++)
    d[i] = (char)((lower && s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i]);
  d[n] = 0;
  return d;
}

static int cmp_user(const void *pa, const void *pb) {
  return strcmp(((const UserAlias *)pa)->key, ((const UserAlias *)pb)->key);
}

static int cmp_user_sig(const void *pa, const void *pb) {
  return strcmp(((const UserSig *)pa)->sig, ((const UserSig *)pb)->sig);
}

/* Adds the signature of one spelling of a user model. 0 ok, -1 out of
** memory, 1 the spelling has no signature. */
static int user_sig_add(TlCanonUser *u, const char *spelling, size_t n, const char *id,
                        const char *creator, int id_owner) {
  Cleaned c;
  Signature sig;
  if (!clean_name(spelling, n, &c) || !sign(c.body, 0, &sig)) return 1;
  if (u->ns == u->cap) {
    size_t cap = u->cap ? 2 * u->cap : 8;
    UserSig *grown = tl_realloc(u->s, cap * sizeof *grown);
    if (!grown) return -1;
    u->s = grown, u->cap = cap;
  }
  char *copy = dup_lower(sig.full, strlen(sig.full), 0);
  if (!copy) return -1;
  u->s[u->ns++] = (UserSig){copy, id, creator, id_owner};
  return 0;
}

/* A model the caller defines: "id": {"creator": "lab", "aliases": [...]}.
** Every spelling (the id and each alias) is signed as the built-in
** vocabulary is, so the names that sign alike find it. Returns 0, or -1
** with err set. */
static int user_model_parse(TlCanonUser *u, const JsonValue *v, char *err, size_t errlen) {
  const JsonValue *creator = json_get(v, "creator"), *aliases = json_get(v, "aliases");
  for (const JsonValue *m = v->child; m; m = m->next)
    if (m != creator && m != aliases) {
      snprintf(err, errlen, "aliases:%u:%u: unknown member '%.40s' of model '%.60s': "
               "expected creator, aliases", m->line, m->col, m->key, v->key);
      return -1;
    }
  if ((creator && (creator->type != JSON_STRING || creator->len == 0 || creator->len > 64)) ||
      (aliases && aliases->type != JSON_ARRAY)) {
    const JsonValue *bad = creator && creator->type != JSON_STRING ? creator
                           : aliases && aliases->type != JSON_ARRAY ? aliases : creator;
    snprintf(err, errlen, "aliases:%u:%u: expected %s for model '%.60s'", bad->line, bad->col,
             bad == aliases ? "an array of names as aliases" : "a short string as creator",
             v->key);
    return -1;
  }
  char *id = dup_lower(v->key, v->key_len, 1);
  char *lab = creator && id ? dup_lower(creator->text, creator->len, 1) : NULL;
  if (!id || (creator && !lab)) {
    tl_free(id);
    tl_free(lab);
    goto oom;
  }
  int rc = user_sig_add(u, id, strlen(id), id, lab, 1);
  if (rc < 0) {
    tl_free(id);
    tl_free(lab);
    goto oom;
  }
  if (rc > 0) {
    snprintf(err, errlen, "aliases:%u:%u: model id '%.60s' is no model name", v->line, v->col,
             v->key);
    tl_free(id);
    tl_free(lab);
    return -1;
  }
  for (const JsonValue *a = aliases ? aliases->child : NULL; a; a = a->next) {
    if (a->type != JSON_STRING || a->len == 0 || a->len > TL_CANON_MAX_NAME ||
        (rc = user_sig_add(u, a->text, a->len, id, lab, 0)) > 0) {
      snprintf(err, errlen, "aliases:%u:%u: expected a model name in the aliases of '%.60s'",
               a->line, a->col, v->key);
      return -1;
    }
    if (rc < 0) goto oom;
  }
  return 0;
oom:
  snprintf(err, errlen, "aliases: out of memory");
  return -1;
}

/* The caller's model whose spelling signs as c's name does, trying the
** name without one more trailing effort or quantization word at a time,
** as the built-in lookup does. */
static const UserSig *user_model_find(const TlCanonUser *u, const Cleaned *c, int *stripped) {
  if (!u || u->ns == 0) return NULL;
  Signature sig;
  for (int k = 0; k < 8; k++) {
    if (!sign(c->body, k, &sig)) {
      if (sig.skip) continue;
      return NULL;
    }
    UserSig probe = {sig.full, NULL, NULL, 0};
    const UserSig *hit = bsearch(&probe, u->s, u->ns, sizeof u->s[0], cmp_user_sig);
    if (hit) {
      *stripped = k > 0;
      return hit;
    }
  }
  return NULL;
}

TlCanonUser *tl_canon_user_parse(const char *json, size_t n, char *err, size_t errlen) {
  JsonArena arena = {0};
  JsonValue *root = NULL;
  TlCanonUser *u = NULL;
  if (json_parse("aliases", json, n, &arena, &root, err, errlen) != 0) goto done;
  if (root->type != JSON_OBJECT) {
    snprintf(err, errlen, "aliases:%u:%u: expected a JSON object of name: canonical id",
             root->line, root->col);
    goto done;
  }
  u = tl_malloc(sizeof *u);
  if (!u) goto oom;
  memset(u, 0, sizeof *u);
  u->a = tl_malloc((root->len ? root->len : 1) * sizeof *u->a);
  if (!u->a) goto oom;
  for (const JsonValue *v = root->child; v; v = v->next) {
    if (v->type == JSON_OBJECT && v->key_len > 0 && v->key_len <= TL_CANON_MAX_NAME) {
      if (user_model_parse(u, v, err, errlen) == 0) continue;
      tl_canon_user_free(u);
      u = NULL;
      goto done;
    }
    if (v->type != JSON_STRING || v->len == 0 || v->len > TL_CANON_MAX_NAME) {
      snprintf(err, errlen, "aliases:%u:%u: expected a canonical id (a non-empty string) or "
               "a model ({\"creator\": ..., \"aliases\": [...]}) for '%.60s'",
               v->line, v->col, v->key);
      tl_canon_user_free(u);
      u = NULL;
      goto done;
    }
    const char *k = v->key;
    size_t kl = v->key_len;
    while (kl > 0 && (*k == ' ' || *k == '\t')) k++, kl--;
    while (kl > 0 && (k[kl - 1] == ' ' || k[kl - 1] == '\t')) kl--;
    UserAlias *ua = &u->a[u->n];
    ua->key = dup_lower(k, kl, 1);
    ua->value = ua->key ? dup_lower(v->text, v->len, 0) : NULL;
    if (!ua->value) {
      tl_free(ua->key);
      goto oom;
    }
    u->n++;
  }
  qsort(u->a, u->n, sizeof u->a[0], cmp_user);
  if (u->ns) qsort(u->s, u->ns, sizeof u->s[0], cmp_user_sig);
  for (size_t i = 1; i < u->ns; i++)
    if (strcmp(u->s[i - 1].sig, u->s[i].sig) == 0 && strcmp(u->s[i - 1].id, u->s[i].id) != 0) {
      snprintf(err, errlen, "aliases: models '%.60s' and '%.60s' have spellings that sign alike "
               "('%.60s'): one name would mean two models", u->s[i - 1].id, u->s[i].id,
               u->s[i].sig);
      tl_canon_user_free(u);
      u = NULL;
      goto done;
    }
  goto done;
oom:
  snprintf(err, errlen, "aliases: out of memory");
  tl_canon_user_free(u);
  u = NULL;
done:
  json_arena_free(&arena);
  return u;
}

static const char *user_find(const TlCanonUser *u, const char *key) {
  if (!u || u->n == 0) return NULL;
  UserAlias probe = {(char *)key, NULL};
  const UserAlias *hit = bsearch(&probe, u->a, u->n, sizeof u->a[0], cmp_user);
  return hit ? hit->value : NULL;
}

/* ------------------------------------------------------------------ */
/* 4. Resolve                                                          */
/* ------------------------------------------------------------------ */

static const char *const azRuleName[] = {
    "user",    "exact",   "prefix",   "alias", "display", "variant",
    "undated", "finetune", "given",   "creator", "family",  "unmapped"};

int tl_canon_kind_rank(const char *kind, size_t n) {
  for (size_t i = 0; i < sizeof azQualifierKind / sizeof azQualifierKind[0]; i++)
    if (strlen(azQualifierKind[i]) == n && memcmp(azQualifierKind[i], kind, n) == 0) return (int)i;
  return -1;
}

const char *tl_canon_rule_name(TlCanonRule rule) {
  if ((unsigned)rule >= sizeof azRuleName / sizeof azRuleName[0]) return "unmapped";
  return azRuleName[rule];
}

/* p rebased from src->buf onto dst->buf when it points into src->buf;
** compared as integers, as p may point into another object. */
static const char *rebase(const char *p, const TlCanon *src, TlCanon *dst) {
  uintptr_t a = (uintptr_t)p, lo = (uintptr_t)src->buf;
  if (p && a >= lo && a - lo < sizeof src->buf) return dst->buf + (a - lo);
  return p;
}

size_t tl_canon_size(const TlCanon *c) {
  const char *const aString[] = {c->provider, c->creator, c->family,
                                 c->version,  c->variant, c->qualifiers};
  uintptr_t lo = (uintptr_t)c->buf;
  size_t end = 0;
  /* the model need not end at model_len with a NUL: its length bounds it */
  if (!c->model_is_raw && c->model && (uintptr_t)c->model - lo < sizeof c->buf) {
    end = (size_t)((uintptr_t)c->model - lo) + c->model_len + 1;
    if (end > sizeof c->buf) end = sizeof c->buf;
  }
  for (size_t i = 0; i < sizeof aString / sizeof aString[0]; i++) {
    uintptr_t a = (uintptr_t)aString[i];
    if (!aString[i] || a < lo || a - lo >= sizeof c->buf) continue;
    size_t e = (size_t)(a - lo) + strlen(aString[i]) + 1;
    if (e > end) end = e;
  }
  return offsetof(TlCanon, buf) + end;
}

void tl_canon_copy(TlCanon *dst, const TlCanon *src) {
  memcpy(dst, src, tl_canon_size(src));
  dst->model = src->model_is_raw ? NULL : rebase(src->model, src, dst);
  dst->provider = rebase(src->provider, src, dst);
  dst->creator = rebase(src->creator, src, dst);
  dst->family = rebase(src->family, src, dst);
  dst->version = rebase(src->version, src, dst);
  dst->variant = rebase(src->variant, src, dst);
  dst->qualifiers = rebase(src->qualifiers, src, dst);
}

/* Append s to out->buf and return a pointer to the copy (NULL if full). */
static const char *put(TlCanon *out, size_t *used, const char *s, size_t n) {
  if (*used + n + 1 > sizeof out->buf) return NULL;
  char *d = out->buf + *used;
  memcpy(d, s, n);
  d[n] = 0;
  *used += n + 1;
  return d;
}

/* The snapshot suffix of a canonical id: -YYYYMMDD, -YYYY-MM-DD, -MM-YYYY,
** -MMDD / -YYMM. Returns its length including the '-', 0 when none. */
static size_t version_suffix(const char *id) {
  size_t n = strlen(id);
  if (n > 9 && id[n - 9] == '-' && all_digits(id + n - 8, 8)) return 9;
  if (n > 11 && id[n - 11] == '-' && all_digits(id + n - 10, 4) && id[n - 6] == '-' &&
      all_digits(id + n - 5, 2) && id[n - 3] == '-' && all_digits(id + n - 2, 2))
    return 11;
  if (n > 8 && id[n - 8] == '-' && all_digits(id + n - 7, 2) && id[n - 5] == '-' &&
      is_year(id + n - 4))
    return 8;
  if (n > 5 && id[n - 5] == '-' && all_digits(id + n - 4, 4)) return 5;
  /* Google's -MM-DD (gemini-2.0-flash-thinking-exp-01-21, -preview-03-25) */
  if (n > 6 && id[n - 6] == '-' && all_digits(id + n - 5, 2) && id[n - 3] == '-' &&
      all_digits(id + n - 2, 2) && valid_month_day(id + n - 5, id + n - 2))
    return 6;
  return 0;
}

/* The snapshot suffix of id as a key that sorts by time and carries the
** year and month where the suffix says them: YYYYMMDD for -YYYYMMDD and
** -YYYY-MM-DD, YYYYMM for -MM-YYYY and for a -YYMM that cannot be a -MMDD
** (2505: no month 25), else the four digits (-0613). */
static void snapshot_key(const char *id, char key[9]) {
  size_t v = version_suffix(id);
  const char *d = id + strlen(id) - v + 1;
  key[0] = 0;
  if (v == 5 && ((d[0] - '0') * 10 + (d[1] - '0')) > 12 && valid_month_day(d + 2, "01"))
    key[0] = '2', key[1] = '0', memcpy(key + 2, d, 4), key[6] = 0; /* Mistral's YYMM: 2505 */
  else if (v == 9 || v == 5) memcpy(key, d, v - 1), key[v - 1] = 0;
  else if (v == 11) memcpy(key, d, 4), memcpy(key + 4, d + 5, 2), memcpy(key + 6, d + 8, 2), key[8] = 0;
  else if (v == 8) memcpy(key, d + 3, 4), memcpy(key + 4, d, 2), key[6] = 0;
  else if (v == 6) memcpy(key, d, 2), memcpy(key + 2, d + 3, 2), key[4] = 0;
}

/* Fill model, family, version of out from a canonical id. */
static void set_model(TlCanon *out, size_t *used, const char *id, int finetune) {
  char tmp[TL_CANON_MAX_NAME + 8];
  snprintf(tmp, sizeof tmp, "%s%s", finetune ? "ft:" : "", id);
  out->model = put(out, used, tmp, strlen(tmp));
  out->model_len = strlen(tmp);
  size_t v = version_suffix(id);
  if (v) {
    out->version = put(out, used, id + strlen(id) - v + 1, v - 1);
    out->family = put(out, used, id, strlen(id) - v);
  } else {
    out->family = put(out, used, id, strlen(id));
  }
}

/* Does word occur in s as a whole token (between non-alphanumerics)? */
static int has_word(const char *s, const char *word) {
  size_t n = strlen(word);
  for (const char *p = strstr(s, word); p; p = strstr(p + 1, word))
    if ((p == s || !is_alnum((unsigned char)p[-1])) && !is_alnum((unsigned char)p[n]))
      return 1;
  return 0;
}

/* The -x qualifiers (-fast, -fp8, -maas): the lookup dropped the word when
** the canonical model lacks it, so the name is an offering of that model;
** when the model has it (grok-4-fast, kimi-k2-thinking) it names the
** model and is no qualifier. */
static void note_word_qualifiers(Cleaned *c, const char *model) {
  for (size_t i = 0; i < sizeof aQualifier / sizeof aQualifier[0]; i++) {
    const char *word = aQualifier[i].spelling + 1;
    if (aQualifier[i].spelling[0] == '-' && has_word(c->body, word) && !has_word(model, word))
      add_known_qual(c, &aQualifier[i]);
  }
  /* a context length the lookup dropped ("Qwen3 32B 131k") */
  const char *last = strrchr(c->body, '-');
  size_t ll = last ? strlen(last + 1) : 0;
  if (ll >= 2 && last[ll] == 'k' && all_digits(last + 1, ll - 1) && !has_word(model, last + 1) &&
      !has_word(c->body, "thinking"))
    add_qual(c, qual_kind("context_sku"), last + 1, ll, 1);
}

static int cmp_qual(const void *pa, const void *pb) {
  const Qual *a = pa, *b = pb;
  if (a->kind != b->kind) return a->kind < b->kind ? -1 : 1;
  return strcmp(a->value, b->value);
}

/* kind=value;... of c's qualifiers (only the price-bearing ones when
** priced_only) into out->buf; NULL when there are none. */
static const char *join_quals(const Cleaned *c, int priced_only, TlCanon *out, size_t *used) {
  char s[MAX_QUALS * (QUAL_VALUE + 16)];
  size_t o = 0;
  for (int i = 0; i < c->nqual; i++) {
    if (priced_only && !c->qual[i].price_bearing) continue;
    o += (size_t)snprintf(s + o, sizeof s - o, "%s%s=%s", o ? ";" : "",
                          azQualifierKind[c->qual[i].kind], c->qual[i].value);
  }
  return o ? put(out, used, s, o) : NULL;
}

/* variant and qualifiers of out, in the fixed order of kinds, then values,
** so that one offering always spells its variant alike. */
static void set_qualifiers(TlCanon *out, size_t *used, Cleaned *c) {
  qsort(c->qual, (size_t)c->nqual, sizeof c->qual[0], cmp_qual);
  out->variant = join_quals(c, 1, out, used);
  out->qualifiers = join_quals(c, 0, out, used);
}

/* Two numbers p..q and q+1..r that read as a month and day, not a major
** and minor version: a minor of two digits led by 0 (grok-2-08-13), or
** two two-digit numbers, the first a month 10-12 (LMArena's
** nova-experimental-chat-10-20). No lab writes a minor version 08, and no
** version of ours reaches 10.x with a two-digit minor. */
static int is_month_day(const char *p, const char *q, const char *r) {
  if (r - q - 1 != 2) return 0;
  if (q[1] == '0') return 1;
  return q - p == 2 && p[0] == '1' && p[1] >= '0' && p[1] <= '2' && valid_month_day(p, q + 1);
}

/* Names outside the vocabulary: Artificial Analysis writes version dots as
** hyphens (jamba-1-5-large for jamba-1.5-large). A hyphen between two short
** numbers, the first without a leading zero and after a letter or '-', the
** second ending the token, becomes a dot; 05-06 or 08-2024 (dates) stay,
** and so does the month-day of a full date (2024-12-17 is no 2024-12.17). */
static void dot_versions(char *s) {
  for (char *p = s; *p; p++) {
    if (!is_digit((unsigned char)*p) || (p > s && is_digit((unsigned char)p[-1]))) continue;
    if (*p == '0' && is_digit((unsigned char)p[1])) continue;
    if (p - s >= 5 && p[-1] == '-' && all_digits(p - 5, 4) && p[-5] == '2' && p[-4] == '0' &&
        (p - s == 5 || !is_digit((unsigned char)p[-6])))
      continue; /* the month after a YYYY- year */
    if (p > s && p[-1] != '-' && !is_lower((unsigned char)p[-1])) continue;
    char *q = p;
    while (is_digit((unsigned char)*q) && q - p < 3) q++;
    if (q - p > 2 || *q != '-' || !is_digit((unsigned char)q[1])) continue;
    char *r = q + 1;
    while (is_digit((unsigned char)*r)) r++;
    if (r - q - 1 > 2 || (*r && *r != '-')) continue;
    if (is_month_day(p, q, r)) continue;
    *q = '.';
    p = q;
  }
}

/* A trailing weight format of a name outside the vocabulary: the files a
** model was published in (-hf, -gguf, -fp8, -nvfp4, -awq, -gptq, -mlx,
** -6bit), not the model. Its length with the '-', 0 when none. */
static size_t weight_format_suffix(const char *s) {
  static const char *const azFormat[] = {"-hf",    "-gguf", "-fp8", "-fp16", "-bf16", "-nvfp4",
                                         "-int8", "-int4", "-awq", "-gptq", "-mlx"};
  size_t n = strlen(s);
  for (size_t i = 0; i < sizeof azFormat / sizeof azFormat[0]; i++) {
    size_t wl = strlen(azFormat[i]);
    if (n > wl && strcmp(s + n - wl, azFormat[i]) == 0) return wl;
  }
  /* -6bit, -4bit */
  size_t k = n;
  if (n > 4 && strcmp(s + n - 3, "bit") == 0) {
    k = n - 3;
    while (k > 0 && is_digit((unsigned char)s[k - 1])) k--;
    if (k < n - 3 && k > 0 && s[k - 1] == '-') return n - k + 1;
  }
  return 0;
}

/* A trailing word of a name outside the vocabulary that names how a host
** serves the model, not the model: Chutes' -TEE,
** OpenRouter's Free, -lightning / -highspeed / Flex offerings, Fireworks'
** -fw, ollama's -cloud, a weight format (weight_format_suffix).
** Reasoning-mode words stay: outside the vocabulary nothing says
** whether the lab ships the thinking weights apart (phi-4-reasoning is not
** phi-4). */
static size_t serving_suffix(const char *s) {
  static const char *const azWord[] = {"-tee", "-free",  "-lightning", "-highspeed", "-high-speed",
                                       "-fw",  "-flex",  "-cloud",     "-pt"};
  size_t n = strlen(s);
  for (size_t i = 0; i < sizeof azWord / sizeof azWord[0]; i++) {
    size_t wl = strlen(azWord[i]);
    if (n > wl && strcmp(s + n - wl, azWord[i]) == 0) return wl;
  }
  return weight_format_suffix(s);
}

/* Does s end in a parameter size and then word (exaone-4.0-32b-reasoning)? */
static int after_size(const char *s, const char *word) {
  size_t n = strlen(s), wl = strlen(word);
  if (n < wl + 3 || strcmp(s + n - wl, word) != 0 || s[n - wl - 1] != 'b') return 0;
  size_t k = n - wl - 1;
  while (k > 0 && (is_digit((unsigned char)s[k - 1]) || s[k - 1] == '.')) k--;
  return k < n - wl - 1 && is_digit((unsigned char)s[k]) && (k == 0 || s[k - 1] == '-');
}

/* A leading family word of version_style.tsv joined to the version after
** it as its lab writes it, glued or dashed ("Qwen 2.5 7B", qwen-2.5-7b as
** qwen2.5-7b; llama3.1-8b as llama-3.1-8b), so that a host's spelling makes
** no model of its own. A version is one or two digits, maybe dotted, ending
** the word; a size (qwen-7b, gemma2b) is none. Only the leading word: a
** model built on another names its base as the base's publisher wrote it
** (nous-hermes-llama2-13b, bge-multilingual-gemma2). s holds cap bytes. */
static void join_version(char *s, size_t cap) {
  char *p = s, word[16];
  while (is_lower((unsigned char)*p)) p++;
  const char *style = p > s && copy_str(word, sizeof word, s, (size_t)(p - s))
                          ? PAIR_FIND(aVersionStyle, word) : NULL;
  /* none of these labs writes a v before the version (seedance-v1.0-pro) */
  char *v = *p == '-' ? p + 1 : p;
  if (style && *v == 'v' && is_digit((unsigned char)v[1])) memmove(v, v + 1, strlen(v + 1) + 1);
  const char *d = *p == '-' ? p + 1 : p, *q = d;
  while (is_digit((unsigned char)*q)) q++;
  size_t nd = (size_t)(q - d);
  if (*q == '.' && is_digit((unsigned char)q[1]))
    for (q++; is_digit((unsigned char)*q);) q++;
  if (!style || style[0] == 'h' || nd < 1 || nd > 2 || (*q != 0 && *q != '-')) return;
  if (style[0] == 'g' && *p == '-') {
    memmove(p, p + 1, strlen(p + 1) + 1);
  } else if (style[0] != 'g' && *p != '-' && strlen(s) + 2 <= cap) {
    memmove(p + 1, p, strlen(p) + 1);
    *p = '-';
  }
  /* minor: the lab writes a whole version with its .0 (seedance 2 is
  ** seedance-2.0, seedream-v4 seedream-4.0) */
  char *w = *p == '-' ? p + 1 : p, *e = w + strspn(w, "0123456789");
  if (style[0] == 'm' && (*e == 0 || *e == '-') && strlen(s) + 3 <= cap) {
    memmove(e + 2, e, strlen(e) + 1);
    memcpy(e, ".0", 2);
  }
}

/* A family whose lab writes a version's dot as a hyphen in its ids
** (version_style.tsv hyphens: Anthropic's claude-opus-4-5, claude-3-7-sonnet):
** an unknown name of it takes that spelling whatever the host wrote
** (OpenRouter's anthropic/claude-opus-5.5, Bedrock's claude-opus-5-5 are one id). */
static void hyphen_versions(char *s) {
  char word[16];
  size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz");
  const char *style = n && copy_str(word, sizeof word, s, n) ? PAIR_FIND(aVersionStyle, word) : NULL;
  if (!style || style[0] != 'h') return;
  for (char *p = s + 1; *p; p++)
    if (*p == '.' && is_digit((unsigned char)p[-1]) && is_digit((unsigned char)p[1])) *p = '-';
}

static int is_effort_word(const char *w) {
  static const char *const azEffort[] = {"low", "medium", "high", "minimal", "xhigh"};
  for (size_t i = 0; i < sizeof azEffort / sizeof azEffort[0]; i++)
    if (strcmp(w, azEffort[i]) == 0) return 1;
  return 0;
}

/* The effort a run was given, ending a name outside the vocabulary (AA's
** nova-2-0-pro-reasoning-medium, k2-v2-low): dropped after a mode word, and
** after a version unless it is medium, which there is a size tier
** (sd3.5-medium); after a family word any of them names a tier
** (mistral-medium) and stays. */
static void drop_effort_word(char *s) {
  char *dash = strrchr(s, '-');
  if (!dash || dash == s || !is_effort_word(dash + 1)) return;
  *dash = 0;
  char *prev = strrchr(s, '-');
  prev = prev ? prev + 1 : s;
  int after_version = is_digit((unsigned char)dash[-1]) && strcmp(dash + 1, "medium") != 0;
  int after_mode = strcmp(prev, "reasoning") == 0 || strcmp(prev, "thinking") == 0;
  if (!after_version && !after_mode) *dash = '-';
}

/* A display name writes the size last, after the tuning word ("Qwen1.5
** Chat 110B", "Qwen2 Instruct 72B"); the size goes before it, where the
** lab's id puts it (qwen1.5-110b-chat, qwen2-72b-instruct). Only a display
** name's: some ids write it after (internlm2-chat-20b). */
static void size_before_tuning_word(char *s) {
  static const char *const azWord[] = {"-chat-", "-instruct-"};
  for (size_t i = 0; i < sizeof azWord / sizeof azWord[0]; i++) {
    char *w = strstr(s, azWord[i]);
    if (!w || w == s) continue;
    size_t wl = strlen(azWord[i]) - 1; /* "-chat" */
    char *size = w + wl + 1, *end = size;
    while (is_digit((unsigned char)*end) || (*end == '.' && end > size && is_digit((unsigned char)end[1])))
      end++;
    if (end == size || *end != 'b' || end[1] != 0) continue;
    char word[16];
    memcpy(word, w, wl);
    size_t sl = (size_t)(end + 1 - size);
    memmove(w + 1, size, sl); /* "-" size, then the word */
    memcpy(w + 1 + sl, word, wl);
    w[1 + sl + wl] = 0;
    return;
  }
}

/* A tier word glued to its version (Upstage's solar-pro2, which Artificial
** Analysis writes solar-pro-2): the word and the version apart, as the
** signature reads them, so that both spellings are one fallback id. Not a
** name's first word, which is its family (pro2 alone is no tier). */
static void split_tier_version(char *s) {
  for (char *w = strchr(s, '-'); w; w = strchr(w + 1, '-')) {
    size_t ll = 0, n = strlen(s);
    while (is_lower((unsigned char)w[1 + ll])) ll++;
    if (!is_digit((unsigned char)w[1 + ll]) || !is_tier_segment(w + 1, ll) || n + 1 > TL_CANON_MAX_NAME)
      continue;
    memmove(w + 2 + ll, w + 1 + ll, n - (size_t)(w + 1 + ll - s) + 1);
    w[1 + ll] = '-';
  }
}

/* The fallback id of a name outside the vocabulary, so that its spellings
** converge: '_' as '-' (and as '.' between digits: Llama-3_1, v1_5),
** Fireworks' p versions (qwen2p5, 0p6b) and glued versions (qwen25,
** minimax-m25) dotted, dashed versions dotted (dot_versions), then trailing
** serving and mode words removed. A date stays (issue 10): outside the
** vocabulary, nothing says it is no snapshot of its own. */
static void tidy_unknown(char *s, int mode_group, int display) {
  char out[TL_CANON_MAX_NAME + 1];
  size_t o = 0, n = strlen(s);
  for (size_t i = 0; i < n && o + 4 < sizeof out; i++) {
    char ch = s[i];
    int between = i > 0 && is_digit((unsigned char)s[i - 1]) && is_digit((unsigned char)s[i + 1]);
    if (ch == '_') ch = between ? '.' : '-';
    else if (ch == 'p' && between) ch = '.';
    out[o++] = ch;
    if (is_lower((unsigned char)ch) && glued_version(s, s + i + 1)) {
      out[o++] = s[i + 1], out[o++] = '.', out[o++] = s[i + 2];
      i += 2;
    }
  }
  out[o] = 0;
  memcpy(s, out, o + 1);
  split_tier_version(s);
  /* a name that writes its dots (llama-3.1-tulu-3-8b) writes a size N-Mb as
  ** a version N and a size Mb */
  int dots_written = strchr(s, '.') != NULL;
  dot_versions(s);
  /* a size written N-Mb after a version in a name that dashes its dots
  ** (qwen3-5-0-8b, lfm2-5-vl-1-6b, from qwen3.5-0.8b): N.Mb; with no version
  ** before it N-Mb stays (llama-3-8b) */
  for (char *p = s; (p = strchr(p, '-')) != NULL; p++) {
    if (!is_digit((unsigned char)p[1]) || p[2] != '-' || !is_digit((unsigned char)p[3]) ||
        p[4] != 'b' || (p[5] && p[5] != '-') || (p[4 + 1] && is_alnum((unsigned char)p[5])))
      continue;
    const char *dot = memchr(s, '.', (size_t)(p - s));
    if (p[1] != '0' && (dots_written || !(dot && dot > s && is_digit((unsigned char)dot[-1]))))
      continue;
    p[2] = '.';
  }
  join_version(s, TL_CANON_MAX_NAME + 1);
  hyphen_versions(s);
  /* Mistral's YY.MM version written for its -YYMM snapshot suffix
  ** ("Pixtral Large 25.02", "Mistral Small (24.02)"; a slug's 25-02), as the
  ** signature reads it */
  size_t sl = strlen(s);
  if (sl > 6 && s[sl - 6] == '-' && (s[sl - 3] == '.' || s[sl - 3] == '-') && s[sl - 5] == '2' &&
      s[sl - 4] >= '3' && s[sl - 4] <= '9' && is_digit((unsigned char)s[sl - 2]) &&
      is_digit((unsigned char)s[sl - 1]) && (s[sl - 2] == '0' || (s[sl - 2] == '1' && s[sl - 1] <= '2')) &&
      !(s[sl - 2] == '0' && s[sl - 1] == '0'))
    memmove(s + sl - 3, s + sl - 2, 3);
  for (size_t k; (k = serving_suffix(s)) != 0;) s[strlen(s) - k] = 0;
  drop_effort_word(s);
  if (display) size_before_tuning_word(s);
  /* an architecture word after the size ("LFM 40B MoE", "Qwen3 32B (dense)")
  ** says how the model is built, not which model */
  if (after_size(s, "-moe") || after_size(s, "-dense")) *strrchr(s, '-') = 0;
  /* a trailing -non-reasoning (AA's qwen3-5-2b-non-reasoning), or a
  ** display's "(Reasoning)" (mode_group; also AA's -reasoning slug for it,
  ** is_mode_slug): the mode a hybrid model was run in, which the lab names
  ** no model by */
  static const char *const azMode[] = {"-non-reasoning", "-reasoning"};
  for (size_t i = 0; i < (mode_group ? 2u : 1u); i++) {
    size_t n2 = strlen(s), ml = strlen(azMode[i]);
    if (n2 > ml + 1 && strcmp(s + n2 - ml, azMode[i]) == 0) {
      s[n2 - ml] = 0;
      if (has_word(s, "reasoning") || has_word(s, "thinking")) s[n2 - ml] = '-'; /* a
        reasoning model's non-reasoning mode is no reasoning model */
      break;
    }
  }
}

/* The word a lab's id gives the chat weights of the family that starts
** name (n bytes: the name before its size, or a whole id): the longest
** family of tuning_words.tsv that does, whole words; else "instruct". */
static const char *tuning_word(const char *name, size_t n) {
  char family[TL_CANON_MAX_NAME + 1];
  for (size_t len = n; len > 0; len--) {
    if (len < n && name[len] != '-') continue;
    const char *w = copy_str(family, sizeof family, name, len) ? PAIR_FIND(aTuningWord, family)
                                                                : NULL;
    if (w) return w;
  }
  return "instruct";
}

/* An ollama tag FAMILY:SIZE outside the vocabulary is its lab's chat
** weights, as ollama's default tags are: the cleaned name ending in the
** size gets the lab's tuning word after it (falcon3:7b is
** falcon3-7b-instruct, yi:34b yi-34b-chat). */
static void add_tuning_word(char *s) {
  static const char *const azNotChat[] = {"embed", "guard", "rerank"};
  char *dash = strrchr(s, '-');
  if (!dash || !is_size_word(dash + 1)) return;
  /* an embedding, guard or rerank model is no chat model (nomic-embed-text:137m,
  ** llama-guard3:1b) */
  for (size_t i = 0; i < sizeof azNotChat / sizeof azNotChat[0]; i++)
    if (strstr(s, azNotChat[i])) return;
  const char *w = tuning_word(s, (size_t)(dash - s));
  if (strcmp(w, "api") == 0) w = "instruct"; /* the weights' word, not the API's */
  size_t n = strlen(s), wl = strlen(w);
  if (strcmp(w, "none") == 0 || n + 1 + wl > TL_CANON_MAX_NAME) return;
  s[n] = '-';
  memcpy(s + n + 1, w, wl + 1);
}

/* The creator of a name from its first token, for names outside the
** vocabulary. */
static const char *creator_by_word(const char *body) {
  char word[16];
  size_t n = 0;
  while (n < sizeof word - 1 && is_lower((unsigned char)body[n])) {
    word[n] = body[n];
    n++;
  }
  word[n] = 0;
  return n ? PAIR_FIND(aFamilyWord, word) : NULL;
}

/* The creator a name's leading words name as a lab, and their length: one
** word as vendors.tsv spells the lab (cohere-), or with the -ai its org adds
** (myshell-, pipecat-: myshell-ai, pipecat-ai; a word of three letters or
** more, as x-ai is no lab of "X 2"), or two words written as one
** (canopy-labs-: canopylabs); then the org's own words that follow it
** ("Swiss AI", "AI21 Labs", "LG AI Research"). NULL if none. */
static const char *display_lab(const char *body, size_t *len) {
  static const char *const azOrgWord[] = {"ai", "labs", "research"};
  const char *dash = strchr(body, '-');
  char lab[48];
  if (!dash || !copy_str(lab, sizeof lab - 4, body, (size_t)(dash - body))) return NULL;
  const char *end = dash; /* the lab's words end here */
  size_t n = strlen(lab);
  const char *v = PAIR_FIND(aVendor, lab);
  if (!v && n >= 3) {
    memcpy(lab + n, "-ai", 4);
    v = PAIR_FIND(aVendor, lab);
  }
  const char *next = strchr(dash + 1, '-');
  if (!v && next && copy_str(lab + n, sizeof lab - n, dash + 1, (size_t)(next - dash - 1))) {
    v = PAIR_FIND(aVendor, lab);
    if (v) end = next;
  }
  if (!v) return NULL;
  for (int more = 1; more;) { /* "LG AI Research": each org word in turn */
    more = 0;
    for (size_t i = 0; i < sizeof azOrgWord / sizeof azOrgWord[0] && !more; i++) {
      size_t wl = strlen(azOrgWord[i]);
      if (*end == '-' && strncmp(end + 1, azOrgWord[i], wl) == 0 &&
          (!end[wl + 1] || end[wl + 1] == '-')) {
        end += wl + 1;
        more = 1;
      }
    }
  }
  *len = (size_t)(end - body);
  return v;
}

/* The creator of a name outside the vocabulary by its words: a fine-tune
** carries its base model's family word first (Llama-3.1-Nemotron-Nano-8B is
** NVIDIA's, not Meta's), so a word of creator_words.tsv anywhere names the
** creator; else the first word (creator_by_word). */
static const char *creator_by_words(const char *body) {
  for (const char *p = body; *p;) {
    const char *end = p;
    while (is_lower((unsigned char)*end)) end++;
    char word[16];
    const char *lab = end > p && copy_str(word, sizeof word, p, (size_t)(end - p))
                          ? PAIR_FIND(aCreatorWord, word) : NULL;
    if (lab) return lab;
    for (p = end; *p && !is_lower((unsigned char)*p); p++) {}
  }
  const char *w = creator_by_word(body);
  if (w) return w;
  /* Mistral's API words before the family: open-mistral-7b, open-mixtral-8x22b */
  if (has_prefix(body, "open-") && (w = creator_by_word(body + 5)) != NULL) return w;
  /* a leading lab word before no family word ("Cohere Rerank 3.5",
  ** cohere-embed-v-4-0): the lab is the creator; an id keeps the word, a
  ** display name drops it (drop_display_lab) */
  size_t len;
  return display_lab(body, &len);
}

typedef struct Hit {
  int model;
  char date[9];  /* a deployment date the undated model was named with, or "" */
  TlCanonRule rule;
  int conf;
  int ambiguous; /* found through a ?alias (an ambiguous undated name) */
  int floating;  /* found through a floating alias: the answer depends on as_of */
  int too_early; /* a floating alias used before its first known snapshot */
} Hit;

/* A floating alias's snapshot on c->as_of: the last row of the alias whose
** since is not after it (0 when as_of precedes them all: hit->too_early),
** or without a date the newest row, as ambiguous as a ?alias when the alias
** named several. */
static int lookup_floating(const TlCanonIndex *ix, size_t first, const Cleaned *c, Hit *hit) {
  size_t n = sizeof aFloating / sizeof aFloating[0], last = first, pick = n;
  while (last + 1 < n && strcmp(aFloating[last + 1].alias, aFloating[first].alias) == 0) last++;
  hit->floating = 1;
  if (!c->as_of) {
    /* one known snapshot: as sure as an undated name with one (85) */
    hit->model = ix->floating_model[last], hit->rule = TL_RULE_UNDATED;
    hit->conf = last == first ? 85 : 60;
    hit->ambiguous = last != first;
    return 1;
  }
  for (size_t i = first; i <= last && strncmp(aFloating[i].since, c->as_of, 10) <= 0; i++) pick = i;
  if (pick == n) {
    hit->too_early = 1;
    return 0;
  }
  hit->model = ix->floating_model[pick], hit->rule = TL_RULE_UNDATED, hit->conf = 80;
  return 1;
}

/* The snapshot a display name's month hint ("GPT-4o (May '24)", "Gemini
** 1.5 Pro (May '24)") names, for an undated name the vocabulary marks
** ambiguous (e, its ?alias entry): the dated snapshot of that month, else
** the row of its floating -latest alias (latest.tsv: gemini-1.5-pro-latest
** named -001 from 2024-05-24) in force at the end of that month. 0 when
** neither says (the ?alias's pick then stands, at 60); -1 when the
** snapshots say the month but none is of it ("Devstral Small (May '25)"
** with only -2507 known): an unknown snapshot, never another one. */
/* The month of an id's month-day suffix, which carries no year: -MM-DD
** (gemini-2.0-flash-thinking-exp-01-21) or an -MMDD that cannot be a YYMM
** (-1219, -0613: no month 19 or 13); 0 otherwise. */
static int mmdd_month(const char *id) {
  size_t n = strlen(id);
  const char *d = NULL;
  if (n > 6 && id[n - 6] == '-' && all_digits(id + n - 5, 2) && id[n - 3] == '-' &&
      all_digits(id + n - 2, 2) && (n < 11 || !all_digits(id + n - 10, 4) || id[n - 11] != '-'))
    d = id + n - 5;
  else if (n > 5 && id[n - 5] == '-' && all_digits(id + n - 4, 4) &&
           (id[n - 2] - '0') * 10 + (id[n - 1] - '0') > 12)
    d = id + n - 4;
  if (!d) return 0;
  int mm = (d[0] - '0') * 10 + (d[1] - '0');
  return mm >= 1 && mm <= 12 ? mm : 0;
}

static int lookup_month(const TlCanonIndex *ix, const Signature *sig, const Entry *e,
                        const Cleaned *c, Hit *hit) {
  int dated = 0;
  for (const Entry *x = e, *end = index_end(ix); x < end && strcmp(x->sig, sig->full) == 0; x++) {
    if (x->kind != KIND_SNAPSHOT && x->kind != KIND_SERIES) continue;
    char key[9];
    snapshot_key(aModel[x->model].id, key);
    size_t kl = strlen(key);
    dated |= kl >= 6;
    if ((kl >= 6 && (!c->year || atoi(key) / (kl == 8 ? 10000 : 100) == c->year) &&
         (kl == 8 ? atoi(key) / 100 : atoi(key)) % 100 == c->month) ||
        (kl < 6 && mmdd_month(aModel[x->model].id) == c->month)) {
      hit->model = x->model, hit->rule = TL_RULE_DISPLAY, hit->conf = 85;
      return 1;
    }
  }
  if (!c->year) return dated ? -1 : 0; /* a month without its year: snapshots only */
  /* the floating alias of the name as written with its dots (Artificial
  ** Analysis' gemini-1-5-pro-may-2024 is "Gemini 1.5 Pro (May '24)") */
  char alias[TL_CANON_MAX_NAME + 8], end[16];
  if (!copy_str(alias, TL_CANON_MAX_NAME + 1, c->body, strlen(c->body))) return 0;
  tidy_unknown(alias, 0, c->display);
  strcat(alias, "-latest");
  snprintf(end, sizeof end, "%04d-%02d-31", c->year % 10000, c->month % 100);
  int pick = -1, rows = 0;
  for (size_t i = 0; i < sizeof aFloating / sizeof aFloating[0]; i++)
    if (strcmp(aFloating[i].alias, alias) == 0) {
      rows++;
      if (strcmp(aFloating[i].since, end) <= 0) pick = (int)i;
    }
  if (pick < 0) return dated || rows ? -1 : 0;
  hit->model = ix->floating_model[pick], hit->rule = TL_RULE_DISPLAY, hit->conf = 80;
  return 1;
}

/* A dated name the vocabulary does not know (gpt-5.5-2026-04-23,
** claude-opus-4-6-20260205): when its undated signature is an undated model
** that has no dated snapshot in the vocabulary, the date is the day a host
** deployed that model (a snapshot alias of it, recorded as a version
** qualifier), not a new model. A model with dated snapshots is never
** answered this way: its unknown date is no known snapshot. */
static int lookup_deployed(const TlCanonIndex *ix, const Signature *sig, Hit *hit) {
  const Entry *e = index_first(ix, sig->undated), *end = index_end(ix), *canon = NULL;
  for (; e && e < end && strcmp(e->sig, sig->undated) == 0; e++) {
    if (e->kind == KIND_SNAPSHOT || e->kind == KIND_SERIES || e->kind == KIND_FLOATING) return 0;
    if (e->kind == KIND_AMBIGUOUS || version_suffix(aModel[e->model].id)) return 0;
    if (!canon) canon = e;
  }
  if (!canon) return 0;
  /* a lab that dates snapshots of its own in this form (dated_labs.tsv:
  ** Alibaba any date, DeepSeek a month-day): the date is a snapshot of its
  ** own; but open weights of a size (qwen3.5-27b) have no snapshots, so a
  ** full date on them is a host's listing date (OpenRouter's
  ** qwen/qwen3.5-27b-20260224), as for every other lab */
  const char *dates = lab_dates(aModel[canon->model].creator);
  if (dates && (strcmp(dates, "full") == 0 || strlen(sig->date) == 4) &&
      !has_size_word(aModel[canon->model].id))
    return 0;
  hit->model = canon->model, hit->rule = TL_RULE_VARIANT, hit->conf = 80;
  memcpy(hit->date, sig->date, 9);
  return 1;
}

/* A month hint against a name the vocabulary resolves to one snapshot
** ("Mistral Large 2 (Nov '24)", where mistral-large-2 is -2407): when the
** snapshot's suffix says another month, the hint wins: the snapshot of
** that month among the model's siblings (mistral-large-2411), else no
** answer (an unknown snapshot, never the other one). A suffix without a
** month (-0613, -001) or no suffix leaves hit as it is. */
static int month_agrees(const TlCanonIndex *ix, const Cleaned *c, Hit *hit) {
  const char *id = aModel[hit->model].id;
  char key[9];
  snapshot_key(id, key);
  size_t kl = strlen(key);
  if (kl < 6) return 1;
  if ((!c->year || atoi(key) / (kl == 8 ? 10000 : 100) == c->year) &&
      (kl == 8 ? atoi(key) / 100 : atoi(key)) % 100 == c->month)
    return 1;
  char base[TL_CANON_MAX_NAME];
  Signature sig;
  size_t vs = version_suffix(id);
  if (!copy_str(base, sizeof base, id, strlen(id) - vs) || !sign(base, 0, &sig)) return 0;
  const Entry *e = index_first(ix, sig.full);
  if (!e) return 0;
  Hit h = *hit;
  if (lookup_month(ix, &sig, e, c, &h) <= 0) return 0;
  hit->model = h.model;
  return 1;
}

/* Is id the vendor word c removed, '-', and c's body? */
static int is_glued_id(const Cleaned *c, const char *id) {
  size_t wl = strlen(c->vendor_word);
  return strncmp(id, c->vendor_word, wl) == 0 && id[wl] == '-' && strcmp(id + wl + 1, c->body) == 0;
}

/* For an ambiguous undated name (its ?alias entry e) used on c->as_of: the
** newest dated snapshot of that name out by then (gpt-4o in June 2024 is
** gpt-4o-2024-05-13, not the alias's fixed pick), never newer than the
** alias's pick (the snapshot the name points at now: gpt-4o never meant
** gpt-4o-2024-11-20), or NULL. *dated says whether the name has snapshots
** dated by month at all. */
static const Entry *snapshot_as_of(const TlCanonIndex *ix, const Entry *e, const Cleaned *c,
                                   int *dated) {
  const Entry *then = NULL;
  char thenkey[9] = "", as_of[9] = "";
  *dated = 0;
  if (c->as_of)
    memcpy(as_of, c->as_of, 4), memcpy(as_of + 4, c->as_of + 5, 2), memcpy(as_of + 6, c->as_of + 8, 2);
  char pick[9];
  snapshot_key(aModel[e->model].id, pick);
  for (const Entry *x = e, *end = index_end(ix); x < end && strcmp(x->sig, e->sig) == 0; x++) {
    if (x->kind != KIND_SNAPSHOT) continue;
    char key[9];
    snapshot_key(aModel[x->model].id, key);
    size_t kl = strlen(key);
    *dated |= kl >= 6;
    if (kl >= 6 && as_of[0] && strncmp(key, as_of, kl) <= 0 && (!then || strcmp(key, thenkey) > 0) &&
        (strlen(pick) != kl || strcmp(key, pick) <= 0))
      then = x, memcpy(thenkey, key, 9);
  }
  return then;
}

/* Does a name lack the lab's own word its model's id starts with, the name
** naming no lab (bare "nemotron" for mistral-nemotron, whose id signs
** without the vendor word it starts with)? Such a name is a family word,
** no spelling of the model; the lab's word glued or as a path or display
** lab ("mistralai/mistral-nemotron", "Mistral: Nemotron") is. */
static int lacks_lab_word(const Cleaned *c, const char *id, const char *creator) {
  size_t bl = strlen(c->body), il = strlen(id);
  if (c->glued || (c->creator && strcmp(c->creator, creator) == 0) || il <= bl + 1 ||
      strcmp(id + il - bl, c->body) != 0 || id[il - bl - 1] != '-')
    return 0;
  char word[48];
  const char *v = copy_str(word, sizeof word, id, il - bl - 1) ? PAIR_FIND(aVendor, word) : NULL;
  return v && strcmp(v, creator) == 0;
}

/* Look one signature up: a direct entry, else (undated names) the
** snapshots. */
static int lookup(const TlCanonIndex *ix, const Signature *sig, const Cleaned *c, Hit *hit) {
  const Entry *e = index_first(ix, sig->full);
  hit->ambiguous = hit->floating = hit->too_early = 0;
  hit->date[0] = 0;
  if (e && e->kind == KIND_FLOATING) return lookup_floating(ix, (size_t)e->model, c, hit);
  if (e && c->month &&
      (e->kind == KIND_AMBIGUOUS || e->kind == KIND_SNAPSHOT || e->kind == KIND_SERIES)) {
    int r = lookup_month(ix, sig, e, c, hit);
    if (r) return r > 0;
  }
  if (e && e->kind == KIND_CANON && strcmp(c->body, aModel[e->model].id) != 0) {
    /* claude-2 signs like claude-2.0 (a .0 is no version of its own): a
    ** name that is not the id as written is the ?alias it also signs like */
    for (const Entry *x = e + 1, *end = index_end(ix); x < end && strcmp(x->sig, e->sig) == 0; x++)
      if (x->kind == KIND_AMBIGUOUS && x->model == e->model) e = x;
  }
  if (e && e->kind == KIND_CANON && lacks_lab_word(c, aModel[e->model].id, aModel[e->model].creator)) {
    /* an alias that signs alike may still name it (nemotron-nano-9b-v2) */
    const Entry *x = e + 1, *end = index_end(ix);
    while (x < end && strcmp(x->sig, e->sig) == 0 && x->kind != KIND_ALIAS) x++;
    if (x == end || strcmp(x->sig, e->sig) != 0) return 0;
    e = x;
  }
  if (e && e->kind != KIND_SNAPSHOT && e->kind != KIND_SERIES) {
    hit->model = e->model;
    hit->ambiguous = e->kind == KIND_AMBIGUOUS;
    if (e->kind == KIND_AMBIGUOUS) {
      int dated;
      const Entry *then = snapshot_as_of(ix, e, c, &dated);
      if (then) hit->model = then->model;
      hit->floating = dated;
      hit->rule = TL_RULE_UNDATED, hit->conf = 60;
    } else if (c->display) {
      hit->rule = TL_RULE_DISPLAY, hit->conf = 85;
    } else if (e->kind == KIND_CANON && strcmp(c->body, aModel[e->model].id) == 0) {
      hit->rule = c->stripped ? TL_RULE_PREFIX : TL_RULE_EXACT;
      hit->conf = c->stripped ? 95 : 100;
    } else if (e->kind == KIND_CANON && c->glued && is_glued_id(c, aModel[e->model].id)) {
      /* nvidia-nemotron-nano-9b-v2, minimax-text-01: the vendor word is
      ** part of the lab's own id */
      hit->rule = c->glued_stripped ? TL_RULE_PREFIX : TL_RULE_EXACT;
      hit->conf = c->glued_stripped ? 95 : 100;
    } else {
      hit->rule = TL_RULE_ALIAS, hit->conf = 90;
    }
    if (c->month && !month_agrees(ix, c, hit)) return 0;
    return 1;
  }
  if (sig->date[0]) return lookup_deployed(ix, sig, hit);
  /* undated: the dated snapshots of this name, else its other snapshots
  ** (command-r: -03-2024 and -08-2024) */
  const Entry *end = index_end(ix), *best = NULL, *month = NULL, *then = NULL;
  char bestkey[9] = "", thenkey[9] = "", as_of[9] = "";
  int count = 0, dated = 0;
  if (c->as_of) /* YYYYMMDD, to compare with the snapshot keys */
    memcpy(as_of, c->as_of, 4), memcpy(as_of + 4, c->as_of + 5, 2), memcpy(as_of + 6, c->as_of + 8, 2);
  EntryKind want = KIND_SNAPSHOT;
  for (const Entry *x = e; x && x < end && strcmp(x->sig, sig->full) == 0; x++)
    if (x->kind == KIND_SNAPSHOT) break;
    else if (x->kind == KIND_SERIES) want = KIND_SERIES;
  for (; e && e < end && strcmp(e->sig, sig->full) == 0; e++) {
    if (e->kind != want) continue;
    char key[9];
    snapshot_key(aModel[e->model].id, key);
    count++;
    if (!best || strcmp(key, bestkey) > 0) best = e, memcpy(bestkey, key, 9);
    /* the newest snapshot out by as_of (a key of a year and month is out
    ** from that month on) */
    size_t kl = strlen(key);
    dated |= kl >= 6;
    if (kl >= 6 && as_of[0] && strncmp(key, as_of, kl) <= 0 && (!then || strcmp(key, thenkey) > 0))
      then = e, memcpy(thenkey, key, 9);
    if (c->month && strlen(key) >= 6 && atoi(key) / (strlen(key) == 8 ? 10000 : 100) == c->year &&
        (strlen(key) == 8 ? atoi(key) / 100 : atoi(key)) % 100 == c->month)
      month = e;
  }
  if (!best) return 0;
  if (month) {
    hit->model = month->model, hit->rule = TL_RULE_DISPLAY, hit->conf = 85;
  } else {
    /* a name without its -2507/-08-2024 suffix may name an earlier release
    ** the vocabulary lacks (qwen3-235b-a22b-instruct): as sure as a guess */
    /* as of a date: the newest snapshot out by then (mistral-large used
    ** in June 2024 is -2402, not today's -2512); the answer then depends
    ** on the date, so caches of undated answers ask again (floating) */
    hit->model = then ? then->model : best->model;
    hit->rule = c->display && count == 1 && want == KIND_SNAPSHOT ? TL_RULE_DISPLAY : TL_RULE_UNDATED;
    hit->conf = count == 1 && want == KIND_SNAPSHOT ? 85 : 60;
    hit->floating = dated && count > 1;
  }
  return 1;
}

/* A name with a reasoning mode word (thinking, reasoning, "(Reasoning)")
** whose plain lookup found an -instruct model: where the lab ships the
** thinking weights apart (qwen3-235b-a22b-instruct-2507 and
** -thinking-2507), the mode word names the sibling, hit is moved to it; an
** -instruct model without a thinking sibling in the vocabulary is no answer
** (0), as its thinking weights would be another model. A hybrid model (one
** id for both modes: deepseek-v3.1, glm-5) keeps hit. */
static int mode_sibling(const TlCanonIndex *ix, Hit *hit) {
  const char *id = aModel[hit->model].id, *p = strstr(id, "instruct");
  if (has_word(id, "non-reasoning")) return 0;
  if (!p) return 1;
  char sib[TL_CANON_MAX_NAME + 8];
  snprintf(sib, sizeof sib, "%.*sthinking%s", (int)(p - id), id, p + 8);
  Signature sig;
  const Entry *e = sign(sib, 0, &sig) ? index_first(ix, sig.full) : NULL;
  for (; e && e < index_end(ix) && strcmp(e->sig, sig.full) == 0; e++)
    if (e->kind == KIND_CANON && strcmp(aModel[e->model].id, sib) == 0) {
      hit->model = e->model;
      return 1;
    }
  return 0;
}

/* A non-reasoning name whose lookup found an X-reasoning id, when the lab
** ships X-non-reasoning apart ("Grok 4.20 Beta Non-Reasoning" drops beta
** and lands on grok-4.20's pick, grok-4.20-0309-reasoning): hit is moved to
** that sibling. 0 when there is none. */
static int nonmode_sibling(const TlCanonIndex *ix, Hit *hit) {
  const char *id = aModel[hit->model].id, *p = strstr(id, "-reasoning");
  if (!p) return 0;
  char sib[TL_CANON_MAX_NAME + 8];
  snprintf(sib, sizeof sib, "%.*s-non-reasoning%s", (int)(p - id), id, p + 10);
  Signature sig;
  const Entry *e = sign(sib, 0, &sig) ? index_first(ix, sig.full) : NULL;
  for (; e && e < index_end(ix) && strcmp(e->sig, sig.full) == 0; e++)
    if (e->kind == KIND_CANON && strcmp(aModel[e->model].id, sib) == 0) {
      /* one non-reasoning id, whatever snapshots the reasoning name had */
      hit->model = e->model, hit->ambiguous = 0, hit->rule = TL_RULE_VARIANT, hit->conf = 80;
      return 1;
    }
  return 0;
}

/* The words left after dropping k trailing variant words (sig, already
** signed so; k may be 0), with the lab's trailing -preview: a host's
** kimi-k2-turbo is kimi-k2-turbo-preview, AA's gemini-3-flash-reasoning and
** gemini-3-pro-low are gemini-3-flash-preview and gemini-3-pro-preview run
** in a mode or at an effort. Tried only once the kept words alone name
** nothing. */
static int lookup_kept_preview(const TlCanonIndex *ix, const Tokens *words, int k,
                               const Signature *sig, const Cleaned *c, Hit *hit) {
  Tokens kept = *words;
  Signature preview = *sig;
  if (!sign_stripped(&kept, k, &preview)) return 0;
  for (int i = 0; i < kept.n; i++)
    if (strcmp(kept.t[i], "preview") == 0) return 0;
  return push_token(&kept, "preview", 7) && sign_stripped(&kept, 0, &preview) &&
         !preview.date[0] && lookup(ix, &preview, c, hit);
}

/* An effort word (low, medium, high) after a name without a version is a
** tier of its own ("Sonar Medium", Perplexity's sonar-medium-chat), no
** reasoning effort of the model found (o3-mini-high, gpt-5-high, whose
** names carry their version). */
static int tier_not_effort(const Cleaned *c, const char *id) {
  if (strpbrk(c->body, "0123456789")) return 0;
  static const char *const azTier[] = {"low", "medium", "high"};
  for (size_t i = 0; i < sizeof azTier / sizeof azTier[0]; i++)
    if (has_word(c->body, azTier[i]) && !has_word(id, azTier[i])) return 1;
  return 0;
}

/* Is a -fast the name has, and the model found lacks, a model word of the
** model's lab in that generation? xAI's Grok 4 fast models are models of
** their own (grok-4-fast, grok-4-1-fast beside grok-4, at a fifteenth of its
** price), so an unknown grok-4.5-fast is no grok-4.5; grok-3-fast is
** grok-3 served faster, a speed SKU, as is Anthropic's claude-opus-4.7-fast:
** no id of theirs starting with the name's family and major version (grok-3,
** claude-opus-4) has the word. */
static int fast_is_model_word(const Cleaned *c, const char *id, const char *creator) {
  if (!has_word(c->body, "fast") || has_word(id, "fast")) return 0;
  const char *d = strpbrk(c->body, "0123456789");
  if (!d) return 0;
  size_t n = (size_t)(d - c->body) + strspn(d, "0123456789");
  for (size_t m = 0; m < sizeof aModel / sizeof aModel[0]; m++) {
    const char *other = aModel[m].id;
    if (strcmp(aModel[m].creator, creator) == 0 && has_word(other, "fast") &&
        strncmp(other, c->body, n) == 0 && !is_digit((unsigned char)other[n]))
      return 1;
  }
  return 0;
}

static int lookup_plain(const TlCanonIndex *ix, const Cleaned *c, Hit *hit) {
  Signature sig;
  Tokens words; /* signed once, then with one strip count after another */
  hit->too_early = 0;
  sig.skip = 0;
  int have_words = sign_words(c->body, &words, &sig);
  if (have_words && sign_from_words(&words, 0, &sig)) {
    if (lookup(ix, &sig, c, hit)) return 1;
    if (has_foreign_word(ix, &sig, 0)) return 0;
  }
  if (hit->too_early) return 0; /* no known snapshot is what it named then */
  /* a host's name without the lab's trailing -preview (kimi-k2-turbo for
  ** kimi-k2-turbo-preview), before any word is dropped (kimi-k2 is another
  ** model) */
  if (have_words && lookup_kept_preview(ix, &words, 0, &sig, c, hit)) {
    hit->rule = TL_RULE_VARIANT;
    if (hit->conf > 80) hit->conf = 80;
    return 1;
  }
  for (int k = 1;; k++) {
    if (!have_words || !sign_from_words(&words, k, &sig)) {
      if (have_words && sig.skip) continue;
      return 0;
    }
    if (!lookup(ix, &sig, c, hit) && !lookup_kept_preview(ix, &words, k, &sig, c, hit)) continue;
    if (sig.latest && hit->ambiguous) return 0;
    if (sig.mode && !mode_sibling(ix, hit)) return 0;
    if (fast_is_model_word(c, aModel[hit->model].id, aModel[hit->model].creator)) return 0;
    if (tier_not_effort(c, aModel[hit->model].id)) return 0;
    /* Alibaba's -latest is a channel of its own beside the stable undated
    ** id (qwen-max-latest, qwen-max), which its dated snapshots float under */
    if (has_word(c->body, "latest") && !has_word(aModel[hit->model].id, "latest") &&
        is_dated_lab(aModel[hit->model].creator))
      return 0;
    if (sig.nonmode && (has_word(aModel[hit->model].id, "reasoning") ||
                        has_word(aModel[hit->model].id, "thinking")) &&
        !has_word(aModel[hit->model].id, "non-reasoning") && !nonmode_sibling(ix, hit))
      return 0; /* a non-reasoning name is never a reasoning model */
    break;
  }
  if (hit->rule != TL_RULE_UNDATED) hit->rule = TL_RULE_VARIANT;
  if (hit->conf > 80) hit->conf = 80;
  return 1;
}

/* Did the name end in a Bedrock :N version after a bare number (-1:0), which
** cleaning recorded as version=N? */
static int has_colon_version(const Cleaned *c) {
  int version = qual_kind("version");
  for (int i = 0; i < c->nqual; i++)
    if (c->qual[i].kind == version && all_digits(c->qual[i].value, strlen(c->qual[i].value)))
      return 1;
  return 0;
}

/* Names the plain lookup misses after a vendor was stripped: a Bedrock
** trailing -vN version without the :0 (anthropic.claude-opus-4-6-v1), and a
** model named without its vendor word (us.deepseek.r1-v1:0, "DeepSeek: R1"
** and "Mistral: Saba" are deepseek-r1 and mistral-saba). Each is tried only
** when the name as written is unknown, as -v2 is part of some names
** (claude-v2, nemotron-nano-12b-v2). On a hit c->body is the name that
** matched. */
static int lookup_vendor(const TlCanonIndex *ix, Cleaned *c, Hit *hit) {
  if (!c->vendor_word[0]) return 0;
  Cleaned t = *c;
  char *dash = strrchr(t.body, '-');
  size_t vn = 0;
  /* the name without its -vN must still name a version (claude-opus-4-6-v1);
  ** claude-v1 without it would be no model, its v1 is Claude 1 */
  if (c->bedrock && dash && dash > t.body && strpbrk(t.body, "0123456789") < dash &&
      ((dash[1] == 'v' && all_digits(dash + 2, strlen(dash + 2))) ||
       (strlen(dash + 1) == 1 && is_digit((unsigned char)dash[1]) && has_colon_version(c)))) {
    /* -v1, and -1 written with its :0 (openai.gpt-oss-120b-1:0); a bare -5 is
    ** the name's own (anthropic.claude-opus-5-5 is Claude Opus 5.5) */
    vn = strlen(dash);
    *dash = 0;
  }
  int found = vn && lookup_plain(ix, &t, hit);
  size_t wl = strlen(c->vendor_word);
  if (!found && !(has_prefix(t.body, c->vendor_word) && t.body[wl] == '-')) {
    char glued[TL_CANON_MAX_NAME + 1];
    if (snprintf(glued, sizeof glued, "%s-%s", c->vendor_word, t.body) < (int)sizeof glued) {
      memcpy(t.body, glued, strlen(glued) + 1);
      found = lookup_plain(ix, &t, hit);
    }
  }
  if (!found) return 0;
  if (vn) add_qual(&t, qual_kind("version"), c->body + strlen(c->body) - vn + 1, vn - 1, 0);
  *c = t;
  if (hit->conf > 90) hit->conf = 90, hit->rule = c->display ? TL_RULE_DISPLAY : TL_RULE_ALIAS;
  if (c->display && hit->conf > 85) hit->conf = 85;
  return 1;
}

/* A Bedrock id whose words name another model than the one Bedrock serves
** (host_ids.tsv: deepseek.v3-v1:0 is DeepSeek-V3.1), matched whole, vendor
** and name, with or without a trailing -vN version the cleaning left. Tried
** before every rule that reads the words, which would answer the model
** they spell, confidently. */
static int lookup_host_id(const TlCanonIndex *ix, const Cleaned *c, Hit *hit) {
  /* another host's vendor.name ids (oci/cohere.command-a) are its own */
  if (!c->bedrock || (c->provider && strcmp(c->provider, "amazon-bedrock") != 0)) return 0;
  char key[TL_CANON_MAX_NAME + 1];
  int n = snprintf(key, sizeof key, "%s.%s", c->vendor_word, c->body);
  if (n < 0 || n >= (int)sizeof key) return 0;
  const NamePair *p = bsearch(key, aHostId, sizeof aHostId / sizeof aHostId[0], sizeof aHostId[0],
                              cmp_pair);
  char *dash = strrchr(key, '-');
  if (!p && dash && dash[1] == 'v' && all_digits(dash + 2, strlen(dash + 2))) {
    *dash = 0;
    p = bsearch(key, aHostId, sizeof aHostId / sizeof aHostId[0], sizeof aHostId[0], cmp_pair);
  }
  if (!p) return 0;
  memset(hit, 0, sizeof *hit);
  hit->model = ix->host_model[p - aHostId];
  hit->rule = TL_RULE_ALIAS;
  hit->conf = 90;
  return 1;
}

/* A trailing word that asks for a hybrid model's instruct mode
** (-non-reasoning, -no-thinking): dropped before an instruct word is
** appended ("Granite 3.3 8B (Non-reasoning)" is granite-3.3-8b-instruct). */
static void drop_instruct_mode(char *body) {
  static const char *const azMode[] = {"-non-reasoning", "-no-thinking"};
  size_t n = strlen(body);
  for (size_t i = 0; i < sizeof azMode / sizeof azMode[0]; i++) {
    size_t ml = strlen(azMode[i]);
    if (n > ml && strcmp(body + n - ml, azMode[i]) == 0) body[n - ml] = 0;
  }
}

/* Does the model's id say it is instruction-tuned (-instruct, -it, -chat)? */
static int is_instruct_id(const char *id) {
  size_t n = strlen(id);
  return strstr(id, "instruct") || (n > 3 && strcmp(id + n - 3, "-it") == 0) ||
         strstr(id, "-it-") || strstr(id, "-chat");
}

/* The words a lab's ids give instruction-tuned weights, -chat last. */
static const char *const azTuningSuffix[] = {"-instruct", "-it", "-chat"};
#define N_TUNING_SUFFIX (sizeof azTuningSuffix / sizeof azTuningSuffix[0])

static int is_tuning_suffix(const char *s) {
  for (size_t i = 0; i < N_TUNING_SUFFIX; i++)
    if (strcmp(s, azTuningSuffix[i]) == 0) return 1;
  return 0;
}

/* A name without the instruct word the vocabulary's only model of that
** name carries (ollama's gemma3:12b is gemma-3-12b-it, Cerebras'
** llama3.3-70b is llama-3.3-70b-instruct), and a name with the word the
** vocabulary spells otherwise: Google's -it written Instruct ("Gemma 3 12B
** Instruct"), or not part of the id ("Llama 4 Scout Instruct" where the
** vocabulary knows llama-4-scout as an instruct model's alias; the model
** found must be an instruct model, or an API model of a family whose
** tuning word is api: "Mistral Medium 3 Instruct"). Tried last, rule
** variant, at most 70.
** A base model in the vocabulary is found before this. */
static int lookup_instruct(const TlCanonIndex *ix, const Cleaned *c, Hit *hit) {
  /* an ollama tag is the chat weights whatever the lab calls them
  ** (llama2:7b is llama-2-7b-chat); elsewhere -chat, the last tuning word,
  ** is a model of its own (Fireworks' llama-v2-7b beside llama-v2-7b-chat,
  ** gpt-5.3-chat-latest) */
  size_t nword = c->size_tag ? N_TUNING_SUFFIX : N_TUNING_SUFFIX - 1;
  /* every spelling below is the name with words dropped from its end
  ** (non-reasoning, instruct: index words) or added */
  if (keeps_foreign_word(ix, c->body)) return 0;
  Cleaned base = *c;
  drop_instruct_mode(base.body);
  size_t n = strlen(base.body);
  if (n > 9 && strcmp(base.body + n - 9, "-instruct") == 0) {
    Cleaned t = base;
    memcpy(t.body + n - 9, "-it", 4);
    int found = lookup_plain(ix, &t, hit);
    if (!found) {
      /* the model found must be an instruct model, or one of a family whose
      ** lab's API ids carry no tuning word where its weights' do
      ** (tuning_words.tsv api: mistral-medium-2505 is "Mistral Medium 3
      ** Instruct"); a family whose plain name is a hybrid or base model
      ** (qwen3, starcoder: none) is no answer for its -instruct */
      t.body[n - 9] = 0;
      found = lookup_plain(ix, &t, hit);
      const char *id = found ? aModel[hit->model].id : NULL;
      found = id && (is_instruct_id(id) || strcmp(tuning_word(id, strlen(id)), "api") == 0);
    }
    if (!found) return 0;
  } else {
    /* the word goes at the end, else before the last words, which the plain
    ** lookup then drops as serving or mode words ("Gemma 3 27B TEE",
    ** "Gemma 4 31B Thinking": gemma-3-27b-it-tee, gemma-4-31b-it-thinking) */
    int found = 0;
    size_t at = n;
    for (int tries = 0; !found && tries < 3 && at > 0; tries++) {
      for (size_t i = 0; !found && i < nword; i++) {
        Cleaned t = base;
        size_t wl = strlen(azTuningSuffix[i]);
        if (n + wl > TL_CANON_MAX_NAME) return 0;
        memcpy(t.body + at, azTuningSuffix[i], wl);
        memcpy(t.body + at + wl, base.body + at, n - at + 1);
        found = lookup_plain(ix, &t, hit);
      }
      while (at > 0 && base.body[--at] != '-') {}
    }
    if (!found) return 0;
  }
  if (hit->rule != TL_RULE_UNDATED) hit->rule = TL_RULE_VARIANT;
  if (hit->conf > 70) hit->conf = 70;
  /* a bare family word ("jamba") names the family, of which this is one
  ** model: a guess */
  if (!strpbrk(c->body, "-0123456789") && hit->conf > 60) hit->conf = 60;
  return 1;
}

/* Spelling i of a model, its length in *len: 0 its id, then its aliases
** ('?' marks skipped); NULL past the last. */
static const char *model_spelling(const CanonModel *m, int i, size_t *len) {
  const char *p = m->id;
  if (i > 0) {
    p = m->aliases;
    for (int k = 1; p && k < i; k++)
      if ((p = strchr(p, '|')) != NULL) p++;
    if (!p || !*p) return NULL;
    if (*p == '?') p++;
  }
  *len = strcspn(p, "|");
  return p;
}

/* Does a spelling of the model start with the family's words?
** (devstral-small-2 is devstral-small-2512's alias; nemotron found as
** mistral-nemotron is no family of its own) */
static int starts_spelling(const CanonModel *m, const char *family, size_t fl) {
  size_t len;
  const char *p;
  for (int i = 0; (p = model_spelling(m, i, &len)) != NULL; i++)
    if (len >= fl && strncmp(p, family, fl) == 0 && (len == fl || !is_alnum((unsigned char)p[fl])))
      return 1;
  return 0;
}

/* Do the model's spellings write no size, or this one? (devstral-2512,
** also spelled devstral-2-123b, is no devstral:24b) */
static int size_agrees(const CanonModel *m, const char *size) {
  size_t len, sl = strlen(size);
  int other = 0;
  const char *p;
  for (int i = 0; (p = model_spelling(m, i, &len)) != NULL; i++)
    for (const char *w = p, *dash; w < p + len; w = dash ? dash + 1 : p + len) {
      dash = memchr(w, '-', (size_t)(p + len - w));
      size_t k = size_word_len(w);
      if (k == 0 || (w + k < p + len && w[k] != '-')) continue;
      if (k == sl && strncmp(w, size, sl) == 0) return 1;
      other = 1;
    }
  return !other;
}

/* The one vocabulary id of the family's creator that writes the family,
** other words, then the size (or its experts as Meta writes them: 16x17b
** is 17b-16e) and at most a tuning word: deepseek-r1:7b is
** deepseek-r1-distill-qwen-7b. No word between may hold a digit: a version
** there makes another model (gemma:2b is no gemma-2-2b-it, llama:8b no
** llama-guard-3-8b, deepseek:671b no deepseek-prover-v2-671b). -1 for
** none or several. *sized: some id of the family writes a size right
** after it. */
static int id_with_words_between(const char *family, size_t fl, const char *size, int *sized) {
  char experts[24] = "";
  const char *x = strchr(size, 'x');
  if (x) snprintf(experts, sizeof experts, "%s-%.*se", x + 1, (int)(x - size), size);
  const char *creator = creator_by_words(family);
  size_t sl = strlen(size), el = strlen(experts);
  int found = -1;
  for (size_t m = 0; m < sizeof aModel / sizeof aModel[0]; m++) {
    const char *id = aModel[m].id, *between = id + fl + 1;
    if (strncmp(id, family, fl) != 0 || id[fl] != '-') continue;
    if (is_size_word(between)) *sized = 1;
    if (creator && strcmp(creator, aModel[m].creator) != 0) continue;
    for (const char *w = between;; w += strcspn(w, "-") + 1) {
      size_t k = strncmp(w, size, sl) == 0 ? sl : el && strncmp(w, experts, el) == 0 ? el : 0;
      if (w > between && k > 0 && (w[k] == 0 || is_tuning_suffix(w + k))) {
        if (found >= 0) return -1;
        found = (int)m;
        break;
      }
      size_t wl = strcspn(w, "-");
      if (strcspn(w, "0123456789") < wl || w[wl] == 0) break;
    }
  }
  return found;
}

/* The family of an ollama tag as a vocabulary model: the name itself, else
** with a tuning word after it (phi4-mini is phi-4-mini-instruct: the tag
** FAMILY:SIZE names the chat weights). */
static int lookup_family_model(const TlCanonIndex *ix, const Cleaned *family, Hit *hit) {
  if (lookup_plain(ix, family, hit)) return 1;
  size_t n = strlen(family->body);
  for (size_t i = 0; i < N_TUNING_SUFFIX; i++) {
    Cleaned t = *family;
    if (!copy_str(t.body + n, sizeof t.body - n, azTuningSuffix[i], strlen(azTuningSuffix[i])))
      return 0;
    if (lookup_plain(ix, &t, hit)) return 1;
  }
  return 0;
}

/* An ollama tag FAMILY:SIZE of a model the vocabulary names otherwise:
** id_with_words_between, else the family's own model when no id sizes the
** family and the model's spellings name no other size (phi4:14b is phi-4,
** mistral-nemo:12b mistral-nemo; command-r:35b is command-r's newest
** snapshot at 60, as command-r is: an undated name stays ambiguous). Rule
** variant, at most 60. */
static int lookup_size_tag(const TlCanonIndex *ix, const Cleaned *c, Hit *hit) {
  if (!c->size_tag) return 0;
  Cleaned t = *c;
  tidy_unknown(t.body, 0, 0);
  char *dash = strrchr(t.body, '-'), size[16];
  /* the tag's own tuning word (llama4:16x17b-instruct) is what a tag means */
  if (dash && is_tuning_suffix(dash)) {
    *dash = 0;
    dash = strrchr(t.body, '-');
  }
  if (!dash || !is_size_word(dash + 1) || !copy_str(size, sizeof size, dash + 1, strlen(dash + 1)))
    return 0;
  *dash = 0;
  size_t fl = strlen(t.body);
  int sized = 0, m = id_with_words_between(t.body, fl, size, &sized);
  if (m >= 0) {
    if (!copy_str(t.body, sizeof t.body, aModel[m].id, strlen(aModel[m].id)) ||
        !lookup_plain(ix, &t, hit))
      return 0;
  } else if (sized || !lookup_family_model(ix, &t, hit) ||
             !starts_spelling(&aModel[hit->model], t.body, fl) ||
             !size_agrees(&aModel[hit->model], size)) {
    return 0;
  }
  if (hit->rule != TL_RULE_UNDATED) hit->rule = TL_RULE_VARIANT;
  if (hit->conf > 60) hit->conf = 60;
  return 1;
}

/* The first squeezed spelling not below key (ix->nsqueezed when none). */
static size_t squeezed_first(const TlCanonIndex *ix, const char *key) {
  size_t lo = 0, hi = ix->nsqueezed;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (strcmp(ix->squeezed[mid].key, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* A family named without a size whose lab has, in the vocabulary, one
** model of that family, at one size: Meta's only Llama 3.3 is 70B, so
** llama3.3 and ollama's default tag llama3.3:latest are
** llama-3.3-70b-instruct. Every id of the lab that starts with the family
** must be the size and at most a tuning word after it, so a family the
** vocabulary lists one tier of (granite-4.0-h-small) is never its only
** model, and a dated id is no default. The ids that start with the family
** are among the squeezed spellings that start with the family's. Rule
** variant, confidence 60: the vocabulary may lack the family's other sizes. */
static int lookup_sole_size(const TlCanonIndex *ix, const char *family, const char *creator,
                            Hit *hit) {
  char key[TL_CANON_MAX_NAME + 1];
  size_t fl = strlen(family), kl = squeeze(family, fl, key);
  if (!creator || !strpbrk(family, "0123456789")) return 0;
  int sole = -1;
  for (size_t k = squeezed_first(ix, key);
       k < ix->nsqueezed && strncmp(ix->squeezed[k].key, key, kl) == 0; k++) {
    int m = ix->squeezed[k].model;
    const char *id = aModel[m].id;
    if (m == sole || strncmp(id, family, fl) != 0 || id[fl] != '-' ||
        strcmp(aModel[m].creator, creator) != 0)
      continue;
    size_t size = size_word_len(id + fl + 1);
    const char *rest = id + fl + 1 + size;
    if (sole >= 0 || !size || (*rest && !is_tuning_suffix(rest))) return 0;
    sole = m;
  }
  if (sole < 0) return 0;
  memset(hit, 0, sizeof *hit);
  hit->model = sole;
  hit->rule = TL_RULE_VARIANT;
  hit->conf = 60;
  return 1;
}

/* A vocabulary model written with its words joined or split otherwise
** ("Gemini 3.1 Pro Preview Custom Tools" is gemini-3.1-pro-preview-customtools,
** all-mini-lm-l6-v2 all-minilm-l6-v2), which the signature, splitting at
** separators, cannot see: the model one of whose spellings (not an
** ambiguous one) has the name's letters and digits in the same order (one
** at most: squeezed_check), and whose creator is the name's when the name
** says one (by its vendor or family word). Rule alias, confidence 70. */
static int lookup_squeezed(const TlCanonIndex *ix, const char *name, const char *creator,
                           Hit *hit) {
  char key[TL_CANON_MAX_NAME + 1];
  squeeze(name, strlen(name), key);
  size_t k = squeezed_first(ix, key);
  if (k == ix->nsqueezed || strcmp(ix->squeezed[k].key, key) != 0 ||
      (creator && strcmp(creator, aModel[ix->squeezed[k].model].creator) != 0))
    return 0;
  memset(hit, 0, sizeof *hit);
  hit->model = ix->squeezed[k].model;
  hit->rule = TL_RULE_ALIAS;
  hit->conf = 70;
  return 1;
}

/* The last lookups, of the name as the fallback would write it (tidied
** once for both): the family's sole size, else a spelling without its
** separators. */
static int lookup_tidied(const TlCanonIndex *ix, const Cleaned *c, Hit *hit) {
  char name[TL_CANON_MAX_NAME + 1];
  if (!copy_str(name, sizeof name, c->body, strlen(c->body))) return 0;
  tidy_unknown(name, c->mode_group, c->display);
  const char *creator = c->creator ? c->creator : creator_by_words(name);
  return lookup_sole_size(ix, name, creator, hit) || lookup_squeezed(ix, name, creator, hit);
}

/* Mistral's names write a version and size where the id has the snapshot
** (mistral-small-3.1-24b-instruct-2503 is mistral-small-2503,
** ministral-3-14b-instruct-2512 is ministral-14b-2512): a name ending in a
** snapshot suffix (-2503, -08-2024) is the vocabulary's model of that
** suffix whose other words are all in the name, when the name adds only
** version numbers, sizes (24b) and "instruct" (gpt-4-32k-0613 is not
** gpt-4-0613). The model with the most words wins; a tie is no answer.
** Rule variant, at most 70. */
static int lookup_suffix(const Cleaned *c, Hit *hit) {
  size_t vs = version_suffix(c->body);
  if (!vs || vs == 9 || vs == 11) return 0; /* full dates: lookup_deployed */
  const char *suffix = c->body + strlen(c->body) - vs;
  char name[TL_CANON_MAX_NAME + 1];
  Tokens nt, mt;
  if (!copy_str(name, sizeof name, c->body, strlen(c->body) - vs) || !tokenize(name, &nt)) return 0;
  int best = -1, best_n = 0, tie = 0;
  for (size_t m = 0; m < sizeof aModel / sizeof aModel[0]; m++) {
    const char *id = aModel[m].id;
    size_t il = strlen(id);
    if (il <= vs || strcmp(id + il - vs, suffix) != 0 || version_suffix(id) != vs) continue;
    char base[TL_CANON_MAX_NAME + 1];
    if (!copy_str(base, sizeof base, id, il - vs) || !tokenize(base, &mt)) continue;
    int used[MAX_TOKENS] = {0}, ok = 1;
    for (int i = 0; i < mt.n && ok; i++) {
      int j;
      for (j = 0; j < nt.n; j++)
        if (!used[j] && strcmp(mt.t[i], nt.t[j]) == 0) break;
      if (j == nt.n) ok = 0;
      else used[j] = 1;
    }
    for (int j = 0; j < nt.n && ok; j++) {
      const char *t = nt.t[j];
      size_t tl = strlen(t);
      if (used[j] || strcmp(t, "instruct") == 0 || (tl <= 2 && all_digits(t, tl)) ||
          (tl >= 2 && t[tl - 1] == 'b' && all_digits(t, tl - 1)))
        continue;
      ok = 0;
    }
    if (!ok) continue;
    if (mt.n > best_n) best = (int)m, best_n = mt.n, tie = 0;
    else if (mt.n == best_n) tie = 1;
  }
  if (best < 0 || tie) return 0;
  hit->model = best, hit->rule = TL_RULE_VARIANT, hit->conf = 70;
  hit->ambiguous = hit->floating = hit->too_early = 0;
  hit->date[0] = 0;
  return 1;
}

/* An undated model named with a -MMDD deployment date (kimi-k2.5-0127,
** grok-code-fast-1-0825, gpt-3.5-turbo-16k-0613): as lookup_deployed, the
** date a host deployed a model that has no snapshots in the vocabulary. */
static int lookup_deployed_mmdd(const TlCanonIndex *ix, const Cleaned *c, Hit *hit) {
  size_t n = strlen(c->body);
  if (n < 6 || c->body[n - 5] != '-' || !all_digits(c->body + n - 4, 4) ||
      !valid_month_day(c->body + n - 4, c->body + n - 2))
    return 0;
  char name[TL_CANON_MAX_NAME + 1];
  Signature sig;
  if (!copy_str(name, sizeof name, c->body, n - 5) || !sign(name, 0, &sig)) return 0;
  memcpy(sig.date, c->body + n - 4, 4);
  sig.date[4] = 0;
  if (!lookup_deployed(ix, &sig, hit)) return 0;
  hit->conf = 70;
  return 1;
}

/* The last month-day word of body (-0728, -07-28): its offset and length,
** 0 when none. */
static size_t month_day_word(const char *body, size_t *at, char md[5]) {
  size_t found = 0;
  for (const char *p = strchr(body, '-'); p; p = strchr(p + 1, '-')) {
    const char *w = p + 1;
    size_t wl = strcspn(w, "-");
    if (wl == 4 && all_digits(w, 4) && valid_month_day(w, w + 2))
      memcpy(md, w, 4), found = 5;
    else if (wl == 2 && all_digits(w, 2) && w[2] == '-' && strcspn(w + 3, "-") == 2 &&
             all_digits(w + 3, 2) && valid_month_day(w, w + 3))
      memcpy(md, w, 2), memcpy(md + 2, w + 3, 2), found = 6;
    else
      continue;
    *at = (size_t)(p - body);
  }
  md[4] = 0;
  return found;
}

/* A dated snapshot written by its month-day alone (qwen-plus-0728 and "Qwen
** Plus 0728 (thinking)" for qwen-plus-2025-07-28, gpt-4o-08-06): the one
** snapshot of the undated name (without trailing effort and mode words, as
** the plain lookup drops them) whose date has that month and day, then the
** name with that full date looked up as written. Two (one each year) are no
** answer. Rule alias, at most 80: the year is inferred. */
static int lookup_snapshot_mmdd(const TlCanonIndex *ix, const Cleaned *c, Hit *hit) {
  char md[5], name[TL_CANON_MAX_NAME + 1], key[9];
  size_t at = 0, cut = month_day_word(c->body, &at, md);
  if (!cut || !copy_str(name, sizeof name, c->body, at)) return 0;
  memcpy(name + at, c->body + at + cut, strlen(c->body + at + cut) + 1);
  int found = -1;
  Signature sig;
  for (int k = 0; k < 3 && found < 0; k++) {
    if (!sign(name, k, &sig)) {
      if (sig.skip) continue;
      break;
    }
    if (sig.date[0]) return 0;
    for (const Entry *e = index_first(ix, sig.full), *end = index_end(ix);
         e && e < end && strcmp(e->sig, sig.full) == 0; e++) {
      snapshot_key(aModel[e->model].id, key);
      if (e->kind != KIND_SNAPSHOT || strlen(key) != 8 || strcmp(key + 4, md) != 0) continue;
      if (found >= 0 && found != e->model) return 0;
      found = e->model;
    }
  }
  if (found < 0) return 0;
  Cleaned t = *c;
  snapshot_key(aModel[found].id, key);
  if (snprintf(t.body, sizeof t.body, "%.*s-%s%s", (int)at, c->body, key, c->body + at + cut) >=
          (int)sizeof t.body ||
      !lookup_plain(ix, &t, hit) || hit->model != found)
    return 0;
  if (hit->conf > 80) hit->conf = 80, hit->rule = TL_RULE_ALIAS;
  return 1;
}

/* A Vertex AI build number (jamba-1.5-large@001, mistral-medium-3@001,
** gemini-1.0-pro-001) on a model the vocabulary knows without it: that
** model, the build recorded as a version qualifier. Tried after the name
** as written, so gemini-1.5-pro-001 stays itself. */
static int lookup_build(const TlCanonIndex *ix, Cleaned *c, Hit *hit) {
  size_t n = strlen(c->body);
  if (n < 6 || strncmp(c->body + n - 4, "-00", 3) != 0 || !is_digit((unsigned char)c->body[n - 1]))
    return 0;
  Cleaned t = *c;
  t.body[n - 4] = 0;
  if (!lookup_plain(ix, &t, hit)) return 0;
  add_qual(c, qual_kind("version"), c->body + n - 3, 3, 0);
  if (hit->conf > 70) hit->conf = 70;
  if (hit->rule != TL_RULE_UNDATED) hit->rule = TL_RULE_VARIANT;
  return 1;
}

/* The "-aNb" word of a mixture-of-experts id (qwen3-coder-480b-a35b-instruct:
** 35B active parameters), as its offset and length in id, or 0. */
static size_t active_word(const char *id, size_t *at) {
  for (const char *p = strstr(id, "-a"); p; p = strstr(p + 1, "-a")) {
    size_t k = 2;
    while (is_digit((unsigned char)p[k])) k++;
    if (k > 2 && p[k] == 'b' && (p[k + 1] == '-' || p[k + 1] == 0)) {
      *at = (size_t)(p - id);
      return k + 1;
    }
  }
  return 0;
}

/* Whether the letters id begins with (qwen of qwen3-coder-...) occur in
** body: a cheap test every model must pass before lookup_active signs a
** name built from it, since the signature needs all of the id's words. */
static int shares_letters(const char *id, const char *body) {
  char lead[32];
  size_t k = 0;
  while (k < sizeof lead - 1 && id[k] >= 'a' && id[k] <= 'z') lead[k] = id[k], k++;
  lead[k] = 0;
  return k < 2 || strstr(body, lead) != NULL;
}

#define MAX_TRIED 32 /* active words remembered by lookup_active (a qwen name: ~15) */

/* Whether word (wl bytes) is in tried[0..*ntried); if not, adds it when
** there is room (a word not kept is only looked up again). */
static int word_tried(char tried[][16], int *ntried, const char *word, size_t wl) {
  for (int i = 0; i < *ntried; i++)
    if (strlen(tried[i]) == wl && memcmp(tried[i], word, wl) == 0) return 1;
  if (*ntried < MAX_TRIED && wl < 16) {
    memcpy(tried[*ntried], word, wl);
    tried[(*ntried)++][wl] = 0;
  }
  return 0;
}

/* Hosts and display names drop the active size of a mixture-of-experts
** model ("Qwen3 Coder 480B", qwen3-coder:480b, nemotron-3-nano-30b): a name
** with a total size (480b) but no active one is the one model whose id
** adds only its -aNb word (then -instruct, as lookup_instruct). Two such
** models (a 2507 and an older one differ by more) are no answer. Rule
** variant, at most 70. */
static int lookup_active(const TlCanonIndex *ix, const Cleaned *c, Hit *hit) {
  size_t at, n = strlen(c->body);
  if (active_word(c->body, &at) || keeps_foreign_word(ix, c->body)) return 0;
  size_t sized = 0; /* the end of the total size word: the active one goes after it */
  for (const char *p = c->body; *p; p++)
    if (is_digit((unsigned char)*p) && (p == c->body || !is_digit((unsigned char)p[-1]))) {
      const char *q = p;
      while (is_digit((unsigned char)*q)) q++;
      if (*q == 'b' && !is_alnum((unsigned char)q[1]) && p > c->body && !is_alnum((unsigned char)p[-1]))
        sized = (size_t)(q + 1 - c->body);
    }
  int found = -1;
  Hit best = {0};
  if (!sized) {
    /* no size at all ("Nemotron 3 Ultra", nemotron-3-nano-omni): the one
    ** mixture-of-experts model whose id adds only its -NNNb-aNb words */
    /* only the models that begin with the name's first word: this runs for
    ** every name the plain lookups miss, and most names are sizeless */
    size_t first = strcspn(c->body, "-");
    for (size_t k = 0; k < ix->nmoe; k++) {
      size_t m = (size_t)ix->moe[k];
      if (strncmp(aModel[m].id, c->body, first) != 0 ||
          (aModel[m].id[first] != '-' && aModel[m].id[first] != 0))
        continue;
      size_t wl = active_word(aModel[m].id, &at), ts = at;
      if (!wl || ts == 0) continue;
      while (ts > 0 && aModel[m].id[ts - 1] != '-') ts--;
      if (ts == 0 || aModel[m].id[at - 1] != 'b' || !is_digit((unsigned char)aModel[m].id[ts]))
        continue;
      size_t add = at + wl - (ts - 1); /* "-550b-a55b" */
      if (n + add > TL_CANON_MAX_NAME) continue;
      /* at the end, else before the last words, which the plain lookup then
      ** drops as serving words (nemotron-3-ultra-nvfp4) */
      size_t pos = n;
      for (int tries = 0; tries < 3 && pos > 0; tries++) {
        Cleaned t = *c;
        memcpy(t.body + pos, aModel[m].id + ts - 1, add);
        memcpy(t.body + pos + add, c->body + pos, n - pos + 1);
        Hit h;
        if (lookup_plain(ix, &t, &h) && h.model == (int)m) {
          if (found >= 0 && found != (int)m) return 0;
          found = (int)m, best = h;
          break;
        }
        while (pos > 0 && c->body[--pos] != '-') {}
      }
    }
    if (found < 0) return 0;
    *hit = best;
    if (hit->rule != TL_RULE_UNDATED) hit->rule = TL_RULE_VARIANT;
    if (hit->conf > 70) hit->conf = 70;
    return 1;
  }
  /* The name with a given active word inserted is the same for every model
  ** of that word (a dozen qwen3 ids end in -a3b), and so is its answer: each
  ** word is looked up once, and the answer counts when it names a model of
  ** that word that this loop tries. */
  char tried[MAX_TRIED][16];
  int ntried = 0;
  for (size_t k = 0; k < ix->nmoe; k++) {
    size_t m = (size_t)ix->moe[k];
    if (!shares_letters(aModel[m].id, c->body)) continue;
    size_t wl = active_word(aModel[m].id, &at);
    if (!wl || n + wl > TL_CANON_MAX_NAME || word_tried(tried, &ntried, aModel[m].id + at, wl))
      continue;
    Cleaned t = *c;
    memcpy(t.body + sized, aModel[m].id + at, wl);
    memcpy(t.body + sized + wl, c->body + sized, n - sized + 1);
    Hit h;
    if (!(lookup_plain(ix, &t, &h) || lookup_instruct(ix, &t, &h))) continue;
    const char *hid = aModel[h.model].id;
    size_t hat, hwl = active_word(hid, &hat);
    if (!shares_letters(hid, c->body) || hwl != wl || memcmp(hid + hat, aModel[m].id + at, wl) != 0)
      continue;
    if (found >= 0 && found != h.model) return 0;
    found = h.model, best = h;
  }
  if (found < 0) return 0;
  *hit = best;
  if (hit->rule != TL_RULE_UNDATED) hit->rule = TL_RULE_VARIANT;
  if (hit->conf > 70) hit->conf = 70;
  return 1;
}

static int lookup_cleaned(const TlCanonIndex *ix, Cleaned *c, Hit *hit);

/* A host's product word before a model's name (GitLab's duo-chat-gpt-5-4,
** aihubmix's coding-glm-5.1: qualifiers.tsv's x- spellings): the model, when
** the rest of the name is one of the vocabulary; the word is recorded as
** its qualifier. Up to the name's third '-'. */
static int lookup_host_product(const TlCanonIndex *ix, Cleaned *c, Hit *hit) {
  const char *dash = c->body;
  for (int i = 0; i < 3 && (dash = strchr(dash, '-')) != NULL; i++, dash++) {
    const Qualifier *q = qualifier_spelled(c->body, (size_t)(dash - c->body), '-', 0);
    if (!q) continue;
    Cleaned t = *c;
    memmove(t.body, dash + 1, strlen(dash + 1) + 1);
    if (!lookup_cleaned(ix, &t, hit)) continue;
    add_known_qual(c, q);
    if (hit->rule != TL_RULE_UNDATED) hit->rule = TL_RULE_ALIAS;
    if (hit->conf > 80) hit->conf = 80;
    return 1;
  }
  return 0;
}

/* Does the lab's name start ids of its own models (mistral-large: then
** mistral-2 is that family's, no other word's)? */
static int names_own_models(const char *lab, const char *creator) {
  size_t n = strlen(lab);
  for (size_t m = 0; m < sizeof aModel / sizeof aModel[0]; m++)
    if (strncmp(aModel[m].id, lab, n) == 0 && aModel[m].id[n] == '-' &&
        strcmp(aModel[m].creator, creator) == 0)
      return 1;
  return 0;
}

/* A display name's leading lab word before a name of the vocabulary's
** scheme that is no model of it ("Cohere Rerank 4 Fast", "MyShell MeloTTS",
** "Canopy Labs Orpheus V1 English"): the lab is the creator and no word of
** the id, as the lab's own ids do not carry it (rerank-v3.5, melotts). Kept
** when the lab's ids start with its name (nvidia-nemotron-nano-9b-v2,
** mistral-large), when it is a family word (deepseek, minimax: their ids
** start with it), when no word with a letter follows ("Tencent 2"), and when
** one word without a number would be left. */
static void drop_display_lab(char *body, const char *creator) {
  size_t len;
  const char *v = display_lab(body, &len);
  if (!v || !creator || strcmp(v, creator) != 0 || body[len] != '-' ||
      !is_lower((unsigned char)body[len + 1]))
    return;
  /* a name of one word without a number ("Perplexity Pro", "Switchpoint
  ** Router") is no model's own name: the lab's word stays */
  if (!strchr(body + len + 1, '-') && !strpbrk(body + len + 1, "0123456789")) return;
  char word[48];
  if (!copy_str(word, sizeof word, body, strcspn(body, "-")) || PAIR_FIND(aFamilyWord, word) ||
      names_own_models(word, v))
    return;
  memmove(body, body + len + 1, strlen(body + len + 1) + 1);
}

/* A lab's name written before a model of its own whose id does not carry
** it (cohere-embed-v-4-0, "Cohere Embed 4", voyage-rerank-2.5): the model,
** when the vocabulary has it from that lab. Names whose next word is a
** family word lost the lab's word while cleaning (strip_vendor_words). A
** lab's name written for its family word, a version after it ("StepFun 3.5
** Flash" is step-3.5-flash, elevenlabs-v3 is eleven-v3), is tried with each
** family word of that lab (family_words.tsv), unless the lab's own ids start
** with its name. */
static int lookup_lab_word(const TlCanonIndex *ix, Cleaned *c, Hit *hit) {
  const char *dash = strchr(c->body, '-');
  char lab[48];
  if (!dash || !copy_str(lab, sizeof lab, c->body, (size_t)(dash - c->body))) return 0;
  const char *v = PAIR_FIND(aVendor, lab);
  if (!v) return 0;
  Cleaned t = *c;
  const char *rest = dash + 1;
  memmove(t.body, rest, strlen(rest) + 1);
  int found = lookup_plain(ix, &t, hit) && strcmp(aModel[hit->model].creator, v) == 0;
  const char *version = rest[0] == 'v' ? rest + 1 : rest;
  if (!found && is_digit((unsigned char)*version) && !names_own_models(lab, v)) {
    /* every family word of the lab that names a model must name the same
    ** one (openai-4o: chatgpt-4o-latest or gpt-4o is no answer) */
    Hit h;
    for (size_t i = 0; found >= 0 && i < sizeof aFamilyWord / sizeof aFamilyWord[0]; i++) {
      const NamePair *w = &aFamilyWord[i];
      if (strcmp(w->id, v) != 0 || strcmp(w->name, lab) == 0 ||
          snprintf(t.body, sizeof t.body, "%s-%s", w->name, rest) >= (int)sizeof t.body ||
          !lookup_plain(ix, &t, &h) || strcmp(aModel[h.model].creator, v) != 0)
        continue;
      if (found && h.model != hit->model) found = -1;
      else if (!found) *hit = h, found = 1;
    }
  }
  if (found <= 0) return 0;
  if (hit->conf > 80) hit->conf = 80, hit->rule = c->display ? TL_RULE_DISPLAY : TL_RULE_ALIAS;
  return 1;
}

/* The name with word and '-' before it, as lookup_plain finds it: rule
** alias (an undated pick stays undated), at most 70. */
static int lookup_word_before(const TlCanonIndex *ix, const Cleaned *c, const char *word, Hit *hit) {
  Cleaned t = *c;
  if (snprintf(t.body, sizeof t.body, "%s-%s", word, c->body) >= (int)sizeof t.body ||
      !lookup_plain(ix, &t, hit))
    return 0;
  if (hit->rule != TL_RULE_UNDATED) hit->rule = TL_RULE_ALIAS;
  if (hit->conf > 70) hit->conf = 70;
  return 1;
}

/* A model whose lab writes its own name before it (deepseek-r1, minimax-m2)
** named by hosts without it ("R1 Distill Qwen 32B", r1-0528): when the
** name's first word is a letter-and-digit model name (r1, m2; not a v3,
** which is any lab's version) that follows exactly one lab word in the
** vocabulary's ids, the name with that word glued on. Rule alias, at most 70. */
static int lookup_lab_prefix(const TlCanonIndex *ix, const Cleaned *c, Hit *hit) {
  size_t fl = strcspn(c->body, "-");
  const char *digit = strpbrk(c->body, "0123456789");
  if (fl < 2 || fl > 8 || !is_lower((unsigned char)c->body[0]) || c->body[0] == 'v' || !digit ||
      (size_t)(digit - c->body) >= fl)
    return 0;
  char lab[48] = "";
  for (size_t m = 0; m < sizeof aModel / sizeof aModel[0]; m++) {
    const char *id = aModel[m].id, *dash = strchr(id, '-');
    char word[48];
    if (!dash || strncmp(dash + 1, c->body, fl) != 0 || (dash[1 + fl] != '-' && dash[1 + fl] != 0) ||
        !copy_str(word, sizeof word, id, (size_t)(dash - id)))
      continue;
    const char *v = PAIR_FIND(aVendor, word);
    if (!v || strcmp(v, aModel[m].creator) != 0) continue;
    if (lab[0] && strcmp(lab, word) != 0) return 0;
    memcpy(lab, word, strlen(word) + 1);
  }
  return lab[0] && lookup_word_before(ix, c, lab, hit);
}

/* A model named without its family word by a host that writes only the
** tier and version (GitLab's opus-4-7, haiku-4-5: claude-opus-4-7): when
** the name's first word, four letters or more and then a version, is the
** second word of the vocabulary's ids after exactly one family word, the
** name with that word before it. Rule alias, at most 70. */
static int lookup_family_prefix(const TlCanonIndex *ix, const Cleaned *c, Hit *hit) {
  size_t fl = 0;
  while (is_lower((unsigned char)c->body[fl])) fl++;
  if (fl < 4 || c->body[fl] != '-' || !is_digit((unsigned char)c->body[fl + 1])) return 0;
  char family[16] = "";
  for (size_t m = 0; m < sizeof aModel / sizeof aModel[0]; m++) {
    size_t wl = ix->family_len[m];
    const char *id = aModel[m].id, *dash = id + wl;
    if (!wl || dash[1] != c->body[0] || strncmp(dash + 1, c->body, fl) != 0 ||
        (dash[1 + fl] != '-' && dash[1 + fl] != 0))
      continue;
    if (family[0] && (strlen(family) != wl || memcmp(family, id, wl) != 0)) return 0;
    memcpy(family, id, wl);
    family[wl] = 0;
  }
  return family[0] && lookup_word_before(ix, c, family, hit);
}

/* Whether word w (n bytes) is option o of model_options.tsv: the word
** itself, or for "*" any word of three or more letters (a voice's name). */
static int option_matches(const char *o, const char *w, size_t n) {
  if (strcmp(o, "*") != 0) return strlen(o) == n && memcmp(o, w, n) == 0;
  if (n < 3) return 0;
  for (size_t i = 0; i < n; i++)
    if (!is_lower((unsigned char)w[i])) return 0;
  return 1;
}

/* Reads rest, the words after model id's dash ("thalia-en" of
** aura-2-thalia-en), as options of id: each word an option row of id after
** the row the word before matched, of another kind (the rows of one model
** are grouped by kind, in option order). A "*" word never ends the name: a
** listed option after it anchors it (aura-flow, a fine-tune, is no voice).
** The first row that matches is taken, without backtracking, which is right
** as long as no word matches two rows of one model. Their row indexes go to
** rows and the words to words; the count, or 0 when a word is no option. */
static int read_options(const char *id, const char *rest, int rows[MAX_QUALS],
                        const char *words[MAX_QUALS]) {
  int n = 0, after = -1;
  for (const char *w = rest; *w;) {
    size_t wl = strcspn(w, "-");
    int found = -1;
    for (int r = after + 1; r < (int)(sizeof aModelOption / sizeof aModelOption[0]) && found < 0; r++)
      if (strcmp(aModelOption[r].model, id) == 0 &&
          (after < 0 || aModelOption[r].kind != aModelOption[after].kind) &&
          option_matches(aModelOption[r].option, w, wl))
        found = r;
    if (found < 0 || n == MAX_QUALS) return 0;
    words[n] = w;
    rows[n++] = after = found;
    w += wl;
    if (*w) w++;
    else if (strcmp(aModelOption[found].option, "*") == 0) return 0;
  }
  return n;
}

/* A model's id followed by options its lab writes into the id (Deepgram's
** aura-2-thalia-en, nova-2-meeting: model_options.tsv): that model, each
** option recorded as a qualifier. The longest id that reads wins (aura-2
** before aura). Rule variant, 85: the lab's own documented spelling. */
static int lookup_option(const TlCanonIndex *ix, Cleaned *c, Hit *hit) {
  if (c->org[0]) return 0; /* an unknown lab's path (fofr/aura-flow): its own model */
  int rows[MAX_QUALS], best_rows[MAX_QUALS], nbest = 0;
  const char *words[MAX_QUALS], *best_words[MAX_QUALS];
  size_t best_len = 0;
  for (size_t r = 0; r < sizeof aModelOption / sizeof aModelOption[0]; r++) {
    const char *id = aModelOption[r].model;
    size_t il = strlen(id);
    if ((r > 0 && strcmp(aModelOption[r - 1].model, id) == 0) || il <= best_len ||
        strncmp(c->body, id, il) != 0 || c->body[il] != '-')
      continue;
    int n = read_options(id, c->body + il + 1, rows, words);
    if (!n) continue;
    best_len = il, nbest = n;
    memcpy(best_rows, rows, sizeof rows);
    memcpy(best_words, words, sizeof words);
  }
  if (!nbest) return 0;
  int m = ix->option_model[best_rows[0]];
  /* another lab's name (amazon/nova-general) is no option of this lab's model */
  if (c->creator && strcmp(c->creator, aModel[m].creator) != 0) return 0;
  for (int i = 0; i < nbest; i++) {
    const ModelOption *o = &aModelOption[best_rows[i]];
    add_qual(c, o->kind, best_words[i], strcspn(best_words[i], "-"), o->price_bearing);
  }
  hit->model = m, hit->rule = TL_RULE_VARIANT, hit->conf = 85;
  hit->ambiguous = hit->floating = hit->too_early = 0;
  hit->date[0] = 0;
  return 1;
}

static int lookup_cleaned(const TlCanonIndex *ix, Cleaned *c, Hit *hit) {
  return lookup_plain(ix, c, hit) || lookup_option(ix, c, hit) || lookup_vendor(ix, c, hit) || lookup_lab_word(ix, c, hit) ||
         lookup_host_product(ix, c, hit) ||
         lookup_instruct(ix, c, hit) || lookup_size_tag(ix, c, hit) ||
         lookup_suffix(c, hit) || lookup_deployed_mmdd(ix, c, hit) ||
         lookup_snapshot_mmdd(ix, c, hit) || lookup_build(ix, c, hit) || lookup_lab_prefix(ix, c, hit) ||
         lookup_family_prefix(ix, c, hit) ||
         lookup_active(ix, c, hit);
}

static void resolve_provider(const Cleaned *c, const char *creator, const char *provider,
                             size_t pn, TlCanon *out, size_t *used) {
  if (provider) {
    char p[64];
    size_t i;
    for (i = 0; i < pn && i < sizeof p - 1; i++)
      p[i] = (char)((provider[i] >= 'A' && provider[i] <= 'Z') ? provider[i] + 32 : provider[i]);
    p[i] = 0;
    const char *id = (pn < sizeof p && strlen(p) == pn) ? PAIR_FIND(aProvider, p) : NULL;
    if (id) {
      out->provider = id, out->provider_rule = TL_RULE_GIVEN, out->provider_conf = 100;
    } else {
      out->provider = pn < sizeof p && strlen(p) == pn ? put(out, used, p, pn) : NULL;
      out->provider_rule = TL_RULE_UNMAPPED, out->provider_conf = 0;
    }
    return;
  }
  if (c && c->provider) {
    out->provider = c->provider == c->gateway ? put(out, used, c->gateway, strlen(c->gateway))
                                              : c->provider;
    out->provider_rule = TL_RULE_PREFIX;
    out->provider_conf = c->provider_conf;
  } else if (creator && is_self_served(creator)) {
    out->provider = creator, out->provider_rule = TL_RULE_CREATOR, out->provider_conf = 50;
  } else {
    out->provider = NULL, out->provider_rule = TL_RULE_UNMAPPED, out->provider_conf = 0;
  }
}

static void reset(TlCanon *out) {
  out->model = NULL;
  out->model_len = 0;
  out->model_is_raw = 0;
  out->model_rule = TL_RULE_UNMAPPED;
  out->model_conf = 0;
  out->provider = NULL;
  out->provider_rule = TL_RULE_UNMAPPED;
  out->provider_conf = 0;
  out->creator = out->family = out->version = NULL;
  out->variant = out->qualifiers = NULL;
  out->floating = 0;
}

/* A raw name no rule understands: itself. */
static void set_raw(TlCanon *out, const char *raw, size_t n) {
  out->model = raw;
  out->model_len = n;
  out->model_is_raw = 1;
  out->model_rule = TL_RULE_UNMAPPED;
  out->model_conf = 0;
}

void tl_canon_provider(const char *raw, size_t n, const char *provider, size_t pn,
                       TlCanon *out) {
  Cleaned c;
  size_t used = 0;
  reset(out);
  if (!provider && n < 64 && !memchr(raw, '/', n)) {
    /* a provider name itself: bedrock_converse, vertex_ai-language-models */
    char p[64];
    for (size_t i = 0; i < n; i++)
      p[i] = (char)((raw[i] >= 'A' && raw[i] <= 'Z') ? raw[i] + 32 : raw[i]);
    p[n] = 0;
    const char *id = strlen(p) == n ? PAIR_FIND(aProvider, p) : NULL;
    if (id) {
      out->provider = id;
      out->provider_rule = strcmp(id, p) == 0 ? TL_RULE_EXACT : TL_RULE_ALIAS;
      out->provider_conf = strcmp(id, p) == 0 ? 100 : 95;
      return;
    }
  }
  int ok = !memchr(raw, 0, n) && clean_name(raw, n, &c); /* U+0000: see tl_canon_resolve */
  const char *creator = ok ? (c.creator ? c.creator : creator_by_word(c.body)) : NULL;
  resolve_provider(ok ? &c : NULL, creator, provider, pn, out, &used);
}

/* The caller's own model, when name (c itself, or the last segment of c's
** path) signs as one of its spellings: 100 when spelled as defined, 95 for
** another spelling, 80 with a trailing mode word dropped. Answers into out
** with c's provider and qualifiers; 0 when no user model matches. */
static int answer_user_model(const TlCanonUser *user, Cleaned *name, Cleaned *c,
                             const char *provider, size_t pn, TlCanon *out, size_t *used) {
  int stripped = 0;
  const UserSig *own = user_model_find(user, name, &stripped);
  if (!own) return 0;
  set_model(out, used, own->id, c->finetune);
  out->model_rule = TL_RULE_USER;
  out->model_conf = stripped ? 80 : strcmp(name->body, own->id) == 0 ? 100 : 95;
  out->creator = own->creator ? put(out, used, own->creator, strlen(own->creator))
                 : c->creator ? c->creator : creator_by_word(name->body);
  if (name != c) {
    for (int i = 0; i < name->nqual; i++)
      add_qual(c, name->qual[i].kind, name->qual[i].value, strlen(name->qual[i].value),
               name->qual[i].price_bearing);
    if (!c->provider && c->gateway[0]) c->provider = c->gateway, c->provider_conf = 30;
  }
  resolve_provider(c, out->creator, provider, pn, out, used);
  note_word_qualifiers(c, own->id);
  set_qualifiers(out, used, c);
  return 1;
}

/* OpenRouter's canonical slugs (inclusionai/ling-2.6-flash-20260421,
** ibm-granite/granite-4.1-8b-20260429): an org/ path and a -YYYYMMDD the
** gateway appends to every model, the day it listed it. Outside the
** vocabulary that date is no snapshot of the lab's: dropped from the
** fallback id and recorded as a version qualifier, unless the lab dates its
** own snapshots in full (dated_labs.tsv full). */
static void drop_slug_date(char *body, const char *creator, Cleaned *c) {
  size_t n = strlen(body);
  if (n < 11 || body[n - 9] != '-' || !all_digits(body + n - 8, 8) || body[n - 8] != '2' ||
      body[n - 7] != '0' || !valid_month_day(body + n - 4, body + n - 2) ||
      (creator && is_dated_lab(creator)))
    return;
  add_qual(c, qual_kind("version"), body + n - 8, 8, 0);
  body[n - 9] = 0;
}

/* ByteDance's Volcengine ids end in the day a model build was deployed,
** -YYMMDD (doubao-seed-1-6-thinking-250615, "Seed 1.8 (251228)"): one
** model under each build, unlike a -YYYYMMDD, which a lab writes for a
** snapshot of its own. Outside the vocabulary it is dropped from the
** fallback id and recorded as a version qualifier, unless the lab's
** undated ids float between full-dated snapshots (dated_labs.tsv full). */
static void drop_build_date(char *body, const char *creator, Cleaned *c) {
  size_t n = strlen(body);
  if (n < 9 || body[n - 7] != '-' || !all_digits(body + n - 6, 6) || body[n - 6] != '2' ||
      body[n - 5] < '3' || !valid_month_day(body + n - 4, body + n - 2) ||
      (creator && is_dated_lab(creator)))
    return;
  add_qual(c, qual_kind("version"), body + n - 6, 6, 0);
  body[n - 7] = 0;
}

/* Does the lab write a full date in its ids dashed (Alibaba's
** qwen-max-2025-01-25), by the vocabulary: some id of its ends -YYYY-MM-DD
** and none -YYYYMMDD? */
static int lab_dashes_dates(const char *creator) {
  int dashed = 0;
  for (size_t m = 0; m < sizeof aModel / sizeof aModel[0]; m++) {
    const char *id = aModel[m].id;
    size_t n = strlen(id);
    if (strcmp(aModel[m].creator, creator) != 0 || n < 11) continue;
    if (id[n - 9] == '-' && all_digits(id + n - 8, 8)) return 0;
    dashed |= id[n - 11] == '-' && all_digits(id + n - 10, 4) && id[n - 6] == '-' &&
              all_digits(id + n - 5, 2) && id[n - 3] == '-' && all_digits(id + n - 2, 2);
  }
  return dashed;
}

/* A snapshot date a host writes -YYYYMMDD (qwen/qwen3.5-plus-20260420), of a
** lab that dates its snapshots in full (dated_labs.tsv full, so the fallback keeps it):
** written as the lab's own ids write dates (qwen3.5-plus-2026-04-20). */
static void lab_date_style(char *body, const char *creator) {
  size_t n = strlen(body);
  if (!creator || !is_dated_lab(creator) || n < 10 || n + 2 > TL_CANON_MAX_NAME ||
      body[n - 9] != '-' || !all_digits(body + n - 8, 8) ||
      !valid_month_day(body + n - 4, body + n - 2) || !lab_dashes_dates(creator))
    return;
  char date[9];
  memcpy(date, body + n - 8, 9);
  snprintf(body + n - 8, 11, "%.4s-%.2s-%.2s", date, date + 4, date + 6);
}

/* Outside the vocabulary, a "(Reasoning)" name of a model line whose lab
** ships thinking weights apart (the vocabulary has a -thinking id of that
** line: qwen3-vl-...-thinking) is that line's -thinking model ("Qwen3 VL
** 4B (Reasoning)" is qwen3-vl-4b-thinking); the line is the family word and
** a word of letters after it (vl, omni), never a size (Qwen3 4B is a hybrid
** model). */
static void thinking_line(char *body) {
  size_t n = strlen(body), w1 = strcspn(body, "-");
  if (n < 11 || strcmp(body + n - 10, "-reasoning") != 0 || has_word(body, "non-reasoning") ||
      !body[w1])
    return;
  size_t w2 = w1 + 1 + strcspn(body + w1 + 1, "-");
  for (size_t i = w1 + 1; i < w2; i++)
    if (!is_lower((unsigned char)body[i])) return;
  for (size_t m = 0; m < sizeof aModel / sizeof aModel[0]; m++)
    if (strncmp(aModel[m].id, body, w2) == 0 && aModel[m].id[w2] == '-' &&
        has_word(aModel[m].id + w2, "thinking")) {
      memcpy(body + n - 10, "-thinking", 10);
      return;
    }
}

/* Artificial Analysis writes a display's "(Reasoning)" as a -reasoning slug
** (solar-pro-2-reasoning, cogito-v2-1-reasoning; at an effort,
** nova-2-0-pro-reasoning-low): a name outside the vocabulary ending so is
** read as that display name. A lab that names a
** reasoning model -reasoning (phi-4-reasoning, sonar-reasoning) has it in
** the vocabulary, found before this. */
static int is_mode_slug(const char *body) {
  size_t n = strlen(body);
  const char *dash = strrchr(body, '-');
  if (dash && is_effort_word(dash + 1)) n = (size_t)(dash - body); /* -reasoning-low */
  return n > 10 && strncmp(body + n - 10, "-reasoning", 10) == 0 && !has_word(body, "non-reasoning");
}

/* A part of a display name (its parenthesized group, its last '/' part),
** cleaned into in, that is a vocabulary model named as such, not a guess
** (confidence 80 or more, not an undated pick): 1 with its hit, recorded as
** a variant of the name at confidence 70; else 0, *hit untouched. */
static int sure_part(const TlCanonIndex *ix, Cleaned *in, const char *as_of, Hit *hit) {
  Hit h;
  in->as_of = as_of;
  if (!lookup_cleaned(ix, in, &h) || h.conf < 80 || h.rule == TL_RULE_UNDATED) return 0;
  *hit = h;
  hit->rule = TL_RULE_VARIANT;
  hit->conf = 70;
  return 1;
}

void tl_canon_resolve(const TlCanonIndex *ix, const char *raw, size_t n, const char *provider,
                      size_t pn, const TlCanonUser *user, const char *as_of, TlCanon *out) {
  Cleaned c;
  Hit hit;
  Signature sig;
  size_t used = 0;
  reset(out);
  /* A name holding U+0000 is kept whole and unmapped: cleaning works on C
  ** strings, and "gpt-4o\0evil" must never pass for gpt-4o. */
  int ok = !memchr(raw, 0, n) && clean_name(raw, n, &c);
  c.as_of = as_of;
  if (!ok) {
    set_raw(out, raw, n);
    resolve_provider(NULL, NULL, provider, pn, out, &used);
    return;
  }
  /* the caller's aliases win: raw (trimmed, lowercased), then cleaned */
  if (user) {
    char key[TL_CANON_MAX_NAME + 1];
    size_t kl = 0;
    const char *r = raw;
    size_t rn = n;
    while (rn && (*r == ' ' || *r == '\t')) r++, rn--;
    while (rn && (r[rn - 1] == ' ' || r[rn - 1] == '\t')) rn--;
    for (; kl < rn; kl++) key[kl] = (char)((r[kl] >= 'A' && r[kl] <= 'Z') ? r[kl] + 32 : r[kl]);
    key[kl] = 0;
    const char *v = user_find(user, key);
    if (!v) v = user_find(user, c.body);
    if (v) {
      Cleaned vc;
      const char *creator = NULL;
      if (clean_name(v, strlen(v), &vc) && sign(vc.body, 0, &sig) && lookup(ix, &sig, &vc, &hit))
        creator = aModel[hit.model].creator;
      int stripped;
      const UserSig *own = creator ? NULL : user_model_find(user, &vc, &stripped);
      set_model(out, &used, v, 0);
      out->model_rule = TL_RULE_USER;
      out->model_conf = 100;
      out->creator = creator ? creator
                     : own && own->creator ? put(out, &used, own->creator, strlen(own->creator))
                     : (c.creator ? c.creator : creator_by_word(c.body));
      resolve_provider(&c, out->creator, provider, pn, out, &used);
      note_word_qualifiers(&c, v);
      set_qualifiers(out, &used, &c);
      return;
    }
    if (answer_user_model(user, &c, &c, provider, pn, out, &used)) return;
  }
  int found = lookup_host_id(ix, &c, &hit) || lookup_cleaned(ix, &c, &hit);
  const char *slash = NULL;
  for (size_t i = 0; i < n; i++)
    if (raw[i] == '/') slash = raw + i;
  Cleaned last;
  int have_last = 0;
  if (!found && slash && !memchr(raw, ' ', n)) {
    /* an unknown host path (crusoe/Qwen/..., TEE/...): the last segment (a
    ** display name's parentheses, naver/hyperclova-x-seed-think-(32b), too) */
    if (clean_name(slash + 1, (size_t)(raw + n - slash - 1), &last)) {
      have_last = 1;
      last.stripped = 1;
      last.as_of = as_of;
      if (user && answer_user_model(user, &last, &c, provider, pn, out, &used)) return;
      /* only when the path was not understood: a last segment that cleans to
      ** the body of the whole name means cleaning already took the path
      ** apart (mistral/, bedrock/us.anthropic.), and looking it up again
      ** would only drop what that path said, its creator */
      found = strcmp(last.body, c.body) != 0 &&
              (lookup_host_id(ix, &last, &hit) || lookup_cleaned(ix, &last, &hit));
      if (found && hit.conf > 70) hit.conf = 70;
      if (found && !c.provider && c.gateway[0]) {
        c.provider = c.gateway;
        c.provider_conf = 30;
      }
      /* the path's qualifiers and the last segment's own (:free, -fast) */
      if (found)
        for (int i = 0; i < last.nqual; i++)
          add_qual(&c, last.qual[i].kind, last.qual[i].value, strlen(last.qual[i].value),
                   last.qual[i].price_bearing);
    }
  }
  if (!found && !c.display && is_mode_slug(c.body)) c.mode_group = 1;
  if (!found && c.mode_group) {
    /* a display's "(Reasoning)" of a lab that names the mode thinking ("Qwen3
    ** Omni 30B A3B (Reasoning)" is qwen3-omni-30b-a3b-thinking) */
    size_t bn = strlen(c.body);
    Cleaned t = c;
    if (bn > 10 && strcmp(t.body + bn - 10, "-reasoning") == 0 && !has_word(t.body, "non-reasoning")) {
      memcpy(t.body + bn - 10, "-thinking", 10);
      if (lookup_cleaned(ix, &t, &hit) && has_word(aModel[hit.model].id, "thinking")) {
        found = 1;
        if (hit.rule != TL_RULE_UNDATED) hit.rule = TL_RULE_VARIANT;
        if (hit.conf > 80) hit.conf = 80;
      }
    }
  }
  if (!found && c.display) {
    /* "Nano Banana (Gemini 2.5 Flash Image)": a nickname with the model's
    ** own name in parentheses; taken when that name alone is a vocabulary
    ** model named as such (not a guess: confidence 80 or more); so is a
    ** vocabulary id in the group, alone or among its comma-separated words
    ** ("GPT-4o (March 2025, chatgpt-4o-latest)") */
    const char *open = memchr(raw, '(', n), *close = open ? memchr(open, ')', (size_t)(raw + n - open)) : NULL;
    Cleaned in;
    for (const char *part = open ? open + 1 : NULL, *end; !found && part && close && part < close &&
                                                         open > raw && open[-1] == ' ';
         part = end + 1) {
      end = memchr(part, ',', (size_t)(close - part));
      if (!end) end = close;
      while (part < end && *part == ' ') part++;
      /* a display name as the whole group, or an id (with a number) */
      int whole = part == open + 1 && end == close;
      if (end > part && clean_name(part, (size_t)(end - part), &in) &&
          (in.display ? whole : strpbrk(in.body, "0123456789") != NULL)) {
        found = sure_part(ix, &in, as_of, &hit);
      }
    }
  }
  if (!found && c.display && slash) {
    /* "DeepSeek V3/Deepseek Chat": a display naming the model two ways, the
    ** last a vocabulary model named as such */
    Cleaned in;
    if (clean_name(slash + 1, (size_t)(raw + n - slash - 1), &in)) {
      found = sure_part(ix, &in, as_of, &hit);
    }
  }
  if (!found && slash && !c.display) {
    /* an OpenRouter slug of a known model (anthropic/claude-4.6-opus-fast-20260407):
    ** without its listing date, unless the lab dates its own snapshots in
    ** full (dated_labs.tsv full) */
    Cleaned *t = have_last ? &last : &c;
    Cleaned u = *t;
    char date[9];
    size_t bn = strlen(u.body);
    if (bn > 9 && u.body[bn - 9] == '-' && copy_str(date, sizeof date, u.body + bn - 8, 8)) {
      drop_slug_date(u.body, NULL, &u);
      if (strlen(u.body) < bn && lookup_cleaned(ix, &u, &hit) &&
          !is_dated_lab(aModel[hit.model].creator)) {
        found = 1;
        if (hit.conf > 70) hit.conf = 70;
        if (hit.rule != TL_RULE_UNDATED) hit.rule = TL_RULE_VARIANT;
        add_qual(&c, qual_kind("version"), date, 8, 0);
      }
    }
  }
  if (!found) {
    /* the last lookups, once per name rather than per candidate spelling:
    ** the name, else an unknown host path's last segment */
    found = lookup_tidied(ix, &c, &hit);
    if (!found && have_last && (found = lookup_tidied(ix, &last, &hit)) != 0) {
      if (hit.conf > 70) hit.conf = 70;
      for (int i = 0; i < last.nqual; i++)
        add_qual(&c, last.qual[i].kind, last.qual[i].value, strlen(last.qual[i].value),
                 last.qual[i].price_bearing);
    }
  }
  if (found) {
    set_model(out, &used, aModel[hit.model].id, c.finetune);
    out->floating = hit.floating;
    out->model_rule = c.finetune ? TL_RULE_FINETUNE : hit.rule;
    out->model_conf = c.finetune && hit.conf > 80 ? 80 : hit.conf;
    if (c.ambiguous && out->model_conf > 60) out->model_conf = 60;
    out->creator = aModel[hit.model].creator;
    if (hit.date[0]) add_qual(&c, qual_kind("version"), hit.date, strlen(hit.date), 0);
    note_word_qualifiers(&c, aModel[hit.model].id);
  } else if (have_last && strchr(c.body, '/')) {
    /* an unknown model under an unknown vendor or host path
    ** (alpindale/goliath-120b, NousResearch/Hermes-4-70B): the model is the
    ** last segment; its creator the segment before it when the vendor table
    ** knows it, else by the model's first word, else unknown */
    const char *end = slash, *seg = slash;
    while (seg > raw && seg[-1] != '/') seg--;
    char vendor[48];
    size_t vl = (size_t)(end - seg);
    const char *v = NULL;
    if (vl < sizeof vendor) {
      for (size_t i = 0; i < vl; i++)
        vendor[i] = (char)((seg[i] >= 'A' && seg[i] <= 'Z') ? seg[i] + 32 : seg[i]);
      vendor[vl] = 0;
      v = PAIR_FIND(aVendor, vendor);
    }
    /* a segment vendors.tsv lacks that is no host (swiss-ai/, LiquidAI/): the org publishing
    ** the model is its creator, before the model's family word (aisingapore/gemma-...) */
    char org[48];
    org_creator(seg, vl, org);
    const char *word = creator_by_words(last.body);
    /* an org publishing the weights in another format (TheBloke/...-AWQ,
    ** bartowski/...-GGUF) converted them: the family word is the creator */
    if (org[0] && word && weight_format_suffix(last.body)) org[0] = 0;
    /* an org spelled as the model's family word (longcat/longcat-flash-lite,
    ** gigachat/GigaChat-2-Lite) is the family's */
    if (org[0] && word && strncmp(last.body, org, strlen(org)) == 0 &&
        !is_alnum((unsigned char)last.body[strlen(org)]))
      org[0] = 0;
    out->creator = v && !(c.creator_weak && word) ? v
                   : c.creator && !(c.creator_weak && word) ? c.creator
                   : org[0] ? put(out, &used, org, strlen(org))
                   : c.org[0] ? put(out, &used, c.org, strlen(c.org))
                   : word ? word : last.creator;
    if (is_mode_slug(last.body)) last.mode_group = 1;
    if (last.mode_group) thinking_line(last.body);
    tidy_unknown(last.body, last.mode_group, last.display);
    drop_slug_date(last.body, out->creator, &c);
    drop_build_date(last.body, out->creator, &c);
    lab_date_style(last.body, out->creator);
    set_model(out, &used, last.body, c.finetune);
    out->model_rule = out->creator ? TL_RULE_FAMILY : TL_RULE_PREFIX;
    out->model_conf = out->creator ? 30 : 20;
    for (int i = 0; i < last.nqual; i++)
      add_qual(&c, last.qual[i].kind, last.qual[i].value, strlen(last.qual[i].value),
               last.qual[i].price_bearing);
  } else {
    const char *word = creator_by_words(c.body);
    out->creator = c.creator && !(c.creator_weak && word) ? c.creator
                   : c.org[0] ? put(out, &used, c.org, strlen(c.org))
                   : word;
    if (!out->creator && !c.stripped && !c.display) {
      /* unmapped, but one model all the same however it is cased and
      ** punctuated (ling-2-6-flash, Ling-2.6-flash): the cleaned name, tidied */
      tidy_unknown(c.body, c.mode_group, c.display);
      set_model(out, &used, c.body, c.finetune);
      out->model_rule = TL_RULE_UNMAPPED;
      out->model_conf = 0;
    } else {
      /* display names too: "Jamba 1.5 Large" is jamba-1.5-large */
      if (c.mode_group) thinking_line(c.body);
      if (c.display) drop_display_lab(c.body, out->creator);
      tidy_unknown(c.body, c.mode_group, c.display);
      /* a month hint the vocabulary could not place ("Mistral Small (Feb '24)",
      ** "DeepSeek-V2.5 (Dec '24)") names a snapshot it lacks: the id keeps it
      ** as -YYMM, never the undated model (another snapshot) */
      size_t bl = strlen(c.body);
      if (c.month && c.year >= 2000 && c.year < 2100 && bl + 5 <= TL_CANON_MAX_NAME)
        snprintf(c.body + bl, sizeof c.body - bl, "-%02d%02d", c.year % 100, c.month);
      if (slash && !c.display) drop_slug_date(c.body, out->creator, &c);
      drop_build_date(c.body, out->creator, &c);
      lab_date_style(c.body, out->creator);
      if (c.size_tag && out->creator) add_tuning_word(c.body);
      set_model(out, &used, c.body, c.finetune);
      out->model_rule = out->creator ? TL_RULE_FAMILY : c.display ? TL_RULE_UNMAPPED : TL_RULE_PREFIX;
      out->model_conf = out->creator ? 30 : c.display ? 0 : 20;
    }
  }
  resolve_provider(&c, out->creator, provider, pn, out, &used);
  set_qualifiers(out, &used, &c);
}
