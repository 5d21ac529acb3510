// Hand-written Azure Functions v4 handler for GET /items/{id}: the baseline polycloud's Azure entry
// is measured against. @azure/functions is CommonJS: its exports come through the default import.
import azure from '@azure/functions';

azure.app.http('getItem', {
  methods: ['GET'],
  route: 'items/{id}',
  authLevel: 'anonymous',
  handler: async (request) => ({
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id: request.params.id, name: `item ${request.params.id}` }),
  }),
});
