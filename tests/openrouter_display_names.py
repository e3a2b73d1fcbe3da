# For every OpenRouter model (both snapshots in ../shared/data/openrouter/) whose
# display name is "Lab: Model Name" and whose id resolves to a vocabulary model
# (model_rule not family/prefix/unmapped), does canonical_model(name) give the
# same model as canonical_model(id)? Distinct (id, name) pairs.
# Run from the repository root after make:  python3 tests/openrouter_display_names.py [-v]
# (-v lists the pairs that disagree). The figure is in tests/sql/canonical.test.
import glob, json, os, subprocess, sys
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
pairs = set()
for f in sorted(glob.glob(os.path.join(root, '..', 'shared', 'data', 'openrouter', '*.json'))):
    d = json.load(open(f))
    for m in d['data'] if isinstance(d, dict) else d:
        if ': ' in m['name']:
            pairs.add((m['id'], m['name']))
pairs = sorted(pairs)
q = lambda s: "'" + s.replace("'", "''") + "'"
vals = ",".join("(%s,%s)" % (q(i), q(n)) for i, n in pairs)
sql = """.load ./tokenledger
.separator \\t
WITH p(id, name) AS (VALUES %s),
r AS (SELECT id, name, (SELECT model FROM resolve_model(id)) AS mi,
             (SELECT model_rule FROM resolve_model(id)) AS ri,
             canonical_model(name) AS mn FROM p)
SELECT mi = mn, id, name, mi, mn FROM r WHERE ri NOT IN ('family','prefix','unmapped');
""" % vals
out = subprocess.run(['sqlite3'], input=sql, capture_output=True, text=True, cwd=root).stdout
rows = [l.split('\t') for l in out.splitlines()]
agree = sum(r[0] == '1' for r in rows)
if '-v' in sys.argv:
    for r in rows:
        if r[0] != '1': print('\t'.join(r[1:]))
print("%d of %d 'Lab: Name' display names agree with their id (%d pairs in all)" % (agree, len(rows), len(pairs)))
