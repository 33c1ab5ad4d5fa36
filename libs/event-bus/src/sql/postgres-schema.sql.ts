import { quoteSchema } from './sql-identifier';

/**
 * The outbox and inbox tables, as one idempotent migration (every statement `IF NOT EXISTS`).
 * Kept as TypeScript, not a `.sql` file, so the compiled package ships it without a copy step;
 * `event-bus-outbox migrate --print` writes it out for teams that run migrations with their own tool.
 *
 * outbox: one row per event added in a transaction, holding the exact bytes and AMQP properties
 * a direct publish would send. `id` orders rows of one `partition_key` (adding rows of a key
 * takes a per-key transaction lock, so ids of a key follow commit order). `state` moves
 * pending -> sent (deleted after the retention period) or pending -> dead (kept until replayed).
 *
 * inbox: one row per (queue, event) whose handler committed; the primary key is what makes a
 * second delivery wait for, then skip, the first.
 */
export function postgresSchemaSql(schema: string): string {
  const s = quoteSchema(schema);
  return `CREATE SCHEMA IF NOT EXISTS ${s};

CREATE TABLE IF NOT EXISTS ${s}.outbox (
  id              bigserial   PRIMARY KEY,
  event_id        text        NOT NULL,
  event_type      text        NOT NULL,
  exchange        text        NOT NULL,
  routing_key     text        NOT NULL,
  partition_key   text,
  body            bytea       NOT NULL,
  properties      jsonb       NOT NULL,
  state           text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'dead')),
  attempts        integer     NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  sent_at         timestamptz,
  dead_at         timestamptz
);

-- What the relay claims (oldest due rows first) and the per-key order check.
CREATE INDEX IF NOT EXISTS outbox_pending_idx ON ${s}.outbox (id) WHERE state = 'pending';
CREATE INDEX IF NOT EXISTS outbox_pending_key_idx ON ${s}.outbox (partition_key, id) WHERE state = 'pending';
-- Retention clean-up of sent rows, and listing dead ones.
CREATE INDEX IF NOT EXISTS outbox_sent_idx ON ${s}.outbox (sent_at) WHERE state = 'sent';
CREATE INDEX IF NOT EXISTS outbox_dead_idx ON ${s}.outbox (id) WHERE state = 'dead';

CREATE TABLE IF NOT EXISTS ${s}.inbox (
  queue        text        NOT NULL,
  event_key    text        NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (queue, event_key)
);

CREATE INDEX IF NOT EXISTS inbox_processed_idx ON ${s}.inbox (processed_at);
`;
}
