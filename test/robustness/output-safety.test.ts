/**
 * Output safety: CSV opened in a spreadsheet must not run formulas, and any id must survive a
 * write and a read. A text cell that starts with =, +, -, @, tab or CR is written with a leading
 * apostrophe (csv-stringify's `escape_formulas`, the OWASP advice), which spreadsheets show as
 * text; every other id reads back exactly, commas, quotes and line breaks included.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { summaryCsv, textCell } from "../../src/report/csv.ts";
import { csvObjects, run } from "../helpers.ts";
import { leftovers, withCli } from "./cli.ts";

/** As csv-stringify's escape_formulas sees them: also the full-width ＝ ＋ － ＠ (Apple Numbers). */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
/** Strings made of the characters that matter to CSV and spreadsheets, plus ordinary ones. */
const tricky = fc.string({ unit: fc.constantFrom("=", "+", "-", "@", "\t", "\r", "\n", ",", '"', "'", " ", "a", "1", "é", "😀"), maxLength: 12 });
const anyText = fc.oneof(tricky, fc.string({ unit: "grapheme", maxLength: 12 }));

/** One cell parsed back as csv-parse reads it (no trimming, no BOM handling). */
function readBack(cell: string): string {
  const rows = parse(`${cell},end\n`, { relax_quotes: false }) as string[][];
  expect(rows).toHaveLength(1);
  expect(rows[0]).toHaveLength(2);
  return rows[0]![0]!;
}

describe("text cells", () => {
  it("are exactly what csv-stringify with escape_formulas writes (the fast path changes nothing)", () => {
    fc.assert(fc.property(anyText, (s) => {
      expect(textCell(s)).toBe(stringify([[s]], { escape_formulas: true }).slice(0, -1));
    }), { numRuns: 2000 });
  });

  it("never start with a formula character once written", () => {
    fc.assert(fc.property(anyText, (s) => {
      const cell = textCell(s);
      const shown = cell.startsWith('"') ? readBack(cell) : cell; // what a spreadsheet gets as the cell's text
      expect(FORMULA_START.test(shown)).toBe(false);
    }), { numRuns: 2000 });
  });

  it("read back as written: exactly, or with the apostrophe when it starts like a formula", () => {
    fc.assert(fc.property(anyText.filter((s) => s !== ""), (s) => {
      expect(readBack(textCell(s))).toBe(FORMULA_START.test(s) ? `'${s}` : s);
    }), { numRuns: 2000 });
  });

  it("hand-picked cases", () => {
    expect(["=1+2", "+x", "-y", "@z", "a,b", 'say "hi"', "multi\nline", "c0", "n1"].map(textCell))
      .toEqual(["'=1+2", "'+x", "'-y", "'@z", '"a,b"', '"say ""hi"""', '"multi\nline"', "c0", "n1"]);
  });

  it("ids like the conformance suite's (c0, n1, …) are written as they are", () => {
    const ids = Array.from({ length: 1000 }, (_, i) => [`c${i}`, `n${i}`]).flat();
    expect(ids.map(textCell)).toEqual(ids);
  });
});

describe("summary.csv", () => {
  it("a policy name that looks like a formula is escaped; numbers are never touched", () => {
    const { summary } = run({
      workload: "id,arrival,duration,cpu,mem\nc0,0,1,1,1\n",
      cluster: "id,cpu,mem\nn0,1,1\n",
    }, { policy: { name: "=SUM(1,2)", select: () => 0 } });
    const text = summaryCsv([summary], [{ policy: "-oops", error: "@error, with a comma" }]);
    const rows = csvObjects(text);
    expect(rows.map((r) => [r.policy, r.finished, r.R, r.error])).toEqual([["'=SUM(1,2)", "1", "1", ""], ["'-oops", "", "", "'@error, with a comma"]]);
  });
});

describe.concurrent("through the CLI", () => {
  it("ids with commas, quotes, line breaks and formula starts in containers.csv and summary.csv", async () => {
    const dir = "test/fixtures/output-safety/";
    const args = ["run", "--workload", `${dir}workload.csv`, "--cluster", `${dir}cluster.csv`, "--policy", "first-fit", "--policy", `${dir}evil-name.ts`];
    await withCli(args, async (r) => {
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(await leftovers(r)).toEqual(["results"]);
      const rows = csvObjects(await readFile(join(r.out, "first-fit", "containers.csv"), "utf8"));
      // "a,b" (4 cpu) arrives while "=1+2" holds 1 of n0's 4 cores: it goes to "n,1".
      expect(rows.map((c) => [c.id, c.node, c.state])).toEqual([
        ["'=1+2", "'=n0", "finished"],
        ["a,b", "n,1", "finished"],
        ["'+x", "'=n0", "finished"],
        ["'-y", "'=n0", "finished"],
        ["'@z", "'=n0", "finished"],
        ['say "hi"', "'=n0", "finished"],
        ["multi\nline", "'=n0", "finished"],
        ["plain", "'=n0", "finished"],
      ]);
      const summary = csvObjects(await readFile(join(r.out, "summary.csv"), "utf8"));
      expect(summary.map((s) => s.policy)).toEqual(["first-fit", `'=HYPERLINK("x","y")`]);
    });
  });
});
