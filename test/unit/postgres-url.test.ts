import assert from 'node:assert/strict';
import { test } from 'node:test';
import { postgresConnection } from '../../src/cli/state-stores.js';

const STATE = { type: 'postgres', url_env: 'DB_URL' } as const;
const connect = (url: string) => postgresConnection(STATE, { DB_URL: url });

test('a postgres:// URL is taken as it is, and named by its variable only', () => {
  const url = 'postgres://cutover:s3cret@127.0.0.1:5432/cutover?sslmode=verify-full';
  assert.deepEqual(connect(url), { url, label: 'PostgreSQL ($DB_URL)' });
});

test('a URL with options= is refused, whatever it sets: it would replace the read-only session of reading verbs', () => {
  for (const options of ['-c%20default_transaction_read_only%3Doff', '-c%20search_path%3Dother', ''])
    assert.throws(
      () => connect(`postgres://cutover:s3cret@127.0.0.1/cutover?sslmode=disable&options=${options}`),
      (err: Error & { code?: string }) => {
        assert.equal(err.code, 'E_USAGE');
        assert.match(
          err.message,
          /^state\.url_env: the URL in DB_URL sets options=, which cutover does not accept/,
        );
        assert.ok(!err.message.includes('s3cret'), err.message);
        return true;
      },
    );
});
