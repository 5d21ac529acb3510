import { describe, expect, it } from 'vitest';
import { PubSubPublisher } from '../../src/index.ts';

describe('Pub/Sub publisher: message bodies', () => {
  // Refused before any request: the endpoint is never contacted (port 9 is discard; nothing listens).
  const publisher = new PubSubPublisher('http://127.0.0.1:9', () => 'project', undefined);

  it('refuses a body JSON cannot hold with the TypeError every provider gives', async () => {
    await expect(publisher.send('orders', undefined)).rejects.toThrow(
      new TypeError('Pub/Sub publish to "orders": body must be text, bytes or a JSON value'),
    );
    await expect(publisher.publish('events', () => 1)).rejects.toThrow(TypeError);
  });
});
