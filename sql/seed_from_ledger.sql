-- Fill an app's rate_cards (sql/schema/providers.sql) and llm_models (sql/schema/llm_config.sql)
-- from the ledger, with a dry-run report.
--
-- RUN (the extension loaded: canonical_model suggests ids)
--   sqlite3 app.db
--   .load tokenledger
--   .read sql/ledger.sql                 -- or any table/view unified_model_provider_ledger
--   .read sql/seed_from_ledger.sql       -- dry run (the default): fills temp.seed_report only
--   SELECT * FROM seed_summary;          -- counts per target and action, and the coverage percentage
--   INSERT OR REPLACE INTO seed_settings VALUES ('dry_run', 0);
--   .read sql/seed_from_ledger.sql       -- real run: writes, then reports 'inserted' / 'updated'
-- Both schema files must be loaded (they are idempotent; an empty table is fine: an app without
-- llm_providers rows gets no llm_models rows in the report).
--
-- INPUT: a table or view unified_model_provider_ledger with at least the columns
--   provider, model                          the serving provider and model id, as the app names them
--   input_cost_per_token, output_cost_per_token, cache_read_cost_per_token,
--   cache_write_cost_per_token               USD per token (NULL: no price)
--   context_window, max_output_tokens, model_mapping_rule, model_mapping_confidence,
--   price_effective_from                     (as sql/ledger.sql names them)
-- The app's CATALOG is its own providers (by name) and model_profiles (provider, model) for
-- rate_cards, and its own llm_providers (by name) for llm_models. No provider is ever created.
--
-- seed_report (temp table), column `target` 'rate_cards' or 'llm_models'; `provider_id` is the id
-- in that target's provider table (providers.id or llm_providers.id).
-- target 'rate_cards': one row per ledger row and per catalog model without an exact row:
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
--   effective_from: the ledger's price_effective_from, or '1970-01-01' when it has none.
--   Prices per 1M are rounded to 10 decimals (per-token doubles times 1e6 carry binary noise).
-- target 'llm_models': one row per ledger row whose provider is an llm_providers name, and per
--   llm_models row of such a provider that the ledger lacks (ledger rows of other providers are
--   not llm_models candidates: each already has its 'rate_cards' row). Per (provider, model) the
--   ledger row with the latest effective_from (NULL counts as '1970-01-01') is the price.
--   action  'would insert' / 'inserted'     priced, no llm_models row yet: inserted with
--                                           display_name = model id, status ACTIVE, is_default 0
--           'would update' / 'updated'      llm_models has the model at another input or output
--                                           cost: both costs and updated_at are set; status,
--                                           is_default and display_name are never touched
--           'already present'               llm_models has the model at these costs (no write)
--           'skipped: zero price'           input and output both 0 (as for rate_cards)
--           'skipped: no price'             input or output NULL
--           'skipped: superseded'           a later ledger row prices the same model
--           'skipped: conflicting prices'   another ledger row of the same model and effective_from
--                                           has other prices: which one is right is not guessed
--           'skipped: duplicate'            another ledger row, same model, effective_from and
--                                           prices, carries the price (one row writes it)
--           'not in ledger'                 an llm_models row with no ledger row: reported, never
--                                           deleted nor deprecated; `suggestion` as for 'id mismatch'
--   input_1m / output_1m: the ledger price x 1e6 rounded to 9 decimals, exactly as sql/ledger.sql
--   computes its input_per_1m / output_per_1m (0.15 stays 0.15, not 0.15000000000000002);
--   current_input_1m / current_output_1m: llm_models' costs before this run (NULL when absent).
--   The default-per-provider rule (index llm_models_one_default) cannot be violated: the seed
--   never sets is_default. A real run run again writes nothing (all 'already present').
-- seed_summary (temp view): per target and action, count; plus ('rate_cards', 'coverage') = catalog
--   models with a seedable or present price / catalog models, in percent with two decimals.
-- rate_cards is insert-only, so the real run uses INSERT OR IGNORE there: re-running never changes
-- a row.

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
         coalesce(l.price_effective_from, '1970-01-01') AS effective_from,
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
         AS source,
       'rate_cards' AS target, NULL AS current_input_1m, NULL AS current_output_1m
  FROM ledger l
UNION ALL
SELECT c.provider, c.model, c.provider_id, NULL, NULL, NULL, NULL, NULL, 'id mismatch',
       (SELECT min(l.model) FROM unified_model_provider_ledger l
         WHERE l.provider = c.provider AND canonical_model(l.model) = canonical_model(c.model)),
       NULL, 'rate_cards', NULL, NULL
  FROM catalog c
 WHERE NOT EXISTS (SELECT 1 FROM unified_model_provider_ledger l
                    WHERE l.provider = c.provider AND l.model = c.model);

-- llm_models candidates: the ledger rows of the app's llm_providers, ranked per model so that
-- only the latest row can price it; then the llm_models rows the ledger lacks.
INSERT INTO temp.seed_report
WITH ledger AS (
  SELECT p.id AS provider_id, l.provider, l.model, l.model_mapping_rule, l.model_mapping_confidence,
         coalesce(l.price_effective_from, '1970-01-01') AS effective_from,
         round(l.input_cost_per_token * 1e6, 9) AS input_1m,
         round(l.output_cost_per_token * 1e6, 9) AS output_1m
    FROM unified_model_provider_ledger l JOIN main.llm_providers p ON p.name = l.provider
), ranked AS (
  SELECT l.*,
         max(l.effective_from) OVER (PARTITION BY l.provider_id, l.model) AS latest_from,
         row_number() OVER (PARTITION BY l.provider_id, l.model ORDER BY l.effective_from DESC) AS rn,
         EXISTS (SELECT 1 FROM ledger o WHERE o.provider_id = l.provider_id AND o.model = l.model
                    AND o.effective_from = l.effective_from
                    AND (o.input_1m IS NOT l.input_1m OR o.output_1m IS NOT l.output_1m)) AS conflict,
         m.cost_input_per_million AS current_input_1m, m.cost_output_per_million AS current_output_1m,
         m.id IS NOT NULL AS present
    FROM ledger l
    LEFT JOIN main.llm_models m ON m.provider_id = l.provider_id AND m.model_id = l.model
)
SELECT provider, model, provider_id, effective_from, input_1m, output_1m, NULL, NULL,
       CASE WHEN effective_from < latest_from THEN 'skipped: superseded'
            WHEN conflict THEN 'skipped: conflicting prices'
            WHEN rn > 1 THEN 'skipped: duplicate'
            WHEN input_1m IS NULL OR output_1m IS NULL THEN 'skipped: no price'
            WHEN input_1m = 0 AND output_1m = 0 THEN 'skipped: zero price'
            WHEN NOT present THEN 'would insert'
            WHEN current_input_1m = input_1m AND current_output_1m = output_1m THEN 'already present'
            ELSE 'would update' END,
       NULL,
       'ledger: ' || coalesce(model_mapping_rule, '?') || ' ' || coalesce(model_mapping_confidence, '?'),
       'llm_models', current_input_1m, current_output_1m
  FROM ranked
UNION ALL
SELECT p.name, m.model_id, p.id, NULL, NULL, NULL, NULL, NULL, 'not in ledger',
       (SELECT min(l.model) FROM unified_model_provider_ledger l
         WHERE l.provider = p.name AND canonical_model(l.model) = canonical_model(m.model_id)),
       NULL, 'llm_models', m.cost_input_per_million, m.cost_output_per_million
  FROM main.llm_models m JOIN main.llm_providers p ON p.id = m.provider_id
 WHERE NOT EXISTS (SELECT 1 FROM unified_model_provider_ledger l
                    WHERE l.provider = p.name AND l.model = m.model_id);

INSERT OR IGNORE INTO main.rate_cards (provider_id, model, input_cost_per_1m, output_cost_per_1m,
                                       cache_read_cost_per_1m, cache_write_cost_per_1m,
                                       effective_from, source)
SELECT provider_id, model, input_1m, output_1m, cache_read_1m, cache_write_1m, effective_from, source
  FROM temp.seed_report
 WHERE target = 'rate_cards' AND action = 'would insert'
   AND (SELECT value FROM seed_settings WHERE key = 'dry_run') = 0;

INSERT INTO main.llm_models (provider_id, model_id, display_name, cost_input_per_million,
                             cost_output_per_million)
SELECT provider_id, model, model, input_1m, output_1m
  FROM temp.seed_report
 WHERE target = 'llm_models' AND action = 'would insert'
   AND (SELECT value FROM seed_settings WHERE key = 'dry_run') = 0;

UPDATE main.llm_models
   SET cost_input_per_million = r.input_1m, cost_output_per_million = r.output_1m,
       updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
  FROM temp.seed_report r
 WHERE r.target = 'llm_models' AND r.action = 'would update'
   AND r.provider_id = llm_models.provider_id AND r.model = llm_models.model_id
   AND (SELECT value FROM seed_settings WHERE key = 'dry_run') = 0;

UPDATE temp.seed_report
   SET action = CASE action WHEN 'would insert' THEN 'inserted' ELSE 'updated' END
 WHERE action IN ('would insert', 'would update')
   AND (SELECT value FROM seed_settings WHERE key = 'dry_run') = 0;

DROP VIEW IF EXISTS temp.seed_summary;
CREATE TEMP VIEW seed_summary AS
SELECT target, action, count(*) AS n FROM temp.seed_report GROUP BY target, action
UNION ALL
SELECT 'rate_cards', 'coverage',
       printf('%.2f', 100.0 * (SELECT count(DISTINCT provider || char(0) || model) FROM temp.seed_report
                               WHERE target = 'rate_cards' AND action IN ('would insert', 'inserted', 'already present'))
                    / nullif((SELECT count(*) FROM (SELECT DISTINCT p.id, m.model FROM main.providers p
                                                      JOIN main.model_profiles m ON m.provider_id = p.id)), 0));
