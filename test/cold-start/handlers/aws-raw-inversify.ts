/** Hand-written Lambda handler for GET /items/{id} resolving its service through inversify: the baseline of `apps/service`. */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { container, ItemStore } from './inversify-store.ts';

export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const id = decodeURIComponent(event.rawPath.split('/')[2] ?? '');
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id, name: container.get<ItemStore>(ItemStore).name(id) }),
  };
}
