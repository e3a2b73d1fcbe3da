#!/usr/bin/env python3
"""Compile the canonical vocabulary (the .tsv files beside this script) to C.

Usage: gen_vocab.py VOCAB_DIR OUTPUT.c      (run by make; see ARCHITECTURE.md)

Reads VOCAB_DIR/{providers,vendors,family_words,creator_words,version_style,
tuning_words,host_ids,self_served,dated_labs,models,qualifiers,model_options,latest}.tsv and
writes OUTPUT.c, the static tables that ext/core/canonical.c includes (aProvider, aVendor,
aFamilyWord, aCreatorWord, aVersionStyle, aTuningWord, aHostId, azSelfServed, aDatedLab,
aModel, aQualifier, azQualifierKind, aModelOption, aFloating). Each file: '#' comment lines,
blank lines, one header line naming the columns, then one entry per line,
fields separated by one tab.

Every mistake is reported as FILE:LINE: message and fails the build, with
nothing written: a header or column count that is not the file's, an empty
field or file, a character outside the column's set (lookups lowercase their
input, so an uppercase or non-ASCII key could never match; a space or CR is
a typing slip), a key given twice, a creator that vendors.tsv does not
define, a qualifier spelling of none of the five shapes, a kind not in
QUALIFIER_KINDS, a price_bearing other than 0 or 1, a spelling given twice in models.tsv, a floating alias of latest.tsv
that is a models.tsv spelling or names no models.tsv id, a model option of a model that
is no models.tsv id or whose kind comes back after another kind (the rows of one model
give the order of its options), a host id of host_ids.tsv that is no vendor.name of a
vendors.tsv vendor, is a models.tsv spelling or names no models.tsv id, a .tsv file this
script does not know.

The binary-searched tables are sorted here (plain code point order, which is
strcmp's on ASCII), so the files may be in any order; the canonicalizer checks
the order again when it builds its index. models.tsv and self_served.tsv keep
their file order: a model's position breaks ties in the lookup; so does model_options.tsv,
whose order within a model is the order of its options. The output
depends on nothing but the files, so the same data gives the same bytes.
"""
import os
import re
import sys


class Field:
    """A column: its name, the characters it admits (a regex class), the most
    bytes it may have. The character sets are those of the names the sources
    use; none needs an escape in a C string literal."""

    def __init__(self, name, chars, maxlen=None, shape=None, choices=None):
        self.name, self.chars, self.maxlen = name, chars, maxlen
        self.char = re.compile("[%s]" % chars) if chars else None
        # shape: (regex the whole value must match, what it means) replaces
        # the leading letter-or-digit rule; choices: the only values allowed
        self.shape, self.choices = shape, choices

    def problem(self, value):
        """Why value cannot be in this column, or None."""
        if value == "":
            return "empty %s" % self.name
        bad = next((c for c in value if not self.char.fullmatch(c)), None)
        if bad is not None:
            return "bad character %r in %s %r (allowed: %s)" % (bad, self.name, value, self.chars)
        if self.choices is not None and value not in self.choices:
            return "%s %r is not one of %s" % (self.name, value, ", ".join(self.choices))
        if self.shape and not re.fullmatch(self.shape[0], value):
            return "%s %r is not %s" % (self.name, value, self.shape[1])
        if not self.shape and not value[0].isalnum():
            return "%s %r does not start with a letter or digit" % (self.name, value)
        if self.maxlen and len(value) > self.maxlen:
            return "%s %r is longer than %d bytes" % (self.name, value, self.maxlen)
        return None


ID = "a-z0-9._-"      # provider, vendor and creator ids
MODEL = "a-z0-9._:-"  # model ids and aliases (claude-v2:1)
# Provider lookups copy the name into a 64-byte buffer; longer never matches.
PROVIDER_MAX = 63
# creator_by_word() reads at most 15 leading letters of a name.
WORD_MAX = 15

# The qualifier kinds, in the order variant and qualifiers list them
# (ext/core/canonical.c indexes azQualifierKind by a qualifier's kind).
QUALIFIER_KINDS = ("region", "commitment", "service_tier", "window", "speed_sku", "context_sku",
                   "thinking", "free_tier", "deployment", "quantization", "version", "domain",
                   "voice", "language")
# x/ x. :x -x, x lowercase [a-z0-9-] starting with a letter or digit
QUALIFIER_SHAPE = (r"[a-z0-9][a-z0-9-]*[/.-]|[:-][a-z0-9][a-z0-9-]*",
                   "x/ (path segment), x. (Bedrock prefix), x- (a host's product prefix), "
                   ":x or -x (suffix)")

DATE_SHAPE = (r"(19|20)[0-9][0-9]-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])", "a YYYY-MM-DD date")

# file -> (its columns, the C declaration of its table)
SPECS = {
    "providers.tsv": ([Field("name", ID, PROVIDER_MAX), Field("id", ID)],
                      "static const NamePair aProvider[]"),
    "vendors.tsv": ([Field("name", ID), Field("creator", ID)],
                    "static const NamePair aVendor[]"),
    "family_words.tsv": ([Field("word", "a-z", WORD_MAX), Field("creator", ID)],
                         "static const NamePair aFamilyWord[]"),
    "creator_words.tsv": ([Field("word", "a-z", WORD_MAX), Field("creator", ID)],
                          "static const NamePair aCreatorWord[]"),
    "version_style.tsv": ([Field("word", "a-z", WORD_MAX),
                           Field("style", "a-z", choices=("glued", "dashed", "minor", "hyphens"))],
                          "static const NamePair aVersionStyle[]"),
    "tuning_words.tsv": ([Field("family", MODEL),
                          Field("word", "a-z", choices=("instruct", "chat", "it", "none", "api"))],
                         "static const NamePair aTuningWord[]"),
    # the lookup key is the cleaned name, which never keeps a :N version
    "host_ids.tsv": ([Field("host_id", MODEL,
                            shape=(r"[a-z0-9][a-z0-9-]*\.[a-z0-9][a-z0-9.-]*",
                                   "a Bedrock id vendor.name without its version (-v1:0)")),
                      Field("model", MODEL)],
                     "static const NamePair aHostId[]"),
    "self_served.tsv": ([Field("creator", ID)],
                        "static const char *const azSelfServed[]"),
    "dated_labs.tsv": ([Field("creator", ID), Field("dates", "a-z", choices=("full", "mmdd"))],
                       "static const NamePair aDatedLab[]"),
    # aliases is checked alias by alias (parse_aliases)
    "models.tsv": ([Field("id", MODEL), Field("creator", ID), Field("aliases", None)],
                   "static const CanonModel aModel[]"),
    "latest.tsv": ([Field("alias", MODEL), Field("since", "0-9-", shape=DATE_SHAPE),
                    Field("model", MODEL)],
                   "static const Floating aFloating[]"),
    "qualifiers.tsv": ([Field("spelling", "a-z0-9./:-", 48, shape=QUALIFIER_SHAPE),
                        Field("kind", "a-z_", choices=QUALIFIER_KINDS),
                        Field("value", "a-z0-9.-", 32),
                        Field("price_bearing", "01", choices=("0", "1"))],
                       "static const Qualifier aQualifier[]"),
    # option: a word, or * (any word of 3+ letters)
    "model_options.tsv": ([Field("model", MODEL), Field("kind", "a-z_", choices=QUALIFIER_KINDS),
                           Field("option", "a-z0-9*", 32,
                                 shape=(r"[a-z0-9]+|\*", "a word [a-z0-9] or *")),
                           Field("price_bearing", "01", choices=("0", "1"))],
                          "static const ModelOption aModelOption[]"),
}
# The binary-searched tables, sorted here.
SORTED = ("providers.tsv", "vendors.tsv", "family_words.tsv", "creator_words.tsv",
          "version_style.tsv", "tuning_words.tsv", "host_ids.tsv", "dated_labs.tsv",
          "qualifiers.tsv", "latest.tsv")
# The sorted tables of (name, value) pairs, written as NamePair arrays.
PAIRS = SORTED[:8]
# How many leading columns make a row's key (one unless said here): a
# floating alias has one row per snapshot it named.
KEY_COLUMNS = {"latest.tsv": 2, "model_options.tsv": 3}
# Columns that name a creator, which must be one of vendors.tsv.
CREATOR_REFS = {"family_words.tsv": 1, "creator_words.tsv": 1, "self_served.tsv": 0, "dated_labs.tsv": 0, "models.tsv": 1}
ALIAS = Field("alias", MODEL)


class Errors:
    """Messages, reported together in file and line order."""

    def __init__(self):
        self.found = []

    def add(self, path, line, message):
        self.found.append((path, line, len(self.found), message))

    def text(self):
        return "".join("%s:%d: %s\n" % (p, n, m) if n else "%s: %s\n" % (p, m)
                       for p, n, _, m in sorted(self.found))


def read_rows(path, fields, errors):
    """The data rows of one file as (line number, [fields]); header checked."""
    header = "\t".join(f.name for f in fields)
    rows, seen_header = [], False
    with open(path, "rb") as f:
        raw_lines = f.read().split(b"\n")
    if raw_lines and raw_lines[-1] == b"":
        raw_lines.pop()
    for number, raw in enumerate(raw_lines, 1):
        if raw == b"" or raw.startswith(b"#"):
            continue
        try:
            line = raw.decode("ascii")
        except UnicodeDecodeError:
            errors.add(path, number, "a byte outside ASCII")
            continue
        if not seen_header:
            seen_header = True
            if line != header:
                errors.add(path, number, "expected the header %r, found %r" % (header, line))
            continue
        cells = line.split("\t")
        if len(cells) != len(fields):
            errors.add(path, number, "expected %d column%s (%s) separated by one tab, found %d" %
                       (len(fields), "" if len(fields) == 1 else "s",
                        ", ".join(f.name for f in fields), len(cells)))
            continue
        rows.append((number, cells))
    if not seen_header:
        errors.add(path, 0, "no header line %r" % header)
    elif not rows:
        errors.add(path, 0, "no entries (C has no empty arrays)")
    return rows


def check_fields(path, fields, rows, errors):
    """Character sets and unique keys (the first KEY_COLUMNS columns). Returns the good rows."""
    good, first = [], {}
    width = KEY_COLUMNS.get(os.path.basename(path), 1)
    for number, cells in rows:
        problems = [p for p in (f.problem(v) for f, v in zip(fields, cells) if f.char) if p]
        for p in problems:
            errors.add(path, number, p)
        key = tuple(cells[:width])
        if key in first:
            errors.add(path, number, "duplicate %s %r (first on line %d)" %
                       (" and ".join(f.name for f in fields[:width]), " ".join(key), first[key]))
        else:
            first[key] = number
        if not problems:
            good.append((number, cells))
    return good


def spelling_of(alias):
    return alias[1:] if alias.startswith("?") else alias


def parse_aliases(path, number, value, errors):
    """The '|'-separated aliases of a model, each with its '?' kept; [] for '-'."""
    if value == "-":
        return []
    if value == "":
        errors.add(path, number, "empty aliases (write '-' for none)")
        return []
    aliases = value.split("|")
    for alias in aliases:
        problem = ALIAS.problem(spelling_of(alias))
        if problem:
            errors.add(path, number, "%s in aliases %r" % (problem, value))
    return aliases


def check_spellings(path, rows, errors):
    """Every id and alias of models.tsv once: a repeated spelling is a typo or
    a model listed twice. Returns the aliases of each row."""
    seen, aliases_of = {}, []
    for number, cells in rows:
        aliases = parse_aliases(path, number, cells[2], errors)
        aliases_of.append(aliases)
        for spelling in [cells[0]] + [spelling_of(a) for a in aliases if a]:
            if spelling in seen and seen[spelling] != number:
                errors.add(path, number, "spelling %r already on line %d" % (spelling, seen[spelling]))
            elif spelling in seen:
                errors.add(path, number, "spelling %r twice on this line" % spelling)
            else:
                seen[spelling] = number
    return aliases_of


def model_spellings(tables):
    """The ids of models.tsv, and every spelling of it (ids and aliases)."""
    ids, spellings = set(), set()
    for _, (model, _, aliases) in tables.get("models.tsv", []):
        ids.add(model)
        spellings.add(model)
        if aliases != "-":
            spellings.update(spelling_of(a) for a in aliases.split("|"))
    return ids, spellings


def check_floating(path, tables, errors):
    """A floating alias names models of models.tsv and is no spelling of it
    (it would have two meanings)."""
    ids, spellings = model_spellings(tables)
    for number, (alias, _, model) in tables.get("latest.tsv", []):
        if ids and model not in ids:
            errors.add(path, number, "model %r is not an id of models.tsv" % model)
        if alias in spellings:
            errors.add(path, number, "alias %r is already a spelling in models.tsv" % alias)


def check_options(path, tables, errors):
    """A model option belongs to a models.tsv id, and the rows of one model
    group each kind together: their order is the order of the options."""
    ids = {cells[0] for _, cells in tables.get("models.tsv", [])}
    kinds = {}  # model -> kinds in row order
    for number, (model, kind, _, _) in tables.get("model_options.tsv", []):
        if ids and model not in ids:
            errors.add(path, number, "model %r is not an id of models.tsv" % model)
        seen = kinds.setdefault(model, [])
        if seen and seen[-1] != kind and kind in seen:
            errors.add(path, number, "kind %r of model %r comes back after %r: keep a model's"
                       " rows of one kind together" % (kind, model, seen[-1]))
        if not seen or seen[-1] != kind:
            seen.append(kind)


def check_host_ids(path, tables, errors):
    """A host id's model is a models.tsv id, its vendor a vendors.tsv name, and
    the id itself no models.tsv spelling (it would have two meanings)."""
    ids, spellings = model_spellings(tables)
    vendors = {cells[0] for _, cells in tables.get("vendors.tsv", [])}
    for number, (host_id, model) in tables.get("host_ids.tsv", []):
        if ids and model not in ids:
            errors.add(path, number, "model %r is not an id of models.tsv" % model)
        if host_id in spellings:
            errors.add(path, number, "host id %r is already a spelling in models.tsv" % host_id)
        vendor = host_id.split(".", 1)[0]
        if vendors and vendor not in vendors:
            errors.add(path, number, "host id %r: vendor %r is not a name of vendors.tsv" % (host_id, vendor))


def c_string(s):
    return '"%s"' % s  # no column admits a character that needs an escape


def c_table(title, decl, entries):
    return ["/* %s */" % title, "%s = {" % decl] + ["    %s," % e for e in entries] + ["};", ""]


def generate(tables, aliases_of):
    """The C text of the tables, given rows that passed every check."""
    out = ["/* Generated by ext/vocab/gen_vocab.py from the .tsv files of ext/vocab/:",
           "** edit those, not this. Included by ext/core/canonical.c, which defines",
           "** NamePair, CanonModel, Qualifier and ModelOption. */", ""]
    for name in PAIRS:
        pairs = sorted(cells for _, cells in tables[name])
        out += c_table(name + ", sorted for bsearch", SPECS[name][1],
                       ["{%s, %s}" % (c_string(a), c_string(b)) for a, b in pairs])
    out += c_table("qualifier kinds, in variant order", "static const char *const azQualifierKind[]",
                   [c_string(k) for k in QUALIFIER_KINDS])
    out += c_table("qualifiers.tsv, sorted for bsearch", SPECS["qualifiers.tsv"][1],
                   ["{%s, %d, %s, %s}" % (c_string(sp), QUALIFIER_KINDS.index(kind), c_string(value), pb)
                    for sp, kind, value, pb in sorted(cells for _, cells in tables["qualifiers.tsv"])])
    out += c_table("model_options.tsv, in file order", SPECS["model_options.tsv"][1],
                   ["{%s, %d, %s, %s}" % (c_string(model), QUALIFIER_KINDS.index(kind), c_string(option), pb)
                    for _, (model, kind, option, pb) in tables["model_options.tsv"]])
    out += c_table("latest.tsv, sorted by alias, then since", SPECS["latest.tsv"][1],
                   ["{%s, %s, %s}" % (c_string(a), c_string(d), c_string(m))
                    for a, d, m in sorted(cells for _, cells in tables["latest.tsv"])])
    out += c_table("self_served.tsv", SPECS["self_served.tsv"][1],
                   [c_string(cells[0]) for _, cells in tables["self_served.tsv"]])
    models = []
    for (_, (model, creator, _)), aliases in zip(tables["models.tsv"], aliases_of):
        models.append("{%s, %s, %s}" % (c_string(model), c_string(creator),
                                        c_string("|".join(aliases)) if aliases else "0"))
    out += c_table("models.tsv, in file order", SPECS["models.tsv"][1], models)
    return "\n".join(out)


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: gen_vocab.py VOCAB_DIR OUTPUT.c\n")
        return 2
    vocab_dir, output = argv[1], argv[2]
    errors = Errors()
    for extra in sorted(set(n for n in os.listdir(vocab_dir) if n.endswith(".tsv")) - set(SPECS)):
        errors.add(os.path.join(vocab_dir, extra), 0,
                   "not a vocabulary file: expected one of %s" % ", ".join(sorted(SPECS)))
    tables, aliases_of = {}, []
    for name, (fields, _) in SPECS.items():
        path = os.path.join(vocab_dir, name)
        if not os.path.isfile(path):
            errors.add(path, 0, "missing")
            continue
        tables[name] = check_fields(path, fields, read_rows(path, fields, errors), errors)
        if name == "models.tsv":
            aliases_of = check_spellings(path, tables[name], errors)
    creators = {cells[1] for _, cells in tables.get("vendors.tsv", [])}
    for name, column in CREATOR_REFS.items():
        for number, cells in tables.get(name, []):
            if creators and cells[column] not in creators:
                errors.add(os.path.join(vocab_dir, name), number,
                           "creator %r is not a creator of vendors.tsv" % cells[column])
    check_floating(os.path.join(vocab_dir, "latest.tsv"), tables, errors)
    check_options(os.path.join(vocab_dir, "model_options.tsv"), tables, errors)
    check_host_ids(os.path.join(vocab_dir, "host_ids.tsv"), tables, errors)
    if errors.found:
        sys.stderr.write(errors.text())
        return 1
    tmp = output + ".tmp"
    with open(tmp, "w", newline="\n") as f:
        f.write(generate(tables, aliases_of))
    os.replace(tmp, output)  # make never sees a half-written file
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
