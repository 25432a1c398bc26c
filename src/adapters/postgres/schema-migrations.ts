import { GENESIS_HASH } from '../journal/hash-chain.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The PostgreSQL store's schema, as the steps that build it: each runs once, in order, in the
 * transaction that records it in `cutover.schema_migrations` (migrate.ts). Never edit a step a
 * release shipped; add the next one. Times stay the ISO text the journal hashes, compared in the
 * "C" collation so that text order is time order whatever the database's locale.
 * See docs/architecture.md#the-postgresql-store.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'journal with its deploy index, locks with fencing tokens, changeset queue',
    sql: `
CREATE TABLE cutover.events (
  id bigint PRIMARY KEY,
  deploy_id text NOT NULL,
  seq integer NOT NULL,
  at text NOT NULL,
  type text NOT NULL,
  data text NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  UNIQUE (deploy_id, seq)
);
CREATE TABLE cutover.chain_head (
  one integer PRIMARY KEY CHECK (one = 1),
  id bigint NOT NULL,
  hash text NOT NULL
);
INSERT INTO cutover.chain_head VALUES (1, 0, '${GENESIS_HASH}');

CREATE TABLE cutover.deploys (
  deploy_id text PRIMARY KEY,
  first_id bigint NOT NULL,
  environment text,
  first_at text COLLATE "C" NOT NULL,
  last_at text COLLATE "C" NOT NULL,
  last_seq integer NOT NULL,
  last_type text NOT NULL,
  events integer NOT NULL,
  settled_seq integer NOT NULL DEFAULT 0
);
CREATE INDEX deploys_in_order ON cutover.deploys (first_id);
CREATE INDEX deploys_by_environment ON cutover.deploys (environment, first_id);
CREATE INDEX deploys_open ON cutover.deploys (first_id) WHERE settled_seq < last_seq;
CREATE FUNCTION cutover.deploys_follow_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO cutover.deploys AS d
    (deploy_id, first_id, environment, first_at, last_at, last_seq, last_type, events)
  VALUES (NEW.deploy_id, NEW.id, NEW.data::jsonb ->> 'environment', NEW.at, NEW.at, NEW.seq, NEW.type, 1)
  ON CONFLICT (deploy_id) DO UPDATE SET
    first_at = LEAST(d.first_at, excluded.first_at), last_at = GREATEST(d.last_at, excluded.last_at),
    last_seq = excluded.last_seq, last_type = excluded.last_type, events = d.events + 1;
  RETURN NULL;
END $$;
CREATE TRIGGER deploys_follow_events AFTER INSERT ON cutover.events
  FOR EACH ROW EXECUTE FUNCTION cutover.deploys_follow_events();

CREATE TABLE cutover.fences (
  environment text PRIMARY KEY,
  token bigint NOT NULL
);
CREATE TABLE cutover.locks (
  environment text PRIMARY KEY,
  owner_id text NOT NULL,
  user_name text NOT NULL,
  host text NOT NULL,
  pid integer NOT NULL,
  command text NOT NULL,
  deploy_id text,
  reason text NOT NULL,
  acquired_at text NOT NULL,
  heartbeat_at text NOT NULL,
  expires_at text NOT NULL,
  token bigint NOT NULL
);

CREATE TABLE cutover.queued_changesets (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  environment text NOT NULL,
  changeset_id text NOT NULL,
  entry text NOT NULL,
  submitted_at text NOT NULL,
  window_ms bigint NOT NULL,
  deploy_id text
);
CREATE INDEX queued_pending ON cutover.queued_changesets (environment, id) WHERE deploy_id IS NULL;
CREATE INDEX queued_claims ON cutover.queued_changesets (environment, deploy_id) WHERE deploy_id IS NOT NULL;
`,
  },
  {
    version: 2,
    name: 'flag store: a flag exists once and has a state per environment',
    sql: `
CREATE TABLE cutover.flags (
  name text PRIMARY KEY,
  created_at text NOT NULL
);
CREATE TABLE cutover.flag_states (
  flag text NOT NULL REFERENCES cutover.flags (name),
  environment text NOT NULL,
  state text NOT NULL CHECK (state IN ('on', 'off')),
  percentage integer NOT NULL CHECK (percentage BETWEEN 0 AND 100),
  updated_at text NOT NULL,
  PRIMARY KEY (flag, environment)
);
`,
  },
  {
    version: 3,
    name: 'store identity: the namespace of its fencing tokens on a shared runtime',
    sql: `
CREATE TABLE cutover.store_identity (
  one integer PRIMARY KEY CHECK (one = 1),
  id text NOT NULL
);
INSERT INTO cutover.store_identity VALUES (1, gen_random_uuid()::text);
`,
  },
  {
    version: 4,
    name: 'webhooks: a cursor and a lease per URL, every delivery attempt',
    sql: `
CREATE TABLE cutover.notify_targets (
  url text PRIMARY KEY,
  cursor bigint NOT NULL,
  holder text,
  lease_until text COLLATE "C"
);
CREATE TABLE cutover.notify_attempts (
  delivery_id text NOT NULL,
  attempt integer NOT NULL,
  url text NOT NULL,
  journal_id bigint NOT NULL,
  deploy_id text NOT NULL,
  event text NOT NULL,
  at text NOT NULL,
  status integer,
  error text,
  outcome text NOT NULL CHECK (outcome IN ('retry', 'delivered', 'failed')),
  PRIMARY KEY (delivery_id, attempt)
);
CREATE INDEX notify_attempts_by_deploy ON cutover.notify_attempts (deploy_id);
CREATE INDEX notify_attempts_in_order ON cutover.notify_attempts (journal_id, url, attempt);
`,
  },
];

/** The schema version this cutover writes and reads. */
export const SCHEMA_VERSION = MIGRATIONS.length;
