/**
 * The errors the service clients throw (`FunctionClient`, `Queue`, `Topic`), the same classes on
 * every provider. A module of their own, apart from `errors.ts`: only client code imports them, so
 * an http function's cold start neither parses nor brands them (the build imports each name from the
 * module that defines it: packages/cli/src/barrel-imports.ts).
 */
import { branded } from './error-brand.ts';

/**
 * Another function could not be invoked or answered with an error; carries the provider's error
 * type and message, and the provider's own error (SDK error, network failure) as `cause`.
 *
 * @example
 * try { await ctx.get(FunctionClient).invoke('price', { sku }); } catch (e) { if (e instanceof FunctionInvokeError) ctx.log.warn('price failed', { error: e }); }
 */
export class FunctionInvokeError extends Error {
  static {
    branded(FunctionInvokeError, 'FunctionInvokeError');
  }
  override readonly name = 'FunctionInvokeError';
  constructor(
    readonly functionName: string,
    readonly errorType: string,
    readonly errorMessage: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(`${functionName} failed: ${errorType}: ${errorMessage}`, options);
  }
}

/**
 * `Queue.send` failed: the provider refused the message or could not be reached. The provider's
 * error (SQS, Storage Queues, Service Bus, Pub/Sub) is the `cause`; the same class on every provider.
 *
 * @example
 * try { await ctx.get(Queue).send('orders', order); } catch (e) { if (e instanceof QueueSendError) throw new HttpError(503, 'try later', undefined, { cause: e }); throw e; }
 */
export class QueueSendError extends Error {
  static {
    branded(QueueSendError, 'QueueSendError');
  }
  override readonly name = 'QueueSendError';
  constructor(
    readonly queue: string,
    options: { cause: unknown; message?: string },
  ) {
    super(options.message ?? `sending to queue "${queue}" failed: ${causeMessage(options.cause)}`, {
      cause: options.cause,
    });
  }
}

/**
 * `Topic.publish` failed: the provider refused the message or could not be reached. The provider's
 * error (SNS, Service Bus, Event Grid, Pub/Sub) is the `cause`; the same class on every provider.
 *
 * @example
 * try { await ctx.get(Topic).publish('order-events', ev); } catch (e) { if (e instanceof TopicPublishError) ctx.log.warn('not published', { topic: e.topic }); }
 */
export class TopicPublishError extends Error {
  static {
    branded(TopicPublishError, 'TopicPublishError');
  }
  override readonly name = 'TopicPublishError';
  constructor(
    readonly topic: string,
    options: { cause: unknown; message?: string },
  ) {
    super(options.message ?? `publishing to topic "${topic}" failed: ${causeMessage(options.cause)}`, {
      cause: options.cause,
    });
  }
}

function causeMessage(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
