-- export_warehouse: the part of the warehouse export only the extension can
-- compute, written by tools/export_warehouse.py (make export; docs/warehouse.md).
-- Run in the sqlite3 CLI with the extension loaded, a scratch database as
-- main and the built ledger (tokenledger_build) attached as `ledger`, with
-- temp.wh_breaks(d) holding '0001-01-01' and the first day of every month
-- from 2015-01 to 2031-01. Writes into main:
--
--   wh_alias_map    one row per (raw_provider, raw_model, service_tier,
--                   range of event dates) for every raw name of the price
--                   lists (model_prices) and of the logs (event_costs), and
--                   every service tier the logs carry plus batch, flex and
--                   priority: the canonical names of ledger_events
--                   (resolve_model as of the event's date, variant_key with
--                   the tier), the name the cards are looked up under
--                   (key_model: an undated name's own cards), and the card
--                   chain that does not depend on the time of day (the
--                   provider's card of the variant, else its base card,
--                   else the creator's, else the card of a price list's name
--                   rule: rate_via says which) plus the name rule's offering
--                   (a window card of it may apply at some times of day).
--                   '' stands for NULL in the key columns, so that a
--                   warehouse joins them with = (hash joins).
--   wh_window_cards the daily-window cards: the offering they are a time of
--                   day of (base_variant), the window [start, end) in UTC,
--                   and active_from: the first instant at which the window
--                   card may apply (a window card newer than the card
--                   without a window in force does not reprice older calls;
--                   tests/reference/event_costs_reference.sql, win).
--
-- The rules mirror tests/reference/event_costs_reference.sql (ev00, w1, win,
-- ev): a change there is made here too, and tests/warehouse says whether the
-- warehouse still agrees with event_costs.
DROP TABLE IF EXISTS main.wh_keys;
CREATE TABLE main.wh_keys AS
SELECT provider, model, variant,
       min(CASE WHEN tier_start_tokens > 0 AND tier_comparison IS NOT NULL
                THEN tier_start_tokens END) AS min_tier,
       CASE WHEN window_start IS NOT NULL THEN
         nullif(trim(replace(';' || variant || ';',
                             ';window=' || window_start || '-' || window_end || ';', ';'),
                     ';'), '') END AS windowless_variant,
       window_start, window_end, min(effective_from) AS first_from
FROM ledger.rate_timeline GROUP BY provider, model, variant;
CREATE INDEX main.wh_keys_1 ON wh_keys(provider, model, variant);

-- the name rules whose card exists (the reference's rules)
DROP TABLE IF EXISTS main.wh_rules;
CREATE TABLE main.wh_rules AS
SELECT * FROM (
  SELECT r.provider,
         CASE WHEN EXISTS (SELECT 1 FROM wh_keys k WHERE k.provider = r.provider
                             AND k.model = r.own_model AND k.variant IS r.variant)
              THEN r.own_model ELSE r.model END AS model,
         r.variant, r.rule, r.source_path, r.source_row
  FROM ledger.rate_match_rules r) x
WHERE EXISTS (SELECT 1 FROM wh_keys k WHERE k.provider = x.provider AND k.model = x.model
                AND k.variant IS x.variant);

-- every raw name, and how resolve_model maps it without a date and at both ends
DROP TABLE IF EXISTS main.wh_names;
CREATE TABLE main.wh_names AS
SELECT raw_provider, raw_model FROM ledger.model_prices WHERE raw_model IS NOT NULL
UNION SELECT raw_provider, raw_model FROM ledger.event_costs;

DROP TABLE IF EXISTS main.wh_resolved;
CREATE TABLE main.wh_resolved(raw_provider, raw_model, ts_rule, ts_from, ts_to, provider,
                              creator, model, name_variant, model_rule, model_confidence);
-- A name's answer depends on the event's date when it is a floating alias
-- (mistral-large-latest) or an ambiguous undated name (mistral-large: the
-- newest snapshot out by then); both answer with rule 'undated', and a
-- floating alias used before its first snapshot answers otherwise. Those
-- names (candidates) are resolved at '0001-01-01' and on the first of every
-- month from 2015 to 2031 (temp.wh_breaks), then on every day of a month in
-- which the answer changed, so each range starts on the exact day.
CREATE TEMP TABLE wh_sig AS
SELECT n.raw_provider, n.raw_model,
       (SELECT json_array(r.provider, r.creator, r.model, r.variant, r.model_rule,
                          r.model_confidence)
        FROM resolve_model(n.raw_model, n.raw_provider, NULL, NULL) r) AS undated,
       (SELECT json_array(r.provider, r.creator, r.model, r.variant, r.model_rule,
                          r.model_confidence)
        FROM resolve_model(n.raw_model, n.raw_provider, NULL, '0001-01-01') r) AS early,
       (SELECT json_array(r.provider, r.creator, r.model, r.variant, r.model_rule,
                          r.model_confidence)
        FROM resolve_model(n.raw_model, n.raw_provider, NULL, '9999-12-31') r) AS late
FROM wh_names n;
CREATE TEMP TABLE wh_cand AS
SELECT raw_provider, raw_model FROM wh_sig
WHERE undated ->> 4 = 'undated' OR undated IS NOT early OR undated IS NOT late;
CREATE TEMP TABLE wh_probe AS
SELECT c.raw_provider, c.raw_model, b.d,
       (SELECT json_array(r.provider, r.creator, r.model, r.variant, r.model_rule,
                          r.model_confidence)
        FROM resolve_model(c.raw_model, c.raw_provider, NULL, b.d) r) AS a
FROM wh_cand c, temp.wh_breaks b;
INSERT INTO wh_probe
WITH RECURSIVE ch AS (
  SELECT raw_provider, raw_model, d, prev_d FROM (
    SELECT *, lag(a) OVER w AS prev_a, lag(d) OVER w AS prev_d FROM wh_probe
    WINDOW w AS (PARTITION BY raw_provider, raw_model ORDER BY d))
  WHERE prev_d IS NOT NULL AND prev_a IS NOT a),
days(raw_provider, raw_model, day, last) AS (
  SELECT raw_provider, raw_model,
         date(CASE WHEN prev_d = '0001-01-01' THEN date(d, '-1 year') ELSE prev_d END, '+1 day'),
         d FROM ch
  UNION ALL
  SELECT raw_provider, raw_model, date(day, '+1 day'), last FROM days
  WHERE date(day, '+1 day') < last)
SELECT raw_provider, raw_model, day,
       (SELECT json_array(r.provider, r.creator, r.model, r.variant, r.model_rule,
                          r.model_confidence)
        FROM resolve_model(days.raw_model, days.raw_provider, NULL, days.day) r)
FROM days WHERE day < last;
INSERT INTO wh_resolved
SELECT s.raw_provider, s.raw_model,
       CASE WHEN c.raw_model IS NULL THEN 'any' ELSE 'undated' END, NULL, NULL,
       undated ->> 0, undated ->> 1, undated ->> 2, undated ->> 3, undated ->> 4, undated ->> 5
FROM wh_sig s LEFT JOIN wh_cand c ON c.raw_provider IS s.raw_provider
                                 AND c.raw_model IS s.raw_model;
-- the candidates' answers, merged into ranges [ts_from, ts_to) of event
-- dates ('' and NULL: open)
INSERT INTO wh_resolved
SELECT raw_provider, raw_model, 'dated', CASE WHEN d = '0001-01-01' THEN '' ELSE d END,
       lead(d) OVER (PARTITION BY raw_provider, raw_model ORDER BY d),
       a ->> 0, a ->> 1, a ->> 2, a ->> 3, a ->> 4, a ->> 5
FROM (SELECT *, lag(a) OVER (PARTITION BY raw_provider, raw_model ORDER BY d) AS prev,
             row_number() OVER (PARTITION BY raw_provider, raw_model ORDER BY d) AS i
      FROM wh_probe)
WHERE i = 1 OR prev IS NOT a;

DROP TABLE IF EXISTS main.wh_alias_map;
CREATE TABLE main.wh_alias_map AS
WITH tiers(service_tier) AS (
  SELECT NULL UNION SELECT 'batch' UNION SELECT 'flex' UNION SELECT 'priority'
  UNION SELECT service_tier FROM ledger.event_costs WHERE service_tier IS NOT NULL),
e0 AS (
  SELECT r.*, t.service_tier, variant_key(r.name_variant, t.service_tier) AS variant,
         CASE WHEN r.model_rule = 'undated' AND EXISTS (
                SELECT 1 FROM wh_keys k
                WHERE k.provider IN (r.provider, r.creator)
                  AND k.model = lower(substr(r.raw_model, length(rtrim(r.raw_model,
                                             replace(r.raw_model, '/', ''))) + 1)))
              THEN lower(substr(r.raw_model,
                                length(rtrim(r.raw_model, replace(r.raw_model, '/', ''))) + 1))
              ELSE r.model END AS key_model
  FROM wh_resolved r, tiers t),
e1 AS (
  SELECT e0.*,
         CASE WHEN NOT EXISTS (SELECT 1 FROM wh_keys k
                               WHERE k.provider IN (e0.provider, e0.creator)
                                 AND k.model = e0.key_model AND k.variant IS NULL) THEN
         coalesce(
           (SELECT json_object('provider', r.provider, 'model', r.model,
                               'variant', r.variant, 'rule', r.rule)
            FROM wh_rules r
            WHERE r.provider = e0.provider AND genai_match(r.rule, e0.raw_model)
            ORDER BY r.source_path, r.source_row LIMIT 1),
           (SELECT json_object('provider', r.provider, 'model', r.model,
                               'variant', r.variant, 'rule', r.rule)
            FROM wh_rules r
            WHERE r.provider = e0.creator AND genai_match(r.rule, e0.raw_model)
            ORDER BY r.source_path, r.source_row LIMIT 1)) END AS rule_pick
  FROM e0)
SELECT coalesce(e.raw_provider, '') AS raw_provider, coalesce(e.raw_model, '') AS raw_model,
       coalesce(e.service_tier, '') AS service_tier, e.ts_rule, e.ts_from, e.ts_to,
       e.provider, e.creator, e.model, e.variant, e.model_rule, e.model_confidence,
       coalesce(e.provider, '') AS own_provider, coalesce(e.key_model, '') AS key_model,
       coalesce(e.variant, '') AS own_variant,
       EXISTS (SELECT 1 FROM wh_keys w WHERE w.provider = e.provider AND w.model = e.key_model
                 AND w.window_start IS NOT NULL) AS own_window,
       CASE WHEN kv.provider IS NOT NULL THEN 'variant' WHEN kp.provider IS NOT NULL THEN 'provider'
            WHEN kc.provider IS NOT NULL THEN 'creator'
            WHEN e.rule_pick IS NOT NULL THEN 'rule' END AS rate_via,
       coalesce(kv.provider, kp.provider, kc.provider, e.rule_pick ->> '$.provider', '')
         AS rate_provider,
       CASE WHEN coalesce(kv.provider, kp.provider, kc.provider) IS NOT NULL THEN e.key_model
            ELSE coalesce(e.rule_pick ->> '$.model', '') END AS rate_model,
       CASE WHEN kv.provider IS NOT NULL THEN kv.variant
            WHEN coalesce(kp.provider, kc.provider) IS NOT NULL THEN ''
            ELSE coalesce(e.rule_pick ->> '$.variant', '') END AS rate_variant,
       CASE WHEN coalesce(kv.provider, kp.provider, kc.provider) IS NULL
            THEN e.rule_pick ->> '$.rule' END AS rate_match_rule,
       CASE WHEN coalesce(kv.provider, kp.provider, kc.provider) IS NULL
             AND e.rule_pick IS NOT NULL
            THEN EXISTS (SELECT 1 FROM wh_keys w WHERE w.provider = e.rule_pick ->> '$.provider'
                           AND w.model = e.rule_pick ->> '$.model'
                           AND w.window_start IS NOT NULL) ELSE 0 END AS rule_window
FROM e1 e
LEFT JOIN wh_keys kv ON e.variant IS NOT NULL AND kv.provider = e.provider
                    AND kv.model = e.key_model AND kv.variant = e.variant
LEFT JOIN wh_keys kp ON kv.provider IS NULL AND kp.provider = e.provider
                    AND kp.model = e.key_model AND kp.variant IS NULL
LEFT JOIN wh_keys kc ON kv.provider IS NULL AND kp.provider IS NULL AND kc.provider = e.creator
                    AND kc.model = e.key_model AND kc.variant IS NULL;

-- the window cards, with the instant from which each may apply: always ('')
-- when no card without a window of its offering is older than it; else the
-- first such card's date at or after the window card's own first date (none:
-- the window card never applies, and is left out)
DROP TABLE IF EXISTS main.wh_window_cards;
CREATE TABLE main.wh_window_cards AS
SELECT * FROM (
  SELECT k.provider, k.model, coalesce(k.windowless_variant, '') AS base_variant,
         k.variant AS window_variant, k.window_start, k.window_end, k.first_from,
         CASE WHEN b.min_from IS NULL OR b.min_from >= k.first_from THEN ''
              ELSE (SELECT min(c.effective_from) FROM ledger.rate_timeline c
                    WHERE c.provider = k.provider AND c.model = k.model
                      AND c.variant IS k.windowless_variant AND c.tier_start_tokens = 0
                      AND c.effective_from >= k.first_from) END AS active_from
  FROM wh_keys k
  LEFT JOIN (SELECT provider, model, variant, min(effective_from) AS min_from
             FROM ledger.rate_timeline WHERE tier_start_tokens = 0
             GROUP BY provider, model, variant) b
    ON b.provider = k.provider AND b.model = k.model AND b.variant IS k.windowless_variant
  WHERE k.window_start IS NOT NULL)
WHERE active_from IS NOT NULL;
