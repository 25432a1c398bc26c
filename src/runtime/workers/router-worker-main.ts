import type { Server } from 'node:net';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createFileLogger } from '../../lib/logger.js';
import { FlagReader } from '../ofrep/flag-reader.js';
import { resolveRuntimePaths } from '../client/paths.js';
import { zeroCounters } from '../http/router-limits.js';
import { emptySampleBatch, type WorkerReply, type WorkerRequest } from './router-wire.js';
import { WorkerEnvironment } from './worker-environment.js';

// When the daemon is gone, requests in flight get this long before the process exits.
const ORPHAN_GRACE_MS = 2000;

/**
 * A router process: `node router-worker-main.js --state-dir <dir> --runtime-dir <dir> --index <n>`, forked by the
 * daemon (router-workers.ts), never run by hand. It routes what the daemon tells it and answers
 * the daemon's requests; without the daemon it stops accepting and exits, so a restarted daemon
 * finds its ports free.
 */
const { values } = parseArgs({
  options: { 'state-dir': { type: 'string' }, 'runtime-dir': { type: 'string' }, index: { type: 'string' } },
});
const paths = resolveRuntimePaths(
  resolve(values['state-dir'] ?? '.cutover'),
  values['runtime-dir'] && resolve(values['runtime-dir']),
);
const logger = createFileLogger(paths.logFile);
const flags = new FlagReader(paths.flagsFile);
const environments = new Map<string, WorkerEnvironment>();

function environment(name: string): WorkerEnvironment {
  let env = environments.get(name);
  if (!env) environments.set(name, (env = new WorkerEnvironment(name, flags)));
  return env;
}

async function answer(request: WorkerRequest, handle: Server | undefined): Promise<unknown> {
  const env = environments.get(request.environment);
  switch (request.type) {
    case 'listen':
      if (handle === undefined) throw new Error('listen came without a server');
      await environment(request.environment).router.listen(handle);
      return null;
    case 'table':
      environment(request.environment).setTable(request.table);
      return null;
    case 'close':
      environments.delete(request.environment);
      await env?.close();
      return null;
    case 'drain':
      return env === undefined ? true : env.drain(request.digest, request.timeoutMs);
    case 'samples':
      return env?.samples(request.digests, request.windowMs) ?? emptySampleBatch();
    case 'counters':
      return env?.counters() ?? { backends: {}, front: zeroCounters() };
  }
}

function send(reply: WorkerReply): void {
  if (process.connected) process.send?.(reply);
}

process.on('message', (request: WorkerRequest, handle: Server | undefined) => {
  answer(request, handle).then(
    (value) => send({ type: 'reply', id: request.id, ok: true, value }),
    (err: unknown) =>
      send({
        type: 'reply',
        id: request.id,
        ok: false,
        error: err instanceof Error ? err.message : String(err),
      }),
  );
});

const exit = (reason: string): void => {
  logger.info('Router process stopping', { index: values.index, reason });
  setTimeout(() => process.exit(0), ORPHAN_GRACE_MS).unref();
  void Promise.all([...environments.values()].map((env) => env.close())).then(() => process.exit(0));
};
process.on('disconnect', () => exit('the daemon is gone'));
process.on('SIGTERM', () => exit('SIGTERM'));
process.on('uncaughtException', (err) => {
  logger.error('Router process crashed', { index: values.index, error: err, stack: err.stack });
  process.exit(1);
});
send({ type: 'ready' });
