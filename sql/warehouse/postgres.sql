-- tokenledger warehouse export for PostgreSQL (docs/warehouse.md): the rate
-- cards and the name map tokenledger built, as tables, and tl_event_costs,
-- the costing of tl_usage_events with no extension. Run from the export
-- directory (the \copy lines read the CSVs beside this file):
--
--   cd ledger/export && psql -v ON_ERROR_STOP=1 -f postgres.sql
--
-- then fill tl_usage_events with your events and read tl_event_costs.
-- Money is NUMERIC: every price is the exact decimal of the ledger's price,
-- a bucket's cost is tokens x price with no rounding, and total_cost their
-- exact sum (event_costs in SQLite gives the double nearest that sum).
-- Text columns that are compared with < and >= (times, dates, windows) are
-- COLLATE "C": byte order, as SQLite compares them.
SET client_min_messages = warning;
DROP VIEW IF EXISTS tl_event_costs;
DROP TABLE IF EXISTS tl_rate_timeline, tl_tier_rules, tl_alias_map, tl_window_cards,
  tl_export_settings;

-- one row per card: prices per token (per request, per web search) as NUMERIC.
-- variant '' = the base card. A card holds from valid_from ('' = since ever)
-- to valid_to (NULL = open); tier_start_tokens 0 is the base price, > 0 a
-- long-context tier (tier_counts: which tokens; tier_comparison: > or >=;
-- tier_mode: cliff, or incremental which is not costed); window_start and
-- window_end: a daily UTC window [start, end) the card bills in.
CREATE TABLE tl_rate_timeline (
  provider text COLLATE "C" NOT NULL, model text COLLATE "C" NOT NULL,
  variant text COLLATE "C" NOT NULL, tier_start_tokens bigint NOT NULL,
  effective_from text COLLATE "C", valid_from text COLLATE "C", valid_to text COLLATE "C",
  input_cost_per_token numeric, cache_read_cost_per_token numeric,
  cache_write_cost_per_token numeric, cache_write_1h_cost_per_token numeric,
  output_cost_per_token numeric, reasoning_cost_per_token numeric,
  input_audio_cost_per_token numeric, output_audio_cost_per_token numeric,
  cache_read_audio_cost_per_token numeric, input_image_cost_per_token numeric,
  output_image_cost_per_token numeric, input_video_cost_per_token numeric,
  output_video_cost_per_token numeric, per_request_cost numeric, web_search_cost numeric,
  tier_counts text, tier_comparison text, tier_mode text,
  window_start text COLLATE "C", window_end text COLLATE "C", service_tier text, currency text,
  source_path text, source_format text, entry bigint, recorded_snapshot text);
\copy tl_rate_timeline FROM 'rate_timeline.csv' WITH (FORMAT csv, HEADER true)
CREATE INDEX ON tl_rate_timeline (provider, model, variant, tier_start_tokens, valid_from);
ANALYZE tl_rate_timeline;

-- the tiers of tl_rate_timeline with their rules (documentation: the query
-- reads the same columns from tl_rate_timeline)
CREATE TABLE tl_tier_rules (
  provider text COLLATE "C", model text COLLATE "C", variant text COLLATE "C",
  tier_start_tokens bigint, valid_from text COLLATE "C", valid_to text COLLATE "C",
  tier_counts text, tier_comparison text, tier_mode text, source_path text);
\copy tl_tier_rules FROM 'tier_rules.csv' WITH (FORMAT csv, HEADER true)

-- raw names -> canonical names and the card chain. Keyed by raw_provider,
-- raw_model, service_tier as the log writes them ('' for absent) and the
-- event's date: ts_rule 'any' (every event), 'undated' (events without ts)
-- or 'dated' (events whose date is in [ts_from, ts_to): a floating alias
-- such as mistral-large-latest names another snapshot over time).
CREATE TABLE tl_alias_map (
  raw_provider text COLLATE "C" NOT NULL, raw_model text COLLATE "C" NOT NULL,
  service_tier text COLLATE "C" NOT NULL, ts_rule text NOT NULL,
  ts_from text COLLATE "C", ts_to text COLLATE "C",
  provider text, creator text, model text, variant text, model_rule text,
  model_confidence numeric,
  own_provider text COLLATE "C" NOT NULL, key_model text COLLATE "C" NOT NULL,
  own_variant text COLLATE "C" NOT NULL, own_window boolean NOT NULL, rate_via text,
  rate_provider text COLLATE "C" NOT NULL, rate_model text COLLATE "C" NOT NULL,
  rate_variant text COLLATE "C" NOT NULL, rate_match_rule text, rule_window boolean NOT NULL);
\copy tl_alias_map FROM 'alias_map.csv' WITH (FORMAT csv, HEADER true)
CREATE INDEX ON tl_alias_map (raw_provider, raw_model, service_tier);
ANALYZE tl_alias_map;

-- the daily-window cards of an offering (provider, model, base_variant)
CREATE TABLE tl_window_cards (
  provider text COLLATE "C", model text COLLATE "C", base_variant text COLLATE "C",
  window_variant text COLLATE "C", window_start text COLLATE "C", window_end text COLLATE "C",
  first_from text COLLATE "C", active_from text COLLATE "C");
\copy tl_window_cards FROM 'window_cards.csv' WITH (FORMAT csv, HEADER true)

CREATE TABLE tl_export_settings (key text PRIMARY KEY, value text);
\copy tl_export_settings FROM 'settings.csv' WITH (FORMAT csv, HEADER true)

-- Your events, one row per call, as tokenledger's usage_events reads a log:
-- disjoint token buckets (input_tokens excludes cache reads and writes,
-- audio, image and video input; cache_write_1h_tokens is part of
-- cache_write_tokens and cache_read_audio_tokens part of cache_read_tokens),
-- ts as UTC text 'YYYY-MM-DDTHH:MM:SS[.fff]Z' (NULL: unknown), error NULL for
-- a sound record. tools/export_warehouse.py --events writes a log's rows.
CREATE TABLE IF NOT EXISTS tl_usage_events (
  source_path text, line bigint, ts text COLLATE "C", raw_provider text COLLATE "C",
  raw_model text COLLATE "C", dialect text, input_tokens bigint, cache_read_tokens bigint,
  cache_write_tokens bigint, output_tokens bigint, reasoning_tokens bigint,
  audio_input_tokens bigint, audio_output_tokens bigint, image_input_tokens bigint,
  image_output_tokens bigint, video_input_tokens bigint, video_output_tokens bigint,
  cache_write_1h_tokens bigint, cache_read_audio_tokens bigint, web_search_requests bigint,
  service_tier text COLLATE "C", error text);

-- tl_event_costs: every row of tl_usage_events costed as tokenledger's
-- event_costs costs it. Steps: the alias row of the raw names (none:
-- cost_status 'unmapped', counted, never guessed); rate_at = ts, else the
-- newest price list's date; the offering: the event's own daily-window card
-- when its time of day is in the window, else the alias's chain (variant
-- card, base card, creator's card, a price list's name rule, whose own
-- window card may apply likewise); the base card in force at rate_at; the
-- highest tier in force whose rule the event passes; each bucket's price,
-- with the fallbacks (cache at the input price, reasoning at the output
-- price, a modality at its direction's text price, a 1-hour write at the
-- 5-minute price, cached audio at the cache read, audio input, input
-- price); cost = tokens x price, exact.
CREATE VIEW tl_event_costs AS
WITH s AS (
  SELECT coalesce((SELECT value FROM tl_export_settings
                   WHERE key = 'newest_pricing_snapshot'), '9999-12-31') COLLATE "C" AS newest),
keys AS (
  SELECT provider, model, variant,
         min(CASE WHEN tier_start_tokens > 0 AND tier_comparison IS NOT NULL
                  THEN tier_start_tokens END) AS min_tier
  FROM tl_rate_timeline GROUP BY provider, model, variant),
e AS (
  SELECT u.*, coalesce(u.ts, s.newest) AS at_ts,
         coalesce(u.audio_input_tokens, 0) AS n_ain, coalesce(u.audio_output_tokens, 0) AS n_aout,
         coalesce(u.image_input_tokens, 0) AS n_iin, coalesce(u.image_output_tokens, 0) AS n_iout,
         coalesce(u.video_input_tokens, 0) AS n_vin, coalesce(u.video_output_tokens, 0) AS n_vout,
         coalesce(u.cache_write_1h_tokens, 0) AS n_cw1h,
         coalesce(u.web_search_requests, 0) AS n_ws,
         coalesce(u.cache_read_audio_tokens, 0) AS n_cra,
         a.raw_model IS NOT NULL AS mapped, a.provider, a.model, a.own_provider, a.key_model,
         a.own_variant, a.own_window, a.rate_via, a.rate_provider AS chain_provider,
         a.rate_model AS chain_model, a.rate_variant AS chain_variant, a.rule_window
  FROM tl_usage_events u CROSS JOIN s
  LEFT JOIN tl_alias_map a
    ON a.raw_provider = coalesce(u.raw_provider, '') AND a.raw_model = coalesce(u.raw_model, '')
   AND a.service_tier = coalesce(u.service_tier, '')
   AND (a.ts_rule = 'any' OR (a.ts_rule = 'undated' AND u.ts IS NULL)
        OR (a.ts_rule = 'dated' AND left(u.ts, 10) >= a.ts_from
            AND (a.ts_to IS NULL OR left(u.ts, 10) < a.ts_to)))),
o AS (
  SELECT e.*,
         e.input_tokens + e.cache_read_tokens + e.cache_write_tokens + e.n_ain + e.n_iin + e.n_vin
           AS prompt_tokens,
         e.output_tokens + e.reasoning_tokens + e.n_aout + e.n_iout + e.n_vout
           AS completion_tokens,
         CASE WHEN wo.v IS NOT NULL THEN e.own_provider ELSE e.chain_provider END AS rp,
         CASE WHEN wo.v IS NOT NULL THEN e.key_model ELSE e.chain_model END AS rm,
         CASE WHEN wo.v IS NOT NULL THEN wo.v
              WHEN e.rate_via = 'rule' AND wr.v IS NOT NULL THEN wr.v
              ELSE e.chain_variant END AS rv
  FROM e
  -- the event's own window card at its time of day (the first by name)
  LEFT JOIN LATERAL (
    SELECT w.window_variant AS v FROM tl_window_cards w
    WHERE e.own_window AND w.provider = e.own_provider AND w.model = e.key_model
      AND w.base_variant = e.own_variant AND length(e.at_ts) >= 19 AND e.at_ts >= w.active_from
      AND CASE WHEN w.window_start <= w.window_end
               THEN substr(e.at_ts, 12, 8) >= w.window_start AND substr(e.at_ts, 12, 8) < w.window_end
               ELSE substr(e.at_ts, 12, 8) >= w.window_start OR substr(e.at_ts, 12, 8) < w.window_end
          END
    ORDER BY w.window_variant LIMIT 1) wo ON true
  -- the window card of the offering a price list's name rule gives the name
  LEFT JOIN LATERAL (
    SELECT w.window_variant AS v FROM tl_window_cards w
    WHERE e.rule_window AND w.provider = e.chain_provider AND w.model = e.chain_model
      AND w.base_variant = e.chain_variant AND length(e.at_ts) >= 19
      AND e.at_ts >= w.active_from
      AND CASE WHEN w.window_start <= w.window_end
               THEN substr(e.at_ts, 12, 8) >= w.window_start AND substr(e.at_ts, 12, 8) < w.window_end
               ELSE substr(e.at_ts, 12, 8) >= w.window_start OR substr(e.at_ts, 12, 8) < w.window_end
          END
    ORDER BY w.window_variant LIMIT 1) wr ON true),
b AS (
  SELECT o.*, base.source_path AS base_path,
         base.input_cost_per_token AS b_in, base.cache_read_cost_per_token AS b_cr,
         base.cache_write_cost_per_token AS b_cw, base.output_cost_per_token AS b_out,
         base.reasoning_cost_per_token AS b_rs, base.input_audio_cost_per_token AS b_ain,
         base.output_audio_cost_per_token AS b_aout, base.input_image_cost_per_token AS b_iin,
         base.output_image_cost_per_token AS b_iout, base.input_video_cost_per_token AS b_vin,
         base.output_video_cost_per_token AS b_vout,
         base.cache_write_1h_cost_per_token AS b_cw1h, base.per_request_cost AS b_req,
         base.web_search_cost AS b_ws, base.cache_read_audio_cost_per_token AS b_cra,
         tr.tier
  FROM o
  LEFT JOIN tl_rate_timeline base
    ON base.provider = o.rp AND base.model = o.rm AND base.variant = o.rv
   AND base.tier_start_tokens = 0
   AND o.at_ts >= base.valid_from AND (base.valid_to IS NULL OR o.at_ts < base.valid_to)
  LEFT JOIN keys k ON k.provider = o.rp AND k.model = o.rm AND k.variant = o.rv
  -- the highest tier in force whose rule the event passes
  LEFT JOIN LATERAL (
    SELECT max(t.tier_start_tokens) AS tier FROM tl_rate_timeline t
    WHERE k.min_tier <= o.prompt_tokens + o.completion_tokens
      AND t.provider = o.rp AND t.model = o.rm AND t.variant = o.rv
      AND t.tier_start_tokens > 0 AND t.tier_comparison IS NOT NULL
      AND o.at_ts >= t.valid_from AND (t.valid_to IS NULL OR o.at_ts < t.valid_to)
      AND CASE WHEN t.tier_comparison = '>' THEN
                 CASE t.tier_counts WHEN 'input' THEN o.input_tokens
                      WHEN 'total' THEN o.prompt_tokens + o.completion_tokens
                      ELSE o.prompt_tokens END > t.tier_start_tokens
               ELSE CASE t.tier_counts WHEN 'input' THEN o.input_tokens
                         WHEN 'total' THEN o.prompt_tokens + o.completion_tokens
                         ELSE o.prompt_tokens END >= t.tier_start_tokens END) tr
    ON k.min_tier IS NOT NULL),
p AS (
  SELECT b.*, t.tier_mode,
         coalesce(t.input_cost_per_token, b.b_in) AS price_in,
         coalesce(t.cache_read_cost_per_token, b.b_cr, t.input_cost_per_token, b.b_in) AS price_cr,
         coalesce(t.cache_write_cost_per_token, b.b_cw, t.input_cost_per_token, b.b_in) AS price_cw,
         coalesce(t.output_cost_per_token, b.b_out) AS price_out,
         coalesce(t.reasoning_cost_per_token, b.b_rs, t.output_cost_per_token, b.b_out) AS price_rs,
         coalesce(t.input_audio_cost_per_token, b.b_ain, t.input_cost_per_token, b.b_in) AS price_ain,
         coalesce(t.output_audio_cost_per_token, b.b_aout, t.output_cost_per_token, b.b_out)
           AS price_aout,
         coalesce(t.input_image_cost_per_token, b.b_iin, t.input_cost_per_token, b.b_in) AS price_iin,
         coalesce(t.output_image_cost_per_token, b.b_iout, t.output_cost_per_token, b.b_out)
           AS price_iout,
         coalesce(t.input_video_cost_per_token, b.b_vin, t.input_cost_per_token, b.b_in) AS price_vin,
         coalesce(t.output_video_cost_per_token, b.b_vout, t.output_cost_per_token, b.b_out)
           AS price_vout,
         coalesce(t.cache_write_1h_cost_per_token, b.b_cw1h, t.cache_write_cost_per_token, b.b_cw,
                  t.input_cost_per_token, b.b_in) AS price_cw1h,
         coalesce(t.per_request_cost, b.b_req) AS price_req,
         coalesce(t.web_search_cost, b.b_ws) AS price_ws,
         coalesce(t.cache_read_audio_cost_per_token, b.b_cra, t.cache_read_cost_per_token, b.b_cr,
                  t.input_audio_cost_per_token, b.b_ain, t.input_cost_per_token, b.b_in) AS price_cra
  FROM b
  LEFT JOIN tl_rate_timeline t
    ON b.tier IS NOT NULL AND t.provider = b.rp AND t.model = b.rm AND t.variant = b.rv
   AND t.tier_start_tokens = b.tier
   AND b.at_ts >= t.valid_from AND (t.valid_to IS NULL OR b.at_ts < t.valid_to)),
c AS (
  SELECT p.*,
         (p.error IS NULL AND p.base_path IS NOT NULL
          AND coalesce(p.tier_mode, 'cliff') = 'cliff') AS costable,
         p.cache_write_tokens - p.n_cw1h AS n_cw5m, p.cache_read_tokens - p.n_cra AS n_crt,
         CASE WHEN p.price_req IS NOT NULL THEN 1 ELSE 0 END AS n_req,
         CASE WHEN p.price_ws IS NOT NULL THEN p.n_ws ELSE 0 END AS n_ws_billed
  FROM p),
d AS (
  SELECT c.*,
         CASE WHEN c.costable THEN CASE WHEN c.input_tokens = 0 THEN 0 ELSE c.input_tokens * c.price_in END END AS input_cost,
         CASE WHEN c.costable THEN CASE WHEN c.n_crt = 0 THEN 0 ELSE c.n_crt * c.price_cr END END AS cache_read_cost,
         CASE WHEN c.costable THEN CASE WHEN c.n_cw5m = 0 THEN 0 ELSE c.n_cw5m * c.price_cw END END AS cache_write_cost,
         CASE WHEN c.costable THEN CASE WHEN c.n_cw1h = 0 THEN 0 ELSE c.n_cw1h * c.price_cw1h END END AS cache_write_1h_cost,
         CASE WHEN c.costable THEN CASE WHEN c.output_tokens = 0 THEN 0 ELSE c.output_tokens * c.price_out END END AS output_cost,
         CASE WHEN c.costable THEN CASE WHEN c.reasoning_tokens = 0 THEN 0 ELSE c.reasoning_tokens * c.price_rs END END AS reasoning_cost,
         CASE WHEN c.costable THEN CASE WHEN c.n_ain = 0 THEN 0 ELSE c.n_ain * c.price_ain END END AS audio_input_cost,
         CASE WHEN c.costable THEN CASE WHEN c.n_aout = 0 THEN 0 ELSE c.n_aout * c.price_aout END END AS audio_output_cost,
         CASE WHEN c.costable THEN CASE WHEN c.n_iin = 0 THEN 0 ELSE c.n_iin * c.price_iin END END AS image_input_cost,
         CASE WHEN c.costable THEN CASE WHEN c.n_iout = 0 THEN 0 ELSE c.n_iout * c.price_iout END END AS image_output_cost,
         CASE WHEN c.costable THEN CASE WHEN c.n_vin = 0 THEN 0 ELSE c.n_vin * c.price_vin END END AS video_input_cost,
         CASE WHEN c.costable THEN CASE WHEN c.n_vout = 0 THEN 0 ELSE c.n_vout * c.price_vout END END AS video_output_cost,
         CASE WHEN c.costable THEN CASE WHEN c.n_req = 0 THEN 0 ELSE c.n_req * c.price_req END END AS request_cost,
         CASE WHEN c.costable THEN CASE WHEN c.n_ws_billed = 0 THEN 0 ELSE c.n_ws_billed * c.price_ws END END AS web_search_cost,
         CASE WHEN c.costable THEN CASE WHEN c.n_cra = 0 THEN 0 ELSE c.n_cra * c.price_cra END END AS cache_read_audio_cost
  FROM c)
SELECT d.source_path, d.line, d.ts, d.at_ts AS rate_at, d.raw_provider, d.raw_model,
       d.service_tier, d.provider, d.model,
       CASE WHEN d.rp <> '' THEN d.rp END AS rate_provider,
       CASE WHEN d.rm <> '' THEN d.rm END AS rate_model,
       CASE WHEN d.rv <> '' THEN d.rv END AS rate_variant,
       CASE WHEN d.base_path IS NOT NULL THEN coalesce(d.tier, 0) END AS tier_start_tokens,
       d.input_cost, d.cache_read_cost, d.cache_write_cost, d.cache_write_1h_cost,
       d.output_cost, d.reasoning_cost, d.audio_input_cost, d.audio_output_cost,
       d.image_input_cost, d.image_output_cost, d.video_input_cost, d.video_output_cost,
       d.request_cost, d.web_search_cost, d.cache_read_audio_cost,
       d.input_cost + d.cache_read_cost + d.cache_write_cost + d.cache_write_1h_cost
         + d.output_cost + d.reasoning_cost + d.audio_input_cost + d.audio_output_cost
         + d.image_input_cost + d.image_output_cost + d.video_input_cost + d.video_output_cost
         + d.request_cost + d.web_search_cost + d.cache_read_audio_cost AS total_cost,
       CASE
         WHEN NOT d.mapped THEN 'unmapped'
         WHEN NOT d.costable THEN 'unpriced'
         WHEN d.input_tokens IS NULL OR d.cache_read_tokens IS NULL
              OR d.cache_write_tokens IS NULL OR d.output_tokens IS NULL
              OR d.reasoning_tokens IS NULL
              OR (d.input_tokens <> 0 AND d.price_in IS NULL)
              OR (d.n_crt <> 0 AND d.price_cr IS NULL)
              OR (d.n_cra <> 0 AND d.price_cra IS NULL)
              OR (d.n_cw5m <> 0 AND d.price_cw IS NULL)
              OR (d.n_cw1h <> 0 AND d.price_cw1h IS NULL)
              OR (d.output_tokens <> 0 AND d.price_out IS NULL)
              OR (d.reasoning_tokens <> 0 AND d.price_rs IS NULL)
              OR (d.n_ain <> 0 AND d.price_ain IS NULL)
              OR (d.n_aout <> 0 AND d.price_aout IS NULL)
              OR (d.n_iin <> 0 AND d.price_iin IS NULL)
              OR (d.n_iout <> 0 AND d.price_iout IS NULL)
              OR (d.n_vin <> 0 AND d.price_vin IS NULL)
              OR (d.n_vout <> 0 AND d.price_vout IS NULL) THEN 'unpriced'
         WHEN coalesce(d.price_in, 0) = 0 AND coalesce(d.price_cr, 0) = 0
              AND coalesce(d.price_cw, 0) = 0 AND coalesce(d.price_out, 0) = 0
              AND coalesce(d.price_rs, 0) = 0 AND coalesce(d.price_req, 0) = 0
              AND (d.n_ws_billed = 0 OR coalesce(d.price_ws, 0) = 0) THEN 'free'
         ELSE 'priced' END AS cost_status
FROM d;
