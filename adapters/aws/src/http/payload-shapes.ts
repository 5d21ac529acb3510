import type { JsonObject } from '../events/records-source.ts';
import { alb } from './alb.ts';
import { apigwV1 } from './apigw-v1.ts';
import { apigwV2 } from './apigw-v2.ts';
import { functionUrl } from './function-url.ts';
import type { HttpShape } from './payload-shape.ts';

/** Most specific first: payload 2.0 (HTTP API vs Function URL), ALB, then REST. */
export const HTTP_SHAPES: readonly HttpShape[] = [apigwV2, functionUrl, alb, apigwV1];

export function httpShapeOf(event: JsonObject): HttpShape | undefined {
  for (const shape of HTTP_SHAPES) if (shape.matches(event)) return shape;
  return undefined;
}
