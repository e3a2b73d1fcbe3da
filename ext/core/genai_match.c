/*
** genai-prices' match rules (pydantic/genai-prices, `match`, `model_match`
** and `provider_match` in data.json).
**
** USAGE (C)
**   char err[200];
**   int m = genai_match("{\"or\":[{\"starts_with\":\"gpt-\"},"
**                       "{\"regex\":\"^o[134]\"}]}", len, "o3-mini", 7,
**                       err, sizeof err);           -- 1
**
** THE RULES
**   A clause is a JSON object with exactly one member:
**     {"equals": s}        the whole id is s
**     {"starts_with": s}   the id begins with s
**     {"ends_with": s}     the id ends with s
**     {"contains": s}      s occurs in the id
**     {"regex": re}        re matches somewhere in the id (unanchored search,
**                          as Python's re.search; ^ and $ anchor)
**     {"or": [clause...]}  any holds (an empty list: none)
**     {"and": [clause...]} all hold (an empty list: all)
**   The four string clauses compare without case, as genai-prices lowers
**   both sides; only ASCII letters are folded (every id and rule in the
**   real files is ASCII). regex is case-sensitive, as in genai-prices.
**
** THE REGEX SUBSET
**   Literals; `.` (any byte but newline); `[...]` and `[^...]` with ranges
**   and the escapes below; `\d \D \w \W \s \S` and an escaped punctuation
**   byte (`\.`, `\-`, `\\`); `\n \t \r`; `^` and `$` (`$` only at the end of
**   a branch, and only the end of the id: Python's "or before a final
**   newline" does not arise in ids);
**   groups `(...)` and `(?:...)` with `|`; quantifiers `* + ? {n} {n,}
**   {n,m}`, greedy or lazy (for a yes/no answer the two are the same).
**   Anything else (back references, lookaround, named groups, `\b`, inline
**   flags) is an error naming the construct, never a silent guess. This
**   covers all 15 regex rules of genai-prices v2 (2026-08-21): `^o[134]`,
**   `(?:mi|code|dev|magi|mini)stral`, `^gpt-5\.6-sol-\d{4}-\d{2}-\d{2}$`,
**   `^grok-4\.3-\d{8}$`, `^gemini-3\.5-flash-\d`, ... (tests/unit/
**   test_genai_match.c runs each on ids that must and must not match).
**
** HOW IT WORKS
**   The rule is parsed with our JSON reader (ext/core/json.h) and evaluated
**   recursively. A regex is parsed by recursive descent into a small tree,
**   compiled into instructions (CLASS, BOL, EOL, SPLIT, JMP, MATCH; a
**   counted repeat is unrolled, capped at RE_MAX_INST) and run by a
**   backtracking machine that marks each (instruction, position) pair it
**   has tried: no pair is tried twice, so a search costs at most
**   instructions x (length + 1) steps, whatever the pattern (no
**   exponential blow-up on `(a*)*b`). The marks are shared between start
**   positions, which is sound because nothing is captured: whether a pair
**   leads to MATCH does not depend on where the search began.
*/
#include "genai_match.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "tl_alloc.h"

#define RE_MAX_NODES 512
#define RE_MAX_INST 4096
#define RE_MAX_REPEAT 1000

/* ------------------------------------------------------------ regex: tree */

typedef enum ReKind { RE_EMPTY, RE_CLASS, RE_BOL, RE_EOL, RE_CAT, RE_ALT, RE_REPEAT } ReKind;

typedef struct ReNode {
  ReKind kind;
  int left, right; /* CAT, ALT: children; REPEAT: left is the body */
  int min, max;    /* REPEAT: max -1 = unbounded */
  uint8_t set[32]; /* CLASS: the bytes it accepts, one bit each */
} ReNode;

typedef enum ReOp { OP_CLASS, OP_BOL, OP_EOL, OP_SPLIT, OP_JMP, OP_MATCH } ReOp;

typedef struct ReInst {
  ReOp op;
  int x, y;            /* SPLIT: try x, then y; JMP: x */
  const uint8_t *set;  /* CLASS */
} ReInst;

typedef struct Regex {
  const char *pat, *p; /* the pattern and the parse position */
  ReNode node[RE_MAX_NODES];
  int n_node;
  ReInst inst[RE_MAX_INST];
  int n_inst;
  char *err;
  size_t errlen;
  int failed;
} Regex;

static int re_fail(Regex *re, const char *what) {
  if (!re->failed) {
    snprintf(re->err, re->errlen, "%s at offset %d of regex '%s'", what,
             (int)(re->p - re->pat), re->pat);
    re->failed = 1;
  }
  return -1;
}

static int re_node(Regex *re, ReKind kind, int left, int right) {
  ReNode *n;
  if (re->failed) return -1;
  if (re->n_node == RE_MAX_NODES) return re_fail(re, "regex too long");
  n = &re->node[re->n_node];
  memset(n, 0, sizeof *n);
  n->kind = kind;
  n->left = left;
  n->right = right;
  return re->n_node++;
}

static void set_add(uint8_t *set, int c) { set[(c & 0xff) >> 3] |= (uint8_t)(1u << (c & 7)); }
static int set_has(const uint8_t *set, int c) { return (set[(c & 0xff) >> 3] >> (c & 7)) & 1; }

static void set_range(uint8_t *set, int lo, int hi) {
  for (int c = lo; c <= hi; c++) set_add(set, c);
}

static void set_invert(uint8_t *set) {
  for (int i = 0; i < 32; i++) set[i] = (uint8_t)~set[i];
}

/* \d \w \s and their negations into set; 0 if c is not one of them. */
static int class_escape(uint8_t *set, int c) {
  uint8_t tmp[32] = {0};
  switch (c | 0x20) {
    case 'd': set_range(tmp, '0', '9'); break;
    case 'w':
      set_range(tmp, '0', '9');
      set_range(tmp, 'a', 'z');
      set_range(tmp, 'A', 'Z');
      set_add(tmp, '_');
      break;
    case 's':
      set_range(tmp, '\t', '\r');
      set_add(tmp, ' ');
      break;
    default: return 0;
  }
  if (c >= 'A' && c <= 'Z') set_invert(tmp);
  for (int i = 0; i < 32; i++) set[i] |= tmp[i];
  return 1;
}

/* The byte an escape stands for, or -1 when it is not a plain byte (a
** letter or digit escape we do not support: \b, \A, \1, ...). */
static int literal_escape(int c) {
  switch (c) {
    case 'n': return '\n';
    case 't': return '\t';
    case 'r': return '\r';
    default:
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == 0)
        return -1;
      return c;
  }
}

static int parse_alt(Regex *re);

/* [...] after the '['. */
static int parse_class(Regex *re, uint8_t *set) {
  int negate = 0, first = 1;
  if (*re->p == '^') negate = 1, re->p++;
  for (;;) {
    int lo = (unsigned char)*re->p, hi;
    if (lo == 0) return re_fail(re, "missing ']'");
    if (lo == ']' && !first) break;
    first = 0;
    re->p++;
    if (lo == '\\') {
      int c = (unsigned char)*re->p++;
      if (class_escape(set, c)) continue;
      if ((lo = literal_escape(c)) < 0) return re_fail(re, "unsupported escape in a class");
    }
    hi = lo;
    if (re->p[0] == '-' && re->p[1] != ']' && re->p[1] != 0) {
      re->p++;
      hi = (unsigned char)*re->p++;
      if (hi == '\\' && (hi = literal_escape((unsigned char)*re->p++)) < 0)
        return re_fail(re, "unsupported escape in a class range");
      if (hi < lo) return re_fail(re, "bad class range");
    }
    set_range(set, lo, hi);
  }
  re->p++;
  if (negate) set_invert(set);
  return 0;
}

static int parse_atom(Regex *re) {
  int c = (unsigned char)*re->p, n;
  switch (c) {
    case '(': {
      int body;
      re->p++;
      if (*re->p == '?') {
        if (re->p[1] != ':') return re_fail(re, "unsupported group syntax '(?'");
        re->p += 2;
      }
      body = parse_alt(re);
      if (body < 0) return -1;
      if (*re->p != ')') return re_fail(re, "missing ')'");
      re->p++;
      return body;
    }
    case '[':
      re->p++;
      if ((n = re_node(re, RE_CLASS, -1, -1)) < 0) return -1;
      return parse_class(re, re->node[n].set) < 0 ? -1 : n;
    case '^': re->p++; return re_node(re, RE_BOL, -1, -1);
    case '$':
      re->p++;
      if (*re->p && *re->p != '|' && *re->p != ')')
        return re_fail(re, "'$' is supported only at the end of a branch");
      return re_node(re, RE_EOL, -1, -1);
    case '*': case '+': case '?': case '{':
      return re_fail(re, "nothing to repeat");
    default: break;
  }
  if ((n = re_node(re, RE_CLASS, -1, -1)) < 0) return -1;
  re->p++;
  if (c == '.') {
    set_range(re->node[n].set, 0, 255);
    re->node[n].set['\n' >> 3] &= (uint8_t) ~(1u << ('\n' & 7));
  } else if (c == '\\') {
    int e = (unsigned char)*re->p++;
    if (!class_escape(re->node[n].set, e)) {
      int lit = literal_escape(e);
      if (lit < 0) {
        re->p--;
        return re_fail(re, "unsupported escape");
      }
      set_add(re->node[n].set, lit);
    }
  } else {
    set_add(re->node[n].set, c);
  }
  return n;
}

static int parse_number(Regex *re, int *out) {
  int v = 0, digits = 0;
  while (*re->p >= '0' && *re->p <= '9') {
    v = v * 10 + (*re->p++ - '0');
    if (v > RE_MAX_REPEAT) return re_fail(re, "repeat count too large");
    digits++;
  }
  *out = v;
  return digits;
}

static int parse_repeat(Regex *re) {
  int atom = parse_atom(re);
  while (atom >= 0) {
    int min, max, c = *re->p;
    if (c == '*') min = 0, max = -1;
    else if (c == '+') min = 1, max = -1;
    else if (c == '?') min = 0, max = 1;
    else if (c == '{') {
      re->p++;
      if (parse_number(re, &min) <= 0) return re_fail(re, "expected a count after '{'");
      max = min;
      if (*re->p == ',') {
        re->p++;
        if (parse_number(re, &max) < 0) return -1;
        if (re->p[-1] == ',') max = -1;
        else if (max < min) return re_fail(re, "bad repeat range");
      }
      if (*re->p != '}') return re_fail(re, "expected '}'");
    } else {
      break;
    }
    re->p++;
    atom = re_node(re, RE_REPEAT, atom, -1);
    if (atom >= 0) re->node[atom].min = min, re->node[atom].max = max;
  }
  return atom;
}

static int parse_cat(Regex *re) {
  int seq = re_node(re, RE_EMPTY, -1, -1);
  while (seq >= 0 && *re->p && *re->p != '|' && *re->p != ')') {
    int atom = parse_repeat(re);
    if (atom < 0) return -1;
    seq = re_node(re, RE_CAT, seq, atom);
  }
  return seq;
}

static int parse_alt(Regex *re) {
  int alt = parse_cat(re);
  while (alt >= 0 && *re->p == '|') {
    int right;
    re->p++;
    if ((right = parse_cat(re)) < 0) return -1;
    alt = re_node(re, RE_ALT, alt, right);
  }
  return alt;
}

/* ------------------------------------------------------ regex: compiling */

static int emit(Regex *re, ReOp op, const uint8_t *set) {
  if (re->failed) return -1;
  if (re->n_inst == RE_MAX_INST) return re_fail(re, "regex too large once repeats are unrolled");
  re->inst[re->n_inst].op = op;
  re->inst[re->n_inst].set = set;
  re->inst[re->n_inst].x = re->inst[re->n_inst].y = 0;
  return re->n_inst++;
}

static int compile(Regex *re, int node) {
  const ReNode *n = &re->node[node];
  int split, jmp;
  switch (n->kind) {
    case RE_EMPTY: return 0;
    case RE_CLASS: return emit(re, OP_CLASS, n->set) < 0 ? -1 : 0;
    case RE_BOL: return emit(re, OP_BOL, NULL) < 0 ? -1 : 0;
    case RE_EOL: return emit(re, OP_EOL, NULL) < 0 ? -1 : 0;
    case RE_CAT: return compile(re, n->left) < 0 ? -1 : compile(re, n->right);
    case RE_ALT:
      if ((split = emit(re, OP_SPLIT, NULL)) < 0) return -1;
      re->inst[split].x = re->n_inst;
      if (compile(re, n->left) < 0 || (jmp = emit(re, OP_JMP, NULL)) < 0) return -1;
      re->inst[split].y = re->n_inst;
      if (compile(re, n->right) < 0) return -1;
      re->inst[jmp].x = re->n_inst;
      return 0;
    case RE_REPEAT: break;
  }
  for (int i = 0; i < n->min; i++)
    if (compile(re, n->left) < 0) return -1;
  if (n->max < 0) { /* L: SPLIT body, out; body; JMP L */
    int loop = emit(re, OP_SPLIT, NULL);
    if (loop < 0) return -1;
    re->inst[loop].x = re->n_inst;
    if (compile(re, n->left) < 0 || (jmp = emit(re, OP_JMP, NULL)) < 0) return -1;
    re->inst[jmp].x = loop;
    re->inst[loop].y = re->n_inst;
    return 0;
  }
  for (int i = n->min; i < n->max; i++) { /* each optional copy: SPLIT body, next */
    if ((split = emit(re, OP_SPLIT, NULL)) < 0) return -1;
    re->inst[split].x = re->n_inst;
    if (compile(re, n->left) < 0) return -1;
    re->inst[split].y = re->n_inst;
  }
  return 0;
}

/* -------------------------------------------------------- regex: running */

typedef struct Thread {
  int pc;
  size_t sp;
} Thread;

/* Backtracking with a visited mark per (pc, sp): see HOW IT WORKS. */
static int run(const Regex *re, const char *text, size_t n, char *err, size_t errlen) {
  size_t states = (size_t)re->n_inst * (n + 1);
  uint8_t *seen = tl_malloc(states / 8 + 1);
  Thread *stack = tl_malloc(sizeof(Thread) * (states + 1));
  size_t depth = 0;
  int found = 0;
  if (!seen || !stack) {
    tl_free(seen);
    tl_free(stack);
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  memset(seen, 0, states / 8 + 1);
  for (size_t start = 0; start <= n && !found; start++) {
    stack[depth++] = (Thread){0, start};
    while (depth && !found) {
      Thread t = stack[--depth];
      for (;;) {
        size_t k = (size_t)t.pc * (n + 1) + t.sp;
        const ReInst *in = &re->inst[t.pc];
        if (seen[k >> 3] & (1u << (k & 7))) break;
        seen[k >> 3] |= (uint8_t)(1u << (k & 7));
        if (in->op == OP_MATCH) {
          found = 1;
          break;
        }
        if (in->op == OP_CLASS) {
          if (t.sp == n || !set_has(in->set, (unsigned char)text[t.sp])) break;
          t.pc++, t.sp++;
        } else if (in->op == OP_BOL) {
          if (t.sp != 0) break;
          t.pc++;
        } else if (in->op == OP_EOL) {
          if (t.sp != n) break;
          t.pc++;
        } else if (in->op == OP_JMP) {
          t.pc = in->x;
        } else { /* OP_SPLIT: each SPLIT pair is pushed at most once */
          stack[depth++] = (Thread){in->y, t.sp};
          t.pc = in->x;
        }
      }
    }
  }
  tl_free(seen);
  tl_free(stack);
  return found;
}

int genai_regex_search(const char *pattern, const char *text, size_t n, char *err,
                       size_t errlen) {
  Regex *re = tl_malloc(sizeof *re);
  int root, rc;
  if (!re) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  re->pat = re->p = pattern;
  re->n_node = re->n_inst = 0;
  re->err = err;
  re->errlen = errlen;
  re->failed = 0;
  root = parse_alt(re);
  if (root >= 0 && *re->p == ')') root = re_fail(re, "unbalanced ')'");
  if (root >= 0 && compile(re, root) == 0 && emit(re, OP_MATCH, NULL) >= 0)
    rc = run(re, text, n, err, errlen);
  else
    rc = -1;
  tl_free(re);
  return rc;
}

/* ------------------------------------------------------------ the clauses */

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

static int same_nocase(const char *a, const char *b, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (lower((unsigned char)a[i]) != lower((unsigned char)b[i])) return 0;
  return 1;
}

static int contains_nocase(const char *text, size_t n, const char *s, size_t m) {
  if (m > n) return 0;
  for (size_t i = 0; i + m <= n; i++)
    if (same_nocase(text + i, s, m)) return 1;
  return 0;
}

static int key_is(const JsonValue *member, const char *name) {
  return member->key_len == strlen(name) && !memcmp(member->key, name, member->key_len);
}

static int clause_error(char *err, size_t errlen, const JsonValue *v, const char *what) {
  snprintf(err, errlen, "rule:%u:%u: %s", v->line, v->col, what);
  return -1;
}

static int eval(const JsonValue *clause, const char *text, size_t n, char *err, size_t errlen) {
  const JsonValue *arg;
  if (clause->type != JSON_OBJECT || clause->len != 1)
    return clause_error(err, errlen, clause,
                        "expected a clause: an object with one member (equals, starts_with, "
                        "ends_with, contains, regex, or, and)");
  arg = clause->child;
  if (key_is(arg, "or") || key_is(arg, "and")) {
    int is_and = key_is(arg, "and");
    if (arg->type != JSON_ARRAY) return clause_error(err, errlen, arg, "expected a list of clauses");
    for (const JsonValue *c = arg->child; c; c = c->next) {
      int m = eval(c, text, n, err, errlen);
      if (m < 0) return -1;
      if (m != is_and) return m; /* or: the first true; and: the first false */
    }
    return is_and;
  }
  if (arg->type != JSON_STRING) return clause_error(err, errlen, arg, "expected a string");
  if (key_is(arg, "equals")) return arg->len == n && same_nocase(text, arg->text, n);
  if (key_is(arg, "starts_with")) return arg->len <= n && same_nocase(text, arg->text, arg->len);
  if (key_is(arg, "ends_with"))
    return arg->len <= n && same_nocase(text + n - arg->len, arg->text, arg->len);
  if (key_is(arg, "contains")) return contains_nocase(text, n, arg->text, arg->len);
  if (key_is(arg, "regex")) {
    if (strlen(arg->text) != arg->len) return clause_error(err, errlen, arg, "NUL in a regex");
    return genai_regex_search(arg->text, text, n, err, errlen);
  }
  snprintf(err, errlen,
           "rule:%u:%u: unknown clause '%.*s': expected equals, starts_with, ends_with, "
           "contains, regex, or, and",
           clause->line, clause->col, (int)(arg->key_len > 40 ? 40 : arg->key_len), arg->key);
  return -1;
}

int genai_match(const char *rule, size_t rule_len, const char *text, size_t n, char *err,
                size_t errlen) {
  JsonArena arena = {0};
  JsonValue *root;
  int rc;
  if (json_parse("rule", rule, rule_len, &arena, &root, err, errlen) < 0) {
    json_arena_free(&arena);
    return -1;
  }
  rc = eval(root, text, n, err, errlen);
  json_arena_free(&arena);
  return rc;
}
