/** Ids sent as bytes to the writer thread end as the same cells textCell writes from the strings. */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ByteChunks } from "../../src/report/bytes.ts";
import { textCell } from "../../src/report/csv.ts";
import { encodeIds, writeIdCell } from "../../src/report/id-cells.ts";
import { joined } from "../helpers.ts";

/** The cells of ids[from … to − 1] through encodeIds and writeIdCell, one per line. */
function viaBytes(ids: string[], from: number, to: number, shared = false): string {
  const bytes = encodeIds(ids, from, to, shared), out = new ByteChunks(64);
  const chunks: Uint8Array[] = [];
  for (let i = from; i < to; i++) {
    writeIdCell(out, bytes, i);
    out.byte(10);
    if (out.ready) chunks.push(out.take());
  }
  chunks.push(out.take());
  return joined(chunks);
}

/** The same cells as the file holds them: textCell's strings as UTF-8 (a lone surrogate becomes U+FFFD). */
const viaStrings = (ids: string[], from: number, to: number) => {
  const text = ids.slice(from, to).map((id) => textCell(id) + "\n").join("");
  return new TextDecoder().decode(new TextEncoder().encode(text));
};

describe("ids as bytes", () => {
  it("write the cells textCell writes, quoting and formula escapes included", () => {
    const ids = ["c0", "job-1", "=1+2", "+x", "-y", "@z", "\tt", "\rr", "a,b", 'q"uote', "line\nbreak", "é", "xé", "＝full", "日本", "😀", "a😀b", "x=1", "a-b", "c\u0000d", "\uD800x", "x\uDC00", "\uDFFF"];
    expect(viaBytes(ids, 0, ids.length)).toBe(viaStrings(ids, 0, ids.length));
    expect(viaBytes(ids, 5, 12)).toBe(viaStrings(ids, 5, 12));
    expect(viaBytes(ids, 0, ids.length, true)).toBe(viaStrings(ids, 0, ids.length));
    expect(encodeIds(ids, 0, ids.length, true).bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it("of any text, in any slice, equal textCell's cells", () => {
    const id = fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.string({ minLength: 1, maxLength: 12, unit: "binary" }));
    fc.assert(fc.property(fc.array(id, { minLength: 1, maxLength: 40 }), fc.nat(), fc.nat(), fc.boolean(), (ids, a, b, shared) => {
      const from = a % ids.length, to = from + (b % (ids.length - from + 1));
      expect(viaBytes(ids, from, to, shared)).toBe(viaStrings(ids, from, to));
    }), { numRuns: 500 });
  });
});
