/** Edit distance (insertions, deletions, substitutions) between two strings. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * The known name closest to a misspelt one, if any is close: same letters in another case, one
 * a prefix of the other (`sessionTimeout` for `sessionTimeoutMs`), or a few edits apart.
 */
export function didYouMean(given: string, known: readonly string[]): string | undefined {
  const lower = given.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const name of known) {
    const candidate = name.toLowerCase();
    const prefix = candidate.startsWith(lower) || lower.startsWith(candidate);
    const score = prefix && Math.min(lower.length, candidate.length) >= 4 ? 0.5 : distance(lower, candidate);
    if (score < bestScore) {
      best = name;
      bestScore = score;
    }
  }
  return bestScore <= Math.max(2, Math.floor(given.length / 4)) ? best : undefined;
}
