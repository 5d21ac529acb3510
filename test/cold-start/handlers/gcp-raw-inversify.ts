// Hand-written functions-framework http function for GET /items/:id resolving its service through
// inversify: the baseline of `apps/service`.
import functions from '@google-cloud/functions-framework';
import { container, ItemStore } from './inversify-store.ts';

functions.http('getItem', (req, res) => {
  const id = decodeURIComponent(req.path.split('/')[2] ?? '');
  res
    .set('content-type', 'application/json')
    .send(JSON.stringify({ id, name: container.get<ItemStore>(ItemStore).name(id) }));
});
