-- Provider catalog, model profiles and insert-only rate cards, for an app's own SQLite database.
--
--   sqlite3 app.db ".read sql/schema/providers.sql"      -- idempotent (IF NOT EXISTS)
--   PRAGMA foreign_keys = ON;                            -- per connection: SQLite's default is OFF
--
-- providers       one row per endpoint an app can call. `contract` is the wire protocol (a closed
--                 set: adding one is a schema change, on purpose); `auth` is JSON whose "type" is
--                 api_key | platform | none (checked with json_valid + json_extract; other members,
--                 such as {"type":"api_key","env":"ANTHROPIC_API_KEY"}, are free: store the NAME of
--                 a secret, never the secret). canonical_equivalent_id pairs a provider with its
--                 canonical twin.
-- model_profiles  a named way to call a model on a provider; a provider that profiles use cannot be
--                 deleted (ON DELETE RESTRICT).
-- rate_cards      versioned prices, USD (or `currency`) per 1M tokens, unique on (provider_id,
--                 model, effective_from). INSERT-ONLY: a price change is a new row with a later
--                 effective_from, so a cost computed yesterday can be reproduced today. UPDATE and
--                 DELETE are refused by triggers (to correct a mistake, insert the corrected row with
--                 its own effective_from; to purge, drop the triggers deliberately). Cache prices are
--                 NULL where the provider has no cache pricing. sql/seed_from_ledger.sql fills it.
-- The price in force at time T:  SELECT * FROM rate_cards WHERE provider_id = ? AND model = ?
--                                  AND effective_from <= T ORDER BY effective_from DESC LIMIT 1;

CREATE TABLE IF NOT EXISTS providers (
  id                      INTEGER PRIMARY KEY,
  name                    TEXT NOT NULL UNIQUE CONSTRAINT providers_name CHECK (length(name) > 0),
  contract                TEXT NOT NULL CONSTRAINT providers_contract CHECK (contract IN ('openai_chat', 'openai_responses',
                            'anthropic_messages', 'google_gemini', 'bedrock_converse',
                            'openai_compatible')),
  base_url                TEXT CONSTRAINT providers_base_url CHECK (base_url IS NULL OR base_url LIKE 'https://%'
                                      OR base_url LIKE 'http://%'),
  auth                    TEXT NOT NULL DEFAULT '{"type":"none"}'
                            CONSTRAINT providers_auth CHECK (json_valid(auth)
                                   AND coalesce(json_extract(auth, '$.type'), '') IN ('api_key', 'platform', 'none')),
  is_canonical            INTEGER NOT NULL DEFAULT 0 CONSTRAINT providers_is_canonical CHECK (is_canonical IN (0, 1)),
  canonical_revision      INTEGER CONSTRAINT providers_canonical_revision CHECK (canonical_revision IS NULL OR canonical_revision >= 0),
  canonical_equivalent_id INTEGER REFERENCES providers(id) ON DELETE SET NULL,
  disabled                INTEGER NOT NULL DEFAULT 0 CONSTRAINT providers_disabled CHECK (disabled IN (0, 1)),
  modality                TEXT NOT NULL DEFAULT 'chat'
                            CONSTRAINT providers_modality CHECK (modality IN ('chat', 'embedding', 'image', 'audio', 'rerank')),
  created_at              TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE IF NOT EXISTS model_profiles (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE CONSTRAINT model_profiles_name CHECK (length(name) > 0),
  provider_id   INTEGER NOT NULL REFERENCES providers(id) ON DELETE RESTRICT,
  model         TEXT NOT NULL CONSTRAINT model_profiles_model CHECK (length(model) > 0),  -- the provider's id, free-form
  system_prompt TEXT,
  temperature   REAL CONSTRAINT model_profiles_temperature CHECK (temperature IS NULL OR (temperature >= 0 AND temperature <= 2)),
  max_tokens    INTEGER CONSTRAINT model_profiles_max_tokens CHECK (max_tokens IS NULL OR max_tokens > 0),
  is_canonical  INTEGER NOT NULL DEFAULT 0 CONSTRAINT model_profiles_is_canonical CHECK (is_canonical IN (0, 1)),
  disabled      INTEGER NOT NULL DEFAULT 0 CONSTRAINT model_profiles_disabled CHECK (disabled IN (0, 1)),
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX IF NOT EXISTS model_profiles_provider ON model_profiles(provider_id, model);

CREATE TABLE IF NOT EXISTS rate_cards (
  id                     INTEGER PRIMARY KEY,
  provider_id            INTEGER NOT NULL REFERENCES providers(id) ON DELETE RESTRICT,
  model                  TEXT NOT NULL CONSTRAINT rate_cards_model CHECK (length(model) > 0),
  input_cost_per_1m      REAL NOT NULL CONSTRAINT rate_cards_input_cost_per_1m CHECK (typeof(input_cost_per_1m) IN ('integer', 'real')
                                              AND input_cost_per_1m >= 0),
  output_cost_per_1m     REAL NOT NULL CONSTRAINT rate_cards_output_cost_per_1m CHECK (typeof(output_cost_per_1m) IN ('integer', 'real')
                                              AND output_cost_per_1m >= 0),
  cache_read_cost_per_1m  REAL CONSTRAINT rate_cards_cache_read_cost_per_1m CHECK (cache_read_cost_per_1m IS NULL OR cache_read_cost_per_1m >= 0),
  cache_write_cost_per_1m REAL CONSTRAINT rate_cards_cache_write_cost_per_1m CHECK (cache_write_cost_per_1m IS NULL OR cache_write_cost_per_1m >= 0),
  currency               TEXT NOT NULL DEFAULT 'USD'
                           CONSTRAINT rate_cards_currency CHECK (length(currency) = 3 AND currency = upper(currency)),
  effective_from         TEXT NOT NULL CONSTRAINT rate_cards_effective_from CHECK (date(effective_from) IS NOT NULL),
  source                 TEXT,  -- where the price came from (the ledger's mapping rule, a URL, ...)
  recorded_at            TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  UNIQUE (provider_id, model, effective_from)
);

CREATE TRIGGER IF NOT EXISTS main.rate_cards_no_update BEFORE UPDATE ON rate_cards
BEGIN
  SELECT RAISE(ABORT, 'rate_cards is insert-only: insert a new row with a later effective_from');
END;
CREATE TRIGGER IF NOT EXISTS main.rate_cards_no_delete BEFORE DELETE ON rate_cards
BEGIN
  SELECT RAISE(ABORT, 'rate_cards is insert-only: rows are never deleted');
END;
