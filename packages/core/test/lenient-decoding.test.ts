/**
 * Values decoded on every request: a cookie or CloudEvent header value with malformed
 * percent-encoding is kept as sent (never a crash or a lost value), and JSON bodies lose only the keys
 * that could pollute prototypes.
 */
import { describe, expect, it } from 'vitest';
import { parseCookies, parseJson } from '../src/adapter.ts';
import { cloudEventFromHttp } from '../src/cloud-events.ts';
import { HttpHeaders } from '../src/index.ts';

describe('malformed percent-encoding is kept as sent', () => {
  it('in a cookie value', () => {
    expect(parseCookies(['a=%zz; b=100%; c=%E2%9C%93'])).toEqual({ a: '%zz', b: '100%', c: '✓' });
  });

  it('in a binary-mode CloudEvent header', () => {
    const ev = cloudEventFromHttp(
      new HttpHeaders({
        'ce-specversion': '1.0',
        'ce-id': '1',
        'ce-source': '/s',
        'ce-type': 't',
        'ce-subject': '50%off',
      }),
      new Uint8Array(),
    );
    expect(ev.subject).toBe('50%off');
  });
});

describe('parseJson', () => {
  it('drops a constructor key even when no __proto__ appears', () => {
    expect(parseJson('{"constructor":{"prototype":{"x":1}},"a":1}')).toEqual({ a: 1 });
  });

  it('names the body by default', () => {
    expect(() => parseJson('{')).toThrow(/^body: malformed JSON/);
  });
});
