-- tokenledger warehouse export for ClickHouse (docs/warehouse.md).
-- UNTESTED: written from sql/warehouse/postgres.sql (the tested query, which
-- tests/warehouse/test_postgres.py runs against event_costs) and not run
-- against a ClickHouse server here. Check it on your version before relying
-- on it; the rules and the meaning of every column are postgres.sql's.
--
-- Load (clickhouse-client from the export directory):
--   clickhouse-client --multiquery < clickhouse.sql            (the tables)
--   clickhouse-client -q "INSERT INTO tl_rate_timeline FORMAT CSVWithNames" < rate_timeline.csv
--   ... likewise tl_alias_map (alias_map.csv), tl_window_cards (window_cards.csv),
--   tl_export_settings (settings.csv), and your events into tl_usage_events.
-- Money is Decimal(76, 30): the export's prices are exact decimals with at
-- most 30 fractional digits in practice (tools/export_warehouse.py writes the
-- shortest decimal of each price); tokens x price and their sums stay exact.
-- Strings compare byte-wise in ClickHouse, as in SQLite.
SET join_use_nulls = 1;

CREATE TABLE IF NOT EXISTS tl_rate_timeline (
  provider String, model String, variant String, tier_start_tokens Int64,
  effective_from Nullable(String), valid_from Nullable(String), valid_to Nullable(String),
  input_cost_per_token Nullable(Decimal(76, 30)), cache_read_cost_per_token Nullable(Decimal(76, 30)),
  cache_write_cost_per_token Nullable(Decimal(76, 30)),
  cache_write_1h_cost_per_token Nullable(Decimal(76, 30)),
  output_cost_per_token Nullable(Decimal(76, 30)), reasoning_cost_per_token Nullable(Decimal(76, 30)),
  input_audio_cost_per_token Nullable(Decimal(76, 30)),
  output_audio_cost_per_token Nullable(Decimal(76, 30)),
  cache_read_audio_cost_per_token Nullable(Decimal(76, 30)),
  input_image_cost_per_token Nullable(Decimal(76, 30)),
  output_image_cost_per_token Nullable(Decimal(76, 30)),
  input_video_cost_per_token Nullable(Decimal(76, 30)),
  output_video_cost_per_token Nullable(Decimal(76, 30)),
  per_request_cost Nullable(Decimal(76, 30)), web_search_cost Nullable(Decimal(76, 30)),
  tier_counts Nullable(String), tier_comparison Nullable(String), tier_mode Nullable(String),
  window_start Nullable(String), window_end Nullable(String), service_tier Nullable(String),
  currency Nullable(String), source_path Nullable(String), source_format Nullable(String),
  entry Nullable(Int64), recorded_snapshot Nullable(String))
ENGINE = MergeTree ORDER BY (provider, model, variant, tier_start_tokens);

CREATE TABLE IF NOT EXISTS tl_alias_map (
  raw_provider String, raw_model String, service_tier String, ts_rule String,
  ts_from Nullable(String), ts_to Nullable(String), provider Nullable(String),
  creator Nullable(String), model Nullable(String), variant Nullable(String),
  model_rule Nullable(String), model_confidence Nullable(Float64),
  own_provider String, key_model String, own_variant String, own_window UInt8,
  rate_via Nullable(String), rate_provider String, rate_model String, rate_variant String,
  rate_match_rule Nullable(String), rule_window UInt8)
ENGINE = MergeTree ORDER BY (raw_provider, raw_model, service_tier);

CREATE TABLE IF NOT EXISTS tl_window_cards (
  provider String, model String, base_variant String, window_variant String,
  window_start String, window_end String, first_from String, active_from String)
ENGINE = MergeTree ORDER BY (provider, model);

CREATE TABLE IF NOT EXISTS tl_export_settings (key String, value Nullable(String))
ENGINE = MergeTree ORDER BY key;

-- partition your events by day: each day's events are costed independently,
-- against the small tables above (broadcast to every node)
CREATE TABLE IF NOT EXISTS tl_usage_events (
  source_path String, line Int64, ts Nullable(String), raw_provider Nullable(String),
  raw_model Nullable(String), dialect Nullable(String), input_tokens Nullable(Int64),
  cache_read_tokens Nullable(Int64), cache_write_tokens Nullable(Int64),
  output_tokens Nullable(Int64), reasoning_tokens Nullable(Int64),
  audio_input_tokens Nullable(Int64), audio_output_tokens Nullable(Int64),
  image_input_tokens Nullable(Int64), image_output_tokens Nullable(Int64),
  video_input_tokens Nullable(Int64), video_output_tokens Nullable(Int64),
  cache_write_1h_tokens Nullable(Int64), cache_read_audio_tokens Nullable(Int64),
  web_search_requests Nullable(Int64), service_tier Nullable(String), error Nullable(String))
ENGINE = MergeTree PARTITION BY substring(coalesce(ts, '0000-00-00'), 1, 10)
ORDER BY (source_path, line);

-- The costing query (as a view). The window cards and the tier rows are few:
-- they are read once as arrays (scalar subqueries) and searched per event;
-- the alias map and the base cards are joined. A key of the alias map has
-- one row per event date range, and a base card's validity ranges cover all
-- time, so the filters after the joins keep exactly one row per event.
CREATE OR REPLACE VIEW tl_event_costs AS
WITH
  (SELECT coalesce(any(value), '9999-12-31') FROM tl_export_settings
   WHERE key = 'newest_pricing_snapshot') AS newest,
  (SELECT groupArray((provider, model, base_variant, window_variant, window_start, window_end,
                      active_from))
   FROM (SELECT * FROM tl_window_cards ORDER BY window_variant)) AS windows,
  (SELECT groupArray((provider, model, variant, tier_start_tokens, coalesce(valid_from, ''),
                      valid_to, coalesce(tier_counts, 'prompt'), tier_comparison,
                      coalesce(tier_mode, 'cliff')))
   FROM tl_rate_timeline WHERE tier_start_tokens > 0 AND tier_comparison IS NOT NULL) AS tiers
SELECT *,
       input_cost + cache_read_cost + cache_write_cost + cache_write_1h_cost + output_cost
         + reasoning_cost + audio_input_cost + audio_output_cost + image_input_cost
         + image_output_cost + video_input_cost + video_output_cost + request_cost
         + web_search_cost + cache_read_audio_cost AS total_cost
FROM (
  SELECT d.*,
    if(costable, if(input_tokens = 0, 0, input_tokens * price_in), NULL) AS input_cost,
    if(costable, if(n_crt = 0, 0, n_crt * price_cr), NULL) AS cache_read_cost,
    if(costable, if(n_cw5m = 0, 0, n_cw5m * price_cw), NULL) AS cache_write_cost,
    if(costable, if(n_cw1h = 0, 0, n_cw1h * price_cw1h), NULL) AS cache_write_1h_cost,
    if(costable, if(output_tokens = 0, 0, output_tokens * price_out), NULL) AS output_cost,
    if(costable, if(reasoning_tokens = 0, 0, reasoning_tokens * price_rs), NULL) AS reasoning_cost,
    if(costable, if(n_ain = 0, 0, n_ain * price_ain), NULL) AS audio_input_cost,
    if(costable, if(n_aout = 0, 0, n_aout * price_aout), NULL) AS audio_output_cost,
    if(costable, if(n_iin = 0, 0, n_iin * price_iin), NULL) AS image_input_cost,
    if(costable, if(n_iout = 0, 0, n_iout * price_iout), NULL) AS image_output_cost,
    if(costable, if(n_vin = 0, 0, n_vin * price_vin), NULL) AS video_input_cost,
    if(costable, if(n_vout = 0, 0, n_vout * price_vout), NULL) AS video_output_cost,
    if(costable, if(n_req = 0, 0, n_req * price_req), NULL) AS request_cost,
    if(costable, if(n_ws_billed = 0, 0, n_ws_billed * price_ws), NULL) AS web_search_cost,
    if(costable, if(n_cra = 0, 0, n_cra * price_cra), NULL) AS cache_read_audio_cost
  FROM (
    SELECT p.*,
      error IS NULL AND base_path IS NOT NULL AND coalesce(tier_mode, 'cliff') = 'cliff' AS costable,
      cache_write_tokens - n_cw1h AS n_cw5m, cache_read_tokens - n_cra AS n_crt,
      if(price_req IS NOT NULL, 1, 0) AS n_req, if(price_ws IS NOT NULL, n_ws, 0) AS n_ws_billed
    FROM (
      SELECT b.*, t.tier_mode AS tier_mode,
        coalesce(t.input_cost_per_token, b_in) AS price_in,
        coalesce(t.cache_read_cost_per_token, b_cr, t.input_cost_per_token, b_in) AS price_cr,
        coalesce(t.cache_write_cost_per_token, b_cw, t.input_cost_per_token, b_in) AS price_cw,
        coalesce(t.output_cost_per_token, b_out) AS price_out,
        coalesce(t.reasoning_cost_per_token, b_rs, t.output_cost_per_token, b_out) AS price_rs,
        coalesce(t.input_audio_cost_per_token, b_ain, t.input_cost_per_token, b_in) AS price_ain,
        coalesce(t.output_audio_cost_per_token, b_aout, t.output_cost_per_token, b_out) AS price_aout,
        coalesce(t.input_image_cost_per_token, b_iin, t.input_cost_per_token, b_in) AS price_iin,
        coalesce(t.output_image_cost_per_token, b_iout, t.output_cost_per_token, b_out) AS price_iout,
        coalesce(t.input_video_cost_per_token, b_vin, t.input_cost_per_token, b_in) AS price_vin,
        coalesce(t.output_video_cost_per_token, b_vout, t.output_cost_per_token, b_out) AS price_vout,
        coalesce(t.cache_write_1h_cost_per_token, b_cw1h, t.cache_write_cost_per_token, b_cw,
                 t.input_cost_per_token, b_in) AS price_cw1h,
        coalesce(t.per_request_cost, b_req) AS price_req,
        coalesce(t.web_search_cost, b_ws) AS price_ws,
        coalesce(t.cache_read_audio_cost_per_token, b_cra, t.cache_read_cost_per_token, b_cr,
                 t.input_audio_cost_per_token, b_ain, t.input_cost_per_token, b_in) AS price_cra
      FROM (
        SELECT o.*, base.source_path AS base_path,
          base.input_cost_per_token AS b_in, base.cache_read_cost_per_token AS b_cr,
          base.cache_write_cost_per_token AS b_cw, base.output_cost_per_token AS b_out,
          base.reasoning_cost_per_token AS b_rs, base.input_audio_cost_per_token AS b_ain,
          base.output_audio_cost_per_token AS b_aout, base.input_image_cost_per_token AS b_iin,
          base.output_image_cost_per_token AS b_iout, base.input_video_cost_per_token AS b_vin,
          base.output_video_cost_per_token AS b_vout,
          base.cache_write_1h_cost_per_token AS b_cw1h, base.per_request_cost AS b_req,
          base.web_search_cost AS b_ws, base.cache_read_audio_cost_per_token AS b_cra,
          -- the highest tier in force whose rule the event passes
          arrayMax(arrayMap(x -> x.4, arrayFilter(x ->
              x.1 = o.rp AND x.2 = o.rm AND x.3 = o.rv
              AND o.at_ts >= x.5 AND (x.6 IS NULL OR o.at_ts < x.6)
              AND if(x.8 = '>',
                     multiIf(x.7 = 'input', o.input_tokens, x.7 = 'total',
                             o.prompt_tokens + o.completion_tokens, o.prompt_tokens) > x.4,
                     multiIf(x.7 = 'input', o.input_tokens, x.7 = 'total',
                             o.prompt_tokens + o.completion_tokens, o.prompt_tokens) >= x.4),
              tiers)) AS tier0,
          nullIf(tier0, 0) AS tier
        FROM (
          SELECT e.*,
            input_tokens + cache_read_tokens + cache_write_tokens + n_ain + n_iin + n_vin
              AS prompt_tokens,
            output_tokens + reasoning_tokens + n_aout + n_iout + n_vout AS completion_tokens,
            -- the window card at the event's time of day (the first by name) of its own
            -- offering (wo) and of its name rule's offering (wr)
            arrayMap(o -> arrayFirst(w -> o.4 AND w.1 = o.1 AND w.2 = o.2 AND w.3 = o.3
                                          AND length(e.at_ts) >= 19 AND e.at_ts >= w.7
                                          AND if(w.5 <= w.6, tod >= w.5 AND tod < w.6,
                                                 tod >= w.5 OR tod < w.6),
                                     windows).4,
                     [(e.own_provider, e.key_model, e.own_variant, e.own_window = 1),
                      (e.chain_provider, e.chain_model, e.chain_variant, e.rule_window = 1)])
              AS found_windows,
            substring(e.at_ts, 12, 8) AS tod, found_windows[1] AS wo, found_windows[2] AS wr,
            if(wo != '', e.own_provider, e.chain_provider) AS rp,
            if(wo != '', e.key_model, e.chain_model) AS rm,
            multiIf(wo != '', wo, e.rate_via = 'rule' AND wr != '', wr, e.chain_variant) AS rv
          FROM (
            SELECT u.*, coalesce(u.ts, newest) AS at_ts,
              coalesce(u.audio_input_tokens, 0) AS n_ain, coalesce(u.audio_output_tokens, 0) AS n_aout,
              coalesce(u.image_input_tokens, 0) AS n_iin, coalesce(u.image_output_tokens, 0) AS n_iout,
              coalesce(u.video_input_tokens, 0) AS n_vin, coalesce(u.video_output_tokens, 0) AS n_vout,
              coalesce(u.cache_write_1h_tokens, 0) AS n_cw1h, coalesce(u.web_search_requests, 0) AS n_ws,
              coalesce(u.cache_read_audio_tokens, 0) AS n_cra,
              a.raw_model IS NOT NULL AS mapped, a.provider AS provider, a.model AS model,
              coalesce(a.own_provider, '') AS own_provider, coalesce(a.key_model, '') AS key_model,
              coalesce(a.own_variant, '') AS own_variant, coalesce(a.own_window, 0) AS own_window,
              a.rate_via AS rate_via, coalesce(a.rate_provider, '') AS chain_provider,
              coalesce(a.rate_model, '') AS chain_model, coalesce(a.rate_variant, '') AS chain_variant,
              coalesce(a.rule_window, 0) AS rule_window
            FROM tl_usage_events u
            LEFT JOIN tl_alias_map a
              ON a.raw_provider = coalesce(u.raw_provider, '') AND a.raw_model = coalesce(u.raw_model, '')
             AND a.service_tier = coalesce(u.service_tier, '')
            WHERE a.raw_model IS NULL OR a.ts_rule = 'any'
               OR (a.ts_rule = 'undated' AND u.ts IS NULL)
               OR (a.ts_rule = 'dated' AND u.ts IS NOT NULL AND substring(u.ts, 1, 10) >= a.ts_from
                   AND (a.ts_to IS NULL OR substring(u.ts, 1, 10) < a.ts_to))) e) o
        LEFT JOIN (SELECT * FROM tl_rate_timeline WHERE tier_start_tokens = 0) base
          ON base.provider = o.rp AND base.model = o.rm AND base.variant = o.rv
        WHERE base.provider IS NULL
           OR (o.at_ts >= coalesce(base.valid_from, '') AND (base.valid_to IS NULL OR o.at_ts < base.valid_to))
      ) b
      LEFT JOIN tl_rate_timeline t
        ON t.provider = b.rp AND t.model = b.rm AND t.variant = b.rv AND t.tier_start_tokens = b.tier
      WHERE t.provider IS NULL
         OR (b.at_ts >= coalesce(t.valid_from, '') AND (t.valid_to IS NULL OR b.at_ts < t.valid_to))
    ) p
  ) d
);
