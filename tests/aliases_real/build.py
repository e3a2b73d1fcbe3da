#!/usr/bin/env python3
"""Apply groups.tsv to the names collect.py finds and write aliases_real.tsv.

  python3 tests/aliases_real/build.py [--review FILE]

Every distinct raw name (exact spelling) of every source is tried against every group's
pattern (lowercased name, whole match). A name one group selects gets that group's
label; a name two or more groups select, a name tests/aliases.tsv already holds, and a
name no group selects stay out (counted per reason on stderr). split: a group's split is
'dev' until the line '# SPLIT heldout' of groups.tsv and 'heldout' after it. The groups
before it are the dev split (until 2026-12-01 split by the md5 of the expected id; that
held-out half was read by the developers and is dev now); the groups after it were
written on 2026-12-01 for names no earlier group selected: the held-out split.
The groups after '# SPLIT sealed' are the sealed split: on 2026-12-01 the held-out groups
were halved by zlib.crc32 of their expected id (even: heldout, read to write rules; odd:
sealed, whose names and disagreements nobody reads; the test reports its figures only).
The groups after '# SPLIT fresh' (and the exclusions there) are the fresh split: they
apply to the names of fresh_names.tsv only (collect_npm.py: npm packages' model ids that
occur nowhere in ../shared/data nor tests/aliases.tsv), and those names to them only.
The groups after '# SPLIT fresh2' are the fresh2 split, built the same
way on 2026-12-02 when fresh had been looked at too often to judge new rules: they apply to
the names of fresh2_names.tsv only (collect_npm.py --set fresh2: a disjoint set of npm
packages' model ids that occur nowhere in ../shared/data, tests/aliases.tsv nor
fresh_names.tsv), and those names to them only.
The groups after '# SPLIT fresh3' are the fresh3 split, built the same way
later on 2026-12-02 when fresh2 too had been used to accept or reject rules: they apply to
the names of fresh3_names.tsv only (collect_npm.py --set fresh3: npm packages disjoint from
both earlier sets, names that occur nowhere in ../shared/data, tests/aliases.tsv,
fresh_names.tsv nor fresh2_names.tsv), and those names to them only.
The groups after '# SPLIT fresh4' are the fresh4 split, built the same way
later on 2026-12-02 when fresh3 too had been used to accept or reject rules: they apply to
the names of fresh4_names.tsv only (collect_npm.py --set fresh4: npm packages disjoint from
the three earlier sets, names that occur nowhere in ../shared/data, tests/aliases.tsv,
fresh_names.tsv, fresh2_names.tsv nor fresh3_names.tsv), and those names to them only.
The groups after '# SPLIT fresh5' are the fresh5 split, built the same way
later on 2026-12-02 when fresh4 too had been used to steer rules: they apply to the names of
fresh5_names.tsv only (collect_npm.py --set fresh5: npm packages disjoint from the four earlier
sets, names that occur nowhere in ../shared/data, tests/aliases.tsv nor the four earlier
names files), and those names to them only.
The groups after '# SPLIT fresh6' are the fresh6 split, built the same way
later on 2026-12-02 when fresh5 too had judged rules: they apply to the names of
fresh6_names.tsv only (collect_npm.py --set fresh6: two npm packages' model catalogs, disjoint
from the five earlier sets, names that occur nowhere in ../shared/data, tests/aliases.tsv nor
the five earlier names files), and those names to them only.
The groups after '# SPLIT fresh7' are the fresh7 split, built the same way
later on 2026-12-02 when fresh6 too had judged rules: they apply to the names of
fresh7_names.tsv only (collect_npm.py --set fresh7: one npm package's model table, disjoint
from the six earlier sets, names that occur nowhere in ../shared/data, tests/aliases.tsv nor
the six earlier names files), and those names to them only.
The groups after '# SPLIT fresh8' (the last section) are the fresh8 split, built the same way
later on 2026-12-02 when fresh7 too had judged rules: they apply to the names of
fresh8_names.tsv only (collect_npm.py --set fresh8: one npm package's model router registry,
disjoint from the seven earlier sets, names that occur nowhere in ../shared/data,
tests/aliases.tsv nor the seven earlier names files), and those names to them only.
Every fresh, fresh2, fresh3, fresh4, fresh5, fresh6, fresh7 and fresh8 name is labelled or left
out for a counted reason; the last eight stderr lines say that the counts add up.
--review FILE writes every group's names, for reading by eye (never the sealed, fresh,
fresh2, fresh3, fresh4, fresh5, fresh6, fresh7 or fresh8 ones).
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import collect  # noqa: E402

FRESH = os.path.join(HERE, "fresh_names.tsv")
# the splits whose groups apply to the names of one npm names file only (and its names to them
# only): split -> that file (collect_npm.py's output)
NPM_SPLITS = {"fresh": FRESH, "fresh2": os.path.join(HERE, "fresh2_names.tsv"),
              "fresh3": os.path.join(HERE, "fresh3_names.tsv"),
              "fresh4": os.path.join(HERE, "fresh4_names.tsv"),
              "fresh5": os.path.join(HERE, "fresh5_names.tsv"),
              "fresh6": os.path.join(HERE, "fresh6_names.tsv"),
              "fresh7": os.path.join(HERE, "fresh7_names.tsv"),
              "fresh8": os.path.join(HERE, "fresh8_names.tsv")}

LABS = ("openai|anthropic|google|meta|meta-llama|mistral|mistralai|deepseek|deepseek-ai|qwen|alibaba|"
        "xai|x-ai|moonshotai|moonshot|minimax|cohere|amazon|zai|z-ai|zai-org|zhipuai|perplexity|"
        "microsoft|nvidia|databricks|azure|ai21|writer")
P = (r"(?:[^/]+/)*"
     r"(?:[a-z0-9][a-z0-9 .&()'_-]*: )?"
     r"(?:(?:" + LABS + r") )?"
     r"(?:(?:us|eu|apac|au|jp|ca|global|us-gov|regional|in|sa|me|af)\.)?"
     r"(?:(?:" + LABS + r")\.)?"
     r"(?:(?:" + LABS + r")--?)?")
S = (r"(?:-v\d+(?:[.:]\d+)?|-\d:\d| \((?:19|20)\d{6}\)|:\d+k?|:free|:beta|:extended|:nitro|:exacto|:floor|:online|:cloud|-cloud"
     r"|@default|@latest|@\d{3,8}|-maas|-batch|-fp8|-fp4|-fp16|-bf16|-int4|-int8|-awq|-gguf|-nvfp4"
     r"|-tput|-tee| tee|-free| free| \(free\)"
     r"| \((?:au|eu|us|jp|global|latest|beta|fast|batch|fp8|fp4|extended|\d+k"
     r"|[^)]*(?:reasoning|effort|thinking)[^)]*|high|low|medium|minimal|xhigh|max)\))*")
M = (r"(?:[-_: ](?:thinking|think|reasoning|non-reasoning|nothink|nothinking|no-thinking|adaptive"
     r"|high|low|medium|xhigh|minimal)(?:[-_ ]\d+k|:\d+)*)*")


F = r"(?:[-_ ](?:fast|flex|lightning|high ?speed|6bit|fw))*"


def expand(pat, ambiguous=False):
    pat = pat.replace("{M}", "\x00").replace("{F}", "\x01")
    pat = pat.replace("~?", "~").replace("~", "[-_ :]?").replace("%", "[.\\-_p ]?")
    # an ambiguous (undated) group never takes a name that carries a date or snapshot
    guard = r"(?!.*(?:@\d|\((?:19|20)\d\d))" if ambiguous else ""
    return re.compile(guard + P + "(?:" + pat.replace("\x00", M).replace("\x01", F) + ")" + S)


def load_groups(path=os.path.join(HERE, "groups.tsv")):
    groups = []
    split = "dev"
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if line.startswith("# SPLIT "):
                split = line.split()[2]
                continue
            if not line or line.startswith("#") or line.startswith("expected\t"):
                continue
            exp, creator, known, amb, accept, pat = line.split("\t")
            if exp == "!":
                groups.append(dict(line=n, exclude=accept, rx=re.compile(pat), split=split))
                continue
            groups.append(dict(line=n, expected=exp, creator=creator, known=known, ambiguous=amb,
                               accept=exp if accept == "-" else accept, pattern=pat,
                               rx=expand(pat, amb == "1"), split=split))
    return groups


def load_fresh(path=FRESH):
    """A names file of collect_npm.py (fresh_names.tsv, fresh2_names.tsv): raw -> (provider,
    source) of its first row."""
    first = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or line.startswith("raw\t"):
                continue
            raw, prov, src = line.rstrip("\n").split("\t")
            first.setdefault(raw, (prov, src))
    return first


def label(names, groups, old, out, reasons, per_group):
    """Give each name of names (raw -> (provider, source)) the label of the one group of
    groups that selects it; count the others per reason."""
    for raw in sorted(names):
        low = raw.lower()
        ex = [g for g in groups if "exclude" in g and g["rx"].fullmatch(low)]
        if ex:
            reason = "excluded: " + ex[0]["exclude"]
            reasons[reason] = reasons.get(reason, 0) + 1
            per_group.setdefault("EXCLUDED " + ex[0]["exclude"], []).append(raw)
            continue
        hit = [g for g in groups if "exclude" not in g and g["rx"].fullmatch(low)]
        if not hit:
            reasons["no group"] = reasons.get("no group", 0) + 1
            per_group.setdefault("NO GROUP", []).append(raw)
            continue
        if len(hit) > 1:
            reasons["two groups"] = reasons.get("two groups", 0) + 1
            per_group.setdefault("OVERLAP " + "+".join("%s:%d" % (g["expected"], g["line"]) for g in hit), []).append(raw)
            continue
        g = hit[0]
        per_group.setdefault("%s:%d" % (g["expected"], g["line"]), []).append(raw)
        if raw in old:
            reasons["in tests/aliases.tsv"] = reasons.get("in tests/aliases.tsv", 0) + 1
            continue
        prov, src = names[raw]
        out.append((g["expected"], g["creator"], g["known"], g["ambiguous"], g["accept"], raw, prov, src,
                    g["split"]))


def main():
    review = None
    if "--review" in sys.argv:
        review = sys.argv[sys.argv.index("--review") + 1]
    rows = collect.collect(collect.DATA)
    first = {}
    for raw, prov, src in rows:
        first.setdefault(raw, (prov, src))
    old = set()
    for line in open(os.path.join(ROOT, "tests", "aliases.tsv"), encoding="utf-8"):
        if not line.startswith("#") and "\t" in line:
            old.add(line.split("\t")[2])
    groups = load_groups()
    out, reasons, per_group = [], {}, {}
    label(first, [g for g in groups if g["split"] not in NPM_SPLITS], old, out, reasons, per_group)
    npm = []  # (split, names, labelled rows, reasons left out)
    for split, path in NPM_SPLITS.items():
        names, sout, sreasons = load_fresh(path), [], {}
        label(names, [g for g in groups if g["split"] == split], old, sout, sreasons, {})
        npm.append((split, names, sout, sreasons))
    npm_labelled = sum(len(sout) for _, _, sout, _ in npm)
    for _, _, sout, _ in npm:
        out += sout
    with open(os.path.join(HERE, "aliases_real.tsv"), "w", encoding="utf-8") as f:
        f.write("# Generated by tests/aliases_real/build.py from groups.tsv, the names of ../shared/data\n"
                "# (collect.py), fresh_names.tsv, fresh2_names.tsv, fresh3_names.tsv, fresh4_names.tsv,\n"
                "# fresh5_names.tsv, fresh6_names.tsv, fresh7_names.tsv and fresh8_names.tsv\n"
                "# (collect_npm.py).\n"
                "# Do not edit: change groups.tsv and run build.py again.\n")
        f.write("expected\tcreator\tknown\tambiguous\taccept\traw\tprovider\tsource\tsplit\n")
        for r in sorted(out):
            f.write("\t".join(r) + "\n")
    if review:
        sealed = set("%s:%d" % (g["expected"], g["line"]) for g in groups
                     if g.get("split") == "sealed" and "exclude" not in g)
        per_group.pop("NO GROUP", None)
        with open(review, "w", encoding="utf-8") as f:
            for k in sorted(per_group):
                if k in sealed or any(p in sealed for p in k[len("OVERLAP "):].split("+")):
                    continue
                f.write("== %s (%d)\n   %s\n" % (k, len(per_group[k]), " | ".join(per_group[k])))
    n = {}
    for r in out:
        n[r[-1]] = n.get(r[-1], 0) + 1
    sys.stderr.write("%d distinct raw names; labelled %d (dev %d, heldout %d, sealed %d); left out: %s\n"
                     % (len(first), len(out) - npm_labelled, n["dev"], n["heldout"], n["sealed"],
                        ", ".join("%s %d" % kv for kv in sorted(reasons.items()))))
    # every fresh (fresh2) name is labelled or left out for one counted reason, so the counts add up
    for split, names, sout, sreasons in npm:
        left = sum(sreasons.values())
        sys.stderr.write("%d distinct %s names (%s_names.tsv) = labelled %d (%d models) + left out %d"
                         "%s: %s\n" % (len(names), split, split, len(sout), len(set(r[0] for r in sout)),
                                       left, "" if len(sout) + left == len(names) else " (DO NOT ADD UP)",
                                       ", ".join("%s %d" % kv for kv in sorted(sreasons.items()))))


if __name__ == "__main__":
    main()
