/** A row whose id an earlier row holds. */
export interface Duplicate {
  row: number;
  /** The first row holding that id. */
  earlier: number;
}

/**
 * The first row (in list order) whose id an earlier row holds, with the first row holding it:
 * what a row-by-row check with a Map would stop at. Undefined when every id is distinct.
 * `hashes[i]`, when given, is idHash(ids[i]) (taken while the id was at hand).
 *
 * A Map (or any hash table) of millions of ids costs a cache miss per row. Here a 32-bit hash of
 * each id picks a bit in a bitmap of 16 bits per row; only rows whose bit an other row also picks
 * (about 6 % of them when the ids are distinct, every repeat among them) go through a Map.
 */
export function firstDuplicate(ids: readonly string[], hashes?: Int32Array): Duplicate | undefined {
  const n = ids.length;
  if (!hashes) {
    hashes = new Int32Array(n);
    for (let i = 0; i < n; i++) hashes[i] = idHash(ids[i]!);
  }
  let bits = 5;
  while (1 << bits < 16 * n && bits < 32) bits++;
  const shift = 32 - bits;
  const once = new Int32Array(Math.max(1, 2 ** (bits - 5))), twice = new Int32Array(once.length);
  for (let i = 0; i < n; i++) {
    const b = hashes[i]! >>> shift, w = b >>> 5, bit = 1 << (b & 31);
    if ((once[w]! & bit) !== 0) twice[w]! |= bit;
    else once[w]! |= bit;
  }
  const firstRow = new Map<string, number>();
  for (let row = 0; row < n; row++) {
    const b = hashes[row]! >>> shift;
    if ((twice[b >>> 5]! & (1 << (b & 31))) === 0) continue;
    const id = ids[row]!, earlier = firstRow.get(id);
    if (earlier !== undefined) return { row, earlier };
    firstRow.set(id, row);
  }
  return undefined;
}

/** FNV-1a over the UTF-16 code units, as an int32 (a small integer: never boxed). */
export function idHash(s: string): number {
  let h = -2128831035;
  for (let k = 0; k < s.length; k++) h = Math.imul(h ^ s.charCodeAt(k), 16777619);
  return h;
}
