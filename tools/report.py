#!/usr/bin/env python3
"""The ledger as a picture and a static page (issue 13, "A picture").

  python3 tools/report.py LEDGER.db OUT_DIR

LEDGER.db is a database tokenledger_build() has written (make report builds
one into ledger/ledger.db); it is read-only here and through the plain sqlite3
module, so any python3 works (the pyenv one of these machines cannot load
extensions, and need not). Writes:

  OUT_DIR/frontier.svg  blended price per 1M (log10 axis, decade ticks) against
                        intelligence_index: one point per model, its best
                        offering (best_offering = 1: routable, cheapest, base
                        row first), frontier points (pareto_rank 1) filled,
                        labelled and joined by a step line
  OUT_DIR/report.html   the same chart inlined, the ledger table (every row of
                        unified_model_provider_ledger), pricing_coverage, the
                        largest cross-source disagreements (ledger_audit), the
                        price changes of rate_timeline, the sources read

The output depends on the database alone: rows sorted on full keys, numbers
formatted with fixed precision, no clock read (the only time shown is the
build's own built_at), so the same database gives byte-identical files. No
JavaScript and no external resource: the page works offline, from file://.
Each point is an SVG <circle class="point ..."> and each ledger row a
<tr class="ledger-row ...">, which tests/report/test_report.py counts.
"""
import html
import json
import math
import os
import sqlite3
import sys

# Other points are labelled too when there are at most this many: beyond it
# the labels would cover the points.
LABEL_ALL_MAX = 15
# ledger_audit rows shown, by spread.
DISAGREEMENTS_MAX = 25

# Chart geometry (px). The plot area is inset by the margins; labels may
# spill into the right margin.
WIDTH, HEIGHT = 960, 640
LEFT, RIGHT, TOP, BOTTOM = 72, 150, 48, 88
FONT_PX = 11
# An estimate of a label's width (the chart cannot measure text without a
# renderer): wide enough for the sans-serif fonts Chromium and Firefox use.
CHAR_PX = 6.4


def esc(value):
    return html.escape("" if value is None else str(value), quote=True)


def num(value, places=9):
    """A number as fixed text: at most `places` decimals (9: the ledger rounds
    prices per 1M so), no trailing zeros, never an exponent (repr would give
    1e-05 or 0.30000000000000004)."""
    if value is None:
        return ""
    text = "%.*f" % (places, value)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def px(value):
    return "%.1f" % value


def query(db, sql, args=()):
    cur = db.execute(sql, args)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def chart_points(db):
    """Each model's best offering with a price and an intelligence index, in a
    fixed order (cheapest first). A $0 offering (routable only with
    zero_price_routable 1) has no place on a log axis: returned apart."""
    rows = query(db, """
        SELECT provider, model, variant, blended_price_per_1m AS price,
               intelligence_index AS quality, output_tokens_per_s AS speed, pareto_rank
        FROM unified_model_provider_ledger
        WHERE best_offering = 1 AND routable = 1
          AND blended_price_per_1m IS NOT NULL AND intelligence_index IS NOT NULL
        ORDER BY blended_price_per_1m, intelligence_index DESC, model, provider,
                 coalesce(variant, '')""")
    return [r for r in rows if r["price"] > 0], [r for r in rows if r["price"] <= 0]


def quality_ticks(lo, hi):
    """A step of 1, 2 or 5 x 10^k giving at most 10 ticks, and the axis ends
    rounded out to it."""
    span = max(hi - lo, 1.0)
    steps = [m * 10.0 ** k for k in range(-2, 6) for m in (1, 2, 5)]
    step = next((s for s in steps if span / s <= 10), steps[-1])
    start = math.floor(lo / step) * step
    stop = math.ceil(hi / step) * step
    if stop == start:
        stop = start + step
    n = int(round((stop - start) / step))
    return start, stop, [start + i * step for i in range(n + 1)]


def price_label(decade):
    return "$" + num(10.0 ** decade, max(0, -decade))


def place_labels(points, sx, sy, plot, segments):
    """Greedy label placement: frontier labels first (always placed), then
    the others, each at the first of right, left, above, below of its point
    that overlaps no point, step line segment (x0, y0, x1, y1 boxes) or label
    already there and stays in the chart. An other label with no free place
    is left out; its point keeps its tooltip."""
    y0, y1 = plot[1], plot[3]
    taken = [(sx(p["price"]) - 5, sy(p["quality"]) - 5, sx(p["price"]) + 5, sy(p["quality"]) + 5)
             for p in points] + segments
    placed = {}
    label_all = len(points) <= LABEL_ALL_MAX
    order = [i for i, p in enumerate(points) if p["pareto_rank"] == 1]
    if label_all:
        order += [i for i, p in enumerate(points) if p["pareto_rank"] != 1]
    for i in order:
        p = points[i]
        x, y = sx(p["price"]), sy(p["quality"])
        w, h = len(p["model"]) * CHAR_PX, FONT_PX + 2
        candidates = [("start", x + 8, y + 4, (x + 7, y - h / 2, x + 8 + w, y + h / 2)),
                      ("end", x - 8, y + 4, (x - 8 - w, y - h / 2, x - 7, y + h / 2)),
                      ("middle", x, y - 9, (x - w / 2, y - 9 - h + 2, x + w / 2, y - 7)),
                      ("middle", x, y + 18, (x - w / 2, y + 7, x + w / 2, y + 20))]
        chosen = None
        for anchor, tx, ty, box in candidates:
            inside = box[0] >= 2 and box[2] <= WIDTH - 2 and box[1] >= y0 - 10 and box[3] <= y1 + 2
            free = not any(box[0] < t[2] and t[0] < box[2] and box[1] < t[3] and t[1] < box[3]
                           for j, t in enumerate(taken) if j != i)
            if inside and free:
                chosen = (anchor, tx, ty, box)
                break
        if chosen is None and p["pareto_rank"] == 1:
            chosen = candidates[0]
        if chosen is not None:
            taken.append(chosen[3])
            placed[i] = chosen[:3]
    return placed


def frontier_svg(db, built_at):
    points, zero = chart_points(db)
    out = ['<svg xmlns="http://www.w3.org/2000/svg" class="frontier-chart" width="%d" height="%d" '
           'viewBox="0 0 %d %d" font-family="sans-serif" font-size="%d" role="img" '
           'aria-labelledby="frontier-title">' % (WIDTH, HEIGHT, WIDTH, HEIGHT, FONT_PX)]
    out.append('<title id="frontier-title">Price against quality: %d models, %d on the frontier'
               '</title>' % (len(points), sum(p["pareto_rank"] == 1 for p in points)))
    out.append('<style>.grid{stroke:#e3e3e3}.minor{stroke:#f1f1f1}.axis{stroke:#444}'
               '.point,.legend{fill:#7a9cc6;stroke:#2b4c7e;stroke-width:1}'
               '.point.unranked,.legend.unranked{fill:#fff;stroke:#8a8a8a}'
               '.point.frontier,.legend.frontier{fill:#e8590c;stroke:#7a2e05;stroke-width:1.5}'
               '.step{fill:none;stroke:#e8590c;stroke-width:1.5;stroke-dasharray:5 3}'
               '.label{fill:#222}.label.frontier{font-weight:bold;fill:#7a2e05}'
               '.muted{fill:#666}</style>')
    out.append('<rect width="%d" height="%d" fill="#fff"/>' % (WIDTH, HEIGHT))
    out.append('<text x="%d" y="20" font-size="14" font-weight="bold">Price per 1M tokens '
               'against intelligence index, one point per model (its best offering)</text>' % LEFT)
    out.append('<text class="muted" x="%d" y="36">ledger built %s</text>' % (LEFT, esc(built_at)))
    x0, y0, x1, y1 = LEFT, TOP, WIDTH - RIGHT, HEIGHT - BOTTOM
    if not points:
        out.append('<text x="%d" y="%d" class="muted">No model has both a blended price above $0 '
                   'and an intelligence index.</text>' % (x0, (y0 + y1) // 2))
        out.append('</svg>')
        return "\n".join(out) + "\n", points, zero
    prices = [math.log10(p["price"]) for p in points]
    d_lo, d_hi = math.floor(min(prices)), math.ceil(max(prices))
    if d_hi == d_lo:
        d_hi += 1
    q_lo, q_hi, q_ticks = quality_ticks(min(p["quality"] for p in points),
                                        max(p["quality"] for p in points))

    def sx(price):
        return x0 + (math.log10(price) - d_lo) / (d_hi - d_lo) * (x1 - x0)

    def sy(quality):
        return y1 - (quality - q_lo) / (q_hi - q_lo) * (y1 - y0)

    # grid: 2..9 x each decade faint, decades and quality ticks labelled
    for d in range(d_lo, d_hi):
        for m in range(2, 10):
            x = sx(m * 10.0 ** d)
            out.append('<line class="minor" x1="%s" y1="%d" x2="%s" y2="%d"/>' % (px(x), y0, px(x), y1))
    for d in range(d_lo, d_hi + 1):
        x = sx(10.0 ** d)
        out.append('<line class="grid" x1="%s" y1="%d" x2="%s" y2="%d"/>' % (px(x), y0, px(x), y1))
        out.append('<text class="tick" x="%s" y="%d" text-anchor="middle">%s</text>'
                   % (px(x), y1 + 16, price_label(d)))
    for q in q_ticks:
        y = sy(q)
        out.append('<line class="grid" x1="%d" y1="%s" x2="%d" y2="%s"/>' % (x0, px(y), x1, px(y)))
        out.append('<text class="tick" x="%d" y="%s" text-anchor="end">%s</text>'
                   % (x0 - 6, px(y + 4), num(q, 2)))
    out.append('<line class="axis" x1="%d" y1="%d" x2="%d" y2="%d"/>' % (x0, y1, x1, y1))
    out.append('<line class="axis" x1="%d" y1="%d" x2="%d" y2="%d"/>' % (x0, y0, x0, y1))
    out.append('<text x="%d" y="%d" text-anchor="middle">blended price, USD per 1M tokens '
               '(3 input : 1 output by default; log scale)</text>' % ((x0 + x1) // 2, y1 + 36))
    out.append('<text x="18" y="%d" text-anchor="middle" transform="rotate(-90 18 %d)">'
               'intelligence index</text>' % ((y0 + y1) // 2, (y0 + y1) // 2))

    # The step line: from each frontier point, across at its quality to the
    # next one's price, then to the next one's quality. The frontier is on
    # quality, price and speed, so a step may go down (a faster, cheaper
    # model of lower quality).
    frontier = [p for p in points if p["pareto_rank"] == 1]
    segments = []
    if len(frontier) > 1:
        path = ["M%s %s" % (px(sx(frontier[0]["price"])), px(sy(frontier[0]["quality"])))]
        for a, b in zip(frontier, frontier[1:]):
            path.append("H%s V%s" % (px(sx(b["price"])), px(sy(b["quality"]))))
            ax, ay, bx, by = sx(a["price"]), sy(a["quality"]), sx(b["price"]), sy(b["quality"])
            segments += [(ax, ay - 1, bx, ay + 1), (bx - 1, min(ay, by), bx + 1, max(ay, by))]
        out.append('<path class="step" d="%s"/>' % " ".join(path))

    # Frontier points last, so they are drawn over the others.
    for p in sorted(points, key=lambda p: p["pareto_rank"] == 1):
        kind = ("frontier" if p["pareto_rank"] == 1
                else "ranked" if p["pareto_rank"] is not None else "unranked")
        tip = "%s (%s%s): $%s per 1M, intelligence %s, %s tok/s, pareto_rank %s" % (
            p["model"], p["provider"], "|" + p["variant"] if p["variant"] else "", num(p["price"]),
            num(p["quality"], 2), num(p["speed"], 1) if p["speed"] is not None else "no",
            p["pareto_rank"] if p["pareto_rank"] is not None else "none")
        out.append('<circle class="point %s" data-model="%s" data-provider="%s" data-price="%s" '
                   'data-quality="%s" cx="%s" cy="%s" r="%d"><title>%s</title></circle>'
                   % (kind, esc(p["model"]), esc(p["provider"]), num(p["price"]), num(p["quality"], 2),
                      px(sx(p["price"])), px(sy(p["quality"])), 6 if kind == "frontier" else 4,
                      esc(tip)))
    for i, (anchor, tx, ty) in sorted(place_labels(points, sx, sy, (x0, y0, x1, y1), segments).items()):
        p = points[i]
        out.append('<text class="label%s" x="%s" y="%s" text-anchor="%s">%s</text>'
                   % (" frontier" if p["pareto_rank"] == 1 else "", px(tx), px(ty), anchor,
                      esc(p["model"])))

    # The legend is one row under the axis title, outside the plot, where it
    # can hide no point. Its markers are class "legend", not "point":
    # counting points counts models.
    lx, y = x0 + 6, y1 + 62
    for cls, r, text in (("frontier", 6, "frontier (pareto_rank 1)"),
                         ("ranked", 4, "behind the frontier (pareto_rank 2+)"),
                         ("unranked", 4, "not ranked (no speed figure)"),
                         ("step", 0, "the frontier in price order")):
        if cls == "step":
            out.append('<line class="step" x1="%d" y1="%d" x2="%d" y2="%d"/>' % (lx - 6, y, lx + 6, y))
        else:
            out.append('<circle class="legend %s" cx="%d" cy="%d" r="%d"/>' % (cls, lx, y, r))
        out.append('<text x="%d" y="%d">%s</text>' % (lx + 12, y + 4, text))
        lx += 12 + int(len(text) * CHAR_PX) + 28
    out.append('</svg>')
    svg = "\n".join(out) + "\n"
    return svg, points, zero


def table(cls, headers, rows, row_classes=None):
    """An HTML table; every cell escaped. Numeric columns (header ending
    in '#') are right-aligned. Each row is of class CLS-row unless
    row_classes says otherwise."""
    out = ['<table class="%s">' % cls, "<thead><tr>"]
    out += ['<th%s>%s</th>' % (' class="n"' if h.endswith("#") else "", esc(h.rstrip("#")))
            for h in headers]
    out.append("</tr></thead><tbody>")
    for k, row in enumerate(rows):
        rc = row_classes[k] if row_classes else cls + "-row"
        out.append('<tr class="%s">' % rc + "".join(
            '<td%s>%s</td>' % (' class="n"' if h.endswith("#") else "", esc(v))
            for h, v in zip(headers, row)) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def day(date):
    # rate cards without a date of their own take effect at the dawn of time
    return "undated" if date in (None, "", "0001-01-01") else date


def sources_section(db):
    rows = query(db, "SELECT source, kind, path, format, snapshot_date, rows, size_bytes, sha256 "
                     "FROM ledger_build_files ORDER BY source")
    return table("sources", ["kind", "file", "format", "snapshot", "rows#", "bytes#", "sha256 (first 12)"],
                 [[r["kind"], r["path"], r["format"] or "detected", r["snapshot_date"] or "",
                   r["rows"], r["size_bytes"], (r["sha256"] or "")[:12]] for r in rows])


def ledger_section(db):
    rows = query(db, """
        SELECT provider, model, variant, input_per_1m, output_per_1m, blended_price_per_1m,
               intelligence_index, output_tokens_per_s, pareto_rank, best_offering, routable,
               price_flag, price_source, price_effective_from
        FROM unified_model_provider_ledger
        ORDER BY model, provider, coalesce(variant, '')""")
    classes = ["ledger-row" + (" frontier" if r["pareto_rank"] == 1 else "")
               + (" best" if r["best_offering"] else "") for r in rows]
    body = [[r["provider"], r["model"], r["variant"] or "", num(r["input_per_1m"]),
             num(r["output_per_1m"]), num(r["blended_price_per_1m"]),
             num(r["intelligence_index"], 2), num(r["output_tokens_per_s"], 1),
             r["pareto_rank"] if r["pareto_rank"] is not None else "",
             "yes" if r["best_offering"] else "", "yes" if r["routable"] else "no",
             r["price_flag"] or "",
             "%s %s" % (os.path.basename(r["price_source"]), day(r["price_effective_from"]))
             if r["price_source"] else ""] for r in rows]
    return len(rows), table("ledger", [
        "provider", "model", "variant", "input/1M#", "output/1M#", "blended/1M#", "intelligence#",
        "tok/s#", "pareto rank#", "best offering", "routable", "price flag", "price from"],
        body, classes)


def coverage_section(db):
    rows = query(db, "SELECT * FROM pricing_coverage ORDER BY provider = '(all)', provider")
    return table("coverage", ["provider", "ledger rows#", "priced#", "unpriced#", "priced %#"],
                 [[r["provider"], r["models"], r["priced"], r["unpriced"], num(r["priced_pct"], 1)]
                  for r in rows])


def disagreements_section(db):
    flagged = db.execute("SELECT count(*) FROM ledger_audit WHERE spread_flag").fetchone()[0]
    ratio = db.execute("SELECT value FROM ledger_settings WHERE key = 'audit_spread_ratio'").fetchone()
    rows = query(db, """
        SELECT provider, model, variant, sources, raw_names, min_input_per_1m, max_input_per_1m,
               min_output_per_1m, max_output_per_1m, spread, spread_flag, names
        FROM ledger_audit WHERE spread > 1
        ORDER BY spread DESC, provider, model, coalesce(variant, '') LIMIT ?""",
                 (DISAGREEMENTS_MAX,))

    def names(text):
        return "; ".join("%s: %s%s %s/%s" % (
            os.path.basename(n["source"]), n["raw_provider"] + " " if n["raw_provider"] else "",
            n["raw_model"], num(n["input_per_1m"]) or "-", num(n["output_per_1m"]) or "-")
            for n in json.loads(text))

    body = [[r["provider"], r["model"], r["variant"] or "", r["sources"], r["raw_names"],
             "%s - %s" % (num(r["min_input_per_1m"]), num(r["max_input_per_1m"])),
             "%s - %s" % (num(r["min_output_per_1m"]), num(r["max_output_per_1m"])),
             num(r["spread"], 4), "yes" if r["spread_flag"] else "", names(r["names"])]
            for r in rows]
    classes = ["audit-row" + (" flagged" if r["spread_flag"] else "") for r in rows]
    intro = ("<p>Keys (provider, model, variant) whose sources give different prices: the "
             "current base price of each raw name in each file, spread = the larger of max/min "
             "input and max/min output (non-zero prices). The largest spreads above 1, at most %d; "
             "<b>%d</b> key(s) in all are flagged (spread above audit_spread_ratio %s), usually "
             "different models, regions or tiers merged under one name, or a wrong price. Prices "
             "are USD per 1M tokens, input/output.</p>" % (DISAGREEMENTS_MAX, flagged,
                                                          esc(ratio[0] if ratio else "")))
    if not rows:
        return intro + "<p>No key has prices that differ between its sources.</p>"
    return intro + table("audit", ["provider", "model", "variant", "files#", "raw names#",
                                   "input/1M", "output/1M", "spread#", "flagged", "names"],
                         body, classes)


def changes_section(db):
    rows = query(db, """
        SELECT * FROM (
          SELECT provider, model, variant, tier_start_tokens, effective_from,
                 round(input_cost_per_token * 1000000, 9) AS input_per_1m,
                 round(output_cost_per_token * 1000000, 9) AS output_per_1m,
                 source_path, recorded_snapshot,
                 lag(effective_from) OVER w AS old_from,
                 lag(round(input_cost_per_token * 1000000, 9)) OVER w AS old_input,
                 lag(round(output_cost_per_token * 1000000, 9)) OVER w AS old_output,
                 lag(source_path) OVER w AS old_source, lag(recorded_snapshot) OVER w AS old_snapshot,
                 row_number() OVER w AS n
          FROM rate_timeline
          WINDOW w AS (PARTITION BY provider, model, variant, tier_start_tokens
                       ORDER BY effective_from))
        WHERE n > 1 AND (input_per_1m IS NOT old_input OR output_per_1m IS NOT old_output)
        ORDER BY effective_from DESC, provider, model, coalesce(variant, ''), tier_start_tokens""")

    def origin(path, snapshot):
        return os.path.basename(path) + (" (snapshot %s)" % snapshot if snapshot else "")

    body = [[r["provider"], r["model"], r["variant"] or "", r["tier_start_tokens"] or "",
             day(r["old_from"]), "%s / %s" % (num(r["old_input"]) or "-", num(r["old_output"]) or "-"),
             day(r["effective_from"]), "%s / %s" % (num(r["input_per_1m"]) or "-",
                                                    num(r["output_per_1m"]) or "-"),
             origin(r["old_source"], r["old_snapshot"]) + " \u2192 " + origin(r["source_path"],
                                                                         r["recorded_snapshot"])]
            for r in rows]
    intro = ("<p>What counts as a change: two consecutive billed rate cards (rate_timeline) of "
             "one key (provider, model, variant, tier) whose input or output price per 1M "
             "differs. A card takes effect on its own date, or on its file's snapshot date "
             "when the row has none, so a price that moved between two loaded snapshots of a "
             "list shows here with the later snapshot's date, as does a dated row of an "
             "override file. A card kept only for the record (an override or the provider's own "
             "list prices that key) is not billed and so is not a change; where sources "
             "disagree at the same time, see the disagreements above. Newest first.</p>")
    if not rows:
        return len(rows), intro + "<p>No price changed between the loaded cards.</p>"
    return len(rows), intro + table("changes", [
        "provider", "model", "variant", "tier from tokens#", "old from", "old input / output",
        "new from", "new input / output", "sources (old \u2192 new)"], body)


PAGE_STYLE = """body{font-family:sans-serif;font-size:14px;margin:24px;color:#222;max-width:1400px}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:12px}th,td{padding:3px 8px;border-bottom:1px solid #eee;
text-align:left;vertical-align:top}th{background:#f4f4f4}td.n,th.n{text-align:right}
tr.frontier td{background:#fff0e6;font-weight:bold}tr.flagged td{background:#fff4d6}
.muted{color:#666}svg{max-width:100%;height:auto}
table.ledger td:last-child{overflow-wrap:anywhere;min-width:10em}"""


def report_html(db, svg, points, zero):
    build = query(db, "SELECT built_at, tokenledger_version, sqlite_version, sources, ledger_rows, "
                      "warnings FROM ledger_build")
    b = build[0] if build else {}
    n_rows, ledger = ledger_section(db)
    n_changes, changes = changes_section(db)
    frontier = sum(p["pareto_rank"] == 1 for p in points)
    warnings = json.loads(b.get("warnings") or "[]")
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           "<title>tokenledger report</title>", "<style>%s</style></head><body>" % PAGE_STYLE,
           "<h1>tokenledger: the price/quality ledger</h1>",
           '<p class="muted">Ledger built %s by tokenledger %s (SQLite %s) from %s source(s): '
           '<span id="ledger-rows">%d</span> ledger rows, <span id="points">%d</span> models on '
           'the chart, <span id="frontier-points">%d</span> on the frontier, '
           '<span id="price-changes">%d</span> price change(s).</p>'
           % (esc(b.get("built_at")), esc(b.get("tokenledger_version")), esc(b.get("sqlite_version")),
              esc(b.get("sources")), n_rows, len(points), frontier, n_changes),
           "<h2>The frontier</h2>",
           "<p>One point per model: its best offering (the cheapest routable row, a base row "
           "before a variant), where it has both a blended price (3 input : 1 output unless "
           "ledger_settings says otherwise) and an intelligence index. The frontier is the "
           "ledger's pareto_rank 1 on quality (max), price (min) and speed (max): no other "
           "model is at least as good on all three and better on one. A model without a speed "
           "figure is not ranked (hollow), so a cheap point can sit left of the frontier "
           "without being on it. Hover a point for its figures.</p>",
           svg.strip()]
    if zero:
        out.append('<p class="muted">Not drawn (a $0 price has no place on a log axis): %s.</p>'
                   % esc(", ".join(p["model"] for p in zero)))
    out += ["<h2>The ledger</h2>",
            "<p>Every row of unified_model_provider_ledger: one per (provider, model, variant), "
            "priced by its card in force now, plus benchmark-only models (no price). Prices are "
            "USD per 1M tokens. Bold rows are the frontier; <i>best offering</i> marks the row "
            "each model is drawn by.</p>", ledger,
            "<h2>Pricing coverage</h2>",
            "<p>Per provider, ledger rows with a price (input and output known) and without; "
            "(all) is every row.</p>", coverage_section(db),
            "<h2>Largest cross-source disagreements</h2>", disagreements_section(db),
            "<h2>Price changes between the loaded snapshots</h2>", changes,
            "<h2>Sources read</h2>", sources_section(db)]
    if warnings:
        out.append("<h2>Build warnings</h2><ul>%s</ul>" % "".join("<li>%s</li>" % esc(w)
                                                                   for w in warnings))
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def main(argv):
    if len(argv) != 3:
        sys.exit("usage: python3 tools/report.py LEDGER.db OUT_DIR")
    db_path, out_dir = argv[1], argv[2]
    if not os.path.isfile(db_path):
        sys.exit("report: no database '%s' (make report builds ledger/ledger.db)" % db_path)
    db = sqlite3.connect("file:%s?mode=ro" % db_path, uri=True)
    try:
        built = db.execute("SELECT built_at FROM ledger_build").fetchone()
    except sqlite3.OperationalError:
        sys.exit("report: '%s' holds no built ledger: run SELECT tokenledger_build() in it first"
                 % db_path)
    svg, points, zero = frontier_svg(db, built[0] if built else "")
    page = report_html(db, svg, points, zero)
    os.makedirs(out_dir, exist_ok=True)
    for name, text in (("frontier.svg", svg), ("report.html", page)):
        with open(os.path.join(out_dir, name), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    print("report: %s (%d models, %d on the frontier) and %s"
          % (os.path.join(out_dir, "frontier.svg"), len(points),
             sum(p["pareto_rank"] == 1 for p in points), os.path.join(out_dir, "report.html")))


if __name__ == "__main__":
    main(sys.argv)
