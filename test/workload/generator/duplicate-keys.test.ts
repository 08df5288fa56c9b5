/**
 * firstDuplicateKey against what JSON.parse does: on any JSON text, it reports a key twice in one
 * object exactly when parsing loses a key (the parsed value holds fewer keys than the text gave).
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { firstDuplicateKey } from "../../../src/workload/generator/duplicate-keys.ts";

/** Keys in a JSON text: each string followed by a colon (no string value below holds a quote). */
const KEY = /"(?:[^"\\]|\\.)*"\s*:/g;
const keyCount = (text: string) => (text.match(KEY) ?? []).length;

/** JSON texts whose objects draw keys from a small set (so duplicates are common). */
const key = fc.constantFrom("a", "b", "c", "\\u0061", "a b", "é", '\\"q\\"', "{", ":");
const leaf = fc.oneof(fc.integer().map(String), fc.constantFrom('"x"', '"a:"', '"a, b"', "true", "null", "[]", "{}"));
const jsonText = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.array(tie("node"), { maxLength: 4 }).map((items) => `[${items.join(",\n")}]`),
    fc.array(fc.tuple(key, tie("node")), { maxLength: 4 }).map((entries) => `{${entries.map(([k, v]) => `"${k}": ${v}`).join(",\n  ")}}`),
  ),
})).node;

describe("firstDuplicateKey", () => {
  it("finds a duplicate exactly when JSON.parse loses a key", () => {
    fc.assert(fc.property(jsonText, (text) => {
      const lost = keyCount(JSON.stringify(JSON.parse(text))) < keyCount(text);
      expect(firstDuplicateKey(text) !== undefined).toBe(lost);
    }), { numRuns: 2000 });
  });

  it("names the key as parsed and the lines of both", () => {
    expect(firstDuplicateKey('{\n "a": 1,\n "b": {"a": 2},\n "\\u0061": 3\n}')).toEqual({ key: "a", line: 4, firstLine: 2 });
    expect(firstDuplicateKey('[{"a": 1}, {"a": 2}]')).toBeUndefined();
    for (const end of ["\r\n", "\r"]) expect(firstDuplicateKey(`{${end} "a": 1,${end} "a": 2${end}}`)).toEqual({ key: "a", line: 3, firstLine: 2 });
    expect(firstDuplicateKey('{"k": "a", "a": "k", "s": "\\\\", "t": "\\"a\\""}')).toBeUndefined();
  });
});
