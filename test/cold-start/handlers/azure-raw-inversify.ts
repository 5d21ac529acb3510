// Hand-written Azure Functions v4 handler for GET /items/{id} resolving its service through inversify:
// the baseline of `apps/service`. @azure/functions is CommonJS: its exports come through the default import.
import azure from '@azure/functions';
import { container, ItemStore } from './inversify-store.ts';

azure.app.http('getItem', {
  methods: ['GET'],
  route: 'items/{id}',
  authLevel: 'anonymous',
  handler: async (request) => {
    const id = request.params.id!;
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id, name: container.get<ItemStore>(ItemStore).name(id) }),
    };
  },
});
