-- The unified model/provider ledger, as SQL views over the files you name.
--
-- TWO WAYS TO USE IT. This file is compiled into the extension:
--   SELECT tokenledger_build();   writes every view marked `-- @build` below
--                                 into the database as a table (or, marked
--                                 `-- @build view`, a view of plain SQL over
--                                 the tables), so any host reads the ledger
--                                 without the extension: the first way
--                                 (ext/func_build.c says what it writes)
--   SELECT tokenledger_views();   makes the TEMP views here, live over the
--                                 files: the second way, the same as
--   .read sql/ledger.sql          from a checkout
-- A `-- @build NAME (COLUMNS)...` line above a view names the table the build
-- writes from it and the columns of each index (sql/gen_sql.py reads them).
-- `-- @build temp NAME` makes it a TEMP table that later stages read, which
-- the build drops when it ends; `-- @build view NAME` a view kept in the
-- database (plain SQL, its CTEs without MATERIALIZED hints). Right below the
-- mark, `-- @build-from VIEW` writes the table from VIEW's SELECT instead,
-- and `-- @build-then` with `--   SQL` lines runs that SQL after the stage
-- (model_prices is written from model_price_rows; model_price_own_keys then
-- renames its refuted rows in place). A CTE whose body starts with `-- @build-as`
-- and `--   SQL` lines has that SQL as its body in the build: the same rows,
-- with the windows sorting narrow rows whose other columns are joined back
-- by rowid, which tables allow and these views do not (a view has no rowid;
-- ARCHITECTURE.md, "The ledger in the database", says why it matters).
-- A CTE whose body starts with `-- @build-inline` is NOT MATERIALIZED in the
-- build: read several times, it computes a view once here, where the build
-- reads a table that SQLite would otherwise copy (above `-- @build-as`: the
-- build form is not materialized).
-- A CTE whose body starts with `-- @build-rank TABLE NAME` (above its
-- `-- @build-as` lines) has its window NAME ranked in C in the build: SQLite
-- reads the rowids, partition values and order terms of the window's own
-- PARTITION BY and ORDER BY (sql/gen_sql.py reads them here: the order is
-- written once), ext/build_rank.c sorts them in that order and writes TEMP
-- TABLE(rid, place, size, first_rid, second_rid, next_rid), which the
-- CTE's @build-as form joins: row_number, count, first_value, nth_value(x,
-- 2) and lead, without the window's copies of every value and its buffer
-- reset per partition, and without SQLite's sort, which decodes its records
-- again for every comparison.
-- Each TEMP object is dropped just before it is made, so the file can be
-- read again in the same connection.
--
--   sqlite3 ledger.db
--   .load ./tokenledger
--   .read sql/ledger.sql
--   INSERT INTO ledger_sources(kind, path, format, snapshot_date, priority) VALUES
--     ('pricing',    'fixtures/pricing.example.json',           NULL, NULL,         100),
--     ('pricing',    '../shared/data/litellm/model_prices_and_context_window.2026-08-01.json',
--                                                                'litellm', '2026-08-01', 0),
--     ('benchmarks', 'fixtures/models_normalized.csv',          NULL, '2025-10-01', 0),
--     ('events',     'fixtures/events.jsonl',                   NULL, NULL,         0);
--   SELECT * FROM unified_model_provider_ledger;
--   SELECT * FROM event_costs;
--
-- SOURCES. Five tables in the main schema, created if missing, so the list
-- of sources lives in your database and survives this script being re-read:
--
--   ledger_sources(kind, path, format, snapshot_date, priority)
--     kind           'pricing' (read with pricing(path, format)),
--                    'benchmarks' (benchmarks(path, format)) or
--                    'events' (usage_events(path))
--     path           the file; a relative path is read from the directory
--                    of the database file (tokenledger_path(path) says
--                    which file), so the database finds its sources
--                    wherever it is opened; an in-memory database reads it
--                    from the current directory
--     format         NULL: detected; else a format name of that function
--     snapshot_date  YYYY-MM-DD: the date the file's data describes. A price
--                    row without its own effective_from takes effect on
--                    this date; a benchmark row without as_of is dated so.
--     priority       higher wins where two sources give the same key
--                    (default 0). Manual price lists in our own format
--                    (format tokenledger) win over every other format
--                    whatever their priority: they are the overrides.
--   ledger_settings(key, value)
--     blend_input_weight, blend_output_weight   3 and 1: the blended price
--     quality_floor                             50: for the routing views
--     price_ceiling_per_1m                      5.0 (USD per 1M, blended)
--     price_max_per_1m                          1000: a price above it (USD
--                                               per 1M, any bucket) is
--                                               flagged implausible
--     price_max_median_ratio                    100: a blended price above
--                                               100 x the median of the
--                                               model's other sources is
--                                               flagged implausible
--     zero_price_routable                       0: $0 rows of kind 'free'
--                                               stay off the frontier and
--                                               routes (1 lets them on;
--                                               'plan' and 'local' never)
--     audit_spread_ratio                        2: ledger_audit flags a key
--                                               whose prices differ more
--   ledger_source_authority(source_format, provider, reference)
--     which source is a provider's own price list (see below)
--   ledger_zero_price_rules(kind, provider_like, model_like, note_like, reason)
--     what a $0 row is: 'local', 'plan' or 'free' (see below)
--   ledger_tier_rules(source_format, note_like, counts, comparison, mode,
--                     reference)
--     How a tier row (tier_start_tokens > 0) applies, per source format
--     (and, where one format has two kinds of tiers, per note pattern: the
--     longest note_like matching the row's note wins):
--       counts      which tokens are compared with the threshold: 'prompt'
--                   (input + cache read + cache write), 'input' (uncached
--                   input only) or 'total' (prompt + output + reasoning)
--       comparison  '>' or '>='
--       mode        'cliff': every token of the request at the tier's
--                   price (LiteLLM, genai-prices, models.dev, OpenRouter);
--                   'incremental': only tokens past the threshold (no
--                   source here uses it; event_costs then gives NULL with
--                   the reason rather than guess how buckets split)
--
-- The views are TEMP: pricing, benchmarks and usage_events read files and
-- are DIRECTONLY, which SQLite allows in TEMP views only (a view stored in
-- a database file could make whoever opens it read files). Re-run
-- `.read sql/ledger.sql` (or tokenledger_views()) in each new connection;
-- the five tables persist. tokenledger_init() makes the five tables alone.
-- The TEMP views shadow the tables tokenledger_build wrote (an unqualified
-- name finds temp first): main.X is the built ledger, temp.X the live one.
--
-- VIEWS (each documented where it is defined below):
--   model_price_rows            every pricing row, with canonical names, before
--                               the refuted guesses
--   model_prices                every pricing row, with canonical names
--   model_price_own_keys        the undated names model_prices keeps apart
--   price_check_rows            price_checks without the median's checks
--   price_check_values          price_checks computed (built: what the checks
--                               add, by model_prices rowid)
--   price_checks                every row that could be a rate card, with
--                               its price_flag (implausible, plan, local, free)
--   model_price_medians         per model, the cross-source median price
--   rate_card_candidate_values  rate_card_candidates computed (built: what
--                               the ranking adds, by price_check_values rowid)
--   rate_card_candidates        every row that could be a rate card, ranked,
--                               with rank_reason
--   rate_card_losers            the candidates that lost, beside the winner
--   rate_cards                  one row per provider, model, variant, tier,
--                               effective_from
--   rate_timeline               rate_cards with valid_from / valid_to: the
--                               rate_at(provider, model, ts) join
--   rate_timeline_live          the same, always computed from the files
--   rate_match_rules            the price lists' own name rules (genai-prices'
--                               match), event_costs' last resort
--   ledger_rate_snapshot        TEMP table: rate_timeline_live stored and
--                               indexed by `INSERT INTO ledger_refresh
--                               DEFAULT VALUES` (optional; emptied whenever
--                               a ledger table changes)
--   benchmark_candidates        every benchmark figure, ranked (losers too)
--   benchmark_priors            per canonical model, the winning figures
--   ledger_row_values           ledger_rows without best_offering and
--                               model_offerings
--   ledger_rows                 unified ledger without pareto_rank
--   ledger_model_pareto_ranks   pareto_rank of each model's best offering
--   ledger_offering_pareto_ranks   pareto_rank of each routable offering
--   unified_model_provider_ledger   one row per (provider, canonical model);
--                               pareto_rank on each model's best offering
--   unified_model_provider_frontier_offerings   the same rows, pareto_rank
--                               on every routable offering
--   ledger_audit_rows           per source file and raw name, its current
--                               tier-0 row: what ledger_audit groups
--   ledger_audit                per (provider, model) key, the raw names and
--                               prices that fell into it
--   pricing_coverage            models with and without a price
--   ledger_events               usage events with canonical names
--   event_costs                 every usage event costed
--   route_cheapest, route_best_quality, route_fastest   routing queries

CREATE TABLE IF NOT EXISTS ledger_sources(
  kind TEXT NOT NULL CHECK (kind IN ('pricing', 'benchmarks', 'events')),
  path TEXT NOT NULL,
  format TEXT,
  snapshot_date TEXT CHECK (snapshot_date IS NULL OR (snapshot_date GLOB
    '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]' AND date(snapshot_date) IS snapshot_date)),
  priority INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS ledger_settings(key TEXT PRIMARY KEY, value NOT NULL);
INSERT OR IGNORE INTO ledger_settings(key, value) VALUES
  ('blend_input_weight', 3), ('blend_output_weight', 1),
  ('quality_floor', 50), ('price_ceiling_per_1m', 5.0),
  ('price_max_per_1m', 1000), ('price_max_median_ratio', 100),
  ('zero_price_routable', 0), ('audit_spread_ratio', 2);

-- Which source is a provider's OWN price list: its rows for that provider
-- win over the same provider's rows copied into other sources, and from
-- the date it prices a model on, those copies are never billed (see
-- rate_card_candidates and rate_cards). Only OpenRouter publishes its own
-- list among the formats read here (GET /api/v1/models: the prices it
-- bills). LiteLLM, models.dev and genai-prices are aggregators: each
-- provider's section is a copy, made by hand or by script at some date, of
-- that provider's pricing page (their openrouter sections copy OpenRouter's
-- list; models.dev's and genai-prices' snapshots are often later than the
-- OpenRouter file, which without this table made the copy the price in
-- force). Our own format (tokenledger) needs no row: overrides rank first.
CREATE TABLE IF NOT EXISTS ledger_source_authority(
  source_format TEXT NOT NULL,
  provider TEXT NOT NULL,
  reference TEXT,
  PRIMARY KEY (source_format, provider)
);
INSERT OR IGNORE INTO ledger_source_authority VALUES
  ('openrouter', 'openrouter', 'OpenRouter /api/v1/models: the prices OpenRouter bills');

-- What a $0 row is (every price it gives is 0): kind 'local' (the model
-- runs on your machine), 'plan' (a subscription or prepaid plan: the price
-- per token is not 0, it is not known) or 'free' (a free tier, a promotion,
-- or something not billed per token). The first row matching the row's
-- canonical provider (provider_like), raw model name (model_like) and
-- note || ' ' || mode (note_like) decides, in the order local, plan, free,
-- then fewer '%'-only patterns first, then the patterns' text. The seeds
-- come from what the real files hold: LiteLLM's ollama/* and lemonade/*
-- and models.dev's lmstudio and atomic-chat (GGUF and MLX builds) at $0;
-- models.dev's *-coding-plan, *-token-plan, kimi-for-coding and gitlab (Duo)
-- providers at $0; OpenRouter's ':free' ids, '-free' names elsewhere, and
-- GitHub Models' free prototyping tier; the last row catches every other $0.
CREATE TABLE IF NOT EXISTS ledger_zero_price_rules(
  kind TEXT NOT NULL CHECK (kind IN ('local', 'plan', 'free')),
  provider_like TEXT NOT NULL DEFAULT '%',
  model_like TEXT NOT NULL DEFAULT '%',
  note_like TEXT NOT NULL DEFAULT '%',
  reason TEXT NOT NULL,
  PRIMARY KEY (kind, provider_like, model_like, note_like)
);
INSERT OR IGNORE INTO ledger_zero_price_rules VALUES
  ('local', 'ollama', '%', '%', 'local: Ollama runs the model on your machine'),
  ('local', 'lmstudio', '%', '%', 'local: LM Studio runs the model on your machine'),
  ('local', 'lemonade', '%', '%', 'local: Lemonade is a local inference server'),
  ('local', 'atomic-chat', '%', '%', 'local: Atomic Chat runs local weights'),
  ('local', 'local', '%', '%', 'local: provider local'),
  ('local', '%', '%gguf%', '%', 'local: a GGUF build, run on your machine'),
  ('local', '%', '%mlx%', '%', 'local: an MLX build, run on your machine'),
  ('plan', '%coding-plan%', '%', '%', 'plan: a coding plan subscription, not a per-token price'),
  ('plan', '%token-plan%', '%', '%', 'plan: a prepaid token plan, not a per-token price'),
  ('plan', 'kimi-for-coding', '%', '%', 'plan: Kimi For Coding membership'),
  ('plan', 'gitlab', '%', '%', 'plan: GitLab Duo, part of a GitLab subscription'),
  ('plan', '%', '%', '%subscription%', 'plan: the note says subscription'),
  ('free', '%', '%:free', '%', 'free: a :free variant (rate-limited free tier)'),
  ('free', '%', '%-free', '%', 'free: a -free variant (free tier or promotion)'),
  ('free', '%', '%/free', '%', 'free: a free router or tier'),
  ('free', 'github-models', '%', '%', 'free: GitHub Models free prototyping tier'),
  ('free', '%', '%', '%', 'free: $0 with no plan or local rule (free tier, promotion, or not billed per token)');

CREATE TABLE IF NOT EXISTS ledger_tier_rules(
  source_format TEXT NOT NULL,
  note_like TEXT NOT NULL DEFAULT '%',
  counts TEXT NOT NULL CHECK (counts IN ('prompt', 'input', 'total')),
  comparison TEXT NOT NULL CHECK (comparison IN ('>', '>=')),
  mode TEXT NOT NULL CHECK (mode IN ('cliff', 'incremental')),
  reference TEXT,
  PRIMARY KEY (source_format, note_like)
);
INSERT OR IGNORE INTO ledger_tier_rules VALUES
  ('litellm', 'tier: >%', 'prompt', '>', 'cliff',
   'LiteLLM *_above_Nk_tokens: the whole request at the tier rate once prompt tokens (cached included) exceed N'),
  ('litellm', '%tiered_pricing range%', 'prompt', '>=', 'cliff',
   'LiteLLM tiered_pricing ranges [lo, hi): the range holding the prompt size prices the whole request'),
  ('genai-prices', '%', 'prompt', '>', 'cliff',
   'genai-prices TieredPrices: all tokens at the tier price once input tokens (cache included) exceed start'),
  ('modelsdev', '%', 'prompt', '>', 'cliff',
   'models.dev context tiers and context_over_200k: prices of the request once the prompt is over size'),
  ('openrouter', '%', 'prompt', '>=', 'cliff',
   'OpenRouter pricing.overrides: min_prompt_tokens, the whole request'),
  ('tokenledger', '%', 'prompt', '>', 'cliff',
   'our format: a tier applies to the whole request once prompt tokens exceed start');

DROP VIEW IF EXISTS temp.model_price_rows;
-- model_price_rows: the rows of model_prices before the refuted guesses
-- (below). Its own view, not a CTE of model_prices, because
-- SQLite names no view to the authorizer inside a materialized CTE, so the
-- pricing() there would be refused in pareto's guarded query (vtab/trust.c).
-- The build writes the model_prices table from this SELECT (@build-from).
CREATE TEMP VIEW model_price_rows AS
SELECT s.path AS source_path, p.source_format, s.snapshot_date,
       s.priority AS source_priority, p.entry, p.raw_provider, p.raw_model,
       p.mode, p.tier_start_tokens, p.input_cost_per_token,
       p.output_cost_per_token, p.cache_read_cost_per_token,
       p.cache_write_cost_per_token, p.reasoning_cost_per_token,
       p.context_window, p.max_output_tokens, p.currency, p.effective_from,
       p.note, p.input_audio_cost_per_token, p.output_audio_cost_per_token,
       p.cache_read_audio_cost_per_token, p.input_image_cost_per_token,
       p.output_image_cost_per_token, p.input_video_cost_per_token,
       p.output_video_cost_per_token, p.cache_write_1h_cost_per_token,
       p.per_request_cost, p.web_search_cost, p.service_tier, p.window_start,
       p.window_end, r.provider, r.provider_rule AS provider_mapping_rule,
       r.provider_confidence AS provider_mapping_confidence, r.creator,
       r.model, r.model_rule AS model_mapping_rule,
       r.model_confidence AS model_mapping_confidence,
       variant_key(r.variant, p.service_tier, p.window_start, p.window_end)
         AS variant,
       r.qualifiers,
       CASE WHEN p.source_format = 'genai-prices' THEN p.extra -> '$.match' END
         AS match_rule
FROM ledger_sources s, pricing(tokenledger_path(s.path), s.format) p,
     resolve_model(p.raw_model, p.raw_provider, NULL,
                   coalesce(p.effective_from, s.snapshot_date)) r
WHERE s.kind = 'pricing';

DROP VIEW IF EXISTS temp.model_prices;
-- model_prices: every row of every pricing source, as pricing() gives it,
-- with the source's snapshot_date and priority and the canonical provider
-- and model of resolve_model(raw_model, raw_provider): the rule that mapped
-- each and its confidence (0..100; rule 'unmapped' = the name unchanged),
-- and its variant: the price-bearing qualifiers of the raw name
-- ('region=eu', 'free_tier=free', 'speed_sku=fast'; NULL for the plain
-- on-demand global offering), part of every rate-card key below, so that a
-- variant never competes with the base card; qualifiers: all of them.
-- The price's own conditions are part of the variant too (variant_key): a
-- service tier ('service_tier=batch', LiteLLM's _batches prices) and a daily
-- UTC window ('window=00:30:00-16:30:00', genai-prices' deepseek), so a
-- batch or off-peak price is its own card, never the on-demand one.
-- A floating alias (mistral-large-latest) is resolved as of the row's
-- effective_from, else the source's snapshot_date: the snapshot it named
-- then (ext/vocab/latest.tsv). match_rule: the list's own rule for which
-- model names the row prices (genai-prices' `match`, JSON; NULL for the
-- lists that have none), event_costs' last resort for a name with no card.
-- An undated name is mapped to one of the model's snapshots by a guess
-- (rule 'undated': gemini-2.5-flash-preview -> gemini-2.5-flash-preview-
-- 09-2025, kimi-k2 -> kimi-k2-0711-preview). When the same list gives the
-- names that fall into one key (provider, model, variant, tier, date)
-- different prices (input, output, cache read or cache write), the guess is refuted by the list itself: those of its
-- undated names keep a key of their own, their own name (lower case, without
-- a 'vendor/' path: own_model below), with rule 'own name'. So
-- genai-prices' openrouter gemini-2.5-flash-preview ($0.15/$0.60) is not
-- merged into gemini-2.5-flash-preview-09-2025 ($0.30/$2.50) and then
-- outranked by it. The decision is per raw name of an entry (all its dated
-- rows alike).
-- event_costs bills an event whose own name was guessed the same way at
-- the card of its own name when one exists.
-- The build writes model_prices from model_price_rows' own SELECT, then
-- model_price_own_keys (below) renames the refuted rows in place: the few
-- rows that change cost less than a copy of every row (236 M instructions).
-- @build model_prices (source_path, raw_model) (provider, model)
-- @build-from model_price_rows
CREATE TEMP VIEW model_prices AS
SELECT m.source_path, source_format, snapshot_date, source_priority, m.entry, raw_provider,
       m.raw_model, mode, tier_start_tokens, input_cost_per_token, output_cost_per_token,
       cache_read_cost_per_token, cache_write_cost_per_token, reasoning_cost_per_token,
       context_window, max_output_tokens, currency, effective_from, note,
       input_audio_cost_per_token, output_audio_cost_per_token,
       cache_read_audio_cost_per_token, input_image_cost_per_token,
       output_image_cost_per_token, input_video_cost_per_token, output_video_cost_per_token,
       cache_write_1h_cost_per_token, per_request_cost, web_search_cost, service_tier,
       window_start, window_end, provider, provider_mapping_rule,
       provider_mapping_confidence, creator,
       CASE WHEN o.source_path IS NOT NULL THEN o.own_model ELSE model END AS model,
       CASE WHEN o.source_path IS NOT NULL THEN 'own name' ELSE model_mapping_rule END
         AS model_mapping_rule,
       model_mapping_confidence, variant, qualifiers, match_rule
FROM model_price_rows m
LEFT JOIN model_price_own_keys o
  ON o.source_path = m.source_path AND o.entry IS m.entry AND o.raw_model IS m.raw_model;

DROP VIEW IF EXISTS temp.model_price_own_keys;
-- model_price_own_keys: the undated raw names of an entry that keep their
-- own name (model_prices above says when), with that name (own_model: after
-- the last '/', lower case, ASCII). In the build it reads the model_prices
-- table as written (model_price_rows' rows) and renames those rows in place.
-- @build temp model_price_own_keys
-- @build-then
--   UPDATE main.model_prices AS p SET model = o.own_model, model_mapping_rule = 'own name'
--   FROM temp.model_price_own_keys o
--   WHERE o.source_path = p.source_path AND o.entry IS p.entry AND o.raw_model IS p.raw_model;
CREATE TEMP VIEW model_price_own_keys AS
-- m is inlined, so own_model is computed only where it is read (the keys of
-- undated names, the refuted rows): its rtrim compares each character with
-- each other one, 150 M instructions over every row of the real sources
WITH m AS (
  -- @build-inline
  -- @build-as
  --   SELECT *, lower(substr(raw_model, length(rtrim(raw_model, replace(raw_model, '/', '')))
  --                          + 1)) AS own_model
  --   FROM main.model_prices
  SELECT *,
         lower(substr(raw_model, length(rtrim(raw_model, replace(raw_model, '/', ''))) + 1))
           AS own_model
  FROM model_price_rows),
-- the keys of the undated names, the only keys whose refutal matters (a
-- GROUP BY of every key pays its ten aggregates per key: 14,922 keys over
-- the real sources, 1,996 of them with an undated name)
undated AS (
  SELECT DISTINCT source_path, provider, model, variant, tier_start_tokens, effective_from
  FROM m WHERE model_mapping_rule = 'undated'),
-- those of them whose names the list prices differently
refuted AS (
  SELECT m.source_path, m.provider, m.model, m.variant, m.tier_start_tokens, m.effective_from
  FROM undated u
  CROSS JOIN m ON m.source_path = u.source_path AND m.provider IS u.provider
        AND m.model IS u.model AND m.variant IS u.variant
        AND m.tier_start_tokens IS u.tier_start_tokens AND m.effective_from IS u.effective_from
  GROUP BY m.source_path, m.provider, m.model, m.variant, m.tier_start_tokens, m.effective_from
  HAVING min(own_model) IS NOT max(own_model)
     AND (min(coalesce(input_cost_per_token, -1)) <> max(coalesce(input_cost_per_token, -1))
          OR min(coalesce(output_cost_per_token, -1)) <> max(coalesce(output_cost_per_token, -1))
          OR min(coalesce(cache_read_cost_per_token, -1))
               <> max(coalesce(cache_read_cost_per_token, -1))
          OR min(coalesce(cache_write_cost_per_token, -1))
               <> max(coalesce(cache_write_cost_per_token, -1))))
-- the undated raw names of an entry that fall into a refuted key
SELECT DISTINCT m.source_path, m.entry, m.raw_model, m.own_model
FROM refuted r CROSS JOIN m
WHERE m.model_mapping_rule = 'undated' AND r.source_path = m.source_path
  AND r.provider IS m.provider AND r.model IS m.model AND r.variant IS m.variant
  AND r.tier_start_tokens IS m.tier_start_tokens AND r.effective_from IS m.effective_from;

DROP VIEW IF EXISTS temp.price_check_rows;
-- price_checks: the model_prices rows that can price a call (a known
-- provider and model, USD), keyed by (provider, model, tier_start_tokens,
-- card_effective_from) where card_effective_from is the row's own
-- effective_from; else '0001-01-01' when the same entry lists dated prices
-- for the model (the undated one is the older price: origin 'superseded');
-- else the source's snapshot_date; else '0001-01-01' (undated: in force
-- since ever). Each row carries what the ranking needs (is_override,
-- is_authority: its source is the provider's own list, ledger_source_authority;
-- is_unpriced: neither input nor output price) and its sanity check:
--   price_flag 'implausible': a price above price_max_per_1m (any bucket,
--     per 1M), or a blended price above price_max_median_ratio x the
--     median blended price of the model's OTHER sources (leave-one-out:
--     with two sources a plain median could never be 100x either of them);
--   price_flag 'plan' / 'local' / 'free': every price the row gives is 0;
--     which of the three is the first matching ledger_zero_price_rules row.
--   price_flag_reason says which bound or rule, with the figures.
-- The median's members (in_median 1): per (model, provider, source file) one
-- row, the latest base row (variant NULL: a -fast or :free offering is no
-- evidence of the model's price) priced on input and output, not $0, within
-- price_max_per_1m (ties broken on content: shorter raw name, raw name,
-- raw provider, prices, then entry), and not itself over the ratio. The
-- ratio test of a row leaves out its own (provider, file)'s member; a row
-- whose (provider, file) has no member is tested against all members.
-- price_check_rows computes the row's own checks, price_checks the median
-- ones: the build writes the first as a TEMP table, so that the median's
-- rankings sort narrow rows (ranked in C: @build-rank) and take the other
-- columns back by rowid, twice as fast as sorting the whole rows. That
-- table holds only what the checks add and what the median reads, with
-- the row's rowid in model_prices (mp_rid), whence the view price_checks
-- takes the other columns: a copy of every column here cost more.
-- @build temp price_check_rows
CREATE TEMP VIEW price_check_rows AS
-- mp0 is read twice here, so the views compute model_prices once into it;
-- the build reads its table twice instead (mp0 then read once, not copied)
WITH mp0 AS (
  -- @build-as
  --   SELECT rowid AS mp_rid, * FROM model_prices
  SELECT * FROM model_prices),
dated AS (
  -- @build-as
  --   SELECT source_path, entry, raw_model, effective_from FROM model_prices
  SELECT source_path, entry, raw_model, effective_from FROM mp0),
-- an undated price whose own entry also lists dated ones (genai-prices: the
-- older price comes first, unconstrained) was in force before them, not
-- from the snapshot on
later AS (
  SELECT source_path, entry, raw_model, max(effective_from) AS later_dated
  FROM dated
  WHERE effective_from IS NOT NULL
  GROUP BY source_path, entry, raw_model),
w AS (
  SELECT (SELECT value FROM ledger_settings WHERE key = 'blend_input_weight') AS wi,
         (SELECT value FROM ledger_settings WHERE key = 'blend_output_weight') AS wo,
         (SELECT value FROM ledger_settings WHERE key = 'price_max_per_1m') AS max_1m,
         (SELECT value FROM ledger_settings WHERE key = 'price_max_median_ratio') AS max_ratio),
k AS (
  SELECT mp.*,
         CASE WHEN mp.effective_from IS NOT NULL THEN mp.effective_from
              WHEN mp.later_dated IS NOT NULL THEN '0001-01-01'
              ELSE coalesce(mp.snapshot_date, '0001-01-01') END AS card_effective_from,
         CASE WHEN mp.effective_from IS NOT NULL THEN 'row'
              WHEN mp.later_dated IS NOT NULL THEN 'superseded'
              WHEN mp.snapshot_date IS NOT NULL THEN 'snapshot'
              ELSE 'undated' END AS effective_from_origin,
         (mp.source_format = 'tokenledger') AS is_override,
         EXISTS (SELECT 1 FROM ledger_source_authority a
                 WHERE a.source_format = mp.source_format AND a.provider = mp.provider)
           AS is_authority,
         (mp.input_cost_per_token IS NULL AND mp.output_cost_per_token IS NULL) AS is_unpriced,
         (w.wi * mp.input_cost_per_token + w.wo * mp.output_cost_per_token) / (w.wi + w.wo)
           AS blended_cost_per_token,
         CASE WHEN mp.input_cost_per_token * 1000000 > w.max_1m THEN
                'input ' || round(mp.input_cost_per_token * 1000000, 9)
              WHEN mp.output_cost_per_token * 1000000 > w.max_1m THEN
                'output ' || round(mp.output_cost_per_token * 1000000, 9)
              WHEN mp.cache_read_cost_per_token * 1000000 > w.max_1m THEN
                'cache read ' || round(mp.cache_read_cost_per_token * 1000000, 9)
              WHEN mp.cache_write_cost_per_token * 1000000 > w.max_1m THEN
                'cache write ' || round(mp.cache_write_cost_per_token * 1000000, 9)
              WHEN mp.reasoning_cost_per_token * 1000000 > w.max_1m THEN
                'reasoning ' || round(mp.reasoning_cost_per_token * 1000000, 9) END
           || ' per 1M > price_max_per_1m ' || w.max_1m AS over_max,
         (coalesce(mp.input_cost_per_token, 0) = 0 AND coalesce(mp.output_cost_per_token, 0) = 0
          AND coalesce(mp.cache_read_cost_per_token, 0) = 0
          AND coalesce(mp.cache_write_cost_per_token, 0) = 0
          AND coalesce(mp.reasoning_cost_per_token, 0) = 0
          AND (mp.input_cost_per_token IS NOT NULL OR mp.output_cost_per_token IS NOT NULL))
           AS is_zero
  FROM (SELECT mp0.*, l.later_dated
        FROM mp0
        LEFT JOIN later l
          ON l.source_path = mp0.source_path AND l.entry IS mp0.entry
         AND l.raw_model IS mp0.raw_model) mp, w
  WHERE mp.provider IS NOT NULL AND mp.model IS NOT NULL
    AND coalesce(mp.currency, 'USD') = 'USD'),
c AS (
  SELECT k.*, zr.kind AS zero_kind, zr.reason AS zero_reason,
         (k.tier_start_tokens = 0 AND k.variant IS NULL AND k.input_cost_per_token IS NOT NULL
          AND k.output_cost_per_token IS NOT NULL AND NOT k.is_zero AND k.over_max IS NULL)
           AS median_eligible
  FROM k
  -- (the CASE, not the ON's is_zero alone, keeps SQLite from running the
  -- rule search, a LIKE per rule and a sort, for every row: half the stage)
  LEFT JOIN ledger_zero_price_rules zr
    ON k.is_zero
   AND zr.rowid = CASE WHEN k.is_zero THEN (
         SELECT z.rowid FROM ledger_zero_price_rules z
         WHERE k.provider LIKE z.provider_like AND k.raw_model LIKE z.model_like
           AND coalesce(k.note, '') || ' ' || coalesce(k.mode, '') LIKE z.note_like
         ORDER BY CASE z.kind WHEN 'local' THEN 0 WHEN 'plan' THEN 1 ELSE 2 END,
                  (z.provider_like = '%') + (z.model_like = '%') + (z.note_like = '%'),
                  z.provider_like, z.model_like, z.note_like LIMIT 1) END),
out AS (
  -- @build-as
  --   SELECT mp_rid, model, provider, source_path, entry, raw_model, raw_provider,
  --          input_cost_per_token, output_cost_per_token, later_dated, card_effective_from,
  --          effective_from_origin, is_override, is_authority, is_unpriced,
  --          blended_cost_per_token, over_max, is_zero, zero_kind, zero_reason,
  --          median_eligible
  --   FROM c
  SELECT * FROM c)
SELECT * FROM out;

DROP VIEW IF EXISTS temp.price_check_values;
-- price_check_values: price_checks computed. In the build only what the
-- checks add, with the row's rowid in model_prices (mp_rid), and price_checks
-- a view kept in the database that joins model_prices back by that rowid:
-- the rows' 70 columns are never copied once more (a third of the stage).
-- Here, where a view has no rowid to join back by, the whole rows.
-- @build price_check_values (mp_rid)
CREATE TEMP VIEW price_check_values AS
WITH w AS (
  SELECT (SELECT value FROM ledger_settings WHERE key = 'price_max_median_ratio') AS max_ratio),
-- (read once, by m1: NOT MATERIALIZED, so that the build reads the narrow
-- columns from the table, where a copy of them cost 86 M instructions; left
-- to itself SQLite copies it under m1, which is materialized)
c AS NOT MATERIALIZED (
  -- @build-as
  --   SELECT rowid AS rid, model, provider, source_path, median_eligible, card_effective_from,
  --          raw_model, raw_provider, input_cost_per_token, output_cost_per_token, entry,
  --          blended_cost_per_token
  --   FROM price_check_rows
  SELECT * FROM price_check_rows),
-- the median's members (is_rep): per (model, provider, file) the first
-- eligible row in content order (one window over the (model, provider,
-- file), eligible rows first: in the build every row then finds its member,
-- whose own_i it takes, by the first rowid of its partition, rep_rid, where
-- a join on the three names cost 150 M); i, n: a member's place among the model's
-- members sorted by blended price, and their number (one window: the members
-- first, the whole model its frame). m1 is NOT MATERIALIZED: the build reads
-- it twice (m2, and n's GROUP BY), and two reads of the table cost less than
-- one copy (52 M instructions less)
m1 AS NOT MATERIALIZED (
  -- @build-rank price_check_reps e
  -- @build-as
  --   SELECT c.*, (c.median_eligible AND k.place = 1) AS is_rep, k.first_rid AS rep_rid
  --   FROM c JOIN price_check_reps k ON k.rid = c.rid
  SELECT c.*, (c.median_eligible AND row_number() OVER e = 1) AS is_rep
  FROM c
  WINDOW e AS (PARTITION BY c.model, c.provider, c.source_path
               ORDER BY c.median_eligible DESC, c.card_effective_from DESC,
                        length(c.raw_model), c.raw_model, c.raw_provider,
                        c.input_cost_per_token, c.output_cost_per_token, c.entry)),
m2 AS (
  -- @build-rank price_check_places m
  -- @build-as
  --   SELECT m1.*, CASE WHEN m1.is_rep THEN k.place END AS i, g.n, k.first_rid AS model_rid
  --   FROM m1 JOIN price_check_places k ON k.rid = m1.rid
  --   JOIN (SELECT model, sum(is_rep) AS n FROM m1 GROUP BY model) g ON g.model = m1.model
  SELECT m1.*, CASE WHEN m1.is_rep THEN row_number() OVER m END AS i,
         sum(m1.is_rep) OVER m AS n
  FROM m1
  WINDOW m AS (PARTITION BY m1.model
               ORDER BY m1.is_rep DESC, m1.blended_cost_per_token, m1.provider, m1.source_path
               ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)),
-- the leave-one-out median takes its values from four places only: with
-- member i left out of n, the middle of the other n - 1 is at places n/2
-- and (n+1)/2 of them, i.e. at n/2 or n/2 + 1 and at (n+1)/2 or (n+1)/2 + 1
-- of all n (one further when i is at or before the place). The plain
-- median of all n is the mean of places (n+1)/2 and n/2 + 1.
-- v1..v4 and own_i spread one member's value over the model, or over the
-- (model, provider, file): by window here, in the build by joining the
-- members' narrow rows back (a model's one row of v1..v4, keyed by the
-- first rowid of the model's ranking, model_rid, and a (model, provider,
-- file)'s one member, by rep_rid; automatically indexed there; m2 is then
-- computed once into a table, and the two passes of these windows cost
-- twice as much)
m3 AS (
  -- @build-as
  --   SELECT m2.*, v.v1, v.v2, v.v3, v.v4, o.own_i
  --   FROM m2
  --   LEFT JOIN (
  --     SELECT model_rid,
  --            max(CASE WHEN i = n / 2 THEN blended_cost_per_token END) AS v1,
  --            max(CASE WHEN i = n / 2 + 1 THEN blended_cost_per_token END) AS v2,
  --            max(CASE WHEN i = (n + 1) / 2 THEN blended_cost_per_token END) AS v3,
  --            max(CASE WHEN i = (n + 1) / 2 + 1 THEN blended_cost_per_token END) AS v4
  --     FROM m2 WHERE is_rep GROUP BY model_rid) v ON v.model_rid = m2.model_rid
  --   LEFT JOIN (SELECT rid, i AS own_i FROM m2 WHERE is_rep) o ON o.rid = m2.rep_rid
  SELECT m2.*,
         max(CASE WHEN m2.is_rep AND m2.i = m2.n / 2 THEN m2.blended_cost_per_token END)
           OVER (PARTITION BY m2.model) AS v1,
         max(CASE WHEN m2.is_rep AND m2.i = m2.n / 2 + 1 THEN m2.blended_cost_per_token END)
           OVER (PARTITION BY m2.model) AS v2,
         max(CASE WHEN m2.is_rep AND m2.i = (m2.n + 1) / 2 THEN m2.blended_cost_per_token END)
           OVER (PARTITION BY m2.model) AS v3,
         max(CASE WHEN m2.is_rep AND m2.i = (m2.n + 1) / 2 + 1
                  THEN m2.blended_cost_per_token END)
           OVER (PARTITION BY m2.model) AS v4,
         max(CASE WHEN m2.is_rep THEN m2.i END)
           OVER (PARTITION BY m2.model, m2.provider, m2.source_path) AS own_i
  FROM m2),
f AS (
  SELECT m3.*,
         CASE WHEN m3.own_i IS NULL THEN (m3.v3 + m3.v2) / 2
              WHEN m3.n >= 2 THEN
                (CASE WHEN m3.n / 2 >= m3.own_i THEN m3.v2 ELSE m3.v1 END
                 + CASE WHEN (m3.n + 1) / 2 >= m3.own_i THEN m3.v4 ELSE m3.v3 END) / 2
         END AS others_median,
         m3.is_rep AS is_member
  FROM m3),
j AS (
  -- @build-as
  --   SELECT p.mp_rid, p.later_dated, p.card_effective_from, p.effective_from_origin,
  --          p.is_override, p.is_authority, p.is_unpriced, p.blended_cost_per_token,
  --          p.over_max, p.is_zero, p.zero_kind, p.zero_reason, p.median_eligible,
  --          f.is_rep, f.i, f.n, f.v1, f.v2, f.v3, f.v4, f.own_i, f.others_median,
  --          f.is_member
  --   FROM f JOIN price_check_rows p ON p.rowid = f.rid
  SELECT * FROM f)
SELECT j.*,
       CASE WHEN j.over_max IS NOT NULL THEN 'implausible'
            WHEN j.blended_cost_per_token > w.max_ratio * j.others_median THEN 'implausible'
            WHEN j.is_zero THEN coalesce(j.zero_kind, 'free') END AS price_flag,
       CASE WHEN j.over_max IS NOT NULL THEN j.over_max
            WHEN j.blended_cost_per_token > w.max_ratio * j.others_median THEN
              'blended ' || round(j.blended_cost_per_token * 1000000, 9)
              || ' per 1M > price_max_median_ratio ' || w.max_ratio
              || ' x the median of the other sources, '
              || round(j.others_median * 1000000, 9)
            WHEN j.is_zero THEN coalesce(j.zero_reason, 'a $0 price') END AS price_flag_reason,
       (j.is_member AND NOT coalesce(j.blended_cost_per_token > w.max_ratio * j.others_median, 0))
         AS in_median
FROM j, w;

DROP VIEW IF EXISTS temp.price_checks;
-- (the build's view reads no function: hosts read it without the extension;
-- a lookup by (provider, model) reads model_prices' index, then the checks
-- by price_check_values' index of mp_rid)
-- @build view price_checks
CREATE TEMP VIEW price_checks AS
WITH j AS (
  -- @build-as
  --   SELECT mp.*, c.later_dated, c.card_effective_from, c.effective_from_origin,
  --          c.is_override, c.is_authority, c.is_unpriced, c.blended_cost_per_token,
  --          c.over_max, c.is_zero, c.zero_kind, c.zero_reason, c.median_eligible,
  --          c.is_rep, c.i, c.n, c.v1, c.v2, c.v3, c.v4, c.own_i, c.others_median,
  --          c.is_member, c.price_flag, c.price_flag_reason, c.in_median
  --   FROM price_check_values c JOIN model_prices mp ON mp.rowid = c.mp_rid
  SELECT * FROM price_check_values)
SELECT * FROM j;

DROP VIEW IF EXISTS temp.model_price_medians;
-- model_price_medians: per canonical model, the median blended price (per
-- token) of the price_checks rows with in_median, and how many there are.
-- @build model_price_medians (model)
CREATE TEMP VIEW model_price_medians AS
-- (the build ranks and joins back the rows of price_check_values, which have a
-- rowid, where the view price_checks has none)
WITH pc AS (
  -- @build-as
  --   SELECT c.rowid AS rid, mp.model, c.blended_cost_per_token, c.in_median
  --   FROM price_check_values c JOIN model_prices mp ON mp.rowid = c.mp_rid
  SELECT * FROM price_checks),
-- (i and n over one window, the whole partition its frame: one pass, where
-- a window of its own for n would be a second)
ranked AS (
  -- @build-rank model_price_median_ranks m
  -- @build-as
  --   SELECT p.model, p.blended_cost_per_token, k.place AS i, k.size AS n
  --   FROM model_price_median_ranks k JOIN pc p ON p.rid = k.rid
  SELECT model, blended_cost_per_token, row_number() OVER m AS i, count(*) OVER m AS n
  FROM pc WHERE in_median
  WINDOW m AS (PARTITION BY model ORDER BY blended_cost_per_token
               ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING))
SELECT model, avg(blended_cost_per_token) AS median_blended, max(n) AS price_sources
FROM ranked
WHERE i IN ((n + 1) / 2, (n + 2) / 2)
GROUP BY model;

DROP VIEW IF EXISTS temp.rate_card_candidate_values;
-- rate_card_candidates: price_checks ranked within each key (provider,
-- model, variant, tier_start_tokens, card_effective_from): a variant
-- (openrouter's gpt-4o:extended, Bedrock's eu. prefix) ranks only against
-- rows of the same variant, never against the base card. candidate_rank
-- 1 wins; the order is total and never depends on the order of rows in a
-- file, each key a column of the row:
--    1. overrides (format tokenledger) first;
--    2. the provider's own list (is_authority, ledger_source_authority)
--       before copies of it in aggregators;
--    3. rows with a price before rows without;
--    4. rows without a price_flag before flagged ones;
--    5. higher source priority; 6. later snapshot; 7. surer model mapping;
--    8. the shorter raw name (a regional or deployment prefix such as
--       'eu.', 'bedrock/us-gov-west-1/' or a ':free' suffix lengthens it:
--       the plain name is the list price), then the raw name, the raw
--       provider (binary order);
--    9. the prices themselves, lowest first: input, output, cache read,
--       cache write, reasoning (missing last); then mode, note, context
--       window, max output tokens, date origin;
--   10. the path (your naming), and last the entry, reached only by rows
--       equal in every column above.
-- rank_reason says which key decided: the winner 'won on KEY' against the
-- runner-up, a loser 'lost on KEY' against the winner ('only candidate'
-- when alone; 'identical' when no key differs). versus_*: that other row
-- (the runner-up for the winner, the winner for a loser). has_override: some
-- override prices this provider and model, whatever the tier or date;
-- authority_from: the earliest date at which the provider's own list prices
-- it (NULL: it does not).
-- The build ranks narrow rows in C (the key and what the ranking reads; the
-- CTE marked @build-rank) and takes the whole rows back by rowid, faster
-- than sorting the whole rows. rate_card_candidate_values computes them: in
-- the build only what the ranking adds, with the row's rowid in
-- price_check_values (pc_rid), and rate_card_candidates a view kept in the
-- database that joins it back (as price_checks: the 85 columns are not
-- written again); here the whole rows.
-- @build rate_card_candidate_values (pc_rid)
CREATE TEMP VIEW rate_card_candidate_values AS
WITH src AS (
  -- @build-as
  --   SELECT c.rowid AS rid, mp.provider, mp.model, mp.variant, mp.tier_start_tokens,
  --          c.card_effective_from, c.is_override, c.is_authority, c.is_unpriced,
  --          c.price_flag, mp.source_priority, mp.snapshot_date, mp.model_mapping_confidence,
  --          mp.raw_model, mp.raw_provider, mp.input_cost_per_token, mp.output_cost_per_token,
  --          mp.cache_read_cost_per_token, mp.cache_write_cost_per_token,
  --          mp.reasoning_cost_per_token, mp.mode, mp.note, mp.context_window,
  --          mp.max_output_tokens, c.effective_from_origin, mp.source_path, mp.entry
  --   FROM price_check_values c JOIN model_prices mp ON mp.rowid = c.mp_rid
  -- (a view has no rowid: rid is NULL here, and o takes the other row's
  -- columns by window instead)
  SELECT NULL AS rid, * FROM price_checks),
-- k, the ranking, has the whole key its frame, so that the count and the
-- rowids of places 1 and 2 (the build's join to the other row) are taken in
-- the ranking's own pass (a window of another frame is a pass of its own);
-- read once, not MATERIALIZED: the build flattens its rank join into o
-- rather than copying it
r AS (
  -- @build-rank rate_card_ranks k
  -- @build-as
  --   SELECT k.rid, k.place AS candidate_rank, k.size AS candidates, k.first_rid,
  --          k.second_rid, p.provider, p.model, p.variant
  --   FROM rate_card_ranks k JOIN price_check_values c ON c.rowid = k.rid
  --   JOIN model_prices p ON p.rowid = c.mp_rid
  SELECT c.*, row_number() OVER k AS candidate_rank, count(*) OVER k AS candidates,
         first_value(c.rid) OVER k AS first_rid, nth_value(c.rid, 2) OVER k AS second_rid
  FROM src c
  WINDOW k AS (
    PARTITION BY c.provider, c.model, c.variant, c.tier_start_tokens, c.card_effective_from
    ORDER BY c.is_override DESC, c.is_authority DESC, c.is_unpriced,
             c.price_flag IS NOT NULL, c.source_priority DESC, c.snapshot_date DESC,
             c.model_mapping_confidence DESC, length(c.raw_model), c.raw_model,
             c.raw_provider, c.input_cost_per_token NULLS LAST,
             c.output_cost_per_token NULLS LAST, c.cache_read_cost_per_token NULLS LAST,
             c.cache_write_cost_per_token NULLS LAST,
             c.reasoning_cost_per_token NULLS LAST, c.mode, c.note, c.context_window,
             c.max_output_tokens, c.effective_from_origin, c.source_path, c.entry
    ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)),
-- the other row each candidate is weighed against: place `other` of its
-- key, the runner-up (2) for the winner, the winner (1) for a loser
ro AS (SELECT r.*, CASE WHEN r.candidate_rank = 1 THEN 2 ELSE 1 END AS other FROM r),
-- its columns by window rather than a self-join (a join would need an
-- automatic index that the planner does not build over these views); the
-- build joins the whole row and the other one by rowid. Likewise has_override
-- and authority_from, per (provider, model, variant): here by window over
-- the key's rows, in the build by a GROUP BY joined on the key
-- (automatically indexed there, LEFT JOIN keeping r the outer loop: about
-- half the window's cost) of the rows that can set either, the overrides
-- and the priced authority rows (741 of 16,648 over the real sources: a
-- group's aggregates cost per group, and the other keys take 0 and NULL).
o AS (
  -- @build-as
  --   SELECT p.*, c.*, r.rid, r.candidate_rank, r.candidates,
  --          coalesce(g.has_override, 0) AS has_override, g.authority_from,
  --          qc.is_override AS o_is_override, qc.is_authority AS o_is_authority,
  --          qc.is_unpriced AS o_is_unpriced, qc.price_flag AS o_price_flag,
  --          q.source_priority AS o_source_priority, q.snapshot_date AS o_snapshot_date,
  --          q.model_mapping_confidence AS o_model_mapping_confidence,
  --          q.raw_model AS o_raw_model, q.raw_provider AS o_raw_provider,
  --          q.input_cost_per_token AS o_input_cost_per_token,
  --          q.output_cost_per_token AS o_output_cost_per_token,
  --          q.cache_read_cost_per_token AS o_cache_read_cost_per_token,
  --          q.cache_write_cost_per_token AS o_cache_write_cost_per_token,
  --          q.reasoning_cost_per_token AS o_reasoning_cost_per_token, q.mode AS o_mode,
  --          q.note AS o_note, q.context_window AS o_context_window,
  --          q.max_output_tokens AS o_max_output_tokens,
  --          qc.effective_from_origin AS o_effective_from_origin, q.source_path AS o_source_path,
  --          q.entry AS o_entry, q.source_format AS o_source_format,
  --          qc.blended_cost_per_token AS o_blended_cost_per_token
  --   FROM ro r
  --   LEFT JOIN (SELECT provider, model, variant, max(is_override) AS has_override,
  --                     min(CASE WHEN is_authority AND NOT is_unpriced
  --                              THEN card_effective_from END) AS authority_from
  --              FROM price_checks WHERE is_override OR (is_authority AND NOT is_unpriced)
  --              GROUP BY provider, model, variant) g
  --     ON g.provider IS r.provider AND g.model IS r.model AND g.variant IS r.variant
  --   JOIN price_check_values c ON c.rowid = r.rid
  --   JOIN model_prices p ON p.rowid = c.mp_rid
  --   LEFT JOIN price_check_values qc
  --     ON qc.rowid = CASE r.other WHEN 1 THEN r.first_rid ELSE r.second_rid END
  --   LEFT JOIN model_prices q ON q.rowid = qc.mp_rid
  SELECT r.*,
         max(r.is_override) OVER v AS has_override,
         min(CASE WHEN r.is_authority AND NOT r.is_unpriced THEN r.card_effective_from END)
           OVER v AS authority_from,
         nth_value(r.is_override, r.other) OVER k AS o_is_override,
         nth_value(r.is_authority, r.other) OVER k AS o_is_authority,
         nth_value(r.is_unpriced, r.other) OVER k AS o_is_unpriced,
         nth_value(r.price_flag, r.other) OVER k AS o_price_flag,
         nth_value(r.source_priority, r.other) OVER k AS o_source_priority,
         nth_value(r.snapshot_date, r.other) OVER k AS o_snapshot_date,
         nth_value(r.model_mapping_confidence, r.other) OVER k AS o_model_mapping_confidence,
         nth_value(r.raw_model, r.other) OVER k AS o_raw_model,
         nth_value(r.raw_provider, r.other) OVER k AS o_raw_provider,
         nth_value(r.input_cost_per_token, r.other) OVER k AS o_input_cost_per_token,
         nth_value(r.output_cost_per_token, r.other) OVER k AS o_output_cost_per_token,
         nth_value(r.cache_read_cost_per_token, r.other) OVER k AS o_cache_read_cost_per_token,
         nth_value(r.cache_write_cost_per_token, r.other) OVER k AS o_cache_write_cost_per_token,
         nth_value(r.reasoning_cost_per_token, r.other) OVER k AS o_reasoning_cost_per_token,
         nth_value(r.mode, r.other) OVER k AS o_mode,
         nth_value(r.note, r.other) OVER k AS o_note,
         nth_value(r.context_window, r.other) OVER k AS o_context_window,
         nth_value(r.max_output_tokens, r.other) OVER k AS o_max_output_tokens,
         nth_value(r.effective_from_origin, r.other) OVER k AS o_effective_from_origin,
         nth_value(r.source_path, r.other) OVER k AS o_source_path,
         nth_value(r.entry, r.other) OVER k AS o_entry,
         nth_value(r.source_format, r.other) OVER k AS o_source_format,
         nth_value(r.blended_cost_per_token, r.other) OVER k AS o_blended_cost_per_token
  FROM ro r
  WINDOW k AS (PARTITION BY r.provider, r.model, r.variant, r.tier_start_tokens,
                            r.card_effective_from ORDER BY r.candidate_rank
               ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING),
         v AS (PARTITION BY r.provider, r.model, r.variant)),
-- the judgement
x AS (
  SELECT r.*,
         CASE WHEN r.candidates = 1 THEN 'only candidate'
         ELSE CASE WHEN r.candidate_rank = 1 THEN 'won on ' ELSE 'lost on ' END ||
           CASE WHEN r.is_override IS NOT r.o_is_override THEN 'override'
                WHEN r.is_authority IS NOT r.o_is_authority THEN 'source authority'
                WHEN r.is_unpriced IS NOT r.o_is_unpriced THEN 'priced'
                WHEN (r.price_flag IS NULL) IS NOT (r.o_price_flag IS NULL) THEN 'price flag'
                WHEN r.source_priority IS NOT r.o_source_priority THEN 'priority'
                WHEN r.snapshot_date IS NOT r.o_snapshot_date THEN 'snapshot'
                WHEN r.model_mapping_confidence IS NOT r.o_model_mapping_confidence
                  THEN 'mapping confidence'
                WHEN length(r.raw_model) IS NOT length(r.o_raw_model) THEN 'raw name length'
                WHEN r.raw_model IS NOT r.o_raw_model THEN 'raw name'
                WHEN r.raw_provider IS NOT r.o_raw_provider THEN 'raw provider'
                WHEN r.input_cost_per_token IS NOT r.o_input_cost_per_token THEN 'input price'
                WHEN r.output_cost_per_token IS NOT r.o_output_cost_per_token THEN 'output price'
                WHEN r.cache_read_cost_per_token IS NOT r.o_cache_read_cost_per_token
                  THEN 'cache read price'
                WHEN r.cache_write_cost_per_token IS NOT r.o_cache_write_cost_per_token
                  THEN 'cache write price'
                WHEN r.reasoning_cost_per_token IS NOT r.o_reasoning_cost_per_token
                  THEN 'reasoning price'
                WHEN r.mode IS NOT r.o_mode THEN 'mode'
                WHEN r.note IS NOT r.o_note THEN 'note'
                WHEN r.context_window IS NOT r.o_context_window THEN 'context window'
                WHEN r.max_output_tokens IS NOT r.o_max_output_tokens THEN 'max output tokens'
                WHEN r.effective_from_origin IS NOT r.o_effective_from_origin THEN 'date origin'
                WHEN r.source_path IS NOT r.o_source_path THEN 'path'
                WHEN r.entry IS NOT r.o_entry THEN 'entry'
                ELSE 'identical' END END AS rank_reason
  FROM o r),
-- r's own columns, then the judgement: not o's helper columns; the build
-- writes only what the ranking adds, by the row's rowid in price_check_values
out AS (
  -- @build-as
  --   SELECT rid AS pc_rid, candidate_rank, candidates, has_override, authority_from,
  --          rank_reason, o_source_path AS versus_source_path,
  --          o_source_format AS versus_source_format, o_entry AS versus_entry,
  --          o_raw_provider AS versus_raw_provider, o_raw_model AS versus_raw_model,
  --          o_input_cost_per_token AS versus_input_cost_per_token,
  --          o_output_cost_per_token AS versus_output_cost_per_token,
  --          o_blended_cost_per_token AS versus_blended_cost_per_token
  --   FROM x
  SELECT r.source_path, r.source_format, r.snapshot_date, r.source_priority, r.entry,
         r.raw_provider, r.raw_model, r.mode, r.tier_start_tokens, r.input_cost_per_token,
         r.output_cost_per_token, r.cache_read_cost_per_token, r.cache_write_cost_per_token,
         r.reasoning_cost_per_token, r.context_window, r.max_output_tokens, r.currency,
         r.effective_from, r.note, r.input_audio_cost_per_token, r.output_audio_cost_per_token,
         r.cache_read_audio_cost_per_token, r.input_image_cost_per_token,
         r.output_image_cost_per_token, r.input_video_cost_per_token,
         r.output_video_cost_per_token, r.cache_write_1h_cost_per_token, r.per_request_cost,
         r.web_search_cost, r.service_tier, r.window_start, r.window_end, r.provider,
         r.provider_mapping_rule, r.provider_mapping_confidence, r.creator, r.model,
         r.model_mapping_rule, r.model_mapping_confidence, r.variant, r.qualifiers, r.match_rule,
         r.later_dated, r.card_effective_from, r.effective_from_origin, r.is_override,
         r.is_authority, r.is_unpriced, r.blended_cost_per_token, r.over_max, r.is_zero,
         r.zero_kind, r.zero_reason, r.median_eligible, r.is_rep, r.i, r.n, r.v1, r.v2, r.v3,
         r.v4, r.own_i, r.others_median, r.is_member, r.price_flag, r.price_flag_reason,
         r.in_median, r.candidate_rank, r.candidates, r.has_override, r.authority_from,
         r.rank_reason, r.o_source_path AS versus_source_path,
         r.o_source_format AS versus_source_format, r.o_entry AS versus_entry,
         r.o_raw_provider AS versus_raw_provider, r.o_raw_model AS versus_raw_model,
         r.o_input_cost_per_token AS versus_input_cost_per_token,
         r.o_output_cost_per_token AS versus_output_cost_per_token,
         r.o_blended_cost_per_token AS versus_blended_cost_per_token
  FROM x r)
SELECT * FROM out;

DROP VIEW IF EXISTS temp.rate_card_candidates;
-- (the build's view reads no function, as price_checks')
-- @build view rate_card_candidates
CREATE TEMP VIEW rate_card_candidates AS
WITH j AS (
  -- @build-as
  --   SELECT mp.*, c.later_dated, c.card_effective_from, c.effective_from_origin,
  --          c.is_override, c.is_authority, c.is_unpriced, c.blended_cost_per_token,
  --          c.over_max, c.is_zero, c.zero_kind, c.zero_reason, c.median_eligible,
  --          c.is_rep, c.i, c.n, c.v1, c.v2, c.v3, c.v4, c.own_i, c.others_median,
  --          c.is_member, c.price_flag, c.price_flag_reason, c.in_median, r.candidate_rank,
  --          r.candidates, r.has_override, r.authority_from, r.rank_reason,
  --          r.versus_source_path, r.versus_source_format, r.versus_entry,
  --          r.versus_raw_provider, r.versus_raw_model, r.versus_input_cost_per_token,
  --          r.versus_output_cost_per_token, r.versus_blended_cost_per_token
  --   FROM rate_card_candidate_values r JOIN price_check_values c ON c.rowid = r.pc_rid
  --   JOIN model_prices mp ON mp.rowid = c.mp_rid
  SELECT * FROM rate_card_candidate_values)
SELECT * FROM j;

DROP VIEW IF EXISTS temp.rate_card_losers;
-- rate_card_losers: every candidate that lost its key, beside the winner,
-- with the price differences per 1M (loser minus winner; NULL where either
-- lacks that price) and rank_reason.
-- @build rate_card_losers (provider, model)
CREATE TEMP VIEW rate_card_losers AS
SELECT provider, model, variant, tier_start_tokens, card_effective_from AS effective_from,
       candidate_rank, candidates, rank_reason, source_path, source_format, entry,
       raw_provider, raw_model, price_flag,
       round(input_cost_per_token * 1000000, 9) AS input_per_1m,
       round(output_cost_per_token * 1000000, 9) AS output_per_1m,
       versus_source_path AS winner_source_path, versus_source_format AS winner_source_format,
       versus_entry AS winner_entry, versus_raw_provider AS winner_raw_provider,
       versus_raw_model AS winner_raw_model,
       round(versus_input_cost_per_token * 1000000, 9) AS winner_input_per_1m,
       round(versus_output_cost_per_token * 1000000, 9) AS winner_output_per_1m,
       round((input_cost_per_token - versus_input_cost_per_token) * 1000000, 9)
         AS input_delta_per_1m,
       round((output_cost_per_token - versus_output_cost_per_token) * 1000000, 9)
         AS output_delta_per_1m,
       round((blended_cost_per_token - versus_blended_cost_per_token) * 1000000, 9)
         AS blended_delta_per_1m
FROM rate_card_candidates
WHERE candidate_rank > 1;

DROP VIEW IF EXISTS temp.rate_cards;
-- rate_cards: versioned prices, one row per (provider, model, variant,
-- tier_start_tokens, effective_from), unique on that key; variant NULL is
-- the base card (plain on-demand global offering). Each row names
-- the row it was taken from (source_path, source_format, entry) and the
-- snapshot it was recorded from (recorded_snapshot = the source's
-- snapshot_date), so a price later withdrawn or corrected can be told from
-- the one that was billed. in_timeline 0: the card is kept for the record
-- but never billed, and timeline_note says why: an override prices this
-- provider and model (any date), or the provider's own list
-- (ledger_source_authority) prices it from a date on or before this card's
-- (a copy in an aggregator dated later, often merely by its snapshot, does
-- not replace the provider's own price; copies dated earlier stay, the
-- only history there is). rank_reason, price_flag and price_flag_reason
-- come from rate_card_candidates. Tier rows carry their tier rule
-- (ledger_tier_rules).
-- @build rate_cards (provider, model, variant)
CREATE TEMP VIEW rate_cards AS
SELECT c.provider, c.model, c.variant, c.tier_start_tokens,
       c.card_effective_from AS effective_from, c.effective_from_origin, c.input_cost_per_token, c.output_cost_per_token,
       c.cache_read_cost_per_token, c.cache_write_cost_per_token, c.reasoning_cost_per_token,
       c.input_audio_cost_per_token, c.output_audio_cost_per_token,
       c.cache_read_audio_cost_per_token, c.input_image_cost_per_token,
       c.output_image_cost_per_token, c.input_video_cost_per_token,
       c.output_video_cost_per_token, c.cache_write_1h_cost_per_token, c.per_request_cost,
       c.web_search_cost, c.service_tier, c.window_start, c.window_end,
       c.context_window, c.max_output_tokens, c.currency, c.mode,
       c.source_path, c.source_format, c.entry, c.snapshot_date AS recorded_snapshot,
       c.raw_provider, c.raw_model, c.creator, c.provider_mapping_rule,
       c.provider_mapping_confidence, c.model_mapping_rule, c.model_mapping_confidence,
       c.is_override, c.is_authority, c.candidates, c.rank_reason, c.price_flag,
       c.price_flag_reason,
       (c.is_override OR (NOT c.has_override
                          AND (c.is_authority OR c.authority_from IS NULL
                               OR c.card_effective_from < c.authority_from))) AS in_timeline,
       CASE WHEN c.is_override THEN NULL
            WHEN c.has_override THEN 'an override prices this provider and model'
            WHEN NOT c.is_authority AND c.card_effective_from >= c.authority_from THEN
              'the provider''s own list prices it from ' || c.authority_from END AS timeline_note,
       c.note, tr.counts AS tier_counts, tr.comparison AS tier_comparison, tr.mode AS tier_mode
FROM rate_card_candidates c
-- (the CASE runs the rule search for tier cards only, as in price_check_rows)
LEFT JOIN ledger_tier_rules tr
  ON c.tier_start_tokens > 0
 AND tr.rowid = CASE WHEN c.tier_start_tokens > 0 THEN (
       SELECT t2.rowid FROM ledger_tier_rules t2
       WHERE t2.source_format = c.source_format
         AND coalesce(c.note, '') LIKE t2.note_like
       ORDER BY length(t2.note_like) DESC, t2.note_like LIMIT 1) END
WHERE c.candidate_rank = 1;

DROP VIEW IF EXISTS temp.rate_timeline_live;
-- rate_timeline: the billed cards (in_timeline) of each (provider, model,
-- tier) as periods [valid_from, valid_to). A card is in force from its
-- effective_from until the next card's; the earliest card also covers all
-- time before it (valid_from '', and event_costs says rate_backdated = 1),
-- the latest has valid_to NULL. This is rate_at(provider, model, ts):
--
--   SELECT * FROM rate_timeline
--   WHERE provider = :provider AND model = :model AND variant IS NULL
--     AND tier_start_tokens = 0
--     AND :ts >= valid_from AND (valid_to IS NULL OR :ts < valid_to);
--
-- ts is ISO text ('2025-06-01T12:00:00.000Z' or '2025-06-01'); comparing it
-- with a YYYY-MM-DD date as text puts a timestamp on a card's first day
-- inside that card.
-- A tier card (tier_start_tokens > 0) is in force only while the base card
-- it came with is: it also ends at the first base card dated after it
-- (base_superseded_from). A newer base card without a tier of its own thus
-- ends the old tier, rather than leaving a superseded long-context price in
-- force forever (genai-prices' claude-sonnet-4-6: an undated 2x tier and a
-- 2026-03-13 price without one). Likewise a tier card reaches back before
-- its date only when no base card is older than it: the tier of a price
-- from 2026-03-10 does not apply to calls billed at an older base price
-- without tiers.
-- The build sorts narrow rows (the CTEs marked @build-as) and takes the
-- other columns back by rowid: a third of the time of sorting whole cards.
-- It writes only what the timeline adds to a card, with the card's rowid in
-- rate_cards (rc_rid), as rate_timeline_values; rate_timeline is a view
-- kept in the database that joins the two (rate_timeline below): a copy of
-- every column of every card cost more than the join (485 -> 225 M).
-- @build rate_timeline_values (rc_rid)
CREATE TEMP VIEW rate_timeline_live AS
WITH c AS (
  -- @build-as
  --   SELECT rowid AS rid, provider, model, variant, tier_start_tokens, effective_from
  --   FROM rate_cards WHERE in_timeline
  SELECT * FROM rate_cards WHERE in_timeline),
-- valid_from, next_from and base_superseded_from by three windows here; the
-- build ranks w in C (place 1, the next card) and takes the base dates of a
-- tier card from rate_cards' index (a tier card's own dates: a few hundred
-- lookups, where the two windows over every card were each a sort of its own)
p AS (
  -- @build-rank rate_timeline_ranks w
  -- @build-as
  --   SELECT r.*,
  --          CASE WHEN k.place = 1
  --                    AND (r.tier_start_tokens = 0
  --                         OR r.effective_from <= coalesce(
  --                              (SELECT min(b.effective_from) FROM rate_cards b
  --                               WHERE b.provider = r.provider AND b.model = r.model
  --                                 AND b.variant IS r.variant AND b.tier_start_tokens = 0
  --                                 AND b.in_timeline),
  --                              r.effective_from))
  --               THEN '' ELSE r.effective_from END AS valid_from,
  --          n.effective_from AS next_from,
  --          CASE WHEN r.tier_start_tokens > 0 THEN
  --            (SELECT min(b.effective_from) FROM rate_cards b
  --             WHERE b.provider = r.provider AND b.model = r.model
  --               AND b.variant IS r.variant AND b.tier_start_tokens = 0 AND b.in_timeline
  --               AND b.effective_from > r.effective_from) END AS base_superseded_from
  --   FROM c r JOIN rate_timeline_ranks k ON k.rid = r.rid
  --   LEFT JOIN rate_cards n ON n.rowid = k.next_rid
  SELECT r.*,
         CASE WHEN row_number() OVER w = 1
                   AND (r.tier_start_tokens = 0
                        OR r.effective_from <= coalesce(min(CASE WHEN r.tier_start_tokens = 0
                                                                 THEN r.effective_from END)
                                                          OVER (PARTITION BY r.provider, r.model,
                                                                             r.variant),
                                                        r.effective_from))
              THEN '' ELSE r.effective_from END AS valid_from,
         lead(r.effective_from) OVER w AS next_from,
         CASE WHEN r.tier_start_tokens > 0 THEN
           min(CASE WHEN r.tier_start_tokens = 0 THEN r.effective_from END) OVER (
             PARTITION BY r.provider, r.model, r.variant ORDER BY r.effective_from
             GROUPS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) END AS base_superseded_from
  FROM c r
  WINDOW w AS (PARTITION BY r.provider, r.model, r.variant, r.tier_start_tokens
               ORDER BY r.effective_from)),
t AS (
  -- @build-as
  --   SELECT rid AS rc_rid, tier_start_tokens, valid_from, next_from, base_superseded_from
  --   FROM p
  SELECT * FROM p)
SELECT t.*,
       CASE WHEN t.tier_start_tokens = 0 OR t.base_superseded_from IS NULL THEN t.next_from
            WHEN t.next_from IS NULL OR t.base_superseded_from < t.next_from
              THEN t.base_superseded_from
            ELSE t.next_from END AS valid_to
FROM t;

DROP VIEW IF EXISTS temp.rate_match_rules_live;
-- rate_match_rules_live: the price lists' own name rules (genai-prices'
-- `match`: which model names a model's price covers, by equals, prefix,
-- suffix, substring or regex; see genai_match) per canonical provider,
-- model and variant of the row, in list order (source_path, source_row: the
-- first rule that holds wins, as in genai-prices). event_costs uses them
-- only for an event whose own names find no card at all: gemini-2.5-flash-
-- lite-preview-06-17 is its own model to the canonicalizer, with no card of
-- its own, and genai-prices' rule bills it as gemini-2.5-flash-lite; a
-- variant's rule (minimax's MiniMax-M2.5-highspeed, variant
-- speed_sku=highspeed, matches 'M2.5-highspeed') bills at that variant's
-- card (the rows of a service tier or a daily window are not the name's:
-- an event a rule bills takes such a card as a named event would, by its
-- time of day). own_model: for a row whose undated name was mapped by a guess, its
-- own name (as in model_prices): where model_prices kept that name apart
-- (a card of the own name exists), the rule bills at that card.
-- @build rate_match_rules (provider)
CREATE TEMP VIEW rate_match_rules_live AS
SELECT r.provider, r.model, variant_key(r.variant, NULL, NULL, NULL) AS variant,
       CASE WHEN r.model_rule = 'undated' THEN
         lower(substr(p.raw_model, length(rtrim(p.raw_model, replace(p.raw_model, '/', ''))) + 1))
       END AS own_model,
       p.extra -> '$.match' AS rule, min(s.path) AS source_path, min(p.rowid) AS source_row
FROM ledger_sources s CROSS JOIN pricing(tokenledger_path(s.path), s.format) p
     CROSS JOIN resolve_model(p.raw_model, p.raw_provider, NULL,
                              coalesce(p.effective_from, s.snapshot_date)) r
WHERE s.kind = 'pricing' AND (s.format IS NULL OR s.format IN ('auto', 'genai-prices'))
  AND p.source_format = 'genai-prices' AND p.extra -> '$.match' IS NOT NULL
  AND p.service_tier IS NULL AND p.window_start IS NULL
  AND r.provider IS NOT NULL AND r.model IS NOT NULL
GROUP BY 1, 2, 3, 4, 5;

DROP TABLE IF EXISTS temp.ledger_rate_snapshot;
-- ledger_refresh: an optional materialize step for costing many events.
-- rate_timeline reads every pricing file, canonicalizes every row and ranks
-- the candidates each time a query needs it (well under a second over all
-- the real sources, but paid per query). After
--
--   INSERT INTO ledger_refresh DEFAULT VALUES;
--
-- ledger_rate_snapshot (a TEMP table, indexed on provider, model,
-- tier_start_tokens, valid_from) holds rate_timeline_live as it was (and
-- ledger_rule_snapshot rate_match_rules_live), and rate_timeline and
-- everything built on it (event_costs) read the snapshot instead: costing becomes an indexed join on a stored table. Any change to
-- ledger_sources, ledger_tier_rules, ledger_settings, ledger_source_authority
-- or ledger_zero_price_rules empties the snapshot (TEMP triggers: the
-- flags and hence the ranking depend on the last three),
-- so the views go back to reading the files live until the next refresh.
-- A price FILE changed on disk is not noticed: refresh again after it.
-- Without a refresh nothing changes: the snapshot is empty and
-- rate_timeline is rate_timeline_live.
CREATE TEMP TABLE ledger_rate_snapshot AS SELECT * FROM rate_timeline_live WHERE 0;
CREATE INDEX temp.ledger_rate_snapshot_key
  ON ledger_rate_snapshot(provider, model, variant, tier_start_tokens, valid_from);
DROP TABLE IF EXISTS temp.ledger_rule_snapshot;
CREATE TEMP TABLE ledger_rule_snapshot AS SELECT * FROM rate_match_rules_live WHERE 0;
DROP VIEW IF EXISTS temp.ledger_refresh;
CREATE TEMP VIEW ledger_refresh AS SELECT NULL AS refreshed WHERE 0;
CREATE TEMP TRIGGER ledger_refresh_insert INSTEAD OF INSERT ON ledger_refresh
BEGIN
  DELETE FROM ledger_rate_snapshot;
  DELETE FROM ledger_rule_snapshot;
  INSERT INTO ledger_rate_snapshot SELECT * FROM rate_timeline_live;
  INSERT INTO ledger_rule_snapshot SELECT * FROM rate_match_rules_live;
END;
DROP TRIGGER IF EXISTS temp.ledger_sources_insert;
CREATE TEMP TRIGGER ledger_sources_insert AFTER INSERT ON main.ledger_sources
BEGIN DELETE FROM ledger_rate_snapshot; DELETE FROM ledger_rule_snapshot; END;
DROP TRIGGER IF EXISTS temp.ledger_sources_update;
CREATE TEMP TRIGGER ledger_sources_update AFTER UPDATE ON main.ledger_sources
BEGIN DELETE FROM ledger_rate_snapshot; DELETE FROM ledger_rule_snapshot; END;
DROP TRIGGER IF EXISTS temp.ledger_sources_delete;
CREATE TEMP TRIGGER ledger_sources_delete AFTER DELETE ON main.ledger_sources
BEGIN DELETE FROM ledger_rate_snapshot; DELETE FROM ledger_rule_snapshot; END;
DROP TRIGGER IF EXISTS temp.ledger_tier_rules_insert;
CREATE TEMP TRIGGER ledger_tier_rules_insert AFTER INSERT ON main.ledger_tier_rules
BEGIN DELETE FROM ledger_rate_snapshot; DELETE FROM ledger_rule_snapshot; END;
DROP TRIGGER IF EXISTS temp.ledger_tier_rules_update;
CREATE TEMP TRIGGER ledger_tier_rules_update AFTER UPDATE ON main.ledger_tier_rules
BEGIN DELETE FROM ledger_rate_snapshot; DELETE FROM ledger_rule_snapshot; END;
DROP TRIGGER IF EXISTS temp.ledger_tier_rules_delete;
CREATE TEMP TRIGGER ledger_tier_rules_delete AFTER DELETE ON main.ledger_tier_rules
BEGIN DELETE FROM ledger_rate_snapshot; DELETE FROM ledger_rule_snapshot; END;
DROP TRIGGER IF EXISTS temp.ledger_settings_insert;
CREATE TEMP TRIGGER ledger_settings_insert AFTER INSERT ON main.ledger_settings
BEGIN DELETE FROM ledger_rate_snapshot; DELETE FROM ledger_rule_snapshot; END;
DROP TRIGGER IF EXISTS temp.ledger_settings_update;
CREATE TEMP TRIGGER ledger_settings_update AFTER UPDATE ON main.ledger_settings
BEGIN DELETE FROM ledger_rate_snapshot; DELETE FROM ledger_rule_snapshot; END;
DROP TRIGGER IF EXISTS temp.ledger_settings_delete;
CREATE TEMP TRIGGER ledger_settings_delete AFTER DELETE ON main.ledger_settings
BEGIN DELETE FROM ledger_rate_snapshot; DELETE FROM ledger_rule_snapshot; END;
DROP TRIGGER IF EXISTS temp.ledger_source_authority_insert;
CREATE TEMP TRIGGER ledger_source_authority_insert AFTER INSERT ON main.ledger_source_authority
BEGIN DELETE FROM ledger_rate_snapshot; DELETE FROM ledger_rule_snapshot; END;
DROP TRIGGER IF EXISTS temp.ledger_source_authority_update;
CREATE TEMP TRIGGER ledger_source_authority_update AFTER UPDATE ON main.ledger_source_authority
BEGIN DELETE FROM ledger_rate_snapshot; DELETE FROM ledger_rule_snapshot; END;
DROP TRIGGER IF EXISTS temp.ledger_source_authority_delete;
CREATE TEMP TRIGGER ledger_source_authority_delete AFTER DELETE ON main.ledger_source_authority
BEGIN DELETE FROM ledger_rate_snapshot; DELETE FROM ledger_rule_snapshot; END;
DROP TRIGGER IF EXISTS temp.ledger_zero_price_rules_insert;
CREATE TEMP TRIGGER ledger_zero_price_rules_insert AFTER INSERT ON main.ledger_zero_price_rules
BEGIN DELETE FROM ledger_rate_snapshot; DELETE FROM ledger_rule_snapshot; END;
DROP TRIGGER IF EXISTS temp.ledger_zero_price_rules_update;
CREATE TEMP TRIGGER ledger_zero_price_rules_update AFTER UPDATE ON main.ledger_zero_price_rules
BEGIN DELETE FROM ledger_rate_snapshot; DELETE FROM ledger_rule_snapshot; END;
DROP TRIGGER IF EXISTS temp.ledger_zero_price_rules_delete;
CREATE TEMP TRIGGER ledger_zero_price_rules_delete AFTER DELETE ON main.ledger_zero_price_rules
BEGIN DELETE FROM ledger_rate_snapshot; DELETE FROM ledger_rule_snapshot; END;

DROP VIEW IF EXISTS temp.rate_timeline;
-- rate_timeline: the snapshot when there is one, else the live view. The
-- test sits in a one-row subquery joined first (CROSS JOIN fixes the order):
-- when it is empty the live view is never started, whereas a WHERE on the
-- live arm would be tested only after the files were read. In the build, a
-- view kept in the database: rate_cards joined to rate_timeline_values.
-- @build view rate_timeline
CREATE TEMP VIEW rate_timeline AS
WITH t AS (
  -- @build-as
  --   SELECT r.*, v.valid_from, v.next_from, v.base_superseded_from, v.valid_to
  --   FROM rate_timeline_values v JOIN rate_cards r ON r.rowid = v.rc_rid
  SELECT * FROM ledger_rate_snapshot
  UNION ALL
  SELECT l.* FROM (SELECT 1 AS live WHERE NOT EXISTS (SELECT 1 FROM ledger_rate_snapshot)) g
  CROSS JOIN rate_timeline_live l)
SELECT * FROM t;

DROP VIEW IF EXISTS temp.rate_match_rules;
-- rate_match_rules: likewise the snapshot's rules after a refresh (read
-- when the rate snapshot is filled), else the live view.
CREATE TEMP VIEW rate_match_rules AS
SELECT * FROM ledger_rule_snapshot
UNION ALL
SELECT l.* FROM (SELECT 1 AS live WHERE NOT EXISTS (SELECT 1 FROM ledger_rate_snapshot)) g
CROSS JOIN rate_match_rules_live l;

DROP VIEW IF EXISTS temp.benchmark_candidates;
-- benchmark_candidates: every figure of every benchmark source for the six
-- priors (intelligence_index, coding_index, agentic_index, arena_score,
-- output_tokens_per_s, ttft_ms), under the canonical model of
-- resolve_model(raw_model, raw_creator) as of the row's date (a floating
-- alias names the snapshot of that day); as_of is the row's, else the
-- source's snapshot_date. Priority, documented: higher source priority,
-- then the later as_of, then the surer model mapping, then path and raw
-- name. candidate_rank 1 wins; the others stay here, visible.
-- @build benchmark_candidates (model)
CREATE TEMP VIEW benchmark_candidates AS
SELECT c.*,
       row_number() OVER (PARTITION BY c.model, c.metric
                          ORDER BY c.source_priority DESC, c.as_of DESC,
                                   c.model_mapping_confidence DESC, c.source_path,
                                   c.raw_model) AS candidate_rank
FROM (SELECT r.model, b.metric, b.value, b.unit, coalesce(b.as_of, s.snapshot_date) AS as_of,
             s.path AS source_path, b.source_format, s.priority AS source_priority,
             b.raw_model, b.raw_creator, r.model_rule AS model_mapping_rule,
             r.model_confidence AS model_mapping_confidence
      FROM ledger_sources s, benchmarks(tokenledger_path(s.path), s.format) b,
           resolve_model(b.raw_model, b.raw_creator, NULL,
                         CASE WHEN coalesce(b.as_of, s.snapshot_date)
                                   GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]*'
                              THEN coalesce(b.as_of, s.snapshot_date) END) r
      WHERE s.kind = 'benchmarks' AND b.value IS NOT NULL AND r.model IS NOT NULL
        AND b.metric IN ('intelligence_index', 'coding_index', 'agentic_index',
                         'arena_score', 'output_tokens_per_s', 'ttft_ms')) c;

DROP VIEW IF EXISTS temp.benchmark_priors;
-- benchmark_priors: one row per canonical model, each prior with the source
-- file it won from and its as-of date.
-- @build benchmark_priors (model)
CREATE TEMP VIEW benchmark_priors AS
SELECT model,
  max(CASE WHEN metric = 'intelligence_index' THEN value END) AS intelligence_index,
  max(CASE WHEN metric = 'intelligence_index' THEN source_path END) AS intelligence_source,
  max(CASE WHEN metric = 'intelligence_index' THEN as_of END) AS intelligence_as_of,
  max(CASE WHEN metric = 'coding_index' THEN value END) AS coding_index,
  max(CASE WHEN metric = 'coding_index' THEN source_path END) AS coding_source,
  max(CASE WHEN metric = 'coding_index' THEN as_of END) AS coding_as_of,
  max(CASE WHEN metric = 'agentic_index' THEN value END) AS agentic_index,
  max(CASE WHEN metric = 'agentic_index' THEN source_path END) AS agentic_source,
  max(CASE WHEN metric = 'agentic_index' THEN as_of END) AS agentic_as_of,
  max(CASE WHEN metric = 'arena_score' THEN value END) AS arena_score,
  max(CASE WHEN metric = 'arena_score' THEN source_path END) AS arena_source,
  max(CASE WHEN metric = 'arena_score' THEN as_of END) AS arena_as_of,
  max(CASE WHEN metric = 'output_tokens_per_s' THEN value END) AS output_tokens_per_s,
  max(CASE WHEN metric = 'output_tokens_per_s' THEN source_path END) AS speed_source,
  max(CASE WHEN metric = 'output_tokens_per_s' THEN as_of END) AS speed_as_of,
  max(CASE WHEN metric = 'ttft_ms' THEN value END) AS ttft_ms,
  max(CASE WHEN metric = 'ttft_ms' THEN source_path END) AS ttft_source,
  max(CASE WHEN metric = 'ttft_ms' THEN as_of END) AS ttft_as_of
FROM benchmark_candidates
WHERE candidate_rank = 1
GROUP BY model;

DROP VIEW IF EXISTS temp.ledger_row_values;
-- ledger_rows: the unified ledger before ranking. One row per (provider,
-- model, variant) that has a billed rate card, priced by its latest tier-0
-- card (the one in force now): the row with variant NULL is the base
-- offering, each variant ('region=eu', 'speed_sku=fast') its own row, with
-- ledger_key 'provider/model|variant'; plus one row per benchmark-only model under its
-- creator's own API (provider_mapping_rule 'creator'), prices NULL.
-- Per-1M prices are rounded to 9 decimals (a per-token double times 1e6 is
-- not exactly the decimal). blended_price_per_1m = (wi x input + wo x
-- output) / (wi + wo) with the weights of ledger_settings (3:1). The
-- cross-source median is model_price_medians' (per source file and
-- provider the latest priced base row, flagged rows left out); the delta is
-- this row's blended price minus it. price_flag, price_flag_reason and
-- price_rank_reason are the card's (rate_cards). routable 1: priced on
-- input and output and not flagged (a 'free' $0 row is routable only with
-- ledger_settings zero_price_routable 1; 'plan', 'local' and 'implausible'
-- never); the routes and both frontiers take routable rows only.
-- best_offering 1: the model's routable row with the lowest blended price,
-- base rows before variants (a :free or regional row is not what a model
-- costs; a variant is best only when no base row is routable; ties: the
-- creator's own API, then provider name); model_offerings: the
-- model's routable rows.
-- ledger_row_values computes the rows, ledger_rows ranks them: the build
-- writes the first as a TEMP table, so that the ranking sorts narrow rows
-- (in C: @build-rank) and takes the wide ones back by rowid, where a window
-- over these rows (no rowid) copies every column of each into its buffer.
-- @build temp ledger_row_values
CREATE TEMP VIEW ledger_row_values AS
WITH w AS (
  SELECT (SELECT value FROM ledger_settings WHERE key = 'blend_input_weight') AS wi,
         (SELECT value FROM ledger_settings WHERE key = 'blend_output_weight') AS wo,
         (SELECT value FROM ledger_settings WHERE key = 'zero_price_routable') AS zr),
cur AS (
  -- @build-inline
  SELECT * FROM rate_timeline WHERE tier_start_tokens = 0 AND valid_to IS NULL),
-- the models cur prices, for bench_only (narrow, so that the build reads the
-- wide rows of cur, rate_timeline's view there, once rather than copying them)
cur_models AS MATERIALIZED (SELECT model FROM cur),
-- price_checks read once for both the medians (as model_price_medians
-- computes them; the build reads its table, and reads pc, the view
-- price_checks there, once: no copy)
-- and the widest context window of each model
pc AS MATERIALIZED (
  -- @build-inline
  SELECT model, blended_cost_per_token, in_median, context_window FROM price_checks),
med AS MATERIALIZED (
  -- @build-as
  --   SELECT model, median_blended, price_sources FROM model_price_medians
  SELECT model, avg(blended_cost_per_token) AS median_blended, max(n) AS price_sources
  FROM (SELECT model, blended_cost_per_token, row_number() OVER m AS i, count(*) OVER m AS n
        FROM pc WHERE in_median
        WINDOW m AS (PARTITION BY model ORDER BY blended_cost_per_token
                     ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING))
  WHERE i IN ((n + 1) / 2, (n + 2) / 2)
  GROUP BY model),
ctx AS MATERIALIZED (SELECT model, max(context_window) AS context_window FROM pc GROUP BY model),
bench_only AS (
  SELECT coalesce(r.provider, r.creator) AS provider, bp.model, r.creator,
         CASE WHEN r.provider IS NULL AND r.creator IS NOT NULL THEN 'creator'
              ELSE r.provider_rule END AS provider_rule, r.provider_confidence
  FROM benchmark_priors bp, resolve_model(bp.model) r
  WHERE NOT EXISTS (SELECT 1 FROM cur_models c WHERE c.model = bp.model)),
-- (the build unions only the rows' ids, each current card's rowid in
-- rate_cards or a benchmark-only model, and takes the columns back by rowid
-- (rate_timeline adds none that the rows read): a UNION
-- ALL under the joins below runs as a co-routine, which copied every value
-- of every row once more, 180 M instructions over the real sources)
keyed AS (
  -- @build-as
  --   SELECT coalesce(t.provider, b.provider) AS provider, coalesce(t.model, b.model) AS model,
  --          t.variant, coalesce(t.creator, b.creator) AS creator, t.input_cost_per_token,
  --          t.output_cost_per_token, t.cache_read_cost_per_token, t.cache_write_cost_per_token,
  --          t.reasoning_cost_per_token, t.context_window, t.max_output_tokens,
  --          t.source_path AS price_source, t.source_format AS price_source_format,
  --          t.effective_from AS price_effective_from,
  --          t.recorded_snapshot AS price_recorded_snapshot, t.raw_provider, t.raw_model,
  --          coalesce(t.provider_mapping_rule, b.provider_rule) AS provider_mapping_rule,
  --          coalesce(t.provider_mapping_confidence, b.provider_confidence)
  --            AS provider_mapping_confidence,
  --          CASE WHEN ids.rid IS NULL THEN 'benchmark-only' ELSE t.model_mapping_rule END
  --            AS model_mapping_rule,
  --          t.model_mapping_confidence, t.price_flag, t.price_flag_reason, t.rank_reason
  --   FROM (SELECT rc_rid AS rid, NULL AS bench_model FROM rate_timeline_values
  --         WHERE tier_start_tokens = 0 AND valid_to IS NULL
  --         UNION ALL SELECT NULL, model FROM bench_only) ids
  --   LEFT JOIN rate_cards t ON t.rowid = ids.rid
  --   LEFT JOIN bench_only b ON b.model = ids.bench_model
  SELECT provider, model, variant, creator, input_cost_per_token, output_cost_per_token,
         cache_read_cost_per_token, cache_write_cost_per_token, reasoning_cost_per_token,
         context_window, max_output_tokens, source_path AS price_source,
         source_format AS price_source_format, effective_from AS price_effective_from,
         recorded_snapshot AS price_recorded_snapshot, raw_provider, raw_model,
         provider_mapping_rule, provider_mapping_confidence, model_mapping_rule,
         model_mapping_confidence, price_flag, price_flag_reason, rank_reason
  FROM cur
  UNION ALL
  SELECT provider, model, NULL, creator, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
         NULL, NULL, NULL, provider_rule, provider_confidence, 'benchmark-only', NULL,
         NULL, NULL, NULL
  FROM bench_only),
rows AS (
SELECT coalesce(k.provider, '') || '/' || k.model || coalesce('|' || k.variant, '') AS ledger_key,
       k.provider, k.model, k.variant, k.creator,
       k.input_cost_per_token, k.output_cost_per_token, k.cache_read_cost_per_token,
       k.cache_write_cost_per_token, k.reasoning_cost_per_token,
       round(k.input_cost_per_token * 1000000, 9) AS input_per_1m,
       round(k.output_cost_per_token * 1000000, 9) AS output_per_1m,
       round(k.cache_read_cost_per_token * 1000000, 9) AS cache_read_per_1m,
       round(k.cache_write_cost_per_token * 1000000, 9) AS cache_write_per_1m,
       round((w.wi * k.input_cost_per_token + w.wo * k.output_cost_per_token)
             / (w.wi + w.wo) * 1000000, 9) AS blended_price_per_1m,
       coalesce(k.context_window, ctx.context_window) AS context_window,
       k.max_output_tokens, k.price_source, k.price_source_format, k.price_effective_from,
       k.price_recorded_snapshot, k.raw_provider, k.raw_model,
       k.provider_mapping_rule, k.provider_mapping_confidence,
       k.model_mapping_rule, k.model_mapping_confidence,
       coalesce(med.price_sources, 0) AS price_sources,
       round(med.median_blended * 1000000, 9) AS median_blended_per_1m,
       round(((w.wi * k.input_cost_per_token + w.wo * k.output_cost_per_token) / (w.wi + w.wo)
              - med.median_blended) * 1000000, 9) AS price_delta_vs_median_per_1m,
       bp.intelligence_index, bp.intelligence_source, bp.intelligence_as_of,
       bp.coding_index, bp.coding_source, bp.coding_as_of,
       bp.agentic_index, bp.agentic_source, bp.agentic_as_of,
       bp.arena_score, bp.arena_source, bp.arena_as_of,
       bp.output_tokens_per_s, bp.speed_source, bp.speed_as_of,
       bp.ttft_ms, bp.ttft_source, bp.ttft_as_of,
       k.price_flag, k.price_flag_reason, k.rank_reason AS price_rank_reason,
       coalesce(k.input_cost_per_token IS NOT NULL AND k.output_cost_per_token IS NOT NULL
                AND (k.price_flag IS NULL OR (k.price_flag = 'free' AND w.zr)), 0) AS routable
FROM keyed k CROSS JOIN w
LEFT JOIN med ON med.model = k.model
LEFT JOIN ctx ON ctx.model = k.model
LEFT JOIN benchmark_priors bp ON bp.model = k.model)
SELECT * FROM rows;

DROP VIEW IF EXISTS temp.ledger_rows;
-- @build ledger_rows (provider, model) (model) (ledger_key)
CREATE TEMP VIEW ledger_rows AS
-- (one window, the whole partition its frame: the sum over the model rides
-- on the ranking's pass rather than a pass of its own over these wide rows;
-- the build ranks it in C and takes the sum from a GROUP BY of the model)
WITH ranked AS (
  -- @build-rank ledger_row_ranks m
  -- @build-as
  --   SELECT r.*, (r.routable AND k.place = 1) AS best_offering, g.model_offerings
  --   FROM ledger_row_values r JOIN ledger_row_ranks k ON k.rid = r.rowid
  --   CROSS JOIN (SELECT model, sum(routable) AS model_offerings
  --               FROM ledger_row_values GROUP BY model) g
  --     ON g.model IS r.model
  SELECT r.*, (r.routable AND row_number() OVER m = 1) AS best_offering,
         sum(r.routable) OVER m AS model_offerings
  FROM ledger_row_values r
  WINDOW m AS (PARTITION BY r.model
               ORDER BY r.routable DESC, r.variant IS NOT NULL, r.blended_price_per_1m,
                        r.provider IS NOT r.creator, r.provider, r.variant
               ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING))
SELECT * FROM ranked;

DROP VIEW IF EXISTS temp.ledger_model_pareto_ranks;
-- ledger_model_pareto_ranks: the pareto rank of each ledger row on quality
-- (intelligence_index, max), price (blended_price_per_1m, min) and speed
-- (output_tokens_per_s, max), one competitor per MODEL: its best_offering
-- row (quality and speed are the model's, so its offerings differ only in
-- price and the cheapest is the one that can be on the frontier). Rank 1 is
-- the frontier, one row per model. A row has no rank when it is not the
-- model's best offering or when one of the three is missing (pareto's
-- nulls=skip). One row per row pareto() was given (the best offerings),
-- NULL pareto_rank where it ranks none; the ledger views join it by
-- ledger_key, so their other rows have NULL too.
-- @build ledger_model_pareto_ranks (ledger_key)
CREATE TEMP VIEW ledger_model_pareto_ranks AS
SELECT key AS ledger_key, pareto_rank FROM pareto(
  'SELECT ledger_key, intelligence_index, blended_price_per_1m, output_tokens_per_s
     FROM ledger_rows WHERE best_offering',
  'intelligence_index max, blended_price_per_1m min, output_tokens_per_s max');

DROP VIEW IF EXISTS temp.ledger_offering_pareto_ranks;
-- ledger_offering_pareto_ranks: the same ranks over every routable
-- (provider, model) offering instead: a model sold by three providers can
-- be on this frontier three times (once per provider whose price no other
-- offering beats with the same quality and speed, i.e. ties at the lowest
-- price).
-- @build ledger_offering_pareto_ranks (ledger_key)
CREATE TEMP VIEW ledger_offering_pareto_ranks AS
SELECT key AS ledger_key, pareto_rank FROM pareto(
  'SELECT ledger_key, intelligence_index, blended_price_per_1m, output_tokens_per_s
     FROM ledger_rows WHERE routable',
  'intelligence_index max, blended_price_per_1m min, output_tokens_per_s max');

DROP VIEW IF EXISTS temp.unified_model_provider_ledger;
-- unified_model_provider_ledger: ledger_rows with pareto_rank from
-- ledger_model_pareto_ranks: rank 1 is the frontier, one row per model;
-- pareto_rank is NULL on the model's other offerings, on rows that are not
-- routable (unpriced, flagged) and when one of quality, price and speed is
-- missing. Here the frontier is computed once per query (a MATERIALIZED
-- CTE), not once per row. The build keeps it as a view over its tables
-- (a join by ledger_key, the CTE without its hint): a table would copy
-- every wide row of ledger_rows again for one column.
-- @build view unified_model_provider_ledger
CREATE TEMP VIEW unified_model_provider_ledger AS
WITH fr AS MATERIALIZED (
  SELECT ledger_key, pareto_rank FROM ledger_model_pareto_ranks)
SELECT l.*, fr.pareto_rank
FROM ledger_rows l LEFT JOIN fr ON fr.ledger_key = l.ledger_key;

DROP VIEW IF EXISTS temp.unified_model_provider_frontier_offerings;
-- unified_model_provider_frontier_offerings: the same rows, with
-- pareto_rank from ledger_offering_pareto_ranks (every routable offering
-- competes). Use it to choose where to buy; use
-- unified_model_provider_ledger to choose what to buy. A view in the build,
-- as unified_model_provider_ledger.
-- @build view unified_model_provider_frontier_offerings
CREATE TEMP VIEW unified_model_provider_frontier_offerings AS
WITH fr AS MATERIALIZED (
  SELECT ledger_key, pareto_rank FROM ledger_offering_pareto_ranks)
SELECT l.*, fr.pareto_rank
FROM ledger_rows l LEFT JOIN fr ON fr.ledger_key = l.ledger_key;

DROP VIEW IF EXISTS temp.ledger_audit_rows;
-- ledger_audit: one row per canonical (provider, model, variant) key of
-- price_checks (variant NULL: the base offering),
-- over the current base price of each raw name in each file (per source
-- file, raw provider and raw name, the latest tier-0 row): how many rows,
-- files and distinct raw names fell into the key, the lowest and highest
-- non-zero input and output prices per 1M, spread = the larger of
-- max/min input and max/min output, spread_flag 1 when spread exceeds
-- ledger_settings audit_spread_ratio (2: prices differing by more than 2x
-- under one key are usually different models, regions or tiers merged by
-- the canonicalizer, or a wrong price), the $0 and implausible rows, and
-- names: a JSON array of {source, raw_provider, raw_model, input_per_1m,
-- output_per_1m, price_flag}, ordered by source, raw provider, raw name
-- (JSON text: json(names) nests it in another JSON value).
-- ledger_audit_rows gives the rows it groups, one per (provider, model,
-- variant, source file, raw provider, raw name): the build writes them as
-- a TEMP table indexed by key, which the GROUP BY reads in its order
-- without a sort of the rows.
-- @build temp ledger_audit_rows (provider, model, variant)
CREATE TEMP VIEW ledger_audit_rows AS
-- (the build ranks and joins back the rows of price_check_values, which have a
-- rowid, where the view price_checks has none)
WITH pc AS (
  -- @build-as
  --   SELECT p.rowid AS rid, mp.provider, mp.model, mp.variant, mp.source_path,
  --          mp.raw_provider, mp.raw_model, mp.input_cost_per_token, mp.output_cost_per_token,
  --          p.price_flag, mp.tier_start_tokens, p.card_effective_from, mp.entry
  --   FROM price_check_values p JOIN model_prices mp ON mp.rowid = p.mp_rid
  SELECT * FROM price_checks),
ranked AS NOT MATERIALIZED (
  -- @build-rank ledger_audit_ranks n
  -- @build-as
  --   SELECT c.provider, c.model, c.variant, c.source_path, c.raw_provider, c.raw_model,
  --          c.input_cost_per_token, c.output_cost_per_token, c.price_flag, k.place AS rn
  --   FROM ledger_audit_ranks k JOIN pc c ON c.rid = k.rid
  SELECT c.provider, c.model, c.variant, c.source_path, c.raw_provider, c.raw_model,
         c.input_cost_per_token, c.output_cost_per_token, c.price_flag, row_number() OVER n AS rn
  FROM pc c WHERE c.tier_start_tokens = 0
  WINDOW n AS (PARTITION BY c.provider, c.model, c.variant, c.source_path, c.raw_provider,
                            c.raw_model
               ORDER BY c.card_effective_from DESC, c.input_cost_per_token NULLS LAST,
                        c.output_cost_per_token NULLS LAST, c.entry))
SELECT * FROM ranked WHERE rn = 1;

DROP VIEW IF EXISTS temp.ledger_audit;
-- @build ledger_audit (provider, model)
CREATE TEMP VIEW ledger_audit AS
-- count_distinct is count(DISTINCT), and ordered_json_group_array a
-- json_group_array with its ORDER BY, both in the GROUP BY's own pass
-- (ext/func_count_distinct.c, ext/func_ordered_json.c say why)
WITH g AS (
  SELECT provider, model, variant, count(*) AS rows, count_distinct(source_path) AS sources,
         count_distinct(coalesce(raw_provider, '') || char(1) || raw_model) AS raw_names,
         min(CASE WHEN input_cost_per_token > 0 THEN input_cost_per_token END) AS in_lo,
         max(CASE WHEN input_cost_per_token > 0 THEN input_cost_per_token END) AS in_hi,
         min(CASE WHEN output_cost_per_token > 0 THEN output_cost_per_token END) AS out_lo,
         max(CASE WHEN output_cost_per_token > 0 THEN output_cost_per_token END) AS out_hi,
         sum(coalesce(price_flag IN ('plan', 'local', 'free'), 0)) AS zero_rows,
         sum(coalesce(price_flag = 'implausible', 0)) AS implausible_rows,
         ordered_json_group_array(json_object(
             'source', source_path, 'raw_provider', raw_provider, 'raw_model', raw_model,
             'input_per_1m', round(input_cost_per_token * 1000000, 9),
             'output_per_1m', round(output_cost_per_token * 1000000, 9),
             'price_flag', price_flag), source_path, raw_provider, raw_model) AS names
  FROM ledger_audit_rows GROUP BY provider, model, variant),
s AS (
  SELECT g.*, CASE WHEN in_hi / in_lo >= coalesce(out_hi / out_lo, 0) THEN in_hi / in_lo
                   ELSE out_hi / out_lo END AS spread
  FROM g)
SELECT s.provider, s.model, s.variant, s.rows, s.sources, s.raw_names,
       round(s.in_lo * 1000000, 9) AS min_input_per_1m,
       round(s.in_hi * 1000000, 9) AS max_input_per_1m,
       round(s.out_lo * 1000000, 9) AS min_output_per_1m,
       round(s.out_hi * 1000000, 9) AS max_output_per_1m,
       round(s.spread, 4) AS spread,
       coalesce(s.spread > (SELECT value FROM ledger_settings WHERE key = 'audit_spread_ratio'),
                0) AS spread_flag,
       s.zero_rows, s.implausible_rows, s.names
FROM s;

DROP VIEW IF EXISTS temp.pricing_coverage;
-- pricing_coverage: per provider, and overall (provider '(all)'), ledger
-- rows with a price (input and output both known) and without.
-- @build pricing_coverage
CREATE TEMP VIEW pricing_coverage AS
WITH l AS (
  SELECT provider, (input_cost_per_token IS NOT NULL AND output_cost_per_token IS NOT NULL)
           AS priced
  FROM ledger_rows)
SELECT provider, count(*) AS models, sum(priced) AS priced, count(*) - sum(priced) AS unpriced,
       round(100.0 * sum(priced) / count(*), 1) AS priced_pct
FROM l GROUP BY provider
UNION ALL
SELECT '(all)', count(*), sum(priced), count(*) - sum(priced),
       round(100.0 * sum(priced) / count(*), 1)
FROM l;

DROP TABLE IF EXISTS temp.ledger_calls;
-- ledger_events: every line of every events source (usage_events: disjoint
-- token buckets), with the canonical provider, creator, model and variant
-- (the price-bearing qualifiers of the raw name, as in model_prices, and the
-- event's service tier: variant_key, so a batch or flex call meets the card
-- of its tier); a floating alias is resolved as of the event's ts.
-- ledger_calls: scratch rows for usage_cost() (vtab/usage_cost.c), which
-- puts the one call it prices here, reads event_costs for it (source_path
-- ':call') and empties the table again, inside its own statement. Empty
-- otherwise; columns as usage_events' (line is always 1).
CREATE TEMP TABLE ledger_calls(
  line INTEGER NOT NULL DEFAULT 1, ts TEXT, provider TEXT, model TEXT, dialect TEXT,
  input_tokens INTEGER, cache_read_tokens INTEGER, cache_write_tokens INTEGER,
  output_tokens INTEGER, reasoning_tokens INTEGER, audio_input_tokens INTEGER,
  audio_output_tokens INTEGER, image_input_tokens INTEGER, image_output_tokens INTEGER,
  video_input_tokens INTEGER, video_output_tokens INTEGER, cache_write_5m_tokens INTEGER,
  cache_write_1h_tokens INTEGER, web_search_requests INTEGER, service_tier TEXT,
  reported_cost REAL, request_id TEXT, error TEXT, cache_read_audio_tokens INTEGER);

DROP VIEW IF EXISTS temp.ledger_events;
CREATE TEMP VIEW ledger_events AS
SELECT s.path AS source_path, u.line, u.ts, u.provider AS raw_provider, u.model AS raw_model,
       u.dialect, u.input_tokens, u.cache_read_tokens, u.cache_write_tokens, u.output_tokens,
       u.reasoning_tokens, u.audio_input_tokens, u.audio_output_tokens, u.image_input_tokens,
       u.image_output_tokens, u.video_input_tokens, u.video_output_tokens,
       u.cache_write_5m_tokens, u.cache_write_1h_tokens, u.web_search_requests, u.service_tier,
       u.reported_cost, u.request_id, u.error,
       r.provider, r.creator, r.model, variant_key(r.variant, u.service_tier) AS variant,
       r.model_rule AS model_mapping_rule, r.model_confidence AS model_mapping_confidence,
       u.cache_read_audio_tokens
FROM ledger_sources s, usage_events(tokenledger_path(s.path)) u, resolve_model(u.model, u.provider, NULL, u.ts) r
WHERE s.kind = 'events'
UNION ALL
SELECT ':call', u.line, u.ts, u.provider, u.model,
       u.dialect, u.input_tokens, u.cache_read_tokens, u.cache_write_tokens, u.output_tokens,
       u.reasoning_tokens, u.audio_input_tokens, u.audio_output_tokens, u.image_input_tokens,
       u.image_output_tokens, u.video_input_tokens, u.video_output_tokens,
       u.cache_write_5m_tokens, u.cache_write_1h_tokens, u.web_search_requests, u.service_tier,
       u.reported_cost, u.request_id, u.error,
       r.provider, r.creator, r.model, variant_key(r.variant, u.service_tier),
       r.model_rule, r.model_confidence, u.cache_read_audio_tokens
FROM temp.ledger_calls u, resolve_model(u.model, u.provider, NULL, u.ts) r;

DROP VIEW IF EXISTS temp.event_costs;
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
--   (cache_read_audio_tokens, part of cache_read_tokens; the last three
--   columns: the tokens, cache_read_audio_cost_per_token,
--   cache_read_audio_cost) is billed at its own price, else the cache read
--   price, else the audio input price, else the input price (genai-prices
--   bills it inside its nearest priced ancestor unit), flagged the same
--   way; cache_read_cost bills the rest of the cache reads.
--   Costs are bucket_cost(): exact decimal, rounded once. A bucket with
--   tokens but no price makes that cost and total_cost NULL; a model whose
--   prices are 0 costs 0 (cost_status 'free'). cost_status: priced, free,
--   unpriced; cost_note says why a cost is NULL.
--   cost_minus_reported = total_cost - reported_cost, where the event
--   carries a cost.
-- HOW IT WORKS: in C, for speed. The view reads the virtual table
-- cost_events (vtab/event_costs.c), which loads rate_timeline once per query
-- into memory (ext/core/costing.c: a hash on provider and model, a binary search
-- on time, prices as exact decimals), streams each log and costs each line
-- without per-event SQL. The same rules written in SQL are
-- tests/reference/event_costs_reference.sql, the oracle tests/costing
-- compares this view with on every column. A constraint source_path = X
-- reads only that log.
-- @build event_costs (source_path, line) (provider, model)
CREATE TEMP VIEW event_costs AS SELECT * FROM cost_events;

DROP VIEW IF EXISTS temp.route_cheapest;
-- Routing, over the unified ledger and ledger_settings (quality =
-- intelligence_index, price = blended_price_per_1m, speed =
-- output_tokens_per_s). Each view lists every qualifying routable row
-- (ledger_rows: priced, no price_flag, or a 'free' $0 row with
-- zero_price_routable 1), one per (provider, model), best first;
-- add LIMIT 1 for the single answer. Change the bounds with
--   UPDATE ledger_settings SET value = 55 WHERE key = 'quality_floor';
-- route_cheapest: the cheapest meeting the quality floor.
-- @build view route_cheapest
CREATE TEMP VIEW route_cheapest AS
SELECT provider, model, intelligence_index, blended_price_per_1m, output_tokens_per_s
FROM ledger_rows
WHERE intelligence_index >= (SELECT value FROM ledger_settings WHERE key = 'quality_floor')
  AND blended_price_per_1m IS NOT NULL AND routable
ORDER BY blended_price_per_1m, intelligence_index DESC, provider, model;

DROP VIEW IF EXISTS temp.route_best_quality;
-- route_best_quality: the best quality under the price ceiling.
-- @build view route_best_quality
CREATE TEMP VIEW route_best_quality AS
SELECT provider, model, intelligence_index, blended_price_per_1m, output_tokens_per_s
FROM ledger_rows
WHERE blended_price_per_1m <= (SELECT value FROM ledger_settings
                               WHERE key = 'price_ceiling_per_1m')
  AND intelligence_index IS NOT NULL AND routable
ORDER BY intelligence_index DESC, blended_price_per_1m, provider, model;

DROP VIEW IF EXISTS temp.route_fastest;
-- route_fastest: the fastest meeting the floor under the ceiling.
-- @build view route_fastest
CREATE TEMP VIEW route_fastest AS
SELECT provider, model, intelligence_index, blended_price_per_1m, output_tokens_per_s
FROM ledger_rows
WHERE intelligence_index >= (SELECT value FROM ledger_settings WHERE key = 'quality_floor')
  AND blended_price_per_1m <= (SELECT value FROM ledger_settings
                               WHERE key = 'price_ceiling_per_1m')
  AND output_tokens_per_s IS NOT NULL AND routable
ORDER BY output_tokens_per_s DESC, blended_price_per_1m, provider, model;
