# For every OpenRouter model (both snapshots in ../shared/data/openrouter/) whose id
# resolves to a vocabulary model (model_confidence >= 70: not a guess), do its other
# names give the same model as its id? Three kinds of other name, each its own figure:
#   name: the display name, when it is "Lab: Model Name";
#   slug: canonical_slug, the id with OpenRouter's listing date (o3-mini-high-2025-01-31);
#   hf:   hugging_face_id, the weights' org/Name (deepseek-ai/DeepSeek-V3).
# A slug or HF id equal to the id is left out (it says nothing). Distinct (id, name) pairs.
# Run from the repository root after make:  python3 tests/openrouter_display_names.py [-v]
# (-v lists the pairs that disagree). The figures are in tests/sql/canonical.test.
import glob, json, os, subprocess, sys
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
pairs = set()
for f in sorted(glob.glob(os.path.join(root, '..', 'shared', 'data', 'openrouter', '*.json'))):
    d = json.load(open(f))
    for m in d['data'] if isinstance(d, dict) else d:
        if ': ' in m['name']:
            pairs.add(('name', m['id'], m['name']))
        for kind, field in (('slug', 'canonical_slug'), ('hf', 'hugging_face_id')):
            if m.get(field) and m[field] != m['id']:
                pairs.add((kind, m['id'], m[field]))
pairs = sorted(pairs)
q = lambda s: "'" + s.replace("'", "''") + "'"
vals = ",".join("(%s,%s,%s)" % (q(k), q(i), q(n)) for k, i, n in pairs)
sql = """.load ./tokenledger
.separator \\t
WITH p(kind, id, name) AS (VALUES %s),
r AS (SELECT kind, id, name, (SELECT model FROM resolve_model(id)) AS mi,
             (SELECT model_confidence FROM resolve_model(id)) AS ci,
             canonical_model(name) AS mn FROM p)
SELECT mi = mn, kind, id, name, mi, mn FROM r WHERE ci >= 70;
""" % vals
out = subprocess.run(['sqlite3'], input=sql, capture_output=True, text=True, cwd=root).stdout
rows = [l.split('\t') for l in out.splitlines()]
if '-v' in sys.argv:
    for r in rows:
        if r[0] != '1': print('\t'.join(r[1:]))
for kind, what in (('name', "'Lab: Name' display names"), ('slug', 'canonical slugs'),
                   ('hf', 'Hugging Face ids')):
    ks = [r for r in rows if r[1] == kind]
    print("%d of %d %s agree with their id (%d pairs in all)"
          % (sum(r[0] == '1' for r in ks), len(ks), what, sum(p[0] == kind for p in pairs)))
