import { type Storage, StorageNotFoundError, token } from '@polycloud/core';

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

/** The logical bucket orders live in (map it per provider with `providers.<provider>.buckets.orders`). */
export const ORDERS_BUCKET = 'orders';

/**
 * Each order as one JSON object `<id>.json` in the `orders` bucket, through the neutral Storage: S3,
 * Blob Storage, Cloud Storage, or a local folder on node. Every function sees the same orders —
 * on Lambda and Cloud Run each function is its own process, so state kept in memory would be a
 * different list in `placeOrder`, `processOrder` and `getOrder`. Swap in a database binding when
 * an app needs queries or concurrent updates of one order; the interface stays the same.
 */
export class StorageOrderRepository implements OrderRepository {
  readonly #storage: Storage;

  constructor(storage: Storage) {
    this.#storage = storage;
  }

  async save(order: Order): Promise<void> {
    await this.#storage.put(ORDERS_BUCKET, keyOf(order.id), JSON.stringify(order), {
      contentType: 'application/json',
    });
  }

  async get(id: string): Promise<Order | undefined> {
    // Ids come from URLs too: one that placeOrder could not have minted names no order (and no key).
    if (!ID.test(id)) return undefined;
    try {
      const object = await this.#storage.get(ORDERS_BUCKET, keyOf(id));
      return JSON.parse(new TextDecoder().decode(object.body)) as Order;
    } catch (error) {
      if (error instanceof StorageNotFoundError) return undefined;
      throw error;
    }
  }

  async since(time: Date): Promise<Order[]> {
    const orders: Order[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.#storage.list(ORDERS_BUCKET, cursor ? { cursor } : {});
      for (const summary of page.objects) {
        // An order created since `time` was last written since then too: skip older objects unread.
        if (summary.lastModified && summary.lastModified < time) continue;
        const order = await this.get(summary.key.replace(/\.json$/, ''));
        if (order && new Date(order.createdAt) >= time) orders.push(order);
      }
      cursor = page.cursor;
    } while (cursor);
    return orders;
  }
}

const ID = /^[\w-]{1,100}$/;
const keyOf = (id: string) => `${id}.json`;
