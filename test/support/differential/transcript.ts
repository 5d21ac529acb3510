import { type Answer, type Ask, ask, comparable } from './answer.ts';
import type { Provider } from './build.ts';

/** One scripted request; `make` may use what earlier answers returned (the todo a POST created). */
export interface Step {
  label: string;
  make(state: State): Ask;
  after?(answer: Answer, state: State): void;
}

export type State = Record<string, string>;

export interface Row {
  label: string;
  /** Per provider: the comparable answer. */
  answers: Record<string, ReturnType<typeof comparable>>;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const ISO_TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g;

/**
 * Runs the script against one provider and returns its answers with the values the provider
 * minted replaced: ids by their order of appearance (<id1>, <id2>…), timestamps by <time>.
 */
export async function runScript(base: string, steps: Step[]): Promise<ReturnType<typeof comparable>[]> {
  const state: State = {};
  const ids = new Map<string, string>();
  const normalise = (text: string) =>
    text
      .replace(UUID, (id) => {
        if (!ids.has(id)) ids.set(id, `<id${ids.size + 1}>`);
        return ids.get(id)!;
      })
      .replace(ISO_TIME, '<time>');
  const out: ReturnType<typeof comparable>[] = [];
  for (const step of steps) {
    const req = step.make(state);
    const answer = await ask(base, req);
    step.after?.(answer, state);
    const c = comparable(answer, normalise);
    c.headers = Object.fromEntries(Object.entries(c.headers).map(([k, v]) => [k, normalise(v)]));
    out.push(c);
  }
  return out;
}

/** Every provider's transcript side by side; differences against node listed per step. */
export function compare(
  steps: Step[],
  transcripts: Record<Provider, ReturnType<typeof comparable>[]>,
): { rows: Row[]; differences: string[] } {
  const rows: Row[] = [];
  const differences: string[] = [];
  steps.forEach((step, i) => {
    const answers = Object.fromEntries(Object.entries(transcripts).map(([p, t]) => [p, t[i]!]));
    rows.push({ label: step.label, answers });
    const reference = JSON.stringify(answers.node);
    for (const [provider, answer] of Object.entries(answers))
      if (JSON.stringify(answer) !== reference)
        differences.push(
          `${step.label}: ${provider} ${JSON.stringify(answer).slice(0, 600)}\n    node ${reference.slice(0, 600)}`,
        );
  });
  return { rows, differences };
}

/** The table the suite prints: status per provider, "=" where the whole answer equals node's. */
export function table(title: string, rows: Row[]): string {
  const providers = Object.keys(rows[0]?.answers ?? {});
  const width = Math.max(8, ...rows.map((r) => r.label.length));
  const lines = [`${title}`, `${'request'.padEnd(width)}  ${providers.map((p) => p.padEnd(9)).join(' ')}`];
  for (const row of rows) {
    const reference = JSON.stringify(row.answers.node);
    const cells = providers.map((p) => {
      const a = row.answers[p]!;
      return `${a.status}${JSON.stringify(a) === reference ? ' =' : ' ≠'}`.padEnd(9);
    });
    lines.push(`${row.label.padEnd(width)}  ${cells.join(' ')}`);
  }
  return lines.join('\n');
}
