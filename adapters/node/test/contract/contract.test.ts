import { type AdapterDriver, type DriverSession, runAdapterContract } from '@polycloud/testing';
import { handle } from '../../src/index.ts';
import { httpSession } from '../support/node-driver.ts';

const nodeDriver: AdapterDriver = {
  name: 'node',
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
