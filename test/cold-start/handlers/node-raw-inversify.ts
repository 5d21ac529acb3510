// Hand-written node:http server for GET /items/:id resolving its service through inversify: the
// baseline of `apps/service` on the node runtime. Listens on PORT/HOST when imported, logs one line.
import { createServer } from 'node:http';
import { container, ItemStore } from './inversify-store.ts';

const port = Number(process.env.PORT ?? 8080);
const server = createServer((req, res) => {
  const match = /^\/items\/([^/?]+)/.exec(req.url ?? '');
  if (req.method !== 'GET' || !match) {
    res.writeHead(404).end();
    return;
  }
  const id = decodeURIComponent(match[1]!);
  const body = JSON.stringify({ id, name: container.get<ItemStore>(ItemStore).name(id) });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
await new Promise<void>((resolve) => server.listen(port, process.env.HOST ?? '0.0.0.0', resolve));
console.log(JSON.stringify({ level: 'info', message: 'listening', port }));
