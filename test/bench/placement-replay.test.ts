/**
 * The bench's placement replay (bench/placement-replay.ts) must redo exactly the run's decisions,
 * or its per-placement figures would time something else: every built-in policy on the bundled
 * default workload (14 nodes of three speeds in three zones, 4,000 containers) under fifo, where
 * the queue makes starts happen at ends as well as at arrivals.
 */
import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { BUILTIN_POLICIES, FINISHED, loadInputs, simulate, uniformCluster, WorkloadBuilder, ZoneTable, type SimInputs } from "../../src/index.ts";
import { recordPlacements, replayPlacements, steadyWindow } from "../../bench/placement-replay.ts";

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

describe("placement replay: the steady window", () => {
  /** Containers arriving at 0, 1, … s, each for `duration` s, on one node that holds them all. */
  const evenly = (count: number, duration: number): SimInputs => {
    const zones = new ZoneTable(false), builder = new WorkloadBuilder(zones);
    builder.add(["id", "arrival", "duration", "cpu", "mem"], 1);
    for (let i = 0; i < count; i++) builder.add([`c${i}`, String(i), String(duration), "1", "1"], i + 2);
    return { workload: builder.finish(), cluster: uniformCluster(1, count, count), zones };
  };

  it("opens at the first start of a container arriving three mean durations on, and closes after the last start", () => {
    // Mean duration 2 s: the window opens with the container arriving at 6 s (c6) and ends with c9's start.
    const inputs = evenly(10, 2), source = BUILTIN_POLICIES.get("first-fit")!;
    const log = recordPlacements(inputs, source), window = steadyWindow(inputs, log)!;
    expect(log.steps[window.from]).toBe(7);
    expect(log.steps.subarray(0, window.from).every((step) => step <= 0 || step <= 6)).toBe(true);
    expect(log.steps[window.to - 1]).toBe(10);
    expect(log.steps.subarray(window.to, log.length).every((step) => step < 0)).toBe(true);
    expect(replayPlacements(inputs, source, log, 1, window).placed).toBe(4);
    // settle is a parameter: one mean duration on, c2 opens it.
    expect(log.steps[steadyWindow(inputs, log, 1)!.from]).toBe(3);
  });

  it("is null when no container arrives late enough", () => {
    const inputs = evenly(10, 2);
    expect(steadyWindow(inputs, recordPlacements(inputs, BUILTIN_POLICIES.get("first-fit")!), 5)).toBeNull();
  });

  it.each(["best-fit", "nearest"])("%s on the default workload: the replay counts the starts of its window, and all of them by default", async (name) => {
    const inputs = await load(), source = BUILTIN_POLICIES.get(name)!;
    const log = recordPlacements(inputs, source), window = steadyWindow(inputs, log)!;
    const starts = log.steps.subarray(window.from, window.to).filter((step) => step > 0).length;
    expect(window.from).toBeGreaterThan(0);
    expect(starts).toBeGreaterThan(0);
    expect(starts).toBeLessThan(log.placed);
    const windowed = replayPlacements(inputs, source, log, 1, window), whole = replayPlacements(inputs, source, log);
    expect(windowed.placed).toBe(starts);
    expect(whole.placed).toBe(log.placed);
  });
});
