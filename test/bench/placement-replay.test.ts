/**
 * The bench's placement replay (bench/placement-replay.ts) must redo exactly the run's decisions,
 * or its per-placement figures would time something else: every built-in policy on the bundled
 * default workload (14 nodes of three speeds in three zones, 4,000 containers) under fifo, where
 * the queue makes starts happen at ends as well as at arrivals.
 */
import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { BUILTIN_POLICIES, FINISHED, loadInputs, simulate, type SimInputs } from "../../src/index.ts";
import { recordPlacements, replayPlacements } from "../../bench/placement-replay.ts";

const dir = fileURLToPath(new URL("../../workloads/default/", import.meta.url));
const load = async (): Promise<SimInputs> => (await loadInputs({ workload: `${dir}workload.csv`, cluster: `${dir}cluster.csv`, zones: `${dir}zones.csv` })).inputs;

describe("placement replay", () => {
  it.each([...BUILTIN_POLICIES.keys()])("%s: the log holds every start and end of the run, and the replay makes the same decisions", async (name) => {
    const inputs = await load(), source = BUILTIN_POLICIES.get(name)!;
    const log = recordPlacements(inputs, source);
    const result = simulate(inputs, { policy: source, timeline: false });
    const finished = result.containers.state.filter((s) => s === FINISHED).length;
    expect(log.placed).toBe(finished);
    expect(log.length).toBe(2 * finished);
    // Each container starts once, then ends once, on the node of the run's outcome, with its own
    // request (the replay gives back what the log says).
    const seen = new Int8Array(inputs.workload.length);
    for (let k = 0; k < log.length; k++) {
      const step = log.steps[k]!, i = Math.abs(step) - 1;
      expect(log.nodes[k]).toBe(result.containers.node[i]);
      expect(Array.from(log.requests.subarray(3 * k, 3 * k + 3))).toEqual(Array.from(inputs.workload.request.subarray(3 * i, 3 * i + 3)));
      expect(seen[i]).toBe(step > 0 ? 0 : 1);
      seen[i] = step > 0 ? 1 : 2;
    }
    expect(() => replayPlacements(inputs, source, log)).not.toThrow();
  });

  it("notices a decision that differs from the run's", async () => {
    const inputs = await load(), source = BUILTIN_POLICIES.get("first-fit")!;
    const log = recordPlacements(inputs, source);
    const k = log.steps.findIndex((s) => s > 0);
    log.nodes[k] = (log.nodes[k]! + 1) % inputs.cluster.ids.length;
    expect(() => replayPlacements(inputs, source, log)).toThrow(/went to node \d+, not to \d+ as in the run/);
  });
});
