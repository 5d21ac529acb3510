/**
 * The candidate closest to a mistyped word, when it is close enough to be what was meant
 * (`provder` → `provider`, `azur` → `azure`): at most a third of the word's length in edits, at
 * least one. Case is ignored. Undefined when nothing is that close.
 *
 * @example
 * closestMatch('azur', ['aws', 'azure', 'gcp', 'node']); // 'azure'
 */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * ` (did you mean "azure"?)` when a candidate is close, else an empty string: the tail of a message.
 *
 * @example
 * `unknown provider "azur"${didYouMean('azur', PROVIDERS)}`; // unknown provider "azur" (did you mean "azure"?)
 */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const match = closestMatch(word, candidates);
  return match === undefined ? '' : ` (did you mean "${match}"?)`;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      // No bounds test: at i = 1 or j = 1 one side is `a[-1]` or `b[-1]`, undefined, never a letter.
      if (a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}
