import type { AddressInfo } from 'node:net';
import rhea, { type Connection, type Message, type Sender } from 'rhea';

/** A message as the fake broker received it over AMQP. */
export interface ReceivedAmqpMessage {
  address: string;
  message: Message;
}

export interface ServiceBusAmqpFake {
  /** A connection string for @azure/service-bus pointing at the fake (plain AMQP, emulator mode). */
  readonly connection: string;
  readonly received: ReceivedAmqpMessage[];
  /** Every CBS put-token request, as the SDK sent it (the claim it asks for). */
  readonly tokens: { name: string; type: string }[];
  close(): Promise<void>;
}

/**
 * The AMQP 1.0 side of Service Bus that sending needs, built on rhea (the AMQP library the SDK itself
 * uses): SASL, the CBS `$cbs` put-token exchange answered 202 as Service Bus answers it, and sender
 * links to queues and topics whose messages are accepted and kept. It replays the documented protocol;
 * it is not Service Bus (no sessions enforcement, no scheduling, no filters). The SDK connects to it in
 * its emulator mode (`UseDevelopmentEmulator=true`: plain TCP instead of TLS).
 */
export async function startServiceBusFake(): Promise<ServiceBusAmqpFake> {
  const container = rhea.create_container({ id: 'polycloud-service-bus-fake' });
  const received: ReceivedAmqpMessage[] = [];
  const tokens: { name: string; type: string }[] = [];
  const replyLinks = new Map<string, Sender>();
  const connections = new Set<Connection>();
  container.on('connection_open', (ctx) => {
    connections.add(ctx.connection);
  });
  container.on('sender_open', (ctx) => {
    // The client's receiving side of a request/response pair; replies go to it by link name.
    ctx.sender!.set_source(ctx.sender!.source);
    replyLinks.set(ctx.sender!.name, ctx.sender!);
  });
  container.on('receiver_open', (ctx) => {
    ctx.receiver!.set_target(ctx.receiver!.target);
  });
  container.on('message', (ctx) => {
    const address = (ctx.receiver!.target as { address?: string }).address ?? '';
    const message = ctx.message!;
    if (address === '$cbs') {
      tokens.push({
        name: String(message.application_properties?.name),
        type: String(message.application_properties?.type),
      });
      replyLinks.get(String(message.reply_to))?.send({
        body: null,
        correlation_id: message.message_id,
        application_properties: { 'status-code': 202, 'status-description': 'Accepted' },
      });
      return;
    }
    received.push({ address, message });
  });
  const listener = container.listen({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve, reject) => {
    listener.once('listening', () => resolve());
    listener.once('error', reject);
  });
  const { port } = listener.address() as AddressInfo;
  return {
    connection: `Endpoint=sb://127.0.0.1:${port}/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=fake-key;UseDevelopmentEmulator=true`,
    received,
    tokens,
    close: () =>
      new Promise((resolve) => {
        // Drop the SDK's connections too: the listener closes only once no socket is left.
        for (const connection of connections) connection.socket?.destroy();
        listener.close(() => resolve());
      }),
  };
}
