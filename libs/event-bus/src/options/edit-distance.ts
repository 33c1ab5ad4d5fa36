/**
 * Edit distance between two strings: insertions, deletions, substitutions and swaps of two
 * neighbouring characters each cost 1 (Damerau-Levenshtein, optimal string alignment variant:
 * no substring is edited twice). `editDistance('retryDelayy', 'retryDelay')` is 1,
 * `editDistance('perfetch', 'prefetch')` is 1.
 */
export function editDistance(a: string, b: string): number {
  // Three rows of the dynamic-programming table: the one before the previous is needed for swaps.
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, beforePrevious[j - 2] + 1);
      current.push(best);
    }
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length];
}

/**
 * The candidate `word` is most likely a misspelling of, or `undefined` when none is close
 * enough to be worth suggesting. Letter case is ignored (`retrydelay` suggests `retryDelay`);
 * a suggestion is at most 1 edit away for words of up to 5 characters, at most 2 for longer
 * ones, so short unrelated names (`ttl` and `tls`) are not offered. On a tie the candidate
 * listed first wins.
 */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    const limit = Math.max(word.length, candidate.length) >= 6 ? 2 : 1;
    if (distance <= limit && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
