/**
 * `HTTP_SHAPES` is public (`@polycloud/aws`): each front door carries its capability-matrix name
 * (`apigw-v1`, `apigw-v2`, `function-url`, `alb`), and every captured payload of a front door in
 * test/fixtures/aws is recognised by the shape of that name, none by another.
 */
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../src/events/records-source.ts';
import { HTTP_SHAPES } from '../../src/index.ts';
import { allFixtures, fixture } from '../support/fixtures.ts';

/** Fixture folder → the front door that sends such payloads. */
const DOOR_OF_FOLDER: Record<string, string> = {
  'apigw-rest': 'apigw-v1',
  'apigw-http': 'apigw-v2',
  'function-url': 'function-url',
  alb: 'alb',
};

describe('HTTP_SHAPES', () => {
  it('names the four front doors, most specific first', () => {
    expect(HTTP_SHAPES.map((s) => s.name)).toEqual(['apigw-v2', 'function-url', 'alb', 'apigw-v1']);
  });

  const files = allFixtures().filter((f) => f.split('/')[0]! in DOOR_OF_FOLDER);
  it.each(files)('%s is read by its own front door', (file) => {
    const event = fixture(file) as JsonObject;
    const matching = HTTP_SHAPES.filter((s) => s.matches(event)).map((s) => s.name);
    // The first match answers; a Function URL event is also a payload 2.0 event, so a Function URL
    // must be recognised before the HTTP API shape would take it (the list order above).
    const first = HTTP_SHAPES.find((s) => s.matches(event))?.name;
    expect(first, `${file} matched ${matching.join(', ')}`).toBe(DOOR_OF_FOLDER[file.split('/')[0]!]);
  });

  it('covers every front door with at least one captured payload', () => {
    const doors = new Set(files.map((f) => DOOR_OF_FOLDER[f.split('/')[0]!]));
    expect([...doors].sort()).toEqual(['alb', 'apigw-v1', 'apigw-v2', 'function-url']);
  });
});
