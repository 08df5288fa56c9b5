/**
 * The bench's placement replay (bench/placement-replay.ts) must redo exactly the run's decisions,
 * or its per-placement figures would time something else: every built-in policy on the bundled
 * default workload (14 nodes of three speeds in three zones, 4,000 containers) under fifo, where
 * the queue makes starts happen at ends as well as at arrivals.
 */
import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { BUILTIN_POLICIES, FINISHED, loadInputs, simulate, uniformCluster, WorkloadBuilder, ZoneTable, type SimInputs } from "../../src/index.ts";
import { recordPlacements, replayPlacements, steadyWindow, type PlacementLog, type StepWindow } from "../../bench/placement-replay.ts";

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
  /**
   * Containers arriving one a second from `first` s, for `durations[i % length]` s each, on one
   * node of `slots` cores (a container takes one).
   */
  const evenly = (count: number, durations: number[], first = 0, slots = count): SimInputs => {
    const zones = new ZoneTable(false), builder = new WorkloadBuilder(zones);
    builder.add(["id", "arrival", "duration", "cpu", "mem"], 1);
    for (let i = 0; i < count; i++) builder.add([`c${i}`, String(first + i), String(durations[i % durations.length]), "1", "1"], i + 2);
    return { workload: builder.finish(), cluster: uniformCluster(1, slots, slots), zones };
  };
  const firstFit = BUILTIN_POLICIES.get("first-fit")!;
  /** The replay's window cost, and the CPU time measured around the whole call (µs). */
  const timed = (inputs: SimInputs, log: PlacementLog, window: StepWindow) => {
    const before = process.cpuUsage();
    const cost = replayPlacements(inputs, firstFit, log, 1, window);
    const used = process.cpuUsage(before);
    return { cost, around: used.user + used.system };
  };

  it("opens at the first start of a container arriving three mean durations after the first arrival, and closes after the last start", () => {
    // Durations of 1 and 3 s, 2 s on average, arrivals from 1000 s: c6 (1006 s) opens the window,
    // c9's start closes it. (A mean taken from one duration, or a first arrival taken as 0 s,
    // would open it elsewhere.)
    const inputs = evenly(10, [1, 3], 1000);
    const log = recordPlacements(inputs, firstFit), window = steadyWindow(inputs, log)!;
    expect(log.steps[window.from]).toBe(7);
    expect(log.steps.subarray(0, window.from).every((step) => step <= 6)).toBe(true);
    expect(log.steps[window.to - 1]).toBe(10);
    expect(log.steps.subarray(window.to, log.length).every((step) => step < 0)).toBe(true);
    expect(replayPlacements(inputs, firstFit, log, 1, window).placed).toBe(4);
    // settle is a parameter: one mean duration on, c2 opens it.
    expect(log.steps[steadyWindow(inputs, log, 1)!.from]).toBe(3);
  });

  it("counts a container's start, not its arrival, when a queue holds it back", () => {
    // One slot, 2 s each: c_k runs from 2k s, each end (step 2k - 1) before the next start (step
    // 2k). c6 arrives at 6 s but starts at 12 s, at step 12; c9's start is step 18.
    const inputs = evenly(10, [2], 0, 1);
    const log = recordPlacements(inputs, firstFit);
    expect(steadyWindow(inputs, log)).toEqual({ from: 12, to: 19 });
    expect(log.steps[12]).toBe(7);
  });

  it("is null when no container arrives late enough", () => {
    const inputs = evenly(10, [2]);
    expect(steadyWindow(inputs, recordPlacements(inputs, firstFit), 5)).toBeNull();
  });

  it("times no more than the replay's own CPU time, for windows anywhere in the log, and refuses one outside it", () => {
    const inputs = evenly(200, [1, 3], 0, 3), log = recordPlacements(inputs, firstFit), n = log.length;
    for (const window of [{ from: 0, to: n }, { from: 10, to: 50 }, { from: 0, to: 0 }, { from: n, to: n }, { from: n - 5, to: n }]) {
      const { cost, around } = timed(inputs, log, window);
      expect(cost.cpuMicros).toBeGreaterThanOrEqual(0);
      expect(cost.cpuMicros).toBeLessThanOrEqual(around);
      expect(cost.placed).toBe(log.steps.subarray(window.from, window.to).filter((step) => step > 0).length);
    }
    for (const window of [{ from: -1, to: 5 }, { from: 5, to: 4 }, { from: 0, to: n + 1 }, { from: 0.5, to: 4 }]) {
      expect(() => replayPlacements(inputs, firstFit, log, 1, window)).toThrow(/replay window .* is not within the log's \d+ steps/);
    }
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
