/**
 * Three cases of the shared conformance suite (copied into test/fixtures/conformance, so the test
 * needs no ../shared): 03-zones (one-way, asymmetric and same-zone latencies, startups, nearest
 * ties), 06-decimal (micro-unit bookkeeping) and 08-horizon (unfinished containers, the window
 * ending at the last processed departure). Their expected files come from an independent
 * implementation of DESIGN.md. Each (queue, policy) run goes through the library — file readers,
 * simulate, the CSV writers — and is compared like ../shared/conformance/check.mjs does: numbers
 * to a relative 1e-9, text exactly, containers.csv row by row and the policy's summary row.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { BUILTIN_POLICIES, containersCsv, loadInputs, simulate, summaryCsv, type QueueDiscipline } from "../../src/index.ts";
import { csvObjects, joined } from "../helpers.ts";

const CASES = fileURLToPath(new URL("../fixtures/conformance/", import.meta.url));
const CONTAINER_COLS = ["id", "node", "arrival", "start", "end", "wait", "net", "r", "p", "d", "state", "reason"];
const SUMMARY_COLS = ["finished", "rejected", "unfinished", "R", "R_mem", "R_gpu", "P", "D", "D_wait", "D_net",
  "util_cpu", "util_mem", "util_gpu", "peak_cpu", "peak_mem", "peak_gpu", "wait_mean", "wait_p50", "wait_p95",
  "wait_p99", "slowdown_mean", "makespan", "nodes_used", "events"];

interface CaseSpec {
  horizon: string | null;
  zones: boolean;
  policies: string[];
  queues: QueueDiscipline[];
}

/** check.mjs's rule: equal text, or both numbers within a relative 1e-9. */
function same(got: string | undefined, want: string): boolean {
  if (got === undefined) return false;
  if (got === want) return true;
  const x = Number(got), y = Number(want);
  if (got.trim() === "" || want.trim() === "" || Number.isNaN(x) || Number.isNaN(y)) return false;
  return Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));
}

/** Every differing cell, as readable lines (an empty list when the rows agree). */
function differences(got: Record<string, string>[], want: Record<string, string>[], cols: string[]): string[] {
  const diffs: string[] = [];
  if (got.length !== want.length) diffs.push(`${got.length} rows, expected ${want.length}`);
  for (let i = 0; i < Math.min(got.length, want.length); i++) {
    for (const c of cols) {
      if (!same(got[i]![c], want[i]![c]!)) diffs.push(`${want[i]!.id ?? "summary"} ${c} = ${JSON.stringify(got[i]![c])}, expected ${JSON.stringify(want[i]![c])}`);
    }
  }
  return diffs;
}

for (const name of readdirSync(CASES).sort()) {
  const dir = join(CASES, name);
  const spec = JSON.parse(readFileSync(join(dir, "case.json"), "utf8")) as CaseSpec;
  describe(`conformance case ${name}`, async () => {
    const { inputs } = await loadInputs({
      workload: join(dir, "workload.csv"),
      cluster: join(dir, "cluster.csv"),
      zones: spec.zones ? join(dir, "zones.csv") : undefined,
    });
    for (const queue of spec.queues) {
      it.each(spec.policies)(`--queue ${queue} --policy %s`, (policy) => {
        const result = simulate(inputs, {
          policy: BUILTIN_POLICIES.get(policy)!,
          queue,
          horizon: spec.horizon === null ? undefined : Number(spec.horizon),
        });
        const want = join(dir, "expected", queue, policy);
        const containers = csvObjects(joined(containersCsv(result, inputs.workload, inputs.cluster)));
        const summary = csvObjects(summaryCsv([result.summary]));
        expect(differences(containers, csvObjects(readFileSync(join(want, "containers.csv"), "utf8")), CONTAINER_COLS)).toEqual([]);
        expect(differences(summary, csvObjects(readFileSync(join(want, "summary.csv"), "utf8")), SUMMARY_COLS)).toEqual([]);
        expect(summary[0]!.policy).toBe(policy);
      });
    }
  });
}
