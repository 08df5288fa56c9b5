/**
 * The indexed built-ins (first-fit and round-robin over the free-capacity tree; best-fit,
 * worst-fit, fastest and nearest over the score index) must give byte-identical results to the
 * plain linear scan of their DESIGN.md rule, end to end, in every discipline. Clusters here are
 * larger than in the other property tests (up to 45 nodes in a few capacity classes) so that the
 * indexes really branch, and requests are decimal so that float near-ties occur. Nodes and
 * containers have random zones (or none) and nodes random startups; the zones file is absent (every
 * latency 0) or lists random latencies, chosen so that different zone/startup combinations give
 * the same float64 net (0.5 s latency + 0 startup = 0 + 0.5 s; 0.1 + 0.1 = 0.2) or almost the same
 * (0.1 + 0.2 ≠ 0.3).
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
import * as nearest from "../../policies/nearest.ts";
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
  [nearest.default, () => ({ name: "nearest", score: nearest.score, tieBreak: nearest.tieBreak })],
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
/** Zone names ("" for none), and startups and latencies (ms) that add up to equal or near nets. */
const ZONES = ["a", "b", "c"];
const zoneArb = fc.constantFrom("", "a", "b", "c");
const startupArb = fc.constantFrom(0, 0, 0.1, 0.2, 0.3, 0.5, 1);
const latencyArb = fc.constantFrom(0, 100, 200, 300, 500, 1000);
/** A zones file: every pair of distinct zones listed one way, maybe the other way too; maybe x→x. */
const zonesArb = fc.record({
  forward: fc.array(latencyArb, { minLength: 3, maxLength: 3 }),
  reverse: fc.array(fc.option(latencyArb), { minLength: 3, maxLength: 3 }),
  same: fc.array(fc.option(latencyArb), { minLength: 3, maxLength: 3 }),
});
const containerArb = fc.record({
  zone: zoneArb,
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
  /** Zone and startup of node i (cycled). */
  sites: fc.array(fc.tuple(zoneArb, startupArb), { minLength: 1, maxLength: 45 }),
  zones: fc.option(zonesArb),
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
  const site = (i: number) => s.sites[i % s.sites.length]!.join(",");
  return inputs({
    cluster: ["id,cpu,mem,gpu,speed,zone,startup", ...nodes.map((row, i) => `n${i},${row},${site(i)}`)].join("\n"),
    workload: ["id,arrival,duration,cpu,mem,gpu,zone", ...s.containers.map((c, i) => `c${i},${(t += c.gap)},${c.duration},${c.cpu},${c.mem},${c.gpu},${c.zone}`)].join("\n"),
    zones: s.zones ? zonesCsv(s.zones) : undefined,
  });
}

function zonesCsv(z: NonNullable<Scenario["zones"]>): string {
  const rows = ["from,to,latency_ms"];
  ZONES.forEach((x, i) => {
    const y = ZONES[(i + 1) % 3]!;
    rows.push(`${x},${y},${z.forward[i]}`);
    if (z.reverse[i] !== null) rows.push(`${y},${x},${z.reverse[i]}`);
    if (z.same[i] !== null) rows.push(`${x},${x},${z.same[i]}`);
  });
  return rows.join("\n");
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
