import { createLogger } from '@polycloud/core/adapter';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cloudLoggingSink, resolveGcpOptions, traceFields } from '../../src/index.ts';

describe('Cloud Logging structured JSON', () => {
  afterEach(() => vi.restoreAllMocks());
  const capture = () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    return lines;
  };

  it('one JSON line per entry with severity, message, time and the fields; errors carry stack_trace', () => {
    const lines = capture();
    const log = createLogger(cloudLoggingSink, { app: 'a' }, 'debug').child({
      'logging.googleapis.com/trace': 'projects/p/traces/t',
    });
    log.debug('d');
    log.info('i', { n: 1 });
    log.warn('w');
    log.error('e', { error: new Error('boom') });
    vi.restoreAllMocks();
    const entries = lines.map((l) => {
      expect(l.endsWith('\n')).toBe(true);
      return JSON.parse(l) as Record<string, unknown>;
    });
    expect(entries.map((e) => e.severity)).toEqual(['DEBUG', 'INFO', 'WARNING', 'ERROR']);
    expect(entries[1]).toMatchObject({
      message: 'i',
      n: 1,
      app: 'a',
      'logging.googleapis.com/trace': 'projects/p/traces/t',
    });
    expect(typeof entries[0]!.time).toBe('string');
    expect(String(entries[3]!.stack_trace)).toContain('Error: boom');
  });

  it('a field named message or severity cannot replace the entry’s own', () => {
    const lines = capture();
    cloudLoggingSink('info', 'real', { message: 'fake', severity: 'EMERGENCY' });
    vi.restoreAllMocks();
    expect(JSON.parse(lines[0]!)).toMatchObject({ message: 'real', severity: 'INFO' });
  });
});

describe('trace fields', () => {
  it('traceparent: trace, hex span, sampled flag', () => {
    expect(traceFields('p', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00', undefined)).toEqual({
      'logging.googleapis.com/trace': 'projects/p/traces/4bf92f3577b34da6a3ce929d0e0e4736',
      'logging.googleapis.com/spanId': '00f067aa0ba902b7',
      'logging.googleapis.com/trace_sampled': false,
    });
  });

  it('X-Cloud-Trace-Context: its decimal span id becomes 16 hex digits', () => {
    expect(traceFields('p', undefined, '105445aa7843bc8bf206b12000100000/18446744073709551615;o=1')).toEqual({
      'logging.googleapis.com/trace': 'projects/p/traces/105445aa7843bc8bf206b12000100000',
      'logging.googleapis.com/spanId': 'ffffffffffffffff',
      'logging.googleapis.com/trace_sampled': true,
    });
    expect(traceFields('p', undefined, '105445aa7843bc8bf206b12000100000')).toEqual({
      'logging.googleapis.com/trace': 'projects/p/traces/105445aa7843bc8bf206b12000100000',
    });
  });

  it('traceparent wins; an invalid one falls back to X-Cloud-Trace-Context; no project, no trace', () => {
    expect(
      traceFields('p', 'garbage', '105445aa7843bc8bf206b12000100000/1')?.['logging.googleapis.com/trace'],
    ).toBe('projects/p/traces/105445aa7843bc8bf206b12000100000');
    expect(
      traceFields('p', '00-00000000000000000000000000000000-00f067aa0ba902b7-01', undefined),
    ).toBeUndefined();
    expect(
      traceFields(undefined, '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', undefined),
    ).toBeUndefined();
  });
});

describe('options', () => {
  it('direct options win over providers.gcp, which wins over the environment', () => {
    const config = {
      provider: 'gcp' as const,
      providers: { gcp: { project: 'from-config', timeoutMs: 9000 } },
    };
    const r = resolveGcpOptions({ config, timeoutMs: 1000 }, { GOOGLE_CLOUD_PROJECT: 'from-env' });
    expect(r).toMatchObject({ project: 'from-config', timeoutMs: 1000, idToken: 'auto', forwardedHops: 1 });
    expect(
      resolveGcpOptions({}, { GOOGLE_CLOUD_PROJECT: 'from-env', GCE_METADATA_HOST: '127.0.0.1:9' }),
    ).toMatchObject({
      project: 'from-env',
      metadataHost: '127.0.0.1:9',
      timeoutMs: 60_000,
    });
  });

  it('the default timeout follows CLOUD_RUN_TIMEOUT_SECONDS when set', () => {
    expect(resolveGcpOptions({}, { CLOUD_RUN_TIMEOUT_SECONDS: '300' }).timeoutMs).toBe(300_000);
    expect(resolveGcpOptions({ timeoutMs: 5000 }, { CLOUD_RUN_TIMEOUT_SECONDS: '300' }).timeoutMs).toBe(5000);
    expect(resolveGcpOptions({}, { CLOUD_RUN_TIMEOUT_SECONDS: 'x' }).timeoutMs).toBe(60_000);
  });

  it('invalid values are ConfigErrors naming the key', () => {
    expect(() => resolveGcpOptions({ timeoutMs: -1 }, {})).toThrow(/providers.gcp.timeoutMs/);
    expect(() => resolveGcpOptions({ idToken: 'sometimes' as never }, {})).toThrow(/providers.gcp.idToken/);
    expect(() => resolveGcpOptions({ iap: { audience: '' } }, {})).toThrow(/providers.gcp.iap.audience/);
    expect(() => resolveGcpOptions({ forwardedHops: 1.5 }, {})).toThrow(/providers.gcp.forwardedHops/);
  });
});
