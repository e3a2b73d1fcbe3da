// Costs usage events with @pydantic/genai-prices' calcPrice over a given data.json.
//
//   node calc.mjs PACKAGE_DIR DATA_JSON EVENTS_JSON OUT_JSON [REPS]
//
// PACKAGE_DIR: the installed package (node_modules/@pydantic/genai-prices;
// the bench installs it under build/genai_prices).
// EVENTS_JSON: [{provider, model, usage, ts}, ...] (provider null: genai-prices
// finds it from the model name; ts ISO 8601). OUT_JSON: {version, results:
// [{total, input, output, provider_id, model_id, price_index, error}], seconds:
// [one loop over all events per rep]}.
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const [pkgDir, dataPath, eventsPath, outPath, repsArg] = process.argv.slice(2);
const reps = Number(repsArg ?? 5);
const version = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version;
const gp = await import(pathToFileURL(path.resolve(pkgDir, 'dist', 'index.js')).href);

// Feed our data.json instead of the bundled data (synchronous: setProviderData
// with a plain array replaces the active data at once).
const data = JSON.parse(readFileSync(dataPath, 'utf8'));
gp.updatePrices(({ setProviderData }) => setProviderData(data));
await gp.waitForUpdate();

const events = JSON.parse(readFileSync(eventsPath, 'utf8'));
const prepared = events.map((e) => ({
  usage: e.usage,
  model: e.model,
  opts: e.provider ? { providerId: e.provider, timestamp: new Date(e.ts) } : { timestamp: new Date(e.ts) },
}));

// silence the package's warnings about usage keys a model does not price
const warn = console.warn;
console.warn = () => {};

function costAll() {
  const out = new Array(prepared.length);
  for (let i = 0; i < prepared.length; i++) {
    const p = prepared[i];
    try {
      out[i] = gp.calcPrice(p.usage, p.model, p.opts);
    } catch (err) {
      out[i] = { error: String(err && err.message ? err.message : err) };
    }
  }
  return out;
}

const seconds = [];
let last;
for (let r = 0; r < Math.max(1, reps); r++) {
  const t0 = process.hrtime.bigint();
  last = costAll();
  seconds.push(Number(process.hrtime.bigint() - t0) / 1e9);
}
console.warn = warn;

const results = last.map((r) => {
  if (r === null) return { total: null, error: null };
  if (r.error) return { total: null, error: r.error };
  const prices = Array.isArray(r.model.prices) ? r.model.prices : null;
  return {
    total: r.total_price,
    input: r.input_price,
    output: r.output_price,
    provider_id: r.provider.id,
    model_id: r.model.id,
    price_index: prices ? prices.findIndex((cp) => cp.prices === r.model_price) : null,
    error: null,
  };
});
writeFileSync(outPath, JSON.stringify({ version, results, seconds }));
