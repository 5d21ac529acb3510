import { ConfigError } from '@polycloud/core';
import { resolveConfig } from '@polycloud/core/adapter';
import { describe, expect, test } from 'vitest';
import { resolveSettings, toMethods, toNcrontab, toRouteTemplate } from '../../src/index.ts';

describe('5-field cron → 6-field NCRONTAB', () => {
  test.each([
    ['*/5 * * * *', '0 */5 * * * *'],
    ['0 3 * * *', '0 0 3 * * *'],
    ['15 9 1 1,6 *', '0 15 9 1 1,6 *'],
    ['0 0 * * 7', '0 0 0 * * 0'],
    ['0 0 * * 0-7', '0 0 0 * * 0-6'],
    ['0 0 * * 5-7', '0 0 0 * * 5-6,0'],
    // A step through Sunday-as-7: cron's 5-7/2 is Friday and Sunday, 1-7/3 Monday, Thursday, Sunday.
    ['0 0 * * 5-7/2', '0 0 0 * * 5,0'],
    ['0 0 * * 1-7/3', '0 0 0 * * 1,4,0'],
    ['0 0 * * 0-7/2', '0 0 0 * * 0,2,4,6'],
    ['0 0 * * 6-7/5', '0 0 0 * * 6'],
    ['0 0 * * 1,4-7/2', '0 0 0 * * 1,4,6'],
    ['0 0 * * 0-7/7', '0 0 0 * * 0'],
    ['0 12 * * MON-FRI', '0 0 12 * * MON-FRI'],
    ['0 0 * JAN *', '0 0 0 * JAN *'],
  ])('%s → %s', (cron, expected) => {
    expect(toNcrontab(cron)).toBe(expected);
  });

  test('day-of-month AND day-of-week restricted cannot be expressed: refused, not silently narrowed', () => {
    expect(() => toNcrontab('0 0 1 * 1', 'function "x"')).toThrow(ConfigError);
    expect(() => toNcrontab('0 0 1 * 1', 'function "x"')).toThrow(/function "x".*day-of-month.*day-of-week/);
  });

  test('unsupported syntax and wrong field counts are refused with the field named', () => {
    expect(() => toNcrontab('0 0 L * *')).toThrow(/day-of-month field "L"/);
    expect(() => toNcrontab('0 0 * * 1#2')).toThrow(/day-of-week field "1#2"/);
    expect(() => toNcrontab('0 0 ? * 1')).toThrow(/day-of-month field "\?"/);
    expect(() => toNcrontab('* * * *')).toThrow(/5 fields/);
  });

  test('a step of 0 is refused (cron never advances on it), in any field', () => {
    expect(() => toNcrontab('*/0 * * * *')).toThrow(/minute field "\*\/0" has a step of 0/);
    expect(() => toNcrontab('0 0 * * 5-7/0')).toThrow(/day-of-week field "5-7\/0" has a step of 0/);
    expect(() => toNcrontab('0 0 * * 1,2-6/00')).toThrow(ConfigError);
    expect(toNcrontab('*/10 * * * *')).toBe('0 */10 * * * *');
  });
});

describe('routes', () => {
  test('neutral routes become Azure route templates', () => {
    expect(toRouteTemplate('/todos/:id')).toBe('todos/{id}');
    expect(toRouteTemplate('/files/*')).toBe('files/{*rest}');
    expect(toRouteTemplate('/a/:b/c/*')).toBe('a/{b}/c/{*rest}');
    expect(toRouteTemplate('/')).toBe('');
  });
  test('ANY is spelled out: @azure/functions would otherwise register GET and POST only', () => {
    expect(toMethods({ methods: [], path: '/' })).toEqual([
      'GET',
      'HEAD',
      'POST',
      'PUT',
      'PATCH',
      'DELETE',
      'OPTIONS',
    ]);
    expect(toMethods({ methods: ['PUT'], path: '/' })).toEqual(['PUT']);
  });
});

describe('providers.azure settings', () => {
  const cfg = (azure: Record<string, unknown>) =>
    resolveConfig({ provider: 'azure', providers: { azure } }, {});

  test('defaults', () => {
    const s = resolveSettings(cfg({}), 'app', {});
    expect(s).toMatchObject({
      routePrefix: 'api',
      authLevel: 'function',
      functionTimeout: '00:05:00',
      functionTimeoutMs: 300_000,
      appServiceAuth: false,
      queue: 'storage',
      topic: 'serviceBus',
      subscriptionName: 'app',
      connections: {
        storage: 'AzureWebJobsStorage',
        serviceBus: 'ServiceBusConnection',
        eventHub: 'EventHubConnection',
      },
    });
    expect(s.baseUrl).toBeUndefined();
  });

  test('app settings supply the FunctionClient target and keys', () => {
    const s = resolveSettings(cfg({}), 'app', {
      WEBSITE_HOSTNAME: 'shop.azurewebsites.net',
      POLYCLOUD_AZURE_FUNCTION_KEY: 'fk',
    });
    expect(s.baseUrl).toBe('https://shop.azurewebsites.net');
    expect(s.functionKey).toBe('fk');
  });

  test('wrong values name the key and the valid choices', () => {
    expect(() => resolveSettings(cfg({ queue: 'sqs' }), 'a', {})).toThrow(
      'providers.azure.queue is "sqs"; valid: storage, serviceBus, eventHub',
    );
    expect(() => resolveSettings(cfg({ functionTimeout: '5m' }), 'a', {})).toThrow(
      /providers.azure.functionTimeout/,
    );
    expect(resolveSettings(cfg({ functionTimeout: '1.00:00:00' }), 'a', {}).functionTimeoutMs).toBe(
      86_400_000,
    );
  });
});
