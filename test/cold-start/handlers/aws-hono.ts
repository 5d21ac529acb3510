/** hono with its aws-lambda adapter, the same route: a peer's cold start. */
import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';

const app = new Hono();
app.get('/items/:id', (c) => {
  const id = c.req.param('id');
  return c.json({ id, name: `item ${id}` });
});

export const handler = handle(app);
