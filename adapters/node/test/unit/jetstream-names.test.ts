/**
 * The JetStream stream, subject and consumer names the node broker uses (no server needed: these are
 * the names every replica and every producer must agree on). NATS refuses `.`, `*`, `>` and white
 * space inside a stream name or a subject token (https://docs.nats.io/nats-concepts/subjects,
 * https://docs.nats.io/running-a-nats-service/nats_admin/jetstream_admin/naming).
 */
import { describe, expect, it } from 'vitest';
import { JetStreamNames, partitionOf } from '../../src/events/jetstream-names.ts';

describe('JetStreamNames', () => {
  it('default prefix PC: upper-case streams, lower-case subjects, one per queue, topic and purpose', () => {
    const n = new JetStreamNames();
    expect(n.queueStream('orders')).toBe('PC_Q_orders');
    expect(n.topicStream('events')).toBe('PC_T_events');
    expect(n.scheduleStream).toBe('PC_SCHEDULES');
    expect(n.deadLetterStream).toBe('PC_DLQ');
    expect(n.delayStream).toBe('PC_DELAYED');
    expect(n.subject('q', 'orders')).toBe('pc.q.orders');
    expect(n.subject('t', 'events')).toBe('pc.t.events');
    expect(n.groupSubject('q', 'orders', 3)).toBe('pc.q.orders.g.3');
    expect(n.scheduleSubject('nightly')).toBe('pc.s.nightly');
    expect(n.scheduleSubjects).toBe('pc.s.*');
    expect(n.deadLetterSubject('handleOrder')).toBe('pc.dlq.handleOrder');
    expect(n.deadLetterSubjects).toBe('pc.dlq.>');
    expect(n.delaySubjects).toBe('pc.delay.>');
    expect(n.delaySubject('pc.q.orders')).toBe('pc.delay.pc.q.orders');
    expect(n.consumer('handleOrder')).toBe('handleOrder');
    expect(n.consumer('handleOrder', 0)).toBe('handleOrder_g0');
    expect(n.consumer('handleOrder', 7)).toBe('handleOrder_g7');
  });

  it('a prefix lets two apps share a server: streams upper-cased, subjects lower-cased', () => {
    const n = new JetStreamNames('shopApp');
    expect(n.queueStream('orders')).toBe('SHOPAPP_Q_orders');
    expect(n.deadLetterStream).toBe('SHOPAPP_DLQ');
    expect(n.subject('q', 'orders')).toBe('shopapp.q.orders');
    expect(n.scheduleSubjects).toBe('shopapp.s.*');
    expect(n.deadLetterSubjects).toBe('shopapp.dlq.>');
    expect(n.delaySubject('x')).toBe('shopapp.delay.x');
  });

  it('names NATS cannot carry become a readable token plus a hash, so orders.eu and orders_eu stay apart', () => {
    const n = new JetStreamNames();
    // sha256("orders.eu") begins e7951fa7.
    expect(n.queueStream('orders.eu')).toBe('PC_Q_orders_eu_e7951fa7');
    expect(n.queueStream('orders_eu')).toBe('PC_Q_orders_eu');
    expect(n.subject('q', 'orders.eu')).toBe('pc.q.orders_eu_e7951fa7');
    expect(n.subject('t', 'orders eu')).toBe('pc.t.orders_eu_e9e83ae4');
    expect(n.scheduleSubject('>')).toBe('pc.s.__62b67e1f');
    expect(n.consumer('café', 2)).toBe('caf__850f7dc4_g2');
    expect(n.deadLetterSubject('café')).toBe('pc.dlq.caf__850f7dc4');
    for (const name of ['a.b', 'a*b', 'a>b', 'a b', 'a\tb', 'a/b']) {
      const subject = n.subject('q', name);
      expect(subject.split('.'), name).toHaveLength(3);
      expect(subject, name).toMatch(/^pc\.q\.[A-Za-z0-9_-]+$/);
    }
  });

  it('names are cut to 40 characters before the hash; hyphens and underscores are kept as they are', () => {
    const n = new JetStreamNames();
    expect(n.topicStream('a'.repeat(50))).toBe(`PC_T_${'a'.repeat(40)}_160b4e43`);
    expect(n.topicStream('a'.repeat(40))).toBe(`PC_T_${'a'.repeat(40)}`);
    expect(n.topicStream('order-events_v2')).toBe('PC_T_order-events_v2');
  });
});

describe('partitionOf', () => {
  it('is FNV-1a (32-bit) of the group id: the published test vectors', () => {
    // FNV-1a 32-bit: "" → 0x811c9dc5, "a" → 0xe40c292c, "foobar" → 0xbf9cf968 (http://www.isthe.com/chongo/tech/comp/fnv/).
    expect(partitionOf('', 2 ** 32)).toBe(0x811c9dc5);
    expect(partitionOf('a', 2 ** 32)).toBe(0xe40c292c);
    expect(partitionOf('foobar', 2 ** 32)).toBe(0xbf9cf968);
  });

  it('the partition is the hash modulo the partition count, always in range', () => {
    expect(partitionOf('a', 8)).toBe(0xe40c292c % 8);
    expect(partitionOf('foobar', 8)).toBe(0);
    expect(partitionOf('order-42', 8)).toBe(4);
    for (let i = 0; i < 200; i++) {
      const p = partitionOf(`customer-${i}`, 5);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThan(5);
    }
    expect(partitionOf('anything', 1)).toBe(0);
  });

  it('spreads groups over every partition', () => {
    const used = new Set<number>();
    for (let i = 0; i < 100; i++) used.add(partitionOf(`customer-${i}`, 8));
    expect(used.size).toBe(8);
  });
});
