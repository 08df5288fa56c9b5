/** A row whose id an earlier row holds. */
export interface Duplicate {
  row: number;
  /** The first row holding that id. */
  earlier: number;
}

/** Rows per partition (at most 256 partitions): its bitmaps (16 bits per row, 2 MiB) stay within the processor's caches. */
const PARTITION_ROWS = 1 << 20;

/**
 * The first row (in list order) whose id an earlier row holds, with the first row holding it:
 * what a row-by-row check with a Map would stop at. Undefined when every id is distinct.
 * `hashes[i]`, when given, is idHash(ids[i]) (taken while the id was at hand); `partitionRows` is
 * for tests.
 *
 * A Map (or any hash table) of millions of ids costs a cache miss per row. Here the rows are
 * first split by the top bits of a 32-bit hash of their id into partitions of about a million rows
 * (equal ids fall in the same one, in list order); within a partition the next bits pick a bit in
 * a bitmap of 16 bits per row, small enough to stay in cache. Only rows whose bit another row also
 * picks (about 6 % when the ids are distinct, every repeat among them) are looked at again: sorted
 * by hash, their ids are compared where the whole hash is equal.
 */
export function firstDuplicate(ids: readonly string[], hashes?: Int32Array, partitionRows = PARTITION_ROWS): Duplicate | undefined {
  const n = ids.length;
  if (!hashes) {
    hashes = new Int32Array(n);
    for (let i = 0; i < n; i++) hashes[i] = idHash(ids[i]!);
  }
  let partBits = 0;
  while (n >> partBits > partitionRows && partBits < 8) partBits++;
  // A row's partition: the top partBits bits of its hash ((h >>> 1) >>> 31 is 0 when there is one).
  const parts = 1 << partBits, partShift = 31 - partBits;
  // The rows and their hashes in partition order, each partition's in list order.
  const start = new Int32Array(parts + 1);
  for (let i = 0; i < n; i++) start[((hashes[i]! >>> 1) >>> partShift) + 1]! += 1;
  for (let p = 0; p < parts; p++) start[p + 1]! += start[p]!;
  let rows: Int32Array, rowHashes: Int32Array;
  if (parts === 1) {
    rows = new Int32Array(n);
    for (let i = 0; i < n; i++) rows[i] = i;
    rowHashes = hashes;
  } else {
    rows = new Int32Array(n);
    rowHashes = new Int32Array(n);
  }
  const next = start.slice(0, parts);
  for (let i = 0; i < n && parts > 1; i++) {
    const h = hashes[i]!, p = (h >>> 1) >>> partShift, at = next[p]!;
    rows[at] = i;
    rowHashes[at] = h;
    next[p] = at + 1;
  }
  let first: Duplicate | undefined;
  let once = new Int32Array(0), twice = new Int32Array(0);
  const candidates = new Int32Array(Math.max(0, ...Array.from({ length: parts }, (_, p) => start[p + 1]! - start[p]!)));
  for (let p = 0; p < parts; p++) {
    const from = start[p]!, to = start[p + 1]!;
    let bits = 5;
    while (1 << bits < 16 * (to - from) && bits < 32 - partBits) bits++;
    const words = 1 << (bits - 5), shift = 32 - bits;
    if (once.length < words) {
      once = new Int32Array(words);
      twice = new Int32Array(words);
    } else {
      once.fill(0, 0, words);
      twice.fill(0, 0, words);
    }
    for (let k = from; k < to; k++) {
      const b = (rowHashes[k]! << partBits) >>> shift, w = b >>> 5, bit = 1 << (b & 31);
      if ((once[w]! & bit) !== 0) twice[w]! |= bit;
      else once[w]! |= bit;
    }
    let c = 0;
    for (let k = from; k < to; k++) {
      const b = (rowHashes[k]! << partBits) >>> shift;
      if ((twice[b >>> 5]! & (1 << (b & 31))) !== 0) candidates[c++] = rows[k]!;
    }
    const d = firstRepeat(ids, hashes, candidates.subarray(0, c));
    if (d && (!first || d.row < first.row)) first = d;
  }
  return first;
}

const GROUP = 2 ** 21;

/**
 * The first repeat among `rows` (in list order), comparing ids only between rows of equal hash:
 * the rows are sorted by hash (a plain numeric sort of hash · 2²¹ + position).
 */
function firstRepeat(ids: readonly string[], hashes: Int32Array, rows: Int32Array): Duplicate | undefined {
  const c = rows.length;
  if (c >= GROUP) return repeatByMap(ids, rows);
  const keys = new Float64Array(c);
  for (let j = 0; j < c; j++) keys[j] = (hashes[rows[j]!]! >>> 0) * GROUP + j;
  keys.sort();
  let first: Duplicate | undefined;
  for (let a = 0; a < c; ) {
    const h = Math.floor(keys[a]! / GROUP);
    let b = a + 1;
    while (b < c && Math.floor(keys[b]! / GROUP) === h) b++;
    if (b - a > 1) {
      const group = Int32Array.from(keys.subarray(a, b), (key) => rows[key - h * GROUP]!);
      const d = repeatByMap(ids, group);
      if (d && (!first || d.row < first.row)) first = d;
    }
    a = b;
  }
  return first;
}

/** The first repeat among `rows` (in list order), through a Map. */
function repeatByMap(ids: readonly string[], rows: Int32Array): Duplicate | undefined {
  const firstRow = new Map<string, number>();
  for (const row of rows) {
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
