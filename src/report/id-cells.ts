import type { ByteChunks } from "./bytes.ts";
import { columnBuffer } from "../model/workload.ts";
import { textCell } from "./csv.ts";

/**
 * Container ids as UTF-8 bytes, for a writer thread that formats containers.csv while the run goes
 * on: a list of strings would be copied string by string into the thread, bytes in a
 * SharedArrayBuffer are shared.
 */
export interface IdBytes {
  /** The first row these ids are of. */
  readonly from: number;
  readonly bytes: Uint8Array;
  /** Where id k (row from + k) ends in `bytes`; it starts where id k − 1 ends (or at 0). */
  readonly ends: Int32Array;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The ids of rows from … to − 1 as bytes; in SharedArrayBuffers when `shared`. */
export function encodeIds(ids: readonly string[], from: number, to: number, shared = false): IdBytes {
  const memory = (bytes: number) => columnBuffer(bytes, shared);
  let charsLeft = 0;
  for (let i = from; i < to; i++) charsLeft += ids[i]!.length;
  let bytes = new Uint8Array(memory(charsLeft));
  const ends = new Int32Array(memory(4 * (to - from)));
  let p = 0;
  for (let i = from; i < to; i++) {
    const id = ids[i]!;
    const n = id.length;
    charsLeft -= n;
    let k = 0;
    // ASCII byte by byte (ids are short); the rest of an id that is not through the encoder, after
    // making room for it (3 bytes per UTF-16 unit at most) and for the ids after it.
    for (; k < n; k++) {
      const c = id.charCodeAt(k);
      if (c >= 0x80) break;
      bytes[p++] = c;
    }
    if (k < n) {
      const rest = id.slice(k);
      const need = p + rest.length * 3 + charsLeft;
      if (need > bytes.length) {
        const bigger = new Uint8Array(memory(Math.max(need, bytes.length * 2)));
        bigger.set(bytes.subarray(0, p));
        bytes = bigger;
      }
      p += encoder.encodeInto(rest, bytes.subarray(p)).written;
    }
    ends[i - from] = p;
  }
  return { from, bytes: bytes.subarray(0, p), ends };
}

const QUOTE = 34, COMMA = 44, CR = 13, LF = 10;

/**
 * Writes row i's id cell as `textCell` would: a plain id (see textCell) byte for byte, any other
 * decoded and given to textCell.
 */
export function writeIdCell(out: ByteChunks, ids: IdBytes, i: number): void {
  const k = i - ids.from, bytes = ids.bytes;
  const from = k === 0 ? 0 : ids.ends[k - 1]!, to = ids.ends[k]!;
  if (isPlain(bytes, from, to)) out.bytes(bytes, from, to);
  else out.text(textCell(decoder.decode(bytes.subarray(from, to))));
}

/** textCell's PLAIN_TEXT on UTF-8 bytes: no formula start or non-ASCII first character, no quote, comma or line break. */
function isPlain(bytes: Uint8Array, from: number, to: number): boolean {
  if (from === to) return true;
  const first = bytes[from]!;
  if (first >= 0x80 || first === 61 || first === 43 || first === 45 || first === 64 || first === 9 || first === CR) return false;
  for (let i = from; i < to; i++) {
    const b = bytes[i]!;
    if (b === COMMA || b === QUOTE || b === CR || b === LF) return false;
  }
  return true;
}
