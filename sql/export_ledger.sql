-- make ledger: write the ledger's artifacts into ledger/, deterministically
-- (every query ORDER BY a total key; no timestamps), so two runs give the
-- same bytes. Run by the sqlite3 CLI after `.load`, `.read sql/ledger.sql`
-- and the sources file:
--   sqlite3 :memory: -cmd ".load ./tokenledger" ".read sql/ledger.sql" \
--     ".read fixtures/ledger.sources.sql" ".read sql/export_ledger.sql"
-- Columns without a declared type (text, or mixed) are declared without one
-- in the schema: BLOB affinity, so plain SQLite stores every value as given.
-- Writes:
--   ledger/unified_model_provider_ledger.csv         header + one row per line
--   ledger/unified_model_provider_ledger.schema.sql  CREATE TABLE, plain SQLite
--   ledger/unified_model_provider_ledger.seed.sql    INSERTs (loads without the extension)
--   ledger/summary.json                              rows per source, mapping counts,
--                                                    coverage, largest price disagreements,
--                                                    price flags (price_checks rows per
--                                                    flag), the audit's counts (keys,
--                                                    spread_flag keys, keys with $0 or
--                                                    implausible rows)
-- summary.json's events.total_cost is exact: each event's total_cost (a
-- bucket_cost result, the double nearest its exact decimal cost) is read back
-- as that decimal (15 significant digits when they round-trip, else 17) and
-- summed with decimal_sum, the sqlite3 CLI's exact decimal aggregate (make
-- ledger runs in the CLI), not added up in floating point.
.bail on
DROP TABLE IF EXISTS temp.export_ledger;
CREATE TEMP TABLE export_ledger AS
  SELECT * FROM unified_model_provider_ledger ORDER BY provider, model, variant;

.headers on
.mode csv
.once ledger/unified_model_provider_ledger.csv
SELECT * FROM export_ledger ORDER BY provider, model, variant;

.headers off
.mode list
.once ledger/unified_model_provider_ledger.schema.sql
SELECT '-- unified_model_provider_ledger: see sql/ledger.sql for every column.' || char(10)
       || 'CREATE TABLE unified_model_provider_ledger(' || char(10)
       || group_concat('  "' || name || '"' || CASE WHEN type = '' THEN '' ELSE ' ' || type END,
                       ',' || char(10))
       || ',' || char(10) || '  PRIMARY KEY (provider, model)' || char(10) || ');'
FROM (SELECT name, type FROM pragma_table_info('export_ledger') ORDER BY cid);

.output ledger/unified_model_provider_ledger.seed.sql
SELECT 'BEGIN;';
.mode insert unified_model_provider_ledger
SELECT * FROM export_ledger ORDER BY provider, model, variant;
.mode list
SELECT 'COMMIT;';
.output

.once ledger/summary.json
WITH per_source AS (
  SELECT s.kind, s.path,
         CASE s.kind
           WHEN 'pricing' THEN (SELECT count(*) FROM model_prices m WHERE m.source_path = s.path)
           WHEN 'benchmarks' THEN (SELECT count(*) FROM benchmark_candidates b
                                   WHERE b.source_path = s.path)
           ELSE (SELECT count(*) FROM ledger_events e WHERE e.source_path = s.path) END AS rows,
         CASE s.kind
           WHEN 'pricing' THEN (SELECT count(*) FROM model_prices m WHERE m.source_path = s.path
                                 AND m.provider IS NOT NULL AND m.model_mapping_rule <> 'unmapped')
           WHEN 'benchmarks' THEN (SELECT count(*) FROM benchmark_candidates b
                                   WHERE b.source_path = s.path
                                     AND b.model_mapping_rule <> 'unmapped')
           ELSE (SELECT count(*) FROM ledger_events e WHERE e.source_path = s.path
                 AND e.model IS NOT NULL AND e.model_mapping_rule <> 'unmapped') END AS mapped
  FROM ledger_sources s),
disagree AS (
  SELECT c.provider, c.model, min(c.input_cost_per_token) AS lo, max(c.input_cost_per_token) AS hi,
         count(DISTINCT c.source_path) AS sources
  FROM rate_card_candidates c
  WHERE c.tier_start_tokens = 0 AND c.variant IS NULL AND c.input_cost_per_token > 0
  GROUP BY c.provider, c.model HAVING count(DISTINCT c.source_path) > 1 AND hi > lo)
SELECT json_object(
  'sources', (SELECT json_group_array(json_object('kind', kind, 'path', path, 'rows', rows,
                                                  'mapped', mapped, 'unmapped', rows - mapped))
              FROM (SELECT * FROM per_source ORDER BY kind, path)),
  'ledger_rows', (SELECT count(*) FROM export_ledger),
  'price_flags', (SELECT json_group_object(flag, n)
                  FROM (SELECT coalesce(price_flag, 'none') AS flag, count(*) AS n
                        FROM price_checks GROUP BY 1 ORDER BY 1)),
  'audit', (SELECT json_object('keys', count(*), 'spread_flagged', coalesce(sum(spread_flag), 0),
                               'keys_with_zero_price_rows', coalesce(sum(zero_rows > 0), 0),
                               'keys_with_implausible_rows', coalesce(sum(implausible_rows > 0), 0))
            FROM ledger_audit),
  'coverage', (SELECT json_group_array(json_object('provider', provider, 'models', models,
                                                   'priced', priced, 'unpriced', unpriced,
                                                   'priced_pct', priced_pct))
               FROM (SELECT * FROM pricing_coverage ORDER BY provider = '(all)', provider)),
  'largest_input_price_disagreements',
    (SELECT json_group_array(json_object('provider', provider, 'model', model, 'sources', sources,
                                         'min_input_per_1m', round(lo * 1000000, 9),
                                         'max_input_per_1m', round(hi * 1000000, 9),
                                         'ratio', round(hi / lo, 4)))
     FROM (SELECT * FROM disagree ORDER BY hi / lo DESC, provider, model LIMIT 20)),
  'events', (SELECT json_object('lines', count(*),
                                'priced', sum(cost_status = 'priced'),
                                'free', sum(cost_status = 'free'),
                                'unpriced', sum(cost_status = 'unpriced'),
                                'total_cost', json(coalesce(decimal_sum(
                                  CASE WHEN CAST(printf('%.15g', total_cost) AS REAL) = total_cost
                                       THEN printf('%.15g', total_cost)
                                       ELSE printf('%!.17g', total_cost) END), '0')))
             FROM event_costs));
