/**
 * A structured-mode CloudEvent (JSON format, https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/formats/json-format.md)
 * read so that the same event gives the same result in binary and structured mode: Google's
 * structured samples write extensions in camelCase (`methodName`, `resourceName`), binary mode
 * delivers them as lower-case `ce-*` headers.
 */
import { describe, expect, it } from 'vitest';
import { fromStructuredObject } from '../../src/events/structured-cloud-event.ts';
import { rejects } from '../support/rejects-invalid.ts';

const base = { specversion: '1.0', id: 'e1', type: 'google.cloud.audit.log.v1.written', source: '//x' };

describe('fromStructuredObject', () => {
  it('camelCase extensions are lower-cased, as binary mode delivers them', () => {
    const ev = fromStructuredObject({
      ...base,
      methodName: 'storage.objects.create',
      resourceName: 'r',
      serviceName: 's',
    });
    expect(ev).toMatchObject({ methodname: 'storage.objects.create', resourcename: 'r', servicename: 's' });
    expect(Object.keys(ev)).not.toContain('methodName');
  });

  it('context attributes and lower-case extensions stay as they are', () => {
    const ev = fromStructuredObject({ ...base, subject: 'objects/a', tenant: 'acme', data: { a: 1 } });
    expect(ev).toEqual({ ...base, subject: 'objects/a', tenant: 'acme', data: { a: 1 } });
  });

  it('a camelCase name whose lower-case form is also present is kept, and refused as an extension name', () => {
    rejects(
      () => fromStructuredObject({ ...base, methodname: 'a', methodName: 'b' }),
      'body.methodName: extension names are lower-case letters and digits, at most 20',
    );
  });

  it('a name that would not be a valid extension even lower-cased is refused under the name sent', () => {
    rejects(
      () => fromStructuredObject({ ...base, 'Trace-Id': 'x' }),
      'body.Trace-Id: extension names are lower-case letters and digits, at most 20',
    );
  });

  it('anything but a JSON object is refused as such, naming where it was', () => {
    for (const value of ['{"id":"e1"}', null, ['x'], 5, true]) {
      rejects(() => fromStructuredObject(value), 'body: a CloudEvent must be a JSON object');
    }
    rejects(() => fromStructuredObject('x', 'body.event'), 'body.event: a CloudEvent must be a JSON object');
  });
});
