import { type AdapterDriver, type DriverSession, runAdapterContract } from '@polycloud/testing';
import { handle } from '../../src/index.ts';
import { httpSession } from '../support/node-driver.ts';

const nodeDriver: AdapterDriver = {
  name: 'node',
  unsupported: {
    'queue.fifo.stop-at-first-failure':
      "an ordered batch on the node runtime holds back only the failed message's group, other groups go on (adapters/node/README.md, bulk messages endpoint); covered by queue.fifo.group-failure",
    'topic.fifo.stop-at-first-failure':
      "an ordered batch on the node runtime holds back only the failed message's group, other groups go on (adapters/node/README.md, bulk messages endpoint); covered by topic.fifo.group-failure",
  },
  async start(app): Promise<DriverSession> {
    const server = await handle(app, {
      port: 0,
      schedules: false,
      handleSignals: false,
      bodyLimitBytes: 8 * 1024 * 1024,
    });
    return httpSession(server);
  },
};

runAdapterContract(nodeDriver);
