"""pareto: frontiers and full ranks against what a user would write in plain SQL.

Data: table t(id, o1..oM), all objectives minimized, generated inside the setup SQL by a
recursive CTE with deterministic pseudo-random values (a multiplicative hash of the row
number, one stream per objective), in three shapes (Borzsonyi et al. 2001):
  independent      every objective uniform in [0, 1)
  correlated       0.8 * a shared uniform + 0.2 * its own: good on one, good on all
  anti-correlated  uniform values rescaled to sum to ~1: good on one, bad on another
at 1k, 20k and 200k rows with 2, 3 and 5 objectives.

Comparisons:
  frontier         pareto(...) WHERE pareto_rank = 1
                   vs  NOT EXISTS self-join (at 1k and 20k rows; skipped at 200k, where it
                   would take minutes) and, for 2 objectives, vs the window formulation
                   (ORDER BY o1, keep rows whose o2 beats the running minimum)
  full ranks       every row's pareto_rank  vs  the same rows ORDER BY o1, the floor of any
                   method that must look at every row
Reproduce: python3 bench/run.py pareto (about 2 minutes; make bench runs every scenario).
"""

SIZES = (1000, 20000, 200000)
OBJECTIVES = (2, 3, 5)
SHAPES = ("independent", "correlated", "anti-correlated")


def uniform(k):
    """A deterministic pseudo-random value in [0, 1) from row number i, stream k."""
    # h = (i * a + c) mod p, then one squaring round mod p to break the lattice.
    return ("(((((i * 1103515245 + %d) %% 2147483647) * ((i * 1103515245 + %d) %% 2147483647)) "
            "%% 2147483629) / 2147483629.0)" % (12345 + 7919 * k, 12345 + 7919 * k))


def setup_sql(shape, n, m):
    cols = ", ".join("o%d" % (k + 1) for k in range(m))
    us = ", ".join("%s AS u%d" % (uniform(k + 1), k + 1) for k in range(m))
    if shape == "independent":
        vals = ", ".join("u%d" % (k + 1) for k in range(m))
    elif shape == "correlated":
        vals = ", ".join("0.8 * u0 + 0.2 * u%d" % (k + 1) for k in range(m))
    else:
        total = " + ".join("u%d" % (k + 1) for k in range(m))
        vals = ", ".join("u%d / (%s) * (0.95 + 0.1 * u0)" % (k + 1, total) for k in range(m))
    return (
        "CREATE TABLE t(id INTEGER PRIMARY KEY, %s);\n"
        "INSERT INTO t SELECT i, %s FROM (SELECT i, %s AS u0, %s FROM (\n"
        "  WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < %d)\n"
        "  SELECT i FROM r));\n" % (cols, vals, uniform(0), us, n))


def statements(m, n):
    cols = ", ".join("o%d" % (k + 1) for k in range(m))
    dirs = ", ".join(["min"] * m)
    inner = "SELECT id, %s FROM t" % cols
    s = {
        "frontier": "SELECT key FROM pareto('%s', '%s') WHERE pareto_rank = 1" % (inner, dirs),
        "ranks": "SELECT key, pareto_rank FROM pareto('%s', '%s')" % (inner, dirs),
        "orderby": "SELECT id, %s FROM t ORDER BY o1" % cols,
    }
    if m == 2:
        # Exact duplicates would drop out here (o2 < best), absent in this data.
        s["window"] = ("SELECT id FROM (SELECT id, o2, min(o2) OVER (ORDER BY o1, o2 ROWS BETWEEN "
                       "UNBOUNDED PRECEDING AND 1 PRECEDING) AS best FROM t) "
                       "WHERE best IS NULL OR o2 < best")
    if n <= 20000:
        le = " AND ".join("b.o%d <= a.o%d" % (k + 1, k + 1) for k in range(m))
        lt = " OR ".join("b.o%d < a.o%d" % (k + 1, k + 1) for k in range(m))
        s["notexists"] = ("SELECT id FROM t AS a WHERE NOT EXISTS (SELECT 1 FROM t AS b "
                          "WHERE %s AND (%s))" % (le, lt))
    return s


def run(ctx):
    rows = []
    for n in SIZES:
        for m in OBJECTIVES:
            for shape in SHAPES:
                label = "pareto %s n=%dk m=%d" % (shape, n // 1000, m)
                stmts = statements(m, n)
                slow = stmts.pop("notexists", None)
                reps = 5 if n < 200000 else 3
                t = ctx.time_sql(setup_sql(shape, n, m), stmts, reps)
                if slow is not None:
                    # one repetition: at 20k rows it takes seconds
                    t.update(ctx.time_sql(setup_sql(shape, n, m), {"notexists": slow}, 1))
                front = t["frontier"]
                if "notexists" in t:
                    if t["notexists"][1] != front[1]:
                        raise SystemExit("%s: NOT EXISTS gives %d rows, pareto %d"
                                         % (label, t["notexists"][1], front[1]))
                    rows.append(dict(scenario=label + " frontier", ours="pareto",
                                     baseline="NOT EXISTS self-join", ours_s=front[0],
                                     baseline_s=t["notexists"][0],
                                     note="%d on the frontier" % front[1]))
                else:
                    rows.append(dict(scenario=label + " frontier", ours_s=None,
                                     note="NOT EXISTS skipped at 200k rows (quadratic: minutes); "
                                          "pareto %.1f ms, %d on the frontier"
                                          % (front[0] * 1e3, front[1])))
                if "window" in t:
                    if t["window"][1] != front[1]:
                        raise SystemExit("%s: window gives %d rows, pareto %d"
                                         % (label, t["window"][1], front[1]))
                    rows.append(dict(scenario=label + " frontier", ours="pareto",
                                     baseline="window running min", ours_s=front[0],
                                     baseline_s=t["window"][0]))
                rows.append(dict(scenario=label + " ranks", ours="pareto",
                                 baseline="ORDER BY o1 (floor)", ours_s=t["ranks"][0],
                                 baseline_s=t["orderby"][0]))
    return rows
