/** The cold-start app whose function resolves a service the app provides without a container (`provide`). */
import { defineApp, http, provide, token } from '@polycloud/core';

interface ItemStore {
  name(id: string): string;
}
const ItemStore = token<ItemStore>('ItemStore');

export default defineApp({
  name: 'cold-provided',
  services: [provide(ItemStore, () => ({ name: (id: string) => `item ${id}` }))],
  functions: {
    getItem: http('GET /items/:id', (req, ctx) => ({
      id: req.params.id,
      name: ctx.get(ItemStore).name(req.params.id),
    })),
  },
});
