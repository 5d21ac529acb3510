/**
 * The service of the hand-written inversify baselines: the same ItemStore, bound the same way
 * (a ContainerModule, a constant value) as polycloud's cold-start app `apps/service`, in a container
 * built when the module loads, as hand-written code does.
 */
import { Container, ContainerModule } from 'inversify';

export interface ItemStore {
  name(id: string): string;
}
export const ItemStore = Symbol.for('ItemStore');

export const container = new Container();
container.load(
  new ContainerModule(({ bind }) => {
    bind<ItemStore>(ItemStore).toConstantValue({ name: (id: string) => `item ${id}` });
  }),
);
