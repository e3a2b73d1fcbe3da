/*
** Pricing files: one decoder per format, one row per model entry and price
** tier. Core code (no SQLite); vtab/pricing.c and vtab/pricing_files.c are
** the SQL face, through the row sets and cache of ext/core/pricing_rows.h.
**
** A pricing file is streamed: pricing_source_open() finds where the entries
** are (the members of the root object, the elements of the root array, or
** the elements of root.data), builds one entry at a time as a JsonValue tree,
** and hands it to the format's decoder, which emits PriceRows. So memory is
** bounded by the largest single entry, not by the file.
**
** Units: every *_cost_per_token is USD (or `currency`) per one token, as a
** double nearest to the input's decimal value (a per-1M price "0.15" becomes
** the double nearest 1.5e-7, not 0.15/1e6). NAN means NULL (missing, variable
** or invalid), and then `note` says why. Integers use -1 for NULL.
*/
#ifndef TOKENLEDGER_PRICING_H
#define TOKENLEDGER_PRICING_H

#include <stddef.h>

#include "json.h"
#include "tl_file.h"

typedef struct PriceRow {
  const char *raw_provider;
  const char *raw_model;
  const char *mode;             /* chat, embedding, image_generation, ...; NULL */
  long long tier_start_tokens;  /* 0 for the base price; the threshold of a tier */
  double input_cost_per_token;
  double output_cost_per_token;
  double cache_read_cost_per_token;
  double cache_write_cost_per_token;
  double reasoning_cost_per_token;
  long long context_window;     /* -1: unknown */
  long long max_output_tokens;  /* -1: unknown */
  const char *currency;         /* "USD" unless the file says otherwise */
  const char *effective_from;   /* YYYY-MM-DD or NULL */
  const char *note;             /* why a price is NULL, or how a tier applies */
  const char *extra;            /* JSON object of the entry's other fields */
  /* Prices of the other units providers bill (issue 11), per token unless
  ** named otherwise; NAN: not priced (or invalid, with a note). */
  double input_audio_cost_per_token;
  double output_audio_cost_per_token;
  double cache_read_audio_cost_per_token;
  double input_image_cost_per_token;
  double output_image_cost_per_token;
  double input_video_cost_per_token;
  double output_video_cost_per_token;
  double cache_write_1h_cost_per_token; /* Anthropic's 1-hour cache write;
                                           cache_write is the 5-minute one */
  double per_request_cost;              /* per API request */
  double web_search_cost;               /* per web search call */
  /* Conditions of the price. */
  const char *service_tier;     /* NULL: standard; "batch", "flex", "priority" */
  const char *window_start;     /* daily UTC window "HH:MM:SS", NULL: all day */
  const char *window_end;
} PriceRow;

/* Every price column of a PriceRow, for code that treats them alike
** (clearing a tier row, the vtab's columns): offsets of doubles. */
extern const size_t pricing_cost_offsets[];
extern const int pricing_cost_count;
/* The price column at offsetof(PriceRow, ...) `offset`. */
#define PRICING_COST(row, offset) (*(double *)(void *)((char *)(row) + (offset)))
/* Sets every price column of row to NAN (a tier or service-tier row that
** starts from its base row's other columns). */
void pricing_row_clear_prices(PriceRow *row);

/* Where a format keeps its entries. */
typedef enum PricingLayout {
  PRICING_ROOT_MEMBERS,   /* {"entry key": {...}, ...}          litellm, modelsdev */
  PRICING_ROOT_ELEMENTS,  /* [{...}, ...]                       genai-prices */
  PRICING_KEYED_ELEMENTS  /* {..., "KEY": [{...}, ...], ...}    openrouter ("data"),
                             tokenledger ("prices"); the root's other members
                             read before KEY are the file's header */
} PricingLayout;

/* What a decoder writes rows into. Strings in a row need only live until
** emit returns: the receiver copies what it keeps. `scratch` is reset after
** each entry; decoders put temporary strings there. */
typedef struct PricingEmitter PricingEmitter;
struct PricingEmitter {
  int (*emit)(PricingEmitter *em, const PriceRow *row); /* 0 ok, -1 stop */
  JsonArena *scratch;
  const char *file;  /* for messages */
  /* An entry that is not a model (LiteLLM's sample_spec): no row, but it is
  ** counted and reported with its reason. 0 ok, -1 stop. */
  int (*skip)(PricingEmitter *em, const char *key, const char *reason);
  /* KEYED_ELEMENTS layouts: an object of the root members before the entries
  ** array (e.g. a file-wide currency); NULL otherwise. */
  const JsonValue *header;
  /* Set when nobody will read `extra`: pricing_extra() then returns NULL
  ** without serializing anything (the costliest part of decoding). */
  int skip_extra;
  /* Set by the helpers below when an allocation fails. Decoders store their
  ** results (a note, extra) without checking each one, so a NULL there could
  ** be an allocation failure: receivers refuse rows while it is set, and
  ** pricing_source_next fails the entry, so no row loses a value silently. */
  int oom;
};

typedef struct PricingFormat {
  const char *name;
  PricingLayout layout;
  /* How sure (0..100) that a file whose first entry is `entry` (with `key`
  ** when the layout has keys) is of this format. */
  int (*detect)(const char *key, const JsonValue *entry);
  /* Emit every row of one entry. Returns 0, or -1 when emit asked to stop.
  ** A malformed entry is not an error: it becomes a row whose note says
  ** what is wrong, so no entry is ever dropped silently. */
  int (*decode)(PricingEmitter *em, const char *key, const JsonValue *entry);
  const char *array_key; /* KEYED_ELEMENTS: the member holding the entries */
} PricingFormat;

extern const PricingFormat pricing_format_litellm;
extern const PricingFormat pricing_format_openrouter;
extern const PricingFormat pricing_format_modelsdev;
extern const PricingFormat pricing_format_genai_prices;
extern const PricingFormat pricing_format_tokenledger;

/* The formats in detection order; NULL-terminated. The one list of them
** (ext/core/pricing_source.c): everything that names the formats reads it. */
extern const PricingFormat *const pricing_formats[];
const PricingFormat *pricing_format_by_name(const char *name);
/* The words a format argument takes: "auto", then every format's name in
** detection order, then NULL (a TlArgSpec's choices, ext/core/args.h). */
#define PRICING_FORMAT_CHOICES 16
void pricing_format_choices(const char *out[PRICING_FORMAT_CHOICES]);

/* A tl_malloc'd printf, for the messages of pricing's core; NULL when out of
** memory. */
char *pricing_message(const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* A PriceRow with every price NAN, integers -1, currency "USD". */
void pricing_row_init(PriceRow *row);

/* Decoder helpers (ext/core/pricing_common.c). */
/* Price of a JSON number or decimal string, scaled by 10^shift10 (e.g. -6
** for per-1M prices), into *out. Returns 0 on success; otherwise *out is NAN
** and *why a static reason ("missing", "not a number", "negative"). */
int pricing_value_to_cost(const JsonValue *v, int shift10, double *out,
                          const char **why);
/* The string value of a member, or NULL if absent or not a string. */
const char *pricing_take_string(const JsonValue *obj, const char *key);
/* An integer member (JSON number with an integral value), or -1. */
long long pricing_take_integer(const JsonValue *obj, const char *key);
/* The JSON text of obj's members not taken, in scratch ("{}" if none);
** NULL when em->skip_extra is set (or out of memory). */
const char *pricing_extra(PricingEmitter *em, const JsonValue *obj);
/* printf into scratch. */
const char *pricing_printf(PricingEmitter *em, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Append "; " + more to a note (either may be NULL), in scratch. */
const char *pricing_note_add(PricingEmitter *em, const char *note,
                             const char *more);

/* Building an extra object member by member, in scratch (for decoders
** whose extra gathers fields from several levels of an entry). When
** em->skip_extra is set the puts add nothing (pricing_extra gives NULL). */
JsonValue *pricing_extra_object(PricingEmitter *em);
/* Appends a shallow copy of v under key (which must outlive the row). */
int pricing_extra_put(PricingEmitter *em, JsonValue *obj, const char *key, const JsonValue *v);
/* Appends the members of src not taken so far; with a prefix, the keys that
** do not already start with it get it. */
int pricing_extra_put_unused(PricingEmitter *em, JsonValue *obj, const JsonValue *src,
                             const char *prefix);
/* Appends, under key, an object of src's members not taken (if any). */
int pricing_extra_put_rest(PricingEmitter *em, JsonValue *obj, const char *key,
                           const JsonValue *src);

/* Streaming source over one file. */
typedef struct PricingSource PricingSource;

/* Opens path and detects its format (or uses `format` unless it is NULL or
** "auto"). On failure returns NULL and *err is a message allocated with
** tl_malloc ("FILE:LINE:COL: ..." or "cannot open 'FILE': ..."). */
PricingSource *pricing_source_open(const char *path, const char *format,
                                   char **err);
const PricingFormat *pricing_source_format(const PricingSource *src);
/* The identity of the file being read (checked around the open, so it is the
** version the reader has: a cache may key on it). */
const TlFileId *pricing_source_file_id(const PricingSource *src);
/* Decode the next entry into em. Returns 1 (an entry was decoded), 0 (no
** more entries), -1 (error: *err as above, tl_malloc'd; NULL when memory ran
** out). An entry in which any key or string holds U+0000 is not decoded but
** reported through em->skip: C strings would cut a name at it, and
** "gpt-4o\u0000evil" would pass for a second gpt-4o. At the end of the file
** the path's identity is compared with the one at open: a file rewritten or
** replaced while it was read is an error, not a mix of two versions. */
int pricing_source_next(PricingSource *src, PricingEmitter *em, char **err);
/* How many entries were read so far (decoded or skipped). */
long long pricing_source_entries(const PricingSource *src);
void pricing_source_close(PricingSource *src);

#endif
