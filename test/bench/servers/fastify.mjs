// Fastify 5 with the same route as the node runtime's throughput bench: GET /items/:id answering JSON.
// Listens on PORT/HOST when started, logs one line when listening.
import Fastify from 'fastify';

const port = Number(process.env.PORT ?? 8080);
const app = Fastify({ logger: false });
app.get('/items/:id', async (request) => {
  const { id } = request.params;
  return { id, name: `item ${id}` };
});
await app.listen({ port, host: process.env.HOST ?? '0.0.0.0' });
console.log(JSON.stringify({ level: 'info', message: 'listening', port }));
