import { token } from '@polycloud/core';
import { injectable } from 'inversify';

export type OrderStatus = 'received' | 'paid' | 'failed';

export interface Order {
  id: string;
  customer: string;
  items: { sku: string; quantity: number; unitPriceCents: number }[];
  totalCents: number;
  status: OrderStatus;
  createdAt: string;
  /** Set by the storage function once the receipt is stored. */
  receipt?: { key: string; size: number };
}

export interface OrderRepository {
  save(order: Order): Promise<void>;
  get(id: string): Promise<Order | undefined>;
  since(time: Date): Promise<Order[]>;
}
export const OrderRepository = token<OrderRepository>('example.OrderRepository');

@injectable()
export class InMemoryOrderRepository implements OrderRepository {
  readonly #orders = new Map<string, Order>();

  async save(order: Order): Promise<void> {
    this.#orders.set(order.id, order);
  }

  async get(id: string): Promise<Order | undefined> {
    return this.#orders.get(id);
  }

  async since(time: Date): Promise<Order[]> {
    return [...this.#orders.values()].filter((o) => new Date(o.createdAt) >= time);
  }
}
