/** Grouping items by a key, keeping their indices. */

/** The indices of `items` by key, keys in order of first appearance, indices increasing. */
export function groupIndices<T, K>(
  items: readonly T[],
  key: (item: T, index: number) => K,
): Map<K, number[]> {
  const groups = new Map<K, number[]>();
  items.forEach((item, i) => {
    const k = key(item, i);
    const group = groups.get(k);
    if (group) group.push(i);
    else groups.set(k, [i]);
  });
  return groups;
}
