#!/usr/bin/env python3
"""ext/vocab/gen_vocab.py refuses a broken vocabulary with FILE:LINE: and writes nothing.

Each case copies the real ext/vocab/ into a scratch directory, breaks one file in
one way, runs the generator and checks its exit status, that the message names
the file and line, and that no output file appeared. The untouched copy must
compile. Prints `ok - NAME` / `not ok - NAME: DETAIL` lines for tests/run.py."""
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VOCAB = os.path.join(ROOT, "ext", "vocab")
GEN = os.path.join(VOCAB, "gen_vocab.py")


def append(name, text):
    return lambda d: open(os.path.join(d, name), "a").write(text)


def replace(name, old, new):
    def edit(d):
        path = os.path.join(d, name)
        s = open(path).read()
        assert old in s, (name, old)
        open(path, "w").write(s.replace(old, new, 1))
    return edit


# (name, how to break the copy, text the message must hold)
CASES = [
    ("a duplicate model id", append("models.tsv", "gpt-4o-2024-08-06\topenai\t-\n"),
     "models.tsv:%d: duplicate id 'gpt-4o-2024-08-06'"),
    ("a creator vendors.tsv lacks", append("models.tsv", "acme-1\tacme-labs\t-\n"),
     "models.tsv:%d: creator 'acme-labs' is not a creator of vendors.tsv"),
    ("an uppercase id", append("models.tsv", "Acme-1\topenai\t-\n"),
     "models.tsv:%d: bad character 'A'"),
    ("a wrong column count", append("providers.tsv", "acme\n"),
     "providers.tsv:%d: expected 2 columns"),
    ("a floating alias naming no model",
     append("latest.tsv", "acme-latest\t2025-01-01\tacme-9\n"),
     "latest.tsv:%d: model 'acme-9' is not an id of models.tsv"),
    ("a floating alias that is already a spelling",
     append("latest.tsv", "gpt-4o\t2025-01-01\tgpt-4o-2024-08-06\n"),
     "latest.tsv:%d: alias 'gpt-4o' is already a spelling in models.tsv"),
    ("a floating alias with a bad date",
     append("latest.tsv", "acme-latest\t2025-13-01\tgpt-4o-2024-08-06\n"),
     "latest.tsv:%d: since '2025-13-01' is not a YYYY-MM-DD date"),
    ("a floating alias given twice for one date",
     append("latest.tsv", "mistral-large-latest\t2024-02-01\tmistral-large-2407\n"),
     "latest.tsv:%d: duplicate alias and since 'mistral-large-latest 2024-02-01'"),
    ("a tuning word that is none of the words", append("tuning_words.tsv", "acme\tinstructs\n"),
     "tuning_words.tsv:%d: word 'instructs' is not one of instruct, chat, it, none"),
    ("a tuning family given twice", append("tuning_words.tsv", "yi\tinstruct\n"),
     "tuning_words.tsv:%d: duplicate family 'yi'"),
    ("a model option of no model", append("model_options.tsv", "aura-9\tvoice\t*\t0\n"),
     "model_options.tsv:%d: model 'aura-9' is not an id of models.tsv"),
    ("a model option of no qualifier kind", append("model_options.tsv", "aura\taccent\t*\t0\n"),
     "model_options.tsv:%d: kind 'accent' is not one of region"),
    ("a model option pattern that is none", append("model_options.tsv", "aura\tvoice\ta*\t0\n"),
     "model_options.tsv:%d: option 'a*' is not a word [a-z0-9] or *"),
    ("a model's option kind that comes back", append("model_options.tsv", "aura\tvoice\tzz\t0\n"),
     "model_options.tsv:%d: kind 'voice' of model 'aura' comes back after 'language'"),
    ("a model option given twice", append("model_options.tsv", "aura-2\tlanguage\ten\t0\n"),
     "model_options.tsv:%d: duplicate model and kind and option 'aura-2 language en'"),
    ("a host id of no model", append("host_ids.tsv", "deepseek.v9\tdeepseek-v9\n"),
     "host_ids.tsv:%d: model 'deepseek-v9' is not an id of models.tsv"),
    ("a host id under no vendor", append("host_ids.tsv", "acme.v3\tdeepseek-v3.1\n"),
     "host_ids.tsv:%d: host id 'acme.v3': vendor 'acme' is not a name of vendors.tsv"),
    ("a host id that is a model's spelling", append("host_ids.tsv", "deepseek-v3.1\tdeepseek-v3.1\n"),
     "host_ids.tsv:%d: host id 'deepseek-v3.1' is already a spelling in models.tsv"),
    ("a host id with its Bedrock version", append("host_ids.tsv", "deepseek.v9-v1:0\tdeepseek-v3.1\n"),
     "host_ids.tsv:%d: host_id 'deepseek.v9-v1:0' is not a Bedrock id vendor.name without its version"),
    ("a host id given twice", append("host_ids.tsv", "deepseek.v3\tdeepseek-v3\n"),
     "host_ids.tsv:%d: duplicate host_id 'deepseek.v3'"),
    ("a dated lab's date form that is none", append("dated_labs.tsv", "openai\tyymm\n"),
     "dated_labs.tsv:%d: dates 'yymm' is not one of full, mmdd"),
    ("an unknown vocabulary file", append("colours.tsv", "x\n"),
     "colours.tsv: not a vocabulary file"),
]


def last_line(path):
    with open(path) as f:
        return sum(1 for _ in f)


def run(d):
    out = os.path.join(d, "out.c")
    proc = subprocess.run([sys.executable, GEN, d, out], capture_output=True, text=True)
    return proc.returncode, proc.stderr, os.path.exists(out)


def main():
    failures = 0
    with tempfile.TemporaryDirectory(prefix="tokenledger-vocab-") as tmp:
        good = os.path.join(tmp, "good")
        shutil.copytree(VOCAB, good, ignore=shutil.ignore_patterns("*.py", "*.c"))
        rc, err, wrote = run(good)
        if rc == 0 and wrote:
            print("ok - the real vocabulary compiles")
        else:
            failures += 1
            print("not ok - the real vocabulary compiles: exit %d %s" % (rc, err.strip()))
        for i, (name, breaks, want) in enumerate(CASES):
            d = os.path.join(tmp, "case%d" % i)
            shutil.copytree(VOCAB, d, ignore=shutil.ignore_patterns("*.py", "*.c"))
            breaks(d)
            target = want.split(":")[0]
            if "%d" in want:
                want = want % last_line(os.path.join(d, target))
            rc, err, wrote = run(d)
            if rc == 1 and want in err and not wrote and os.path.join(d, target) in err:
                print("ok - gen_vocab refuses %s" % name)
            else:
                failures += 1
                print("not ok - gen_vocab refuses %s: exit %d, wrote %s, want %r in %r"
                      % (name, rc, wrote, want, err.strip()[:300]))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
