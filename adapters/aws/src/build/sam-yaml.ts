/**
 * Writes JSON-shaped data (objects, arrays, strings, finite numbers, booleans, null) as block-style
 * YAML for template.yaml. Strings are plain only when no YAML reading could change them; everything
 * else is double-quoted with JSON escapes, which YAML's double-quoted style accepts as is.
 */
export function toYaml(value: unknown): string {
  return `${block(value, 0).replace(/^\n/, '')}\n`;
}

const PLAIN = /^[A-Za-z_/][A-Za-z0-9_./-]*(?:::[A-Za-z0-9_./-]+)*$/;
// YAML 1.1 readers (CloudFormation's among them) take these as booleans or null.
const RESERVED = /^(?:y|n|yes|no|on|off|true|false|null|~)$/i;

function scalar(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`YAML: ${value} is not a finite number`);
    return String(value);
  }
  if (typeof value === 'string')
    return PLAIN.test(value) && !RESERVED.test(value) ? value : JSON.stringify(value);
  throw new TypeError(`YAML: cannot write a ${typeof value}`);
}

function isEmpty(value: unknown): boolean {
  return (
    (Array.isArray(value) && value.length === 0) ||
    (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0)
  );
}

/** A value after `key:` or `-`: a scalar on the same line, a collection on the following lines. */
function block(value: unknown, indent: number): string {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return ' []';
    return value
      .map((item) => {
        if (typeof item === 'object' && item !== null && !isEmpty(item)) {
          // The first line of a nested collection goes right after "- ".
          return `\n${pad}-${block(item, indent + 2).replace(/^\n */, ' ')}`;
        }
        return `\n${pad}-${block(item, indent + 2)}`;
      })
      .join('');
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return ' {}';
    return entries.map(([k, v]) => `\n${pad}${scalar(k)}:${block(v, indent + 2)}`).join('');
  }
  return ` ${scalar(value)}`;
}
