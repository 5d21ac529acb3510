/** middy (@middy/core, no middleware) around the hand-written handler: a peer's cold start. */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

export const handler = middy<APIGatewayProxyEventV2>().handler(async (event) => {
  const id = decodeURIComponent(event.rawPath.split('/')[2] ?? '');
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id, name: `item ${id}` }),
  };
});
