import type { MsgHdrs } from '@nats-io/transport-node';

/**
 * How a polycloud message travels in NATS headers, so any NATS client can produce or read it:
 *
 * | header | what |
 * |---|---|
 * | `Nats-Msg-Id` | the message id (also JetStream's de-duplication key) |
 * | `Pc-Source` | the queue or topic name as the app wrote it |
 * | `Pc-Content-Type` | the body's media type |
 * | `Pc-Group-Id` | the ordered group (FIFO group / ordering key) |
 * | `Pc-Attr-<name>` | one attribute; name and value percent-encoded (NATS headers are ASCII lines) |
 * | `Pc-Not-Before` | delayed send: epoch ms before which the message waits in the delay stream |
 * | `Pc-Target` | delayed send: the subject it moves to when due |
 * | `Pc-Scheduled-Time` | a schedule tick's time (ISO 8601) |
 * | `Pc-Dead-*` | on a dead letter: `Function`, `Error`, `Deliveries`, `At`, `Subject` |
 */
export const WIRE = {
  id: 'Nats-Msg-Id',
  source: 'Pc-Source',
  contentType: 'Pc-Content-Type',
  groupId: 'Pc-Group-Id',
  attrPrefix: 'Pc-Attr-',
  notBefore: 'Pc-Not-Before',
  target: 'Pc-Target',
  scheduledTime: 'Pc-Scheduled-Time',
  deadFunction: 'Pc-Dead-Function',
  deadError: 'Pc-Dead-Error',
  deadDeliveries: 'Pc-Dead-Deliveries',
  deadAt: 'Pc-Dead-At',
  deadSubject: 'Pc-Dead-Subject',
} as const;

export function setAttributes(h: MsgHdrs, attributes: Record<string, string> | undefined): void {
  if (!attributes) return;
  for (const key in attributes) {
    h.set(`${WIRE.attrPrefix}${encodeURIComponent(key)}`, encodeURIComponent(attributes[key]!));
  }
}

export function readAttributes(h: MsgHdrs | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!h) return out;
  for (const [key, values] of h) {
    if (!key.startsWith(WIRE.attrPrefix)) continue;
    const name = safeDecode(key.slice(WIRE.attrPrefix.length));
    // Stryker disable next-line StringLiteral: the NATS client keeps no header name without a value; the fallback is never read
    out[name] = safeDecode(values[0] ?? '');
  }
  return out;
}

/** A header value on one line: NATS headers end at CR/LF. */
export function oneLine(text: string, max = 1000): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
