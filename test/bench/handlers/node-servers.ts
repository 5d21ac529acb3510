/**
 * The node request-cost benchmark's module: the three request listeners of the throughput bench
 * (a bare node:http listener, the node runtime serving the cold-start app, Fastify 5 with the same
 * route), for test/bench/node-request-cost.ts to call in-process. Bundled as `polycloud build
 * --provider node` bundles the server.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import Fastify from 'fastify';
import { handle } from '../../../adapters/node/src/index.ts';
import app from '../../cold-start/apps/plain/src/app.ts';

export type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** What test/cold-start/handlers/node-raw.mjs answers, as a listener. */
export const bare: Listener = (req, res) => {
  const match = /^\/items\/([^/?]+)/.exec(req.url ?? '');
  if (req.method !== 'GET' || !match) {
    res.writeHead(404).end();
    return;
  }
  const id = decodeURIComponent(match[1]!);
  const body = JSON.stringify({ id, name: `item ${id}` });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
};

const listenerOf = (server: Server) => server.listeners('request')[0] as Listener;

/** The node runtime's listener (it listens on an ephemeral port; requests are handed to it directly). */
export async function polycloud(): Promise<{ listener: Listener; close(): Promise<unknown> }> {
  const served = await handle(app, { port: 0, host: '127.0.0.1', handleSignals: false, schedules: false });
  return { listener: listenerOf(served.server), close: () => served.close() };
}

/** Fastify 5 with the route of test/bench/servers/fastify.mjs. */
export async function fastify(): Promise<{ listener: Listener; close(): Promise<unknown> }> {
  const f = Fastify({ logger: false });
  f.get('/items/:id', async (request) => {
    const { id } = request.params as { id: string };
    return { id, name: `item ${id}` };
  });
  await f.ready();
  return { listener: listenerOf(f.server), close: () => f.close() };
}
