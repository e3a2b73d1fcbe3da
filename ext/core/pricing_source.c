/*
** A pricing file as a stream of entries: format detection and the walk to
** where the entries are. See pricing.h.
**
** HOW IT WORKS. The root decides the candidates. A root array holds entries
** as its elements (genai-prices). A root object either holds entries as its
** members (litellm, modelsdev: the first member's value is built and each
** ROOT_MEMBERS format scores it), or holds them in one array member after a
** few header members (openrouter's "data", tokenledger's "prices"): members
** whose values the ROOT_MEMBERS formats do not recognize are kept as the
** header until a member whose key is a KEYED_ELEMENTS format's array key and
** whose value is an array; its first element is scored. The entry read for
** detection is decoded first; after that each call reads exactly one entry,
** so the tree of one entry is all that is ever built.
**
** Every entry tree is searched for U+0000 before it is decoded: decoders and
** rows hold C strings, which would end a name at it. Such an entry is
** skipped with its reason instead (so entries = models + skipped still
** holds). The file's identity is taken before and after the open (equal, so
** the reader has that version) and again at the end of the entries.
*/
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pricing.h"
#include "tl_alloc.h"

/* How many root members may precede the entries array of a keyed layout. */
#define MAX_HEADER_MEMBERS 64

/* The one list of formats, in detection order: detection, format= (the
** virtual tables' argument choices) and every message that lists formats
** read it. A format is its decoder file and one line here. */
const PricingFormat *const pricing_formats[] = {
    &pricing_format_litellm,      &pricing_format_openrouter,  &pricing_format_modelsdev,
    &pricing_format_genai_prices, &pricing_format_tokenledger, NULL};

_Static_assert(sizeof pricing_formats / sizeof *pricing_formats + 1 <= PRICING_FORMAT_CHOICES,
               "PRICING_FORMAT_CHOICES must hold auto, every format and the NULL");

const PricingFormat *pricing_format_by_name(const char *name) {
  for (int i = 0; pricing_formats[i]; i++) {
    if (strcmp(pricing_formats[i]->name, name) == 0) return pricing_formats[i];
  }
  return NULL;
}

void pricing_format_choices(const char *out[PRICING_FORMAT_CHOICES]) {
  int n = 0;
  out[n++] = "auto";
  for (int i = 0; pricing_formats[i]; i++) out[n++] = pricing_formats[i]->name;
  out[n] = NULL;
}

/* The bit of a layout in the masks below. */
#define LAYOUT(layout) (1u << (layout))
#define OBJECT_ROOT (LAYOUT(PRICING_ROOT_MEMBERS) | LAYOUT(PRICING_KEYED_ELEMENTS))

/* "a, b or c": first (unless NULL), then the names of the formats whose
** layout is in `layouts` (and, if array_key is not NULL, whose entries are
** under that key), as messages list what is expected. */
static const char *format_list(char *buf, size_t size, const char *first, unsigned layouts,
                               const char *array_key) {
  const char *names[PRICING_FORMAT_CHOICES];
  size_t n = 0, used = 0;
  if (first) names[n++] = first;
  for (int i = 0; pricing_formats[i]; i++) {
    const PricingFormat *f = pricing_formats[i];
    if (!(layouts & LAYOUT(f->layout))) continue;
    if (array_key && (!f->array_key || strcmp(f->array_key, array_key) != 0)) continue;
    names[n++] = f->name;
  }
  buf[0] = 0;
  for (size_t i = 0; i < n && used < size; i++) {
    const char *sep = i == 0 ? "" : i + 1 == n ? " or " : ", ";
    used += (size_t)snprintf(buf + used, size - used, "%s%s", sep, names[i]);
  }
  return buf;
}

struct PricingSource {
  JsonReader *reader;
  const PricingFormat *format;
  const PricingFormat *forced;  /* NULL when detecting */
  JsonArena tree;               /* the current entry */
  JsonArena header_arena;       /* the header, kept for the whole walk */
  JsonValue *header;            /* KEYED_ELEMENTS: root members before the array */
  JsonValue *pending;           /* the entry read during detection */
  const char *pending_key;
  long long entries;
  TlFileId id;
  int finished;
  const char *path; /* for messages; the caller's string, valid while open */
};

char *pricing_message(const char *fmt, ...) {
  va_list ap;
  int n;
  char *out;
  va_start(ap, fmt);
  n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0 || !(out = tl_malloc((size_t)n + 1))) return NULL;
  va_start(ap, fmt);
  vsnprintf(out, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return out;
}

/* The reader's error, or NULL for out of memory (the reader's own or this
** copy's), which the glue reports as SQLITE_NOMEM rather than as bad input. */
static char *reader_message(const PricingSource *src) {
  const char *e = json_reader_error(src->reader);
  return e && !json_reader_nomem(src->reader) ? pricing_message("%s", e) : NULL;
}

/* The first key or string of the tree holding U+0000, or NULL. */
static const JsonValue *find_nul(const JsonValue *v) {
  if (v->key && memchr(v->key, 0, v->key_len)) return v;
  if (v->type == JSON_STRING && memchr(v->text, 0, v->len)) return v;
  for (const JsonValue *c = v->child; c; c = c->next) {
    const JsonValue *found = find_nul(c);
    if (found) return found;
  }
  return NULL;
}

static char *changed_message(const char *path) {
  return pricing_message("'%s' changed while it was read (rewritten or replaced): read it again", path);
}

/* The best-scoring format of `layout` for a first entry, or NULL. */
static const PricingFormat *best_format(PricingLayout layout, const char *key,
                                        const JsonValue *entry) {
  const PricingFormat *best = NULL;
  int best_score = 0;
  for (int i = 0; pricing_formats[i]; i++) {
    const PricingFormat *f = pricing_formats[i];
    int score;
    if (f->layout != layout) continue;
    if (layout == PRICING_KEYED_ELEMENTS && strcmp(f->array_key, key) != 0) continue;
    score = f->detect(key, entry);
    if (score > best_score) {
      best = f;
      best_score = score;
    }
  }
  return best;
}

static int is_array_key(const PricingSource *src, const char *key) {
  if (src->forced) {
    return src->forced->layout == PRICING_KEYED_ELEMENTS && strcmp(src->forced->array_key, key) == 0;
  }
  for (int i = 0; pricing_formats[i]; i++) {
    const PricingFormat *f = pricing_formats[i];
    if (f->layout == PRICING_KEYED_ELEMENTS && strcmp(f->array_key, key) == 0) return 1;
  }
  return 0;
}

/* Reads the first element of the entries array under the cursor and picks
** the keyed format. Returns 0, or -1 with *err set. */
static int open_keyed(PricingSource *src, const char *key, char **err) {
  int more;
  if (json_reader_begin_array(src->reader) < 0 ||
      (more = json_reader_next_element(src->reader)) < 0) {
    *err = reader_message(src);
    return -1;
  }
  if (more == 0) {
    src->finished = 1;
    src->format = src->forced ? src->forced : best_format(PRICING_KEYED_ELEMENTS, key, NULL);
  } else {
    if (json_reader_read_value(src->reader, &src->tree, &src->pending) < 0) {
      *err = reader_message(src);
      return -1;
    }
    src->format = src->forced ? src->forced : best_format(PRICING_KEYED_ELEMENTS, key, src->pending);
  }
  if (!src->format) {
    char names[256];
    *err = pricing_message("%s: cannot tell the pricing format of the \"%s\" array: expected "
                           "entries of %s; pass a format to force one", src->path, key,
                           format_list(names, sizeof names, NULL, LAYOUT(PRICING_KEYED_ELEMENTS), key));
    return -1;
  }
  return 0;
}

/* Adds a member (key, value) to the header object. */
static int add_header_member(PricingSource *src, const char *key, size_t key_len) {
  JsonValue *value, **link;
  char *key_copy = json_arena_strdup(&src->header_arena, key, key_len);
  if (!key_copy || json_reader_read_value(src->reader, &src->header_arena, &value) < 0) return -1;
  if (!src->header) {
    src->header = json_arena_alloc(&src->header_arena, sizeof *src->header);
    if (!src->header) return -1;
    memset(src->header, 0, sizeof *src->header);
    src->header->type = JSON_OBJECT;
  }
  value->key = key_copy;
  value->key_len = (uint32_t)key_len;
  for (link = &src->header->child; *link; link = &(*link)->next) {
  }
  *link = value;
  src->header->len++;
  return 0;
}

static int open_root_object(PricingSource *src, const char *path, char **err) {
  const char *key;
  size_t key_len;
  int members = 0;
  if (src->forced && src->forced->layout == PRICING_ROOT_ELEMENTS) {
    *err = pricing_message("%s:1:1: found an object at the root: expected a JSON array for format "
                           "'%s'", path, src->forced->name);
    return -1;
  }
  if (json_reader_begin_object(src->reader) < 0) {
    *err = reader_message(src);
    return -1;
  }
  for (;;) {
    int more = json_reader_next_member(src->reader, &key, &key_len);
    if (more < 0) {
      *err = reader_message(src);
      return -1;
    }
    if (more == 0) break;
    if (strlen(key) == key_len && is_array_key(src, key) &&
        json_reader_peek(src->reader) == JSON_ARRAY) {
      char name[64];
      snprintf(name, sizeof name, "%s", key);
      return open_keyed(src, name, err);
    }
    if (members == 0 && (!src->forced || src->forced->layout == PRICING_ROOT_MEMBERS)) {
      /* The first member may be the first entry of a ROOT_MEMBERS format.
      ** It is built in the header arena, where it stays either way. */
      if (add_header_member(src, key, key_len) < 0) {
        *err = reader_message(src);
        return -1;
      }
      src->pending = src->header->child;
      src->pending_key = src->pending->key;
      src->format = src->forced ? src->forced
                                : best_format(PRICING_ROOT_MEMBERS, src->pending_key, src->pending);
      if (src->format) {
        src->header = NULL; /* an entry, not a header */
        return 0;
      }
      src->pending = NULL;
    } else if (members >= MAX_HEADER_MEMBERS) {
      break;
    } else if (add_header_member(src, key, key_len) < 0) {
      *err = reader_message(src);
      return -1;
    }
    members++;
  }
  if (src->forced) {
    if (src->forced->layout == PRICING_ROOT_MEMBERS) {
      src->format = src->forced; /* an empty object: no entries */
      src->finished = 1;
      return 0;
    }
    *err = pricing_message("%s: found no root member \"%s\" holding an array: expected one holding "
                           "the entries of format '%s'", path, src->forced->array_key,
                           src->forced->name);
    return -1;
  }
  {
    char names[256];
    *err = pricing_message("%s: cannot tell the pricing format: expected entries of %s; pass a "
                           "format to force one", path,
                           format_list(names, sizeof names, NULL, OBJECT_ROOT, NULL));
  }
  return -1;
}

static int open_root_array(PricingSource *src, const char *path, char **err) {
  int more;
  if (src->forced && src->forced->layout != PRICING_ROOT_ELEMENTS) {
    *err = pricing_message("%s:1:1: found an array at the root: expected a JSON object for format "
                           "'%s'", path, src->forced->name);
    return -1;
  }
  if (json_reader_begin_array(src->reader) < 0 || (more = json_reader_next_element(src->reader)) < 0) {
    *err = reader_message(src);
    return -1;
  }
  if (more == 0) {
    src->finished = 1;
    src->format = src->forced;
  } else {
    if (json_reader_read_value(src->reader, &src->tree, &src->pending) < 0) {
      *err = reader_message(src);
      return -1;
    }
    src->format = src->forced ? src->forced : best_format(PRICING_ROOT_ELEMENTS, NULL, src->pending);
  }
  if (!src->format) {
    char names[256];
    *err = pricing_message("%s: cannot tell the pricing format of this array: expected entries of "
                           "%s; pass a format to force one", path,
                           format_list(names, sizeof names, NULL, LAYOUT(PRICING_ROOT_ELEMENTS), NULL));
    return -1;
  }
  return 0;
}

/* Opens the reader between two identifications of the path: when they agree
** the reader has that version of the file (the reader's descriptor is not
** reachable from here, so this is how its identity is known). */
static int open_identified(PricingSource *src, const char *path, char **err) {
  TlFileId after;
  const char *why = NULL;
  if (tl_file_identify(path, &src->id, &why) != 0) {
    *err = pricing_message("cannot open '%s': %s", path, why);
    return -1;
  }
  src->reader = json_reader_open_file(path, &why);
  if (!src->reader) {
    *err = pricing_message("cannot open '%s': %s", path, why ? why : "out of memory");
    return -1;
  }
  if (tl_file_identify(path, &after, &why) != 0 || !tl_file_same(&src->id, &after)) {
    json_reader_close(src->reader);
    *err = changed_message(path);
    return -1;
  }
  return 0;
}

PricingSource *pricing_source_open(const char *path, const char *format, char **err) {
  PricingSource *src;
  int root;
  *err = NULL;
  src = tl_malloc(sizeof *src);
  if (!src) return NULL;
  memset(src, 0, sizeof *src);
  src->path = path;
  if (format && strcmp(format, "auto") != 0) {
    src->forced = pricing_format_by_name(format);
    if (!src->forced) {
      char names[256];
      *err = pricing_message("unknown format '%s': expected %s", format,
                             format_list(names, sizeof names, "auto", ~0u, NULL));
      tl_free(src);
      return NULL;
    }
  }
  if (open_identified(src, path, err) != 0) {
    tl_free(src);
    return NULL;
  }
  root = json_reader_peek(src->reader);
  if ((root == JSON_OBJECT && open_root_object(src, path, err) == 0) ||
      (root == JSON_ARRAY && open_root_array(src, path, err) == 0)) {
    /* Header strings reach rows too (a file-wide currency). */
    const JsonValue *nul = src->header ? find_nul(src->header) : NULL;
    if (!nul) return src;
    *err = pricing_message("%s:%u:%u: a header member contains U+0000, which a name cannot hold", path,
                   nul->line, nul->col);
  } else if (root >= 0 && root != JSON_OBJECT && root != JSON_ARRAY) {
    uint32_t line, col;
    json_reader_position(src->reader, &line, &col);
    *err = pricing_message("%s:%u:%u: expected a JSON object or array at the root", path, line, col);
  } else if (root < 0) {
    *err = reader_message(src);
  }
  pricing_source_close(src);
  return NULL;
}

const PricingFormat *pricing_source_format(const PricingSource *src) { return src->format; }

const TlFileId *pricing_source_file_id(const PricingSource *src) { return &src->id; }

long long pricing_source_entries(const PricingSource *src) { return src->entries; }

/* After the entries of a keyed layout: the root's remaining members. */
static int finish_root(PricingSource *src) {
  const char *key;
  size_t key_len;
  int more;
  if (src->format->layout == PRICING_KEYED_ELEMENTS) {
    while ((more = json_reader_next_member(src->reader, &key, &key_len)) == 1) {
      if (json_reader_skip_value(src->reader) < 0) return -1;
    }
    if (more < 0) return -1;
  }
  return json_reader_finish(src->reader);
}

/* KEY with each U+0000 written as the six characters \u0000, in scratch:
** the skip detail then shows the whole key. */
static const char *visible_key(PricingEmitter *em, const char *key, size_t key_len) {
  char *out = json_arena_alloc(em->scratch, key_len * 6 + 1), *o = out;
  if (!out) return NULL;
  for (size_t i = 0; i < key_len; i++) {
    if (key[i]) {
      *o++ = key[i];
    } else {
      memcpy(o, "\\u0000", 6);
      o += 6;
    }
  }
  *o = 0;
  return out;
}

/* Skips the entry if its key or any key or string in it holds U+0000, or
** if one of its objects names a member twice (which value is meant is
** unknown: taking the first would drop the second without a word).
** 1 (skipped), 0 (clean), -1 (out of memory or the receiver stopped). */
static int skip_if_unreadable(PricingEmitter *em, const char *key, size_t key_len,
                              const JsonValue *entry) {
  const char *why = "the key contains U+0000, which a model name cannot hold";
  if (!key || !memchr(key, 0, key_len)) {
    const JsonValue *at = find_nul(entry);
    if (at) {
      why = pricing_printf(em, "line %u, column %u: a %s contains U+0000, which a name cannot "
                           "hold", at->line, at->col,
                           at->key && memchr(at->key, 0, at->key_len) ? "member name" : "string");
    } else {
      if (json_find_duplicate_key(entry, &at) < 0) return -1;
      if (!at) return 0;
      why = pricing_printf(em, "line %u, column %u: a second value for member '%.*s' in one "
                           "object; which one is meant is unknown", at->line, at->col,
                           (int)(at->key_len > 80 ? 80 : at->key_len), at->key);
    }
    if (!why) return -1;
  }
  if (key && !(key = visible_key(em, key, key_len))) return -1;
  return em->skip(em, key, why) < 0 ? -1 : 1;
}

/* Decodes one entry (or skips it, see skip_if_unreadable). 0, or -1 with *err
** NULL: the receiver stopped, or memory ran out. */
static int decode(PricingSource *src, PricingEmitter *em, const char *key, size_t key_len,
                  const JsonValue *entry) {
  int skipped;
  src->entries++;
  em->header = src->header;
  em->oom = 0;
  skipped = skip_if_unreadable(em, key, key_len, entry);
  if (skipped < 0) return -1;
  if (!skipped && src->format->decode(em, key, entry) < 0) return -1;
  return em->oom ? -1 : 0;
}

int pricing_source_next(PricingSource *src, PricingEmitter *em, char **err) {
  JsonValue *entry;
  const char *key = NULL;
  size_t key_len;
  int more;
  *err = NULL;
  if (src->pending) {
    entry = src->pending;
    src->pending = NULL;
    if (decode(src, em, src->pending_key, entry->key_len, entry) < 0) return -1;
    return 1;
  }
  if (src->finished) return 0;
  json_arena_reset(&src->tree);
  json_arena_reset(em->scratch);
  if (src->format->layout == PRICING_ROOT_MEMBERS) {
    more = json_reader_next_member(src->reader, &key, &key_len);
    if (more == 1 && !(key = json_arena_strdup(&src->tree, key, key_len))) more = -1;
  } else {
    more = json_reader_next_element(src->reader);
  }
  if (more == 1 && json_reader_read_value(src->reader, &src->tree, &entry) < 0) more = -1;
  if (more == 0) {
    TlFileId now;
    const char *why;
    src->finished = 1;
    if (finish_root(src) != 0) {
      *err = reader_message(src);
      return -1;
    }
    if (tl_file_identify(src->path, &now, &why) != 0 || !tl_file_same(&src->id, &now)) {
      *err = changed_message(src->path);
      return -1;
    }
    return 0;
  }
  if (more < 0) {
    *err = reader_message(src);
    return -1;
  }
  if (decode(src, em, key, key_len, entry) < 0) return -1;
  return 1;
}

void pricing_source_close(PricingSource *src) {
  if (!src) return;
  json_reader_close(src->reader);
  json_arena_free(&src->tree);
  json_arena_free(&src->header_arena);
  tl_free(src);
}
