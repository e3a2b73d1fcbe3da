-- Fill an app's rate_cards (sql/schema/providers.sql) from the ledger, with a dry-run report.
--
-- RUN (the extension loaded: canonical_model suggests ids)
--   sqlite3 app.db
--   .load tokenledger
--   .read sql/ledger.sql                 -- or any table/view unified_model_provider_ledger
--   .read sql/seed_from_ledger.sql       -- dry run (the default): fills temp.seed_report only
--   SELECT * FROM seed_summary;          -- counts per action and the coverage percentage
--   INSERT OR REPLACE INTO seed_settings VALUES ('dry_run', 0);
--   .read sql/seed_from_ledger.sql       -- real run: inserts, then reports them as 'inserted'
--
-- INPUT: a table or view unified_model_provider_ledger with at least the columns
--   provider, model                          the serving provider and model id, as the app names them
--   input_cost_per_token, output_cost_per_token, cache_read_cost_per_token,
--   cache_write_cost_per_token               USD per token (NULL: no price)
--   context_window, max_output_tokens, model_mapping_rule, model_mapping_confidence, effective_from
-- The app's CATALOG is its own providers (by name) and model_profiles (provider, model).
--
-- seed_report (temp table), one row per ledger row and per catalog model without an exact row:
--   action  'would insert' / 'inserted'     catalog model, priced, not yet in rate_cards
--           'already present'               rate_cards has (provider, model, effective_from)
--           'skipped: zero price'           input and output price both 0: not seeded (a price of
--                                           0 from a list is more often a gap than a free model;
--                                           enter free models by hand)
--           'skipped: no price'             the ledger row has NULL input or output price
--           'skipped: not in catalog'       the provider or the model is not in the app's catalog
--           'id mismatch'                   a catalog model with no ledger row under its exact id;
--                                           `suggestion` is the ledger's model whose canonical_model
--                                           equals the catalog id's (NULL when none does)
--   effective_from: the ledger's, or '1970-01-01' when it has none (price known, start unknown).
--   Prices per 1M are rounded to 10 decimals (per-token doubles times 1e6 carry binary noise).
-- seed_summary (temp view): per action, count; plus 'coverage' = catalog models with a seedable or
--   present price / catalog models, in percent with two decimals.
-- The real run uses INSERT OR IGNORE: rate_cards is insert-only, so re-running never changes a row.

CREATE TEMP TABLE IF NOT EXISTS seed_settings (key TEXT PRIMARY KEY, value);
INSERT OR IGNORE INTO seed_settings VALUES ('dry_run', 1);

DROP TABLE IF EXISTS temp.seed_report;
CREATE TEMP TABLE seed_report AS
WITH catalog AS (
  SELECT p.id AS provider_id, p.name AS provider, m.model
    FROM main.providers p JOIN main.model_profiles m ON m.provider_id = p.id
   GROUP BY p.id, m.model
), ledger AS (
  SELECT l.provider, l.model, l.model_mapping_rule, l.model_mapping_confidence,
         coalesce(l.effective_from, '1970-01-01') AS effective_from,
         round(l.input_cost_per_token * 1e6, 10) AS input_1m,
         round(l.output_cost_per_token * 1e6, 10) AS output_1m,
         round(l.cache_read_cost_per_token * 1e6, 10) AS cache_read_1m,
         round(l.cache_write_cost_per_token * 1e6, 10) AS cache_write_1m,
         c.provider_id
    FROM unified_model_provider_ledger l
    LEFT JOIN catalog c ON c.provider = l.provider AND c.model = l.model
)
SELECT l.provider, l.model, l.provider_id, l.effective_from, l.input_1m, l.output_1m,
       l.cache_read_1m, l.cache_write_1m,
       CASE WHEN l.provider_id IS NULL THEN 'skipped: not in catalog'
            WHEN l.input_1m IS NULL OR l.output_1m IS NULL THEN 'skipped: no price'
            WHEN l.input_1m = 0 AND l.output_1m = 0 THEN 'skipped: zero price'
            WHEN EXISTS (SELECT 1 FROM main.rate_cards r WHERE r.provider_id = l.provider_id
                            AND r.model = l.model AND r.effective_from = l.effective_from)
              THEN 'already present'
            ELSE 'would insert' END AS action,
       NULL AS suggestion,
       'ledger: ' || coalesce(l.model_mapping_rule, '?') || ' ' || coalesce(l.model_mapping_confidence, '?')
         AS source
  FROM ledger l
UNION ALL
SELECT c.provider, c.model, c.provider_id, NULL, NULL, NULL, NULL, NULL, 'id mismatch',
       (SELECT min(l.model) FROM unified_model_provider_ledger l
         WHERE l.provider = c.provider AND canonical_model(l.model) = canonical_model(c.model)),
       NULL
  FROM catalog c
 WHERE NOT EXISTS (SELECT 1 FROM unified_model_provider_ledger l
                    WHERE l.provider = c.provider AND l.model = c.model);

INSERT OR IGNORE INTO main.rate_cards (provider_id, model, input_cost_per_1m, output_cost_per_1m,
                                       cache_read_cost_per_1m, cache_write_cost_per_1m,
                                       effective_from, source)
SELECT provider_id, model, input_1m, output_1m, cache_read_1m, cache_write_1m, effective_from, source
  FROM temp.seed_report
 WHERE action = 'would insert' AND (SELECT value FROM seed_settings WHERE key = 'dry_run') = 0;

UPDATE temp.seed_report SET action = 'inserted'
 WHERE action = 'would insert' AND (SELECT value FROM seed_settings WHERE key = 'dry_run') = 0;

DROP VIEW IF EXISTS temp.seed_summary;
CREATE TEMP VIEW seed_summary AS
SELECT action, count(*) AS n FROM temp.seed_report GROUP BY action
UNION ALL
SELECT 'coverage',
       printf('%.2f', 100.0 * (SELECT count(DISTINCT provider || char(0) || model) FROM temp.seed_report
                               WHERE action IN ('would insert', 'inserted', 'already present'))
                    / nullif((SELECT count(*) FROM (SELECT DISTINCT p.id, m.model FROM main.providers p
                                                      JOIN main.model_profiles m ON m.provider_id = p.id)), 0));
