/**
 * polycloud's error classes field by field: what a handler throws and what a caller catches (the
 * status range of HttpError, default reasons, lower-cased headers, the path prefix of
 * InvalidEventError, the default messages of the client errors, names and causes).
 */
import { describe, expect, it } from 'vitest';
import { defaultReason, STORAGE_METHODS } from '../src/adapter.ts';
import {
  AppDefinitionError,
  ConfigError,
  FunctionInvokeError,
  HttpError,
  InvalidEventError,
  QueueSendError,
  Storage,
  StorageError,
  StorageNotFoundError,
  TopicPublishError,
} from '../src/index.ts';

describe('HttpError', () => {
  it('takes statuses 400 to 599 and refuses anything else, naming the status', () => {
    expect(new HttpError(400).status).toBe(400);
    expect(new HttpError(599).status).toBe(599);
    for (const status of [399, 600, 404.5, Number.NaN, 200]) {
      expect(() => new HttpError(status)).toThrow(
        new RangeError(`HttpError status must be an integer in 400..599, got ${status}`),
      );
    }
  });

  it('says the status reason when no message is given, and keeps details', () => {
    const error = new HttpError(404);
    expect(error.message).toBe('Not Found');
    expect(error.name).toBe('HttpError');
    expect(error.details).toBeUndefined();
    expect(new HttpError(422, 'bad sku', { field: 'sku' })).toMatchObject({
      message: 'bad sku',
      details: { field: 'sku' },
      status: 422,
    });
  });

  it('lower-cases header names and carries the cause only when given', () => {
    const cause = new Error('db down');
    const error = new HttpError(503, 'try later', undefined, {
      headers: { 'Retry-After': '30', 'WWW-Authenticate': 'Bearer' },
      cause,
    });
    expect(error.headers).toEqual({ 'retry-after': '30', 'www-authenticate': 'Bearer' });
    expect(error.cause).toBe(cause);
    expect(new HttpError(500).headers).toEqual({});
    expect('cause' in new HttpError(500)).toBe(false);
    expect('cause' in new HttpError(500, 'x', undefined, { headers: {} })).toBe(false);
  });
});

describe('defaultReason', () => {
  it('gives the reason phrase of each common status', () => {
    const reasons: Record<number, string> = {
      400: 'Bad Request',
      401: 'Unauthorized',
      403: 'Forbidden',
      404: 'Not Found',
      405: 'Method Not Allowed',
      409: 'Conflict',
      413: 'Payload Too Large',
      415: 'Unsupported Media Type',
      422: 'Unprocessable Content',
      429: 'Too Many Requests',
      500: 'Internal Server Error',
      502: 'Bad Gateway',
      503: 'Service Unavailable',
      504: 'Gateway Timeout',
    };
    for (const [status, reason] of Object.entries(reasons))
      expect(defaultReason(Number(status))).toBe(reason);
  });

  it('falls back by class: server error from 500, client error from 400, OK below', () => {
    expect(defaultReason(500 + 7)).toBe('Server Error');
    expect(defaultReason(599)).toBe('Server Error');
    expect(defaultReason(499)).toBe('Client Error');
    expect(defaultReason(418)).toBe('Client Error');
    expect(defaultReason(399)).toBe('OK');
    expect(defaultReason(200)).toBe('OK');
  });
});

describe('InvalidEventError', () => {
  it('prefixes the path it names, and keeps the issues', () => {
    const issues = [{ path: 'body.qty', message: 'must be a number' }];
    expect(new InvalidEventError('must be a number', 'body.qty', issues)).toMatchObject({
      message: 'body.qty: must be a number',
      path: 'body.qty',
      issues,
      name: 'InvalidEventError',
    });
    expect(new InvalidEventError('not JSON').message).toBe('not JSON');
    expect(new InvalidEventError('not JSON', '').message).toBe('not JSON');
  });
});

describe('ConfigError and AppDefinitionError', () => {
  it('carry their names; an AppDefinitionError is a TypeError', () => {
    expect(new ConfigError('x').name).toBe('ConfigError');
    expect(new AppDefinitionError('x').name).toBe('AppDefinitionError');
    expect(new AppDefinitionError('x')).toBeInstanceOf(TypeError);
  });
});

describe('FunctionInvokeError', () => {
  it('says which function failed how, with status and cause', () => {
    const cause = new Error('socket hang up');
    expect(new FunctionInvokeError('price', 'HttpError404', 'no sku', 404, { cause })).toMatchObject({
      name: 'FunctionInvokeError',
      message: 'price failed: HttpError404: no sku',
      functionName: 'price',
      errorType: 'HttpError404',
      errorMessage: 'no sku',
      status: 404,
      cause,
    });
  });
});

describe('QueueSendError and TopicPublishError', () => {
  it('name the queue or topic and the cause message by default', () => {
    const cause = new Error('AccessDenied');
    expect(new QueueSendError('orders', { cause })).toMatchObject({
      name: 'QueueSendError',
      message: 'sending to queue "orders" failed: AccessDenied',
      queue: 'orders',
      cause,
    });
    expect(new TopicPublishError('order-events', { cause: 'timeout' })).toMatchObject({
      name: 'TopicPublishError',
      message: 'publishing to topic "order-events" failed: timeout',
      topic: 'order-events',
      cause: 'timeout',
    });
    expect(new QueueSendError('q', { cause: 503 }).message).toBe('sending to queue "q" failed: 503');
  });

  it('take a message of their own', () => {
    expect(new QueueSendError('q', { cause: null, message: 'queue full' }).message).toBe('queue full');
    expect(new TopicPublishError('t', { cause: null, message: 'too large' }).message).toBe('too large');
  });
});

describe('StorageError', () => {
  it('carries the call, the provider code and the cause only when given', () => {
    const error = new StorageError('list failed', { operation: 'list', bucket: 'receipts' });
    expect(error).toMatchObject({
      name: 'StorageError',
      message: 'list failed',
      operation: 'list',
      bucket: 'receipts',
      key: undefined,
      code: undefined,
    });
    expect('cause' in error).toBe(false);
    const notFound = new StorageNotFoundError('gone', {
      operation: 'get',
      bucket: 'b',
      key: 'k',
      code: '404',
    });
    expect(notFound).toBeInstanceOf(StorageError);
    expect(notFound).toMatchObject({ name: 'StorageNotFoundError', key: 'k', code: '404' });
  });
});

describe('Storage', () => {
  it('is the shared token every copy of core resolves, with its seven methods', () => {
    expect(Storage).toBe(Symbol.for('polycloud.Storage'));
    expect(STORAGE_METHODS).toEqual(['put', 'get', 'getStream', 'head', 'list', 'delete', 'signedUrl']);
  });
});

describe('an error made by another version of core', () => {
  it('is an instance when its prototype carries the registered brand of its class', () => {
    const classes = {
      HttpError,
      InvalidEventError,
      ConfigError,
      AppDefinitionError,
      FunctionInvokeError,
      QueueSendError,
      TopicPublishError,
    };
    for (const [name, cls] of Object.entries(classes)) {
      const foreign = Object.create({ [Symbol.for(`polycloud.error.${name}`)]: true });
      expect(foreign instanceof cls, name).toBe(true);
      expect(Object.create({ [Symbol.for('polycloud.error.')]: true }) instanceof cls, name).toBe(false);
    }
  });
});
