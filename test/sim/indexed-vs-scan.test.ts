/**
 * The indexed built-ins (first-fit and round-robin over the free-capacity tree; best-fit,
 * worst-fit and fastest over the score index) must give byte-identical results to the plain
 * linear scan of their DESIGN.md rule, end to end, in every discipline. Clusters here are larger
 * than in the other property tests (up to 40 nodes in a few capacity classes) so that the indexes
 * really branch, and requests are decimal so that float near-ties occur.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  QUEUE_DISCIPLINES, containersCsv, simulate, summaryCsv,
  type Policy, type PolicySource, type SimInputs,
} from "../../src/index.ts";
import * as bestFit from "../../policies/best-fit.ts";
import * as worstFit from "../../policies/worst-fit.ts";
import * as fastest from "../../policies/fastest.ts";
import firstFit from "../../policies/first-fit.ts";
import roundRobin from "../../policies/round-robin.ts";
import { inputs, joined } from "../helpers.ts";

const RUNS = Math.max(20, Math.round(Number(process.env.SCHEDSIM_PROPERTY_RUNS ?? 100) / 2));

/** The same rules written as the obvious scans. */
const SCANS: [PolicySource, () => Policy][] = [
  [firstFit, () => ({ name: "first-fit", score: () => 0 })],
  [bestFit.default, () => ({ name: "best-fit", score: bestFit.score })],
  [worstFit.default, () => ({ name: "worst-fit", score: worstFit.score })],
  [fastest.default, () => ({ name: "fastest", score: fastest.score, tieBreak: fastest.tieBreak })],
  [roundRobin, () => {
    let last = -1;
    return {
      name: "round-robin",
      select(c, cluster) {
        for (let step = 1; step <= cluster.size; step++) {
          const node = (last + step) % cluster.size;
          if (cluster.fits(c, node)) return node;
        }
        return null;
      },
      onStart(_c, node) { last = node; },
    };
  }],
];

const classArb = fc.record({
  count: fc.integer({ min: 1, max: 15 }),
  cpu: fc.constantFrom(1, 2, 3, 4, 8),
  mem: fc.constantFrom(1, 3, 4, 16),
  gpu: fc.constantFrom(0, 0, 1, 2),
  speed: fc.constantFrom(0.5, 1, 1, 2),
});
const containerArb = fc.record({
  gap: fc.constantFrom(0, 0, 0.1, 0.5, 1),
  duration: fc.constantFrom(0, 0.3, 1, 2.5, 7),
  cpu: fc.integer({ min: 0, max: 30 }).map((k) => k / 10),
  mem: fc.integer({ min: 0, max: 30 }).map((k) => k / 10),
  gpu: fc.constantFrom(0, 0, 0, 0.5, 1),
});
const scenarioArb = fc.record({
  classes: fc.array(classArb, { minLength: 1, maxLength: 3 }),
  containers: fc.array(containerArb, { minLength: 1, maxLength: 60 }),
  interleave: fc.boolean(),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

/** The nodes of each class in a block, or interleaved class by class. */
function toInputs(s: Scenario): SimInputs {
  const nodes: string[] = [];
  const perClass = s.classes.map((k) => Array.from({ length: k.count }, () => `${k.cpu},${k.mem},${k.gpu},${k.speed}`));
  if (s.interleave) {
    for (let i = 0; perClass.some((rows) => i < rows.length); i++) for (const rows of perClass) if (i < rows.length) nodes.push(rows[i]!);
  } else nodes.push(...perClass.flat());
  let t = 0;
  return inputs({
    cluster: ["id,cpu,mem,gpu,speed", ...nodes.map((row, i) => `n${i},${row}`)].join("\n"),
    workload: ["id,arrival,duration,cpu,mem,gpu", ...s.containers.map((c, i) => `c${i},${(t += c.gap)},${c.duration},${c.cpu},${c.mem},${c.gpu}`)].join("\n"),
  });
}

const files = (inp: SimInputs, policy: PolicySource, queue: (typeof QUEUE_DISCIPLINES)[number]) => {
  const result = simulate(inp, { policy, queue, timeline: false });
  return joined(containersCsv(result, inp.workload, inp.cluster)) + summaryCsv([result.summary]);
};

describe("indexed built-ins equal the linear scan of their rule", () => {
  for (const [indexed, scan] of SCANS) {
    const name = (typeof indexed === "function" ? indexed() : indexed).name;
    it(`${name}, every discipline`, () => {
      fc.assert(
        fc.property(scenarioArb, (s) => {
          const inp = toInputs(s);
          for (const queue of QUEUE_DISCIPLINES) expect(files(inp, indexed, queue)).toBe(files(inp, scan, queue));
        }),
        { numRuns: RUNS },
      );
    });
  }
});
