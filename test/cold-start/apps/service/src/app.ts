/** The cold-start app whose function resolves a service from the container (inversify). */
import { defineApp, http, token } from '@polycloud/core';
import { ContainerModule } from 'inversify';

interface ItemStore {
  name(id: string): string;
}
const ItemStore = token<ItemStore>('ItemStore');

const stores = new ContainerModule(({ bind }) => {
  bind(ItemStore).toConstantValue({ name: (id: string) => `item ${id}` });
});

export default defineApp({
  name: 'cold-service',
  modules: [stores],
  functions: {
    getItem: http('GET /items/:id', (req, ctx) => ({
      id: req.params.id,
      name: ctx.get(ItemStore).name(req.params.id!),
    })),
  },
});
