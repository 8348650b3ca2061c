-- Webhooks: endpoints, one delivery per (event, endpoint), and every attempt.
-- The dispatcher's cursor (last fanned-out events.seq) lives in settings
-- under 'webhooks.cursor', advanced in the fan-out transaction.

CREATE TABLE webhook_endpoints (
  id             TEXT PRIMARY KEY,
  address        TEXT NOT NULL UNIQUE,
  enabled        INTEGER NOT NULL DEFAULT 1,
  signing_secret TEXT NOT NULL,
  created_us     INTEGER NOT NULL,
  from_seq       INTEGER NOT NULL  -- events up to this seq happened before the endpoint existed
);

CREATE TABLE webhook_deliveries (
  seq              INTEGER PRIMARY KEY AUTOINCREMENT,
  id               TEXT NOT NULL UNIQUE,
  event_seq        INTEGER NOT NULL REFERENCES events (seq) ON DELETE CASCADE,
  endpoint_id      TEXT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  object_id        TEXT NOT NULL,   -- copied from the event: first attempts go out in order per object
  state            TEXT NOT NULL CHECK (state IN ('pending', 'delivering', 'delivered', 'failed')),
  attempts         INTEGER NOT NULL DEFAULT 0,  -- finished attempts
  created_us       INTEGER NOT NULL,
  next_attempt_us  INTEGER NOT NULL,
  first_attempt_us INTEGER,          -- start of the retry window
  last_attempt_us  INTEGER,
  last_status      INTEGER,
  last_error       TEXT,
  UNIQUE (event_seq, endpoint_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (endpoint_id, state, next_attempt_us, event_seq);
CREATE INDEX webhook_deliveries_next ON webhook_deliveries (state, next_attempt_us);
CREATE INDEX webhook_deliveries_event ON webhook_deliveries (event_seq);
-- Never-attempted deliveries, to hold back later events of the same object.
CREATE INDEX webhook_deliveries_unsent ON webhook_deliveries (endpoint_id, object_id, event_seq) WHERE attempts = 0;

CREATE TABLE webhook_attempts (
  id               TEXT PRIMARY KEY,
  delivery_seq     INTEGER NOT NULL REFERENCES webhook_deliveries (seq) ON DELETE CASCADE,
  started_us       INTEGER NOT NULL,
  status_code      INTEGER,          -- NULL when no HTTP answer came (timeout, refused)
  response_headers TEXT,             -- JSON object
  response_body    TEXT,             -- the first KB
  duration_ms      INTEGER NOT NULL,
  error            TEXT
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_seq, started_us);
