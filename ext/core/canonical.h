/*
** The canonicalizer: every spelling of a model name, from any price list,
** benchmark table, gateway or usage log, to one canonical model id, one
** serving provider and one creator, each with the rule that decided it and
** an integer confidence from 0 to 100. Plain C, no SQLite; ext/core/canonical.c
** holds the rules, ext/vocab/ the vocabulary (data compiled in), and
** ext/func_canonical.c and vtab/resolve_model.c bind it to SQL.
**
**   TlCanonIndex *ix = tl_canon_index_new(err, sizeof err);
**   TlCanon c;
**   tl_canon_resolve(ix, "us.anthropic.claude-3-5-sonnet-20241022-v2:0", 44,
**                    NULL, 0, NULL, &c);
**   c.model    -> "claude-3-5-sonnet-20241022"  (rule prefix, confidence 95)
**   c.provider -> "amazon-bedrock"              (rule prefix, confidence 95)
**   c.creator  -> "anthropic"
**   c.variant  -> "region=us"                   (Bedrock's us. costs 10% more)
**   c.qualifiers -> "region=us;version=v2:0"
**
** The index is immutable once built, so one index may serve any number of
** threads; each TlCanon result is the caller's. User aliases (TlCanonUser)
** are parsed from a JSON object that the caller passes in; they never change
** the index.
*/
#ifndef TOKENLEDGER_CANONICAL_H
#define TOKENLEDGER_CANONICAL_H

#include <stddef.h>

/* Names longer than this are never mapped: they come back as themselves,
** rule unmapped (no real model name is a tenth of this). */
#define TL_CANON_MAX_NAME 256

/* The rules, in the order a reader should trust them. */
typedef enum TlCanonRule {
  TL_RULE_USER,      /* the caller's own alias (confidence 100) */
  TL_RULE_EXACT,     /* the name is the canonical id itself */
  TL_RULE_PREFIX,    /* gateway, region or vendor prefixes/suffixes removed */
  TL_RULE_ALIAS,     /* a known other spelling of a known model */
  TL_RULE_DISPLAY,   /* a human display name ("Claude 3.5 Sonnet (Oct '24)") */
  TL_RULE_VARIANT,   /* a reasoning-effort or quantization variant of it */
  TL_RULE_UNDATED,   /* an undated alias resolved to a dated snapshot */
  TL_RULE_FINETUNE,  /* an OpenAI-style ft: fine-tune of a known model */
  TL_RULE_GIVEN,     /* provider: the caller's provider argument */
  TL_RULE_CREATOR,   /* provider: the creator's own API, guessed */
  TL_RULE_FAMILY,    /* model: known family, unknown model; cleaned name */
  TL_RULE_UNMAPPED   /* nothing applied: the name comes back as itself */
} TlCanonRule;

/* One answer. Strings are NUL-terminated and live in buf (or, for model and
** when model_is_raw is set, are the caller's raw bytes). NULL means unknown. */
typedef struct TlCanon {
  const char *model;
  size_t model_len;
  int model_is_raw;  /* model is the raw input, unchanged (rule unmapped) */
  TlCanonRule model_rule;
  int model_conf;
  const char *provider;
  TlCanonRule provider_rule;
  int provider_conf;
  const char *creator;
  const char *family;
  const char *version;
  /* The qualifiers of ext/vocab/qualifiers.tsv found in the name, as
  ** kind=value joined by ';' in a fixed order (kind as that file orders
  ** them, then value): variant the price-bearing ones (region=eu,
  ** free_tier=free), NULL for the plain on-demand global offering;
  ** qualifiers all of them (also -maas, -fp8, -v1:0), NULL for none. The
  ** model stays the base model: the variant says which offering of it. */
  const char *variant;
  const char *qualifiers;
  /* The model came from a floating alias (ext/vocab/latest.tsv:
  ** mistral-large-latest), so the answer depends on as_of: a cache of
  ** answers without as_of must resolve such a name again when given one. */
  int floating;
  char buf[5 * TL_CANON_MAX_NAME];
} TlCanon;

typedef struct TlCanonIndex TlCanonIndex;
typedef struct TlCanonUser TlCanonUser;

/* Build the index of the built-in vocabulary. Returns NULL on out-of-memory
** or when the vocabulary contradicts itself (two models with one
** signature); err then says which. */
TlCanonIndex *tl_canon_index_new(char *err, size_t errlen);
void tl_canon_index_free(TlCanonIndex *ix);

/* Resolve raw (n bytes, may contain anything) served by provider (pn bytes;
** provider NULL when not given) with the caller's aliases (NULL for none).
** as_of: the date the name was used on, as the 10 bytes "YYYY-MM-DD" (a
** price list's snapshot date, an event's timestamp; the caller checks the
** shape), or NULL: a floating alias (mistral-large-latest) then resolves to
** the snapshot it named on that date. */
void tl_canon_resolve(const TlCanonIndex *ix, const char *raw, size_t n,
                      const char *provider, size_t pn, const TlCanonUser *user,
                      const char *as_of, TlCanon *out);

/* Whether s (n bytes) begins with a YYYY-MM-DD date, as as_of must: a
** timestamp ("2025-02-07T10:00:00Z") qualifies by its first 10 bytes. */
int tl_canon_is_date(const char *s, size_t n);

/* Only the provider of raw (or of the provider argument): cheaper. */
void tl_canon_provider(const char *raw, size_t n, const char *provider,
                       size_t pn, TlCanon *out);

/* Copy the answer src to dst (which may not overlap it), so that dst
** outlives src: pointers into src->buf are rebased onto dst->buf, and
** pointers to the static vocabulary are kept. When src->model_is_raw, the
** model is the raw input of tl_canon_resolve, which belongs to its caller
** and not to the answer: dst->model is then NULL (model_len kept) and the
** holder of the copy must supply the raw name itself. Only the first
** tl_canon_size(src) bytes are read and written, so either side may be an
** allocation of that size (ext/core/canonical_cache.c keeps answers so). */
void tl_canon_copy(TlCanon *dst, const TlCanon *src);

/* The bytes of c that hold the answer: its fields, then buf up to the end
** of its last string there (usually tens of bytes of the 1,280). */
size_t tl_canon_size(const TlCanon *c);

/* The position of a qualifier kind ("region", "service_tier", "window",
** ...; n bytes) in the fixed order variant lists kinds in, or -1 for no
** kind. */
int tl_canon_kind_rank(const char *kind, size_t n);

/* The rate-card key of an offering (ext/core/variant_key.c): variant (vn bytes;
** NULL for the plain offering), a kind=value list such as resolve_model's
** 'region=eu;free_tier=free', with a service tier (tier, tn bytes; NULL,
** '', 'default', 'standard' and 'auto' are the standard tier, which adds
** nothing) and a daily UTC window (w0, w1: 'HH:MM:SS' each, or both NULL)
** merged in; a condition given replaces the variant's pair of its kind. The
** pairs come out in the fixed kind order, then by text:
**   ('region=eu', 'batch') -> 'region=eu;service_tier=batch'
** Writes the key to out (TL_VARIANT_KEY_SIZE bytes; "" when nothing
** remains) and returns 0, or returns -1 with err saying what is wrong (an
** unknown kind, a tier that is not a word, a window bound that is not a time
** of day, a key too long). */
#define TL_VARIANT_KEY_SIZE 400
int tl_variant_key(const char *variant, size_t vn, const char *tier, size_t tn,
                   const char *w0, size_t w0n, const char *w1, size_t w1n, char *out,
                   char *err, size_t errlen);

/* The stable name of a rule ("exact", "alias", ..., "unmapped"). */
const char *tl_canon_rule_name(TlCanonRule rule);

/* The caller's vocabulary: a JSON object of two kinds of members.
**   "raw name": "canonical id"      an alias, e.g. {"my-gpt": "gpt-4o-2024-08-06"};
**       keys match case-insensitively, against the raw name and against the
**       name with its gateway prefixes removed (confidence 100);
**   "id": {"creator": "lab", "aliases": ["spelling", ...]}   a model the
**       built-in vocabulary lacks (both members optional): every name that
**       signs as the id or one of the aliases, as the built-in models are
**       signed, resolves to it (100 spelled as the id, 95 otherwise, 80
**       with a trailing mode word dropped), also under an unknown host path.
** Both win over the built-in vocabulary, rule user. Two models with
** spellings that sign alike are an error. Returns NULL and fills err
** ("aliases:LINE:COL: ...") on a malformed object or out-of-memory. */
TlCanonUser *tl_canon_user_parse(const char *json, size_t n, char *err,
                                 size_t errlen);
void tl_canon_user_free(TlCanonUser *u);

/* The number of models in the built-in vocabulary and the i-th canonical
** id (for tests: no two may share a name). */
size_t tl_canon_model_count(void);
const char *tl_canon_model_id(size_t i);

#endif
