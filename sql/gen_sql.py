#!/usr/bin/env python3
"""Compile sql/ledger.sql into the extension, for tokenledger_views() and
tokenledger_build() (ext/func_build.c), so an installed .so needs no other file.

Usage: gen_sql.py sql/ledger.sql OUTPUT.c      (run by make; see ARCHITECTURE.md)

The file is split into statements with sqlite3.complete_statement (the test the
sqlite3 CLI uses), and written as:
  zLedgerSql          the whole file: what `.read sql/ledger.sql` runs (TEMP mode)
  zLedgerInputsSql    its CREATE TABLE IF NOT EXISTS / INSERT OR IGNORE statements:
                      the persistent input tables and their defaults
  zLedgerDropSql      its DROP statements: every TEMP object it makes
  aBuildStage[]       the views marked for the build. A comment line
                        -- @build NAME [(COLUMNS)]...      a table, with an index per group
                        -- @build view NAME                a view kept in the database (its
                                                           CTEs without MATERIALIZED hints,
                                                           which SQLite before 3.35 refuses)
                        -- @build temp NAME [(COLUMNS)]... a TEMP table for the stages after
                                                           it, dropped when the build ends
                      in the comment block just above `CREATE TEMP VIEW X AS ...` makes
                      the build write `CREATE TABLE main.NAME AS ...` (or `CREATE VIEW`,
                      `CREATE TEMP TABLE`) from the view's own text, in file order.
                      A CTE of such a view whose body starts with the comment lines
                        -- @build-as
                        --   SQL...
                      has the body SQL in the build instead (the lines after `--   `):
                      the same rows, computed the way tables allow (rowid joins) where
                      the views cannot (ledger.sql says why, at the top).
                      A CTE whose body starts with the comment line
                        -- @build-rank TABLE NAME
                      (above its `-- @build-as` lines) is ranked in C before the stage
                      runs. Its view form must be `SELECT ... FROM SOURCE [ALIAS]
                      [WHERE ...] WINDOW ... NAME AS (PARTITION BY P... ORDER BY O...
                      [frame]) ...`; the rank step is the query of the rows to rank
                        WITH <the stage's CTEs before this one, build form, without
                              MATERIALIZED>
                        SELECT ALIAS.RID, P..., O... FROM SOURCE ALIAS [WHERE ...]
                      (RID: `rid` when SOURCE is one of those CTEs, else `rowid`, SOURCE
                      being a table in the build; O without its DESC and NULLS LAST, which
                      go into the step's order string, a letter per O: a ascending, d
                      descending, l ascending with NULLs last, f descending with NULLs
                      first), which ext/build_rank.c sorts (by P, then O) and walks into
                        temp.TABLE(rid INTEGER PRIMARY KEY, place, size, first_rid,
                                   second_rid, next_rid)
                      per row: its place in its partition (1, 2, ...), the partition's
                      size, the rids at places 1 and 2 (second_rid NULL when alone) and
                      at the next place (NULL at the last). The CTE's @build-as form
                      reads TABLE, so the view's window is the one written order.
                      TABLE is dropped when the build ends; rank steps run in file
                      order, so a later one may read an earlier one's table.
                      A table mark may be followed by the comment line
                        -- @build-from VIEW
                      (VIEW a view above this one): the build writes the table from
                      VIEW's own SELECT instead of this view's. Any mark may then be
                      followed by the comment lines
                        -- @build-then
                        --   SQL...
                      which the build runs after writing the stage, before its
                      indexes. Together they let a view that changes a few rows of
                      the view before it be built without copying them all: the
                      rows are written once and a later stage corrects them in place
                      (model_prices: written from model_price_rows, then
                      model_price_own_keys renames the refuted guesses).
                      A CTE whose body starts with the comment line
                        -- @build-inline
                      is NOT MATERIALIZED in the build: a view's CTE read several times
                      computes it once, where the build reads a table that SQLite would
                      otherwise copy. It may come just above `-- @build-as`: the build
                      form is then not materialized.
Every text is a byte array (an ISO C string literal may be only 4,095 bytes long).
A marker that is not on a CREATE TEMP VIEW, or names a table twice, or a @build-rank
whose CTE has not that shape, fails the build as FILE:LINE: message. The output
depends on nothing but the file.
"""
import re
import sqlite3
import sys

MARK = re.compile(r"^-- @build (view |temp )?([a-z_]+)((?: \([a-z_, ]+\))*)\s*$")
BUILD_AS = re.compile(r"\(\n([ \t]*-- @build-inline\n)?[ \t]*-- @build-as\n((?:[ \t]*--   .*\n)+)")
BUILD_RANK = re.compile(r"\(\n([ \t]*-- @build-rank\b(.*)\n)")
RANK_ARGS = re.compile(r"^ ([a-z_]+) ([a-z_0-9]+)$")
CTE_NAME = r"([a-z_0-9]+) AS (?:NOT MATERIALIZED |MATERIALIZED )?\("
CTE_HEAD = re.compile(r"(?:\bWITH\s+|,\s*)([a-z_0-9]+) AS (?:NOT MATERIALIZED |MATERIALIZED )?$")
MATERIALIZED_HINT = re.compile(r"\b([a-z_0-9]+) AS (?:NOT )?MATERIALIZED \(")
BUILD_INLINE = re.compile(r"\b([a-z_0-9]+) AS (?:MATERIALIZED )?\(\n[ \t]*-- @build-inline\n")
# an ORDER BY term of a ranked window: the expression, its direction, where its NULLs go
ORDER_TERM = re.compile(r"^([\s\S]*?)(?:\s+(ASC|DESC))?(?:\s+NULLS\s+(FIRST|LAST))?$")
DIRECTION = {("ASC", ""): "a", ("ASC", "FIRST"): "a", ("ASC", "LAST"): "l",
             ("DESC", ""): "d", ("DESC", "LAST"): "d", ("DESC", "FIRST"): "f"}
KIND = {None: "STAGE_TABLE", "view ": "STAGE_VIEW", "temp ": "STAGE_TEMP"}
VIEW = re.compile(r"CREATE TEMP VIEW ([a-z_]+) AS\s", re.S)
FROM = re.compile(r"^-- @build-from ([a-z_]+)\s*$")


def fail(path, line, message):
    sys.stderr.write("%s:%d: %s\n" % (path, line, message))
    sys.exit(1)


def statements(path, text):
    """(first line number, text) of each statement, comments above it included."""
    out, buf, start = [], [], None
    for number, line in enumerate(text.splitlines(keepends=True), 1):
        if start is None:
            if not line.strip():
                continue
            start = number
        buf.append(line)
        joined = "".join(buf)
        if sqlite3.complete_statement(joined):
            out.append((start, joined))
            buf, start = [], None
    if buf and any(not l.lstrip().startswith("--") and l.strip() for l in buf):
        fail(path, start, "statement without its closing ';'")
    return out


def code(statement):
    """The statement without its leading comment lines."""
    lines = statement.splitlines(keepends=True)
    while lines and (lines[0].lstrip().startswith("--") or not lines[0].strip()):
        lines.pop(0)
    return "".join(lines)


def closing_paren(text, i):
    """The index of the ')' that closes the '(' at text[i]: strings, quoted names
    and comments skipped. None when it is not closed."""
    depth = 0
    while i < len(text):
        c = text[i]
        if c in "'\"":
            i = text.find(c, i + 1)
            if i < 0:
                return None
        elif text.startswith("--", i):
            i = text.find("\n", i)
            if i < 0:
                return None
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return None


def without_comments(text):
    """text with each `--` comment blanked out by spaces, so that an offset in it is
    the same in text (strings and quoted names kept)."""
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c in "'\"":
            j = text.find(c, i + 1)
            j = len(text) if j < 0 else j + 1
            out.append(text[i:j])
            i = j
        elif text.startswith("--", i):
            j = text.find("\n", i)
            j = len(text) if j < 0 else j
            out.append(" " * (j - i))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def top_level(text, pattern):
    """The matches of the regex pattern in text outside any parentheses (text has
    no comments)."""
    depth, spans = 0, []
    for i, c in enumerate(text):
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif depth == 0 and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            m = re.compile(pattern).match(text, i)
            if m:
                spans.append(m)
    return spans


def split_list(text):
    """A comma-separated list of expressions, split at its top-level commas."""
    parts, depth, start = [], 0, 0
    for i, c in enumerate(text):
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return [" ".join(p.split()) for p in parts]


def rank_steps(path, line, select):
    """The rank steps of select's `-- @build-rank` marks, in order, as (TABLE, SQL, the number
    of partition values, the order string), and select without the mark lines."""
    steps = []
    while True:
        m = BUILD_RANK.search(select)
        if not m:
            return steps, select
        at = line + select[:m.start(1)].count("\n")
        args = RANK_ARGS.match(m.group(2))
        if not args:
            fail(path, at, "expected '-- @build-rank TABLE NAME' (NAME: the CTE's window)")
        table, window = args.groups()
        head = CTE_HEAD.search(without_comments(select[:m.start()]))
        if not head or not without_comments(select).lstrip().startswith("WITH"):
            fail(path, at, "@build-rank must be first in the body of a CTE of the view's WITH")
        end = closing_paren(select, m.start())
        if end is None:
            fail(path, at, "@build-rank in an unclosed '('")
        body = without_comments(select[m.start() + 1:end])
        windows = top_level(body, r"WINDOW\b")
        if len(windows) != 1:
            fail(path, at, "the CTE of @build-rank must have one WINDOW clause")
        spec = re.compile(r"\b%s\s+AS\s*\(" % window).search(body, windows[0].end())
        if not spec:
            fail(path, at, "the CTE has no 'WINDOW %s AS (...)'" % window)
        spec_end = closing_paren(body, spec.end() - 1)
        definition = body[spec.end():spec_end]
        parts = top_level(definition, r"(PARTITION\s+BY|ORDER\s+BY|ROWS|RANGE|GROUPS)\b")
        keys = [p.group(1).split()[0] for p in parts]
        if keys[:2] != ["PARTITION", "ORDER"] or len(keys) > 3:
            fail(path, at, "window %s must be (PARTITION BY ... ORDER BY ... [frame])" % window)
        partition = split_list(definition[parts[0].end():parts[1].start()])
        order = split_list(definition[parts[1].end():parts[2].start() if len(parts) > 2
                                      else len(definition)])
        terms, directions = [], ""
        for term in order:
            d = ORDER_TERM.match(term)
            if not d:
                fail(path, at, "window %s: cannot read the ORDER BY term '%s'" % (window, term))
            terms.append(d.group(1))
            directions += DIRECTION[(d.group(2) or "ASC", d.group(3) or "")]
        source = top_level(body[:windows[0].start()],
                           r"FROM\s+([a-z_0-9]+)(?:\s+([a-z_0-9]+))?(\s+WHERE\s[\s\S]*?)?\s*$")
        if len(source) != 1:
            fail(path, at, "the CTE of @build-rank must read "
                           "'FROM SOURCE [ALIAS] [WHERE ...] WINDOW ...'")
        source_name, alias, where = source[0].groups()
        alias = alias or source_name
        where = " " + where.strip() if where else ""
        prefix = select[:head.start()] if head.group(0).startswith(",") else ""
        # an earlier CTE of the stage gives its rid column, a table (in the build) its rowid
        ctes = [c.group(1) for c in top_level(without_comments(prefix), CTE_NAME)]
        rid = "rid" if source_name in ctes else "rowid"
        # (a MATERIALIZED CTE is a copy of its rows, which the stage may need and the
        # sort does not: SQLite flattens the others into it)
        prefix = re.sub(r"(?<!NOT )\bMATERIALIZED \(", "(", build_form(path, line, prefix))
        steps.append((table, "%s\nSELECT %s.%s, %s FROM %s%s" % (
            prefix, alias, rid, ", ".join(partition + terms),
            source_name if alias == source_name else source_name + " " + alias, where),
            len(partition), directions))
        select = select[:m.start(1)] + select[m.end(1):]


def build_form(path, line, select):
    """select with each CTE body that starts with `-- @build-as` replaced by the SQL of
    the comment lines that follow it."""
    while True:
        m = BUILD_AS.search(select)
        if not m:
            break
        end = closing_paren(select, m.start())
        if end is None:
            fail(path, line + select[:m.start()].count("\n"), "@build-as in an unclosed '('")
        body = "".join(l.lstrip()[5:] + "\n" for l in m.group(2).splitlines())
        inline = "\n" + m.group(1) if m.group(1) else ""  # kept for BUILD_INLINE below
        select = select[:m.start() + 1] + inline + body + select[end:]
    if "@build-as" in select:
        fail(path, line + select[:select.index("@build-as")].count("\n"),
             "expected '-- @build-as' on the line after a CTE's '(' and '--   SQL' lines")
    select = BUILD_INLINE.sub(r"\1 AS NOT MATERIALIZED (\n", select)
    if "@build-inline" in select:
        fail(path, line + select[:select.index("@build-inline")].count("\n"),
             "expected '-- @build-inline' on the line after a CTE's 'NAME AS ('")
    return select


def stage_options(path, start, lines, offset, views):
    """The `-- @build-from VIEW` and `-- @build-then` lines (the latter followed by its
    `--   SQL` lines) after the @build mark at lines[offset]: (VIEW or None, the SQL or
    None, the offsets of those two lines)."""
    source = then = None
    used = set()
    i = offset + 1
    if i < len(lines) and lines[i].startswith("-- @build-from"):
        m = FROM.match(lines[i])
        if not m or m.group(1) not in views:
            fail(path, start + i, "expected '-- @build-from VIEW', VIEW a view above this one")
        source = m.group(1)
        used.add(i)
        i += 1
    if i < len(lines) and lines[i].startswith("-- @build-then"):
        used.add(i)
        sql = []
        for line in lines[i + 1:]:
            if not line.startswith("--   "):
                break
            sql.append(line[5:] + "\n")
        if lines[i].rstrip() != "-- @build-then" or not sql:
            fail(path, start + i, "expected '-- @build-then' and then '--   SQL' lines")
        then = "".join(sql)
    return source, then, used


def stages(path, parsed):
    out, names, views = [], set(), {}
    for start, statement in parsed:
        body = code(statement)
        v = VIEW.match(body)
        if v:
            first = (start + statement[:len(statement) - len(body)].count("\n")
                     + body[:v.end()].count("\n"))
            views[v.group(1)] = (first, body[v.end():].rstrip().rstrip(";").rstrip())
        lines = statement.splitlines()
        options = set()  # the offsets of the @build-from/-then lines read with a mark
        for offset, line in enumerate(lines):
            if line.startswith(("-- @build-from", "-- @build-then")):
                if offset not in options:
                    fail(path, start + offset, "expected '-- @build-from' and '-- @build-then' "
                                               "right below a '-- @build NAME' line")
                continue
            if not line.startswith("-- @build"):
                continue
            m = MARK.match(line)
            if not m:
                fail(path, start + offset, "expected '-- @build NAME (COLUMNS)...' or "
                                           "'-- @build view NAME'")
            if not v:
                fail(path, start + offset, "a @build mark must be above a CREATE TEMP VIEW")
            name = m.group(2)
            if name in names:
                fail(path, start + offset, "%s is built twice" % name)
            names.add(name)
            indexes = re.findall(r"\(([a-z_, ]+)\)", m.group(3))
            if m.group(1) == "view " and indexes:
                fail(path, start + offset, "a view has no index")
            # the line where select starts: after the leading comments and `... AS\n`
            source, then, used = stage_options(path, start, lines, offset, views)
            options |= used
            if source and m.group(1):
                fail(path, start + offset + 1, "@build-from makes a table, not a view or TEMP table")
            first, select = views[source or v.group(1)]
            ranks, select = rank_steps(path, first, select)
            select = build_form(path, first, select)
            if m.group(1) == "view ":
                # a view kept in the database is read by any host: a MATERIALIZED hint
                # (SQLite 3.35) would make older ones refuse the whole file
                select = MATERIALIZED_HINT.sub(r"\1 AS (", select)
            out.append((name, KIND[m.group(1)], select, indexes, ranks, then))
    return out


def c_bytes(name, text):
    data = list(text.encode("utf-8")) + [0]
    rows = [", ".join(str(b) for b in data[i:i + 24]) for i in range(0, len(data), 24)]
    return "static const char %s[] = {\n  %s};\n" % (name, ",\n  ".join(rows))


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: gen_sql.py sql/ledger.sql OUTPUT.c")
    path, output = sys.argv[1], sys.argv[2]
    with open(path, encoding="utf-8") as f:
        text = f.read()
    parsed = statements(path, text)
    inputs = [code(s) for _, s in parsed
              if re.match(r"(CREATE TABLE IF NOT EXISTS|INSERT OR IGNORE INTO) ", code(s))]
    drops = [code(s) for _, s in parsed if code(s).startswith("DROP ")]
    built = stages(path, parsed)
    if not built:
        fail(path, 1, "no '-- @build' marks")
    out = ["/* Generated by sql/gen_sql.py from %s: do not edit. */\n" % path,
           c_bytes("zLedgerSql", text), c_bytes("zLedgerInputsSql", "".join(inputs)),
           c_bytes("zLedgerDropSql", "".join(drops))]
    for i, (name, kind, select, _, ranks, then) in enumerate(built):
        out.append(c_bytes("zStage%d" % i, select))
        if then:
            out.append(c_bytes("zStage%dThen" % i, then))
        for j, (table, sql, _, _) in enumerate(ranks):
            out.append(c_bytes("zStage%dRank%d" % (i, j), sql))
        if ranks:
            out.append("static const BuildRank aStage%dRank[] = {\n%s};\n" % (i, "".join(
                '  {"%s", zStage%dRank%d, %d, "%s"},\n' % (t, i, j, n, d)
                for j, (t, _, n, d) in enumerate(ranks))))
    out.append("static const BuildStage aBuildStage[] = {\n")
    for i, (name, kind, select, indexes, ranks, then) in enumerate(built):
        index_list = ", ".join('"%s"' % c for c in indexes) if indexes else ""
        rank = "aStage%dRank, %d" % (i, len(ranks)) if ranks else "NULL, 0"
        out.append('  {"%s", %s, zStage%d, {%s}, %s, %s},\n' % (
            name, kind, i, index_list or "NULL", rank, "zStage%dThen" % i if then else "NULL"))
    out.append("};\n")
    with open(output, "w", encoding="utf-8") as f:
        f.write("".join(out))


if __name__ == "__main__":
    main()
