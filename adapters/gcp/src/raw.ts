import type { Request, Response } from '@google-cloud/functions-framework';
import type { NativeInput } from './events/native-input.ts';

/** `ctx.raw` for an http function: the framework's Express request and response. */
export interface GcpHttpRaw {
  provider: 'gcp';
  req: Request;
  res: Response;
}

/** `ctx.raw` for an event-driven function: the request plus what it carried, before neutralisation. */
export interface GcpEventRaw extends GcpHttpRaw {
  input: NativeInput;
}

export type GcpRaw = GcpHttpRaw | GcpEventRaw;
