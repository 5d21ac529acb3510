/** Hand-written Lambda handler for GET /items/{id} (API Gateway v2): the cold-start baseline. */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const id = decodeURIComponent(event.rawPath.split('/')[2] ?? '');
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id, name: `item ${id}` }),
  };
}
