// Hand-written node:http server for GET /items/:id: the cold-start baseline of the node runtime's
// built server. Like it, it listens on PORT/HOST when imported and logs one line when listening.
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 8080);
const server = createServer((req, res) => {
  const match = /^\/items\/([^/?]+)/.exec(req.url ?? '');
  if (req.method !== 'GET' || !match) {
    res.writeHead(404).end();
    return;
  }
  const id = decodeURIComponent(match[1]);
  const body = JSON.stringify({ id, name: `item ${id}` });
  // Content-Length, not chunked encoding: what a careful hand-written server (and Fastify) sends.
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
await new Promise((resolve) => server.listen(port, process.env.HOST ?? '0.0.0.0', resolve));
console.log(JSON.stringify({ level: 'info', message: 'listening', port }));
