/**
 * Azure cookie unfolding, as a property (a second guard next to the fixed http.test.ts case): the
 * Functions host folds repeated request headers into one value joined by ", " (RFC 9110 §5.3), so
 * several Cookie headers arrive as `a=1; b=2, c=3`. Cookie names and values cannot contain a comma
 * (RFC 6265 §4.2.1 cookie-octet excludes it), so splitting on ", " before a `name=` restores the
 * headers exactly: the cookies a handler sees are those of the separate headers, whatever they hold.
 */
import azureFunctions from '@azure/functions';
import { parseCookies } from '@polycloud/core/adapter';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveSettings, toNeutralRequest } from '../../src/index.ts';

const name = fc.stringMatching(/^[A-Za-z0-9!#$&'*+.^_`|~-]{1,10}$/).filter((n) => n !== '__proto__');
const value = fc.stringMatching(/^[A-Za-z0-9!#$&'()*+./:<=>?@[\]^_`{|}~-]{0,12}$/);
const cookieHeader = fc
  .array(fc.tuple(name, value), { minLength: 1, maxLength: 4 })
  .map((pairs) => pairs.map(([n, v]) => `${n}=${v}`).join('; '));

describe('Azure: folded Cookie headers are unfolded exactly', () => {
  it('the cookies seen equal those of the separate headers before the host folded them', async () => {
    const settings = resolveSettings(undefined, 'cookies', {});
    await fc.assert(
      fc.asyncProperty(fc.array(cookieHeader, { minLength: 1, maxLength: 4 }), async (headers) => {
        const folded = headers.join(', ');
        const request = new azureFunctions.HttpRequest({
          method: 'GET',
          url: 'https://app.azurewebsites.net/api/x',
          headers: { cookie: folded },
        });
        const neutral = await toNeutralRequest(request, settings);
        expect(neutral.headers.getAll('cookie')).toEqual(headers);
        expect({ ...neutral.cookies }).toEqual({ ...parseCookies(headers) });
      }),
      { numRuns: 300 },
    );
  });
});
