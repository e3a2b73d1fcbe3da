-- LLM providers and models an app offers, with rate limits, prices and a per-provider default.
--
--   sqlite3 app.db ".read sql/schema/llm_config.sql"     -- idempotent (IF NOT EXISTS)
--   PRAGMA foreign_keys = ON;
--
-- llm_providers    one per API vendor: max_parallel_requests and requests_per_minute (both >= 1)
--                  for the app's client-side limiter; is_enabled.
-- llm_models       one per (provider, model_id). Costs are per 1M tokens and never negative (a
--                  number, not text). status ACTIVE | DEPRECATED. At most one is_default per
--                  provider, enforced by the partial unique index llm_models_one_default (set the
--                  new default in one transaction: clear the old, then set the new). model_id is
--                  fixed once created (trigger): a different id is a different row.
-- system_settings  key/value; value is JSON text, e.g.
--                  ('infra_model_summarization', '{"provider":"openai","model_id":"gpt-4o-mini"}').
-- Deleting a provider deletes its models (ON DELETE CASCADE), as in the app's original design.

CREATE TABLE IF NOT EXISTS llm_providers (
  id                    INTEGER PRIMARY KEY,
  name                  TEXT NOT NULL UNIQUE CONSTRAINT llm_providers_name CHECK (length(name) > 0),
  display_name          TEXT NOT NULL,
  max_parallel_requests INTEGER NOT NULL DEFAULT 1 CONSTRAINT llm_providers_max_parallel_requests CHECK (max_parallel_requests >= 1),
  requests_per_minute   INTEGER NOT NULL DEFAULT 60 CONSTRAINT llm_providers_requests_per_minute CHECK (requests_per_minute >= 1),
  is_enabled            INTEGER NOT NULL DEFAULT 1 CONSTRAINT llm_providers_is_enabled CHECK (is_enabled IN (0, 1)),
  created_at            TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at            TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE IF NOT EXISTS llm_models (
  id                      INTEGER PRIMARY KEY,
  provider_id             INTEGER NOT NULL REFERENCES llm_providers(id) ON DELETE CASCADE,
  model_id                TEXT NOT NULL CONSTRAINT llm_models_model_id CHECK (length(model_id) > 0),
  display_name            TEXT NOT NULL,
  cost_input_per_million  REAL NOT NULL CONSTRAINT llm_models_cost_input_per_million CHECK (typeof(cost_input_per_million) IN ('integer', 'real')
                                               AND cost_input_per_million >= 0),
  cost_output_per_million REAL NOT NULL CONSTRAINT llm_models_cost_output_per_million CHECK (typeof(cost_output_per_million) IN ('integer', 'real')
                                               AND cost_output_per_million >= 0),
  status                  TEXT NOT NULL DEFAULT 'ACTIVE' CONSTRAINT llm_models_status CHECK (status IN ('ACTIVE', 'DEPRECATED')),
  is_default              INTEGER NOT NULL DEFAULT 0 CONSTRAINT llm_models_is_default CHECK (is_default IN (0, 1)),
  created_at              TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at              TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  UNIQUE (provider_id, model_id)
);
CREATE UNIQUE INDEX IF NOT EXISTS llm_models_one_default ON llm_models(provider_id) WHERE is_default;
CREATE INDEX IF NOT EXISTS llm_models_status ON llm_models(status);

CREATE TRIGGER IF NOT EXISTS llm_models_model_id_fixed BEFORE UPDATE OF model_id ON llm_models
WHEN NEW.model_id IS NOT OLD.model_id
BEGIN
  SELECT RAISE(ABORT, 'llm_models.model_id cannot change: insert a new model instead');
END;

CREATE TABLE IF NOT EXISTS system_settings (
  key        TEXT PRIMARY KEY CONSTRAINT system_settings_key CHECK (length(key) > 0),
  value      TEXT NOT NULL CONSTRAINT system_settings_value CHECK (json_valid(value)),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
