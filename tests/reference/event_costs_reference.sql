-- event_costs_reference: the costing rules of event_costs written in SQL, the
-- test oracle of the C coster (ext/core/costing.c, vtab/event_costs.c). Read it
-- after sql/ledger.sql; it defines one TEMP view with exactly event_costs'
-- columns, over ledger_events and rate_timeline. tests/costing compares the
-- two on every column of every row (fixtures, generated logs and the real
-- price lists). A change to the rules is made in both, and the comparison
-- says whether they still agree.
DROP VIEW IF EXISTS temp.event_costs_reference;

-- event_costs: every usage event costed with the rate card in force at its
-- timestamp (rate_timeline), one row per line of the events sources (so
-- counts and token sums reconcile with usage_events).
--   Card: the event's own provider's card for the model; if that provider
--   has none, the card of the model's creator (its own API); if neither
--   has one, the card that a price list's own name rule gives the raw name,
--   of the offering the rule is for (rate_match_rules: genai-prices' match,
--   the first rule in list order of the provider, then of the creator,
--   whose card exists; rate_model and rate_match_rule say which, cost_note
--   says so; at a time of day a window card of that offering holds, the
--   window card), and rate_provider says which. A model name mapped by a
--   guess (resolve_model's rule 'undated') is looked up first under its own
--   name (model_prices' own_model): where the provider or the creator has
--   cards of it, the price lists priced that name apart ('own name'), and
--   rate_model says so. rate_at is the instant the card is chosen
--   for: the event's ts; for an event without one, the newest snapshot_date
--   of the pricing sources (so a card dated after every source, announced
--   but not yet in force, is not taken), or the latest card when no source
--   is dated; rate_at_assumed 1 says so.
--   Variant: an event whose raw name carries a price-bearing qualifier
--   (variant, e.g. 'free_tier=free' for a :free model) is costed at its
--   provider's card of the same variant when there is one, else as above
--   at a base card; rate_variant says which (NULL: a base card).
--   Window: a card with a daily UTC window (variant 'window=HH:MM:SS-
--   HH:MM:SS', genai-prices' deepseek peak price 00:30-16:30) bills the
--   events of the same provider, model and offering whose ts falls in the
--   window, [start, end), wrapping midnight when end < start, unless the
--   window card is newer than the card without a window in force at ts
--   (another list's later peak price does not reprice older calls); the
--   others, and events without a time, take the card without a window.
--   rate_backdated 1: the event precedes every card of the model, so the
--   earliest one was used.
--   Tier: the highest tier of that provider and model in force at ts whose
--   rule (tier_counts, tier_comparison) the event passes; a price the tier
--   row does not give falls back to the base card's. mode 'incremental' is
--   not costed (NULL, with the reason).
--   Reasoning tokens are billed at the reasoning price, else the output
--   price (as every provider bills them). Cached tokens with no cache
--   price on the card (cache read or write) are billed at the input price,
--   as genai-prices bills them (its cache units fall back to the input
--   unit), and cache_price_fallback 1 and cost_note say so. Cached audio
--   (cache_read_audio_tokens, part of cache_read_tokens) is billed at its
--   own price, else at the cache read price, else the audio input price,
--   else the input price (genai-prices bills it inside its nearest priced
--   ancestor unit); cache_read_cost bills the rest of the cache reads.
--   Costs are bucket_cost(): exact decimal, rounded once. A bucket with
--   tokens but no price makes that cost and total_cost NULL; a model whose
--   prices are 0 costs 0 (cost_status 'free'). cost_status: priced, free,
--   unpriced; cost_note says why a cost is NULL.
--   cost_minus_reported = total_cost - reported_cost, where the event
--   carries a cost.
-- HOW IT WORKS, for speed (EXPLAIN QUERY PLAN shows one scan of the events
-- and index searches only): rate_timeline is materialized once per query
-- (rc; from ledger_rate_snapshot after a ledger_refresh), and SQLite builds
-- automatic indexes on it. keys says, per (provider, model) with a card,
-- the smallest tier start; an event's rate_provider comes from two LEFT
-- JOINs on keys (its provider's, else its creator's), computed once per row
-- rather than as subqueries repeated wherever it is used. The tier search
-- runs only when the event's token total reaches that smallest tier start
-- (below it no tier can pass, whatever the rule). total_cost is computed
-- once: cost_status tests the prices bucket_cost would find missing
-- instead of calling it again.
CREATE TEMP VIEW event_costs_reference AS
WITH rc AS MATERIALIZED (
  SELECT provider, model, variant, tier_start_tokens, effective_from, valid_from, valid_to,
         input_cost_per_token AS p_in, cache_read_cost_per_token AS p_cr,
         cache_write_cost_per_token AS p_cw, output_cost_per_token AS p_out,
         reasoning_cost_per_token AS p_rs, input_audio_cost_per_token AS p_ain,
         output_audio_cost_per_token AS p_aout, input_image_cost_per_token AS p_iin,
         output_image_cost_per_token AS p_iout, input_video_cost_per_token AS p_vin,
         output_video_cost_per_token AS p_vout, cache_write_1h_cost_per_token AS p_cw1h,
         per_request_cost AS p_req, web_search_cost AS p_ws,
         cache_read_audio_cost_per_token AS p_cra, source_path, source_format, entry,
         recorded_snapshot, tier_counts, tier_comparison, tier_mode, window_start, window_end
  FROM rate_timeline),
keys AS MATERIALIZED (
  SELECT provider, model, variant,
         min(CASE WHEN tier_start_tokens > 0 AND tier_comparison IS NOT NULL
                  THEN tier_start_tokens END) AS min_tier,
         -- a window card's key without its window pair: the offering it is
         -- a time-of-day price of
         CASE WHEN window_start IS NOT NULL THEN
           nullif(trim(replace(';' || variant || ';',
                               ';window=' || window_start || '-' || window_end || ';', ';'),
                       ';'), '') END AS windowless_variant,
         window_start, window_end, min(effective_from) AS first_from
  FROM rc GROUP BY provider, model, variant),
-- the price lists' own name rules whose card exists, read once: each at the
-- card of its own name (an undated name model_prices keeps apart) when
-- that exists, else of its model
rules AS MATERIALIZED (
  SELECT * FROM (
    SELECT r.provider,
           CASE WHEN EXISTS (SELECT 1 FROM keys k WHERE k.provider = r.provider
                               AND k.model = r.own_model AND k.variant IS r.variant)
                THEN r.own_model ELSE r.model END AS model,
           r.variant, r.rule, r.source_path, r.source_row
    FROM rate_match_rules r) x
  WHERE EXISTS (SELECT 1 FROM keys k WHERE k.provider = x.provider AND k.model = x.model
                  AND k.variant IS x.variant)),
-- the window cards' keys (few or none: the search below runs only for the
-- (provider, model) pairs that have one)
window_keys AS MATERIALIZED (SELECT * FROM keys WHERE window_start IS NOT NULL),
window_models AS MATERIALIZED (SELECT DISTINCT provider, model FROM window_keys),
ev00 AS (
  SELECT e.*,
         -- an undated name mapped by a guess: its own name's cards where
         -- the provider or the creator has any (model_prices' 'own name')
         CASE WHEN e.model_mapping_rule = 'undated' AND EXISTS (
                SELECT 1 FROM keys k
                WHERE k.provider IN (e.provider, e.creator)
                  AND k.model = lower(substr(e.raw_model, length(rtrim(e.raw_model,
                                             replace(e.raw_model, '/', ''))) + 1)))
              THEN lower(substr(e.raw_model,
                                length(rtrim(e.raw_model, replace(e.raw_model, '/', ''))) + 1))
              ELSE e.model END AS key_model
  FROM ledger_events e),
ev0 AS (
  SELECT e.*, coalesce(e.ts, ns.newest, '9999-12-31') AS at_ts, e.ts IS NULL AS at_assumed,
         -- the other units, 0 where the log does not say
         coalesce(e.audio_input_tokens, 0) AS n_ain, coalesce(e.audio_output_tokens, 0) AS n_aout,
         coalesce(e.image_input_tokens, 0) AS n_iin, coalesce(e.image_output_tokens, 0) AS n_iout,
         coalesce(e.video_input_tokens, 0) AS n_vin, coalesce(e.video_output_tokens, 0) AS n_vout,
         coalesce(e.cache_write_1h_tokens, 0) AS n_cw1h,
         coalesce(e.web_search_requests, 0) AS n_ws,
         coalesce(e.cache_read_audio_tokens, 0) AS n_cra
  FROM ev00 e
  CROSS JOIN (SELECT max(snapshot_date) AS newest FROM ledger_sources
              WHERE kind = 'pricing') ns),
-- rule_pick: the price lists' name rule for the event's raw name
w1 AS MATERIALIZED (
  SELECT ev0.*,
         -- (sought only when neither the provider nor the creator has
         -- a plain card of the model: else one of those is the card)
         CASE WHEN NOT EXISTS (SELECT 1 FROM keys k
                               WHERE k.provider IN (ev0.provider, ev0.creator)
                                 AND k.model = ev0.key_model AND k.variant IS NULL) THEN
         coalesce(
           (SELECT json_object('provider', r.provider, 'model', r.model,
                               'variant', r.variant, 'rule', r.rule, 'path', r.source_path)
            FROM rules r
            WHERE r.provider = ev0.provider AND genai_match(r.rule, ev0.raw_model)
            ORDER BY r.source_path, r.source_row LIMIT 1),
           (SELECT json_object('provider', r.provider, 'model', r.model,
                               'variant', r.variant, 'rule', r.rule, 'path', r.source_path)
            FROM rules r
            WHERE r.provider = ev0.creator AND genai_match(r.rule, ev0.raw_model)
            ORDER BY r.source_path, r.source_row LIMIT 1)) END AS rule_pick
  FROM ev0),
-- the offerings whose daily window card is sought, at the event's time: the
-- event's own, and the one a name rule gives it
wreq AS MATERIALIZED (
  SELECT DISTINCT q.* FROM (
    SELECT provider, key_model AS model, variant, at_ts FROM w1
    UNION ALL
    SELECT rule_pick ->> '$.provider', rule_pick ->> '$.model', rule_pick ->> '$.variant', at_ts
    FROM w1 WHERE rule_pick IS NOT NULL) q
  WHERE EXISTS (SELECT 1 FROM window_models wm
                WHERE wm.provider = q.provider AND wm.model = q.model)),
-- each one's window card whose window holds the UTC time of day (a window
-- that wraps midnight holds the times after its start or before its end);
-- an event without a time never has one. The window card must not be newer
-- than the card without a window in force at ts: a 2026 list's peak price
-- does not replace the price a 2025 list gave for 2025 calls.
win AS MATERIALIZED (
  SELECT q.*,
         (SELECT k.variant FROM window_keys k
          WHERE k.provider = q.provider AND k.model = q.model
            AND k.windowless_variant IS q.variant
            AND length(q.at_ts) >= 19
            AND k.first_from <= coalesce(
                  (SELECT coalesce(max(CASE WHEN b.effective_from <= q.at_ts
                                            THEN b.effective_from END),
                                   min(b.effective_from))
                   FROM rc b
                   WHERE b.provider = k.provider AND b.model = k.model
                     AND b.variant IS k.windowless_variant AND b.tier_start_tokens = 0),
                  k.first_from)
            AND CASE WHEN k.window_start <= k.window_end
                     THEN substr(q.at_ts, 12, 8) >= k.window_start
                          AND substr(q.at_ts, 12, 8) < k.window_end
                     ELSE substr(q.at_ts, 12, 8) >= k.window_start
                          OR substr(q.at_ts, 12, 8) < k.window_end END
          ORDER BY k.variant LIMIT 1) AS window_variant
  FROM wreq q),
ev AS (
  SELECT e.*,
         e.input_tokens + e.cache_read_tokens + e.cache_write_tokens + e.n_ain + e.n_iin + e.n_vin
           AS prompt_tokens,
         e.output_tokens + e.reasoning_tokens + e.n_aout + e.n_iout + e.n_vout AS completion_tokens,
         coalesce(kv.provider, kp.provider, kc.provider, kr.provider) AS rate_provider,
         coalesce(kv.variant, kr.variant) AS rate_variant,
         CASE WHEN kr.provider IS NOT NULL THEN kr.model
              WHEN coalesce(kv.provider, kp.provider, kc.provider) IS NOT NULL THEN e.key_model
         END AS rate_model,
         CASE WHEN kr.provider IS NOT NULL THEN e.rule_pick ->> '$.rule' END AS rate_match_rule,
         CASE WHEN kr.provider IS NOT NULL THEN e.rule_pick ->> '$.path' END AS rule_path,
         CASE WHEN kv.provider IS NOT NULL THEN kv.min_tier
              WHEN kp.provider IS NOT NULL THEN kp.min_tier
              WHEN kc.provider IS NOT NULL THEN kc.min_tier ELSE kr.min_tier END AS min_tier
  FROM (SELECT w.*, we.window_variant, wr.window_variant AS rule_window_variant
        FROM w1 w
        LEFT JOIN win we
          ON we.provider = w.provider AND we.model = w.key_model AND we.variant IS w.variant
         AND we.at_ts = w.at_ts
        LEFT JOIN win wr
          ON wr.provider = w.rule_pick ->> '$.provider' AND wr.model = w.rule_pick ->> '$.model'
         AND wr.variant IS w.rule_pick ->> '$.variant' AND wr.at_ts = w.at_ts) e
  -- the provider's card of the event's own variant (a :free event at the free
  -- card, even where the provider lists no base card), else its base card,
  -- else the creator's base card
  LEFT JOIN keys kv ON coalesce(e.window_variant, e.variant) IS NOT NULL
                   AND kv.provider = e.provider AND kv.model = e.key_model
                   AND kv.variant = coalesce(e.window_variant, e.variant)
  LEFT JOIN keys kp ON kv.provider IS NULL AND kp.provider = e.provider AND kp.model = e.key_model
                   AND kp.variant IS NULL
  LEFT JOIN keys kc ON kv.provider IS NULL AND kp.provider IS NULL AND kc.provider = e.creator
                   AND kc.model = e.key_model AND kc.variant IS NULL
  -- else, last, the plain card a price list's own name rule gives the raw
  -- name (genai-prices' match): the first rule in list order of the event's
  -- provider, then of its creator, whose card exists
  LEFT JOIN keys kr ON kv.provider IS NULL AND kp.provider IS NULL AND kc.provider IS NULL
                   AND kr.provider = e.rule_pick ->> '$.provider'
                   AND kr.model = e.rule_pick ->> '$.model'
                   AND kr.variant IS coalesce(e.rule_window_variant, e.rule_pick ->> '$.variant')),
b AS (
  SELECT ev.*, base.effective_from AS base_from, base.source_path AS base_path,
         base.source_format AS base_format, base.entry AS base_entry,
         base.recorded_snapshot AS base_snapshot,
         base.p_in AS b_in, base.p_cr AS b_cr, base.p_cw AS b_cw, base.p_out AS b_out,
         base.p_rs AS b_rs, base.p_ain AS b_ain, base.p_aout AS b_aout, base.p_iin AS b_iin,
         base.p_iout AS b_iout, base.p_vin AS b_vin, base.p_vout AS b_vout,
         base.p_cw1h AS b_cw1h, base.p_req AS b_req, base.p_ws AS b_ws, base.p_cra AS b_cra,
         CASE WHEN ev.min_tier <= ev.prompt_tokens + ev.completion_tokens THEN
         (SELECT max(t.tier_start_tokens) FROM rc t
          WHERE t.provider = ev.rate_provider AND t.model = ev.rate_model
            AND t.variant IS ev.rate_variant AND t.tier_start_tokens > 0 AND t.tier_comparison IS NOT NULL
            AND ev.at_ts >= t.valid_from AND (t.valid_to IS NULL OR ev.at_ts < t.valid_to)
            AND CASE t.tier_comparison
                  WHEN '>' THEN CASE t.tier_counts WHEN 'input' THEN ev.input_tokens
                                  WHEN 'total' THEN ev.prompt_tokens + ev.completion_tokens
                                  ELSE ev.prompt_tokens END > t.tier_start_tokens
                  ELSE CASE t.tier_counts WHEN 'input' THEN ev.input_tokens
                         WHEN 'total' THEN ev.prompt_tokens + ev.completion_tokens
                         ELSE ev.prompt_tokens END >= t.tier_start_tokens END) END AS tier
  FROM ev
  LEFT JOIN rc base
    ON base.provider = ev.rate_provider AND base.model = ev.rate_model
   AND base.variant IS ev.rate_variant AND base.tier_start_tokens = 0
   AND ev.at_ts >= base.valid_from AND (base.valid_to IS NULL OR ev.at_ts < base.valid_to)),
p AS (
  SELECT b.*, t.source_path AS tier_path, t.effective_from AS tier_from, t.tier_mode,
         coalesce(t.p_in, b.b_in) AS price_in,
         coalesce(t.p_cr, b.b_cr, t.p_in, b.b_in) AS price_cr,
         coalesce(t.p_cw, b.b_cw, t.p_in, b.b_in) AS price_cw, coalesce(t.p_out, b.b_out) AS price_out,
         coalesce(t.p_rs, b.b_rs, t.p_out, b.b_out) AS price_rs,
         -- the other units: their own price, else the text price of their
         -- direction (a modality), the 5-minute write (a 1-hour write)
         coalesce(t.p_ain, b.b_ain, t.p_in, b.b_in) AS price_ain,
         coalesce(t.p_aout, b.b_aout, t.p_out, b.b_out) AS price_aout,
         coalesce(t.p_iin, b.b_iin, t.p_in, b.b_in) AS price_iin,
         coalesce(t.p_iout, b.b_iout, t.p_out, b.b_out) AS price_iout,
         coalesce(t.p_vin, b.b_vin, t.p_in, b.b_in) AS price_vin,
         coalesce(t.p_vout, b.b_vout, t.p_out, b.b_out) AS price_vout,
         coalesce(t.p_cw1h, b.b_cw1h, t.p_cw, b.b_cw, t.p_in, b.b_in) AS price_cw1h,
         coalesce(t.p_req, b.b_req) AS price_req, coalesce(t.p_ws, b.b_ws) AS price_ws,
         -- cached audio: its own price, else the nearest priced unit it is
         -- part of, as genai-prices bills it: cache read, audio input, input
         coalesce(t.p_cra, b.b_cra, t.p_cr, b.b_cr, t.p_ain, b.b_ain, t.p_in, b.b_in)
           AS price_cra,
         (b.n_cra > 0 AND coalesce(t.p_cra, b.b_cra) IS NULL) AS cra_fallback,
         CASE WHEN coalesce(t.p_cr, b.b_cr) IS NOT NULL THEN 'cache read'
              WHEN coalesce(t.p_ain, b.b_ain) IS NOT NULL THEN 'audio input'
              ELSE 'input' END AS cra_price_name,
         (b.cache_read_tokens - b.n_cra > 0 AND t.p_cr IS NULL AND b.b_cr IS NULL)
           AS cr_fallback,
         (b.cache_write_tokens - b.n_cw1h > 0 AND t.p_cw IS NULL AND b.b_cw IS NULL)
         OR (b.n_cw1h > 0 AND coalesce(t.p_cw1h, b.b_cw1h, t.p_cw, b.b_cw) IS NULL)
           AS cw_fallback,
         (b.n_ain > 0 AND coalesce(t.p_ain, b.b_ain) IS NULL)
         OR (b.n_aout > 0 AND coalesce(t.p_aout, b.b_aout) IS NULL)
         OR (b.n_iin > 0 AND coalesce(t.p_iin, b.b_iin) IS NULL)
         OR (b.n_iout > 0 AND coalesce(t.p_iout, b.b_iout) IS NULL)
         OR (b.n_vin > 0 AND coalesce(t.p_vin, b.b_vin) IS NULL)
         OR (b.n_vout > 0 AND coalesce(t.p_vout, b.b_vout) IS NULL) AS modality_fallback,
         (b.n_cw1h > 0 AND coalesce(t.p_cw1h, b.b_cw1h) IS NULL) AS cw1h_fallback
  FROM b
  LEFT JOIN rc t
    ON b.tier IS NOT NULL AND t.provider = b.rate_provider AND t.model = b.rate_model
   AND t.variant IS b.rate_variant AND t.tier_start_tokens = b.tier
   AND b.at_ts >= t.valid_from AND (t.valid_to IS NULL OR b.at_ts < t.valid_to)),
c AS (
  SELECT p.*,
         (p.error IS NULL AND p.base_path IS NOT NULL
          AND coalesce(p.tier_mode, 'cliff') = 'cliff') AS costable,
         p.cache_write_tokens - p.n_cw1h AS n_cw5m,
         p.cache_read_tokens - p.n_cra AS n_crt,
         -- a per-request fee is billed once per call where the card has one;
         -- web searches only where it prices them (else cost_note says so)
         CASE WHEN p.price_req IS NOT NULL THEN 1 ELSE 0 END AS n_req,
         CASE WHEN p.price_ws IS NOT NULL THEN p.n_ws ELSE 0 END AS n_ws_billed
  FROM p),
d AS (
  SELECT c.*,
         CASE WHEN c.costable THEN
           bucket_cost(c.input_tokens, c.price_in, c.n_crt, c.price_cr,
                       c.n_cw5m, c.price_cw, c.n_cw1h, c.price_cw1h, c.output_tokens, c.price_out,
                       c.reasoning_tokens, c.price_rs, c.n_ain, c.price_ain, c.n_aout, c.price_aout,
                       c.n_iin, c.price_iin, c.n_iout, c.price_iout, c.n_vin, c.price_vin,
                       c.n_vout, c.price_vout, c.n_req, c.price_req, c.n_ws_billed, c.price_ws,
                       c.n_cra, c.price_cra)
         END AS total
  FROM c)
SELECT c.source_path, c.line, c.ts, c.at_ts AS rate_at, c.at_assumed AS rate_at_assumed,
       c.raw_provider, c.raw_model, c.dialect,
       c.provider, c.model, c.model_mapping_rule, c.model_mapping_confidence, c.rate_provider,
       c.rate_variant, c.rate_model, c.rate_match_rule,
       c.input_tokens, c.cache_read_tokens, c.cache_write_tokens, c.output_tokens,
       c.reasoning_tokens, c.audio_input_tokens, c.audio_output_tokens, c.image_input_tokens,
       c.image_output_tokens, c.video_input_tokens, c.video_output_tokens,
       c.cache_write_1h_tokens, c.web_search_requests, c.service_tier, c.prompt_tokens,
       c.completion_tokens,
       CASE WHEN c.base_path IS NOT NULL THEN coalesce(c.tier, 0) END AS tier_start_tokens,
       c.base_path AS rate_source_path, c.base_format AS rate_source_format,
       c.base_entry AS rate_entry, c.base_from AS rate_effective_from,
       c.base_snapshot AS rate_recorded_snapshot, c.tier_path AS tier_source_path,
       c.tier_from AS tier_effective_from,
       CASE WHEN c.base_path IS NOT NULL THEN c.at_ts < c.base_from END AS rate_backdated,
       CASE WHEN c.base_path IS NOT NULL
            THEN coalesce(c.cr_fallback OR c.cw_fallback OR c.cra_fallback, 0) END
         AS cache_price_fallback,
       CASE WHEN c.base_path IS NOT NULL THEN coalesce(c.modality_fallback, 0) END
         AS modality_price_fallback,
       c.price_in AS input_cost_per_token, c.price_cr AS cache_read_cost_per_token,
       c.price_cw AS cache_write_cost_per_token, c.price_out AS output_cost_per_token,
       c.price_rs AS reasoning_cost_per_token, c.price_ain AS input_audio_cost_per_token,
       c.price_aout AS output_audio_cost_per_token, c.price_iin AS input_image_cost_per_token,
       c.price_iout AS output_image_cost_per_token, c.price_vin AS input_video_cost_per_token,
       c.price_vout AS output_video_cost_per_token,
       c.price_cw1h AS cache_write_1h_cost_per_token, c.price_req AS per_request_cost,
       c.price_ws AS web_search_cost_per_call,
       CASE WHEN c.costable THEN bucket_cost(c.input_tokens, c.price_in) END AS input_cost,
       CASE WHEN c.costable THEN bucket_cost(c.n_crt, c.price_cr) END AS cache_read_cost,
       CASE WHEN c.costable THEN bucket_cost(c.n_cw5m, c.price_cw) END AS cache_write_cost,
       CASE WHEN c.costable THEN bucket_cost(c.n_cw1h, c.price_cw1h) END AS cache_write_1h_cost,
       CASE WHEN c.costable THEN bucket_cost(c.output_tokens, c.price_out) END AS output_cost,
       CASE WHEN c.costable THEN bucket_cost(c.reasoning_tokens, c.price_rs) END
         AS reasoning_cost,
       CASE WHEN c.costable THEN bucket_cost(c.n_ain, c.price_ain) END AS audio_input_cost,
       CASE WHEN c.costable THEN bucket_cost(c.n_aout, c.price_aout) END AS audio_output_cost,
       CASE WHEN c.costable THEN bucket_cost(c.n_iin, c.price_iin) END AS image_input_cost,
       CASE WHEN c.costable THEN bucket_cost(c.n_iout, c.price_iout) END AS image_output_cost,
       CASE WHEN c.costable THEN bucket_cost(c.n_vin, c.price_vin) END AS video_input_cost,
       CASE WHEN c.costable THEN bucket_cost(c.n_vout, c.price_vout) END AS video_output_cost,
       CASE WHEN c.costable THEN bucket_cost(c.n_req, c.price_req) END AS request_cost,
       CASE WHEN c.costable THEN bucket_cost(c.n_ws_billed, c.price_ws) END AS web_search_cost,
       c.total AS total_cost, c.reported_cost,
       c.total - c.reported_cost AS cost_minus_reported,
       CASE
         WHEN NOT c.costable THEN 'unpriced'
         WHEN c.input_tokens IS NULL OR c.cache_read_tokens IS NULL
              OR c.cache_write_tokens IS NULL OR c.output_tokens IS NULL
              OR c.reasoning_tokens IS NULL
              OR (c.input_tokens <> 0 AND c.price_in IS NULL)
              OR (c.n_crt <> 0 AND c.price_cr IS NULL)
              OR (c.n_cra <> 0 AND c.price_cra IS NULL)
              OR (c.n_cw5m <> 0 AND c.price_cw IS NULL)
              OR (c.n_cw1h <> 0 AND c.price_cw1h IS NULL)
              OR (c.output_tokens <> 0 AND c.price_out IS NULL)
              OR (c.reasoning_tokens <> 0 AND c.price_rs IS NULL)
              OR (c.n_ain <> 0 AND c.price_ain IS NULL)
              OR (c.n_aout <> 0 AND c.price_aout IS NULL)
              OR (c.n_iin <> 0 AND c.price_iin IS NULL)
              OR (c.n_iout <> 0 AND c.price_iout IS NULL)
              OR (c.n_vin <> 0 AND c.price_vin IS NULL)
              OR (c.n_vout <> 0 AND c.price_vout IS NULL) THEN 'unpriced'
         WHEN coalesce(c.price_in, 0) = 0 AND coalesce(c.price_cr, 0) = 0
              AND coalesce(c.price_cw, 0) = 0 AND coalesce(c.price_out, 0) = 0
              AND coalesce(c.price_rs, 0) = 0 AND coalesce(c.price_req, 0) = 0
              AND (c.n_ws_billed = 0 OR coalesce(c.price_ws, 0) = 0) THEN 'free'
         ELSE 'priced' END AS cost_status,
       CASE
         WHEN c.error IS NOT NULL THEN 'unsound record: ' || c.error
         WHEN c.base_path IS NULL THEN
           'unknown model: no rate card for ' || coalesce(c.provider, '(no provider)') || '/'
           || coalesce(c.key_model, '(no model)')
           || CASE WHEN c.creator IS NOT NULL AND c.creator IS NOT c.provider
                   THEN ' nor ' || c.creator || '/' || c.key_model ELSE '' END
         WHEN c.tier_mode = 'incremental' THEN
           'tier ' || c.tier || ' of ' || c.tier_path || ' is incremental: not costed'
         WHEN c.input_tokens > 0 AND c.price_in IS NULL THEN 'no input price in ' || c.base_path
         WHEN c.output_tokens > 0 AND c.price_out IS NULL THEN
           'no output price in ' || c.base_path
         WHEN c.reasoning_tokens > 0 AND c.price_rs IS NULL THEN
           'no reasoning or output price in ' || c.base_path
         WHEN (c.n_ain <> 0 AND c.price_ain IS NULL) OR (c.n_iin <> 0 AND c.price_iin IS NULL)
              OR (c.n_vin <> 0 AND c.price_vin IS NULL) THEN
           'no input price for the audio, image or video input in ' || c.base_path
         WHEN (c.n_aout <> 0 AND c.price_aout IS NULL) OR (c.n_iout <> 0 AND c.price_iout IS NULL)
              OR (c.n_vout <> 0 AND c.price_vout IS NULL) THEN
           'no output price for the audio, image or video output in ' || c.base_path
         ELSE nullif(rtrim(
           CASE WHEN c.rate_match_rule IS NOT NULL THEN
             'priced as ' || c.rate_provider || '/' || c.rate_model || ': the match rule of '
             || c.rule_path || ' covers ' || c.raw_model || '; '
           ELSE '' END
           || CASE WHEN c.cr_fallback OR c.cw_fallback THEN
             'cache ' || CASE WHEN c.cr_fallback AND c.cw_fallback THEN 'read and write'
                              WHEN c.cr_fallback THEN 'read' ELSE 'write' END
             || ' billed at the input price: no cache price in ' || c.base_path || '; '
           ELSE '' END
           || CASE WHEN c.cra_fallback THEN
                'cached audio billed at the ' || c.cra_price_name
                || ' price: none for cached audio in ' || c.base_path || '; ' ELSE '' END
           || CASE WHEN c.cw1h_fallback AND c.price_cw IS NOT NULL THEN
                '1-hour cache writes billed at the 5-minute price: none for 1 hour in '
                || c.base_path || '; ' ELSE '' END
           || CASE WHEN c.modality_fallback THEN
                'audio, image or video tokens billed at the text price: no price of their own in '
                || c.base_path || '; ' ELSE '' END
           || CASE WHEN c.n_ws > 0 AND c.price_ws IS NULL THEN
                c.n_ws || ' web searches not billed: no web search price in ' || c.base_path
                || '; ' ELSE '' END, '; '), '')
       END AS cost_note,
       c.cache_read_audio_tokens, c.price_cra AS cache_read_audio_cost_per_token,
       CASE WHEN c.costable THEN bucket_cost(c.n_cra, c.price_cra) END AS cache_read_audio_cost
FROM d c;
