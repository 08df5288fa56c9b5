/** The failures CSV reader (`node,down,up`): what it accepts and what it refuses, by line and column. */
import { describe, expect, it } from "vitest";
import { InputError, makeCluster } from "../../src/index.ts";
import { parseFailures } from "../../src/workload/failures-file.ts";
import { records } from "../helpers.ts";

const cluster = makeCluster([{ id: "n0", cpu: 1, mem: 1 }, { id: "n1", cpu: 1, mem: 1 }]);
const parse = (text: string) => parseFailures(text === "" ? [] : records(text), cluster, "f.csv");

describe("parseFailures", () => {
  it("reads intervals by node index; an empty up means never back; rows in any order", () => {
    const { trace, warnings } = parse("node,up,down,why\nn1,20,10,disk\nn0,,5,power\nn1,3,1,\n");
    expect([...trace.node]).toEqual([1, 0, 1]);
    expect([...trace.down]).toEqual([10, 5, 1]);
    expect([...trace.up]).toEqual([20, Infinity, 3]);
    expect(warnings).toEqual(['f.csv: ignoring unknown column "why"']);
  });

  it("an empty file or a header alone means no failures", () => {
    for (const text of ["", "node,down,up\n"]) expect(parse(text).trace.node.length).toBe(0);
  });

  it("intervals of one node may touch but not overlap", () => {
    expect(parse("node,down,up\nn0,1,2\nn0,2,3\n").trace.node.length).toBe(2);
    const err = (() => { try { parse("node,down,up\nn0,5,9\nn1,0,100\nn0,1,6\n"); } catch (e) { return e as InputError; } })();
    expect(err).toBeInstanceOf(InputError);
    expect([err!.file, err!.line, err!.column, err!.value]).toEqual(["f.csv", 4, "down", "1"]);
    expect(err!.reason).toBe('node "n0" is already down then (line 2: 5 to 9)');
  });

  it.each([
    ["node,down\nn0,1\n", 1, "up", undefined],
    ["node,down,up\n,1,2\n", 2, "node", undefined],
    ["node,down,up\nn7,1,2\n", 2, "node", "n7"],
    ["node,down,up\nn0,x,2\n", 2, "down", "x"],
    ["node,down,up\nn0,1,1\n", 2, "up", "1"],
    ["node,down,up\nn0,1,Infinity\n", 2, "up", "Infinity"],
  ])("refuses %j at line %i, column %s", (text, line, column, value) => {
    try {
      parse(text);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect([(e as InputError).line, (e as InputError).column, (e as InputError).value]).toEqual([line, column, value]);
    }
  });
});
