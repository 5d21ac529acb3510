/** The cold-start app that resolves no service: `GET /items/:id` answering JSON. */
import { defineApp, http } from '@polycloud/core';

export default defineApp({
  name: 'cold-plain',
  functions: {
    getItem: http('GET /items/:id', (req) => ({ id: req.params.id, name: `item ${req.params.id}` })),
  },
});
