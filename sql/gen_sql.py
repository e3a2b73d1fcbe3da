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
                        -- @build view NAME                a view kept in the database
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
                        -- @build-inline
                      is NOT MATERIALIZED in the build: a view's CTE read several times
                      computes it once, where the build reads a table that SQLite would
                      otherwise copy.
Every text is a byte array (an ISO C string literal may be only 4,095 bytes long).
A marker that is not on a CREATE TEMP VIEW, or names a table twice, fails the build
as FILE:LINE: message. The output depends on nothing but the file.
"""
import re
import sqlite3
import sys

MARK = re.compile(r"^-- @build (view |temp )?([a-z_]+)((?: \([a-z_, ]+\))*)\s*$")
BUILD_AS = re.compile(r"\(\n[ \t]*-- @build-as\n((?:[ \t]*--   .*\n)+)")
BUILD_INLINE = re.compile(r"\b([a-z_0-9]+) AS (?:MATERIALIZED )?\(\n[ \t]*-- @build-inline\n")
KIND = {None: "STAGE_TABLE", "view ": "STAGE_VIEW", "temp ": "STAGE_TEMP"}
VIEW = re.compile(r"CREATE TEMP VIEW ([a-z_]+) AS\s", re.S)


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
        body = "".join(l.lstrip()[5:] + "\n" for l in m.group(1).splitlines())
        select = select[:m.start() + 1] + body + select[end:]
    if "@build-as" in select:
        fail(path, line + select[:select.index("@build-as")].count("\n"),
             "expected '-- @build-as' on the line after a CTE's '(' and '--   SQL' lines")
    select = BUILD_INLINE.sub(r"\1 AS NOT MATERIALIZED (\n", select)
    if "@build-inline" in select:
        fail(path, line + select[:select.index("@build-inline")].count("\n"),
             "expected '-- @build-inline' on the line after a CTE's 'NAME AS ('")
    return select


def stages(path, parsed):
    out, names = [], set()
    for start, statement in parsed:
        for offset, line in enumerate(statement.splitlines()):
            if not line.startswith("-- @build"):
                continue
            m = MARK.match(line)
            if not m:
                fail(path, start + offset, "expected '-- @build NAME (COLUMNS)...' or "
                                           "'-- @build view NAME'")
            body = code(statement)
            v = VIEW.match(body)
            if not v:
                fail(path, start + offset, "a @build mark must be above a CREATE TEMP VIEW")
            name = m.group(2)
            if name in names:
                fail(path, start + offset, "%s is built twice" % name)
            names.add(name)
            indexes = re.findall(r"\(([a-z_, ]+)\)", m.group(3))
            if m.group(1) == "view " and indexes:
                fail(path, start + offset, "a view has no index")
            select = body[v.end():].rstrip().rstrip(";").rstrip()
            # the line where select starts: after the leading comments and `... AS\n`
            first = (start + statement[:len(statement) - len(body)].count("\n")
                     + body[:v.end()].count("\n"))
            out.append((name, KIND[m.group(1)], build_form(path, first, select), indexes))
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
    for i, (name, kind, select, _) in enumerate(built):
        out.append(c_bytes("zStage%d" % i, select))
    out.append("static const BuildStage aBuildStage[] = {\n")
    for i, (name, kind, select, indexes) in enumerate(built):
        index_list = ", ".join('"%s"' % c for c in indexes) if indexes else ""
        out.append('  {"%s", %s, zStage%d, {%s}},\n' % (name, kind, i, index_list or "NULL"))
    out.append("};\n")
    with open(output, "w", encoding="utf-8") as f:
        f.write("".join(out))


if __name__ == "__main__":
    main()
