import { parentPort } from "node:worker_threads";
import { simulate } from "../sim/simulate.ts";
import { resolvePolicies } from "../policy/loader.ts";
import { PolicyError } from "../policy/types.ts";
import { Workload } from "../model/workload.ts";
import { ZoneTable } from "../model/zones.ts";
import type { SimInputs, SimOptions } from "../sim/types.ts";

/** One job: a policy (built-in name or file path) to run on the inputs with the options. */
export interface WorkerJob {
  id: number;
  policy: string;
  inputs: SimInputs;
  options: Omit<SimOptions, "policy" | "clock" | "onProgress" | "observer">;
}

// Structured cloning keeps the data but not the classes: give the inputs their prototypes back.
function revive(inputs: SimInputs): SimInputs {
  return {
    workload: Object.assign(Object.create(Workload.prototype) as Workload, inputs.workload),
    cluster: inputs.cluster,
    zones: Object.assign(Object.create(ZoneTable.prototype) as ZoneTable, inputs.zones),
  };
}

parentPort!.on("message", async (job: WorkerJob) => {
  try {
    const [named] = await resolvePolicies([job.policy]);
    const result = simulate(revive(job.inputs), { ...job.options, policy: named!.source, clock: () => performance.now() });
    const c = result.containers;
    const transfer = [c.node.buffer, c.start.buffer, c.end.buffer, c.net.buffer, c.state.buffer, c.reason.buffer] as ArrayBuffer[];
    if (result.timeline) transfer.push(...result.timeline.buffers()); // moved, not copied
    parentPort!.postMessage({ id: job.id, result }, transfer);
  } catch (err) {
    parentPort!.postMessage({
      id: job.id,
      error: err instanceof Error ? err.message : String(err),
      policyError: err instanceof PolicyError ? { policy: err.policy, container: err.container, time: err.time, problem: err.problem } : undefined,
    });
  }
});
