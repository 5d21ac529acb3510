/**
 * `setOwnProperty`: a `__proto__` key from client JSON becomes a field, never the target's prototype.
 */
import { describe, expect, it } from 'vitest';
import { setOwnProperty } from '../src/adapter.ts';

describe('setOwnProperty', () => {
  it('makes "__proto__" an own, enumerable, writable, configurable field', () => {
    const target: Record<string, unknown> = {};
    const value = { admin: true };
    setOwnProperty(target, '__proto__', value);
    expect(Object.getPrototypeOf(target)).toBe(Object.prototype);
    expect((target as { admin?: unknown }).admin).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(target, '__proto__')).toEqual({
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    expect(JSON.stringify(target)).toBe('{"__proto__":{"admin":true}}');
  });

  it('assigns any other key, replacing an earlier value', () => {
    const target: Record<string, unknown> = { a: 1 };
    setOwnProperty(target, 'a', 2);
    setOwnProperty(target, 'constructor', 'x');
    expect(target).toEqual({ a: 2, constructor: 'x' });
  });
});
