import { parentPort } from "node:worker_threads";
import { closeSync, openSync, writeSync } from "node:fs";
import { simulate } from "../sim/simulate.ts";
import { resolvePolicies } from "../policy/loader.ts";
import { PolicyError } from "../policy/types.ts";
import { Workload } from "../model/workload.ts";
import { ZoneTable } from "../model/zones.ts";
import { ByteChunks } from "../report/bytes.ts";
import { containersCsv, TIMELINE_HEADER, timelineRowsCsv } from "../report/csv.ts";
import type { TimelineRows } from "../metrics/timeline.ts";
import type { SimInputs, SimOptions } from "../sim/types.ts";

/**
 * One job: a policy (built-in name or file path) to run on the inputs with the options, writing
 * its containers.csv and timeline.csv at the paths given (their folder exists), if any.
 */
export interface WorkerJob {
  id: number;
  policy: string;
  inputs: SimInputs;
  options: Omit<SimOptions, "policy" | "clock" | "onProgress" | "observer" | "onTimeline" | "onSettled" | "outcomes">;
  containersPath?: string;
  timelinePath?: string;
}

// Structured cloning keeps the data but not the classes: give the inputs their prototypes back.
function revive(inputs: SimInputs): SimInputs {
  return {
    workload: Object.assign(Object.create(Workload.prototype) as Workload, inputs.workload),
    cluster: inputs.cluster,
    zones: Object.assign(Object.create(ZoneTable.prototype) as ZoneTable, inputs.zones),
  };
}

/**
 * A file written synchronously, chunk after chunk: this thread has nothing else to do, and a
 * callback inside `simulate` (the timeline sink) cannot wait for a stream.
 */
class SyncFile {
  private readonly fd: number;

  constructor(readonly path: string) {
    this.fd = openSync(path, "w");
  }

  write(chunk: Uint8Array): void {
    for (let at = 0; at < chunk.length; ) at += writeSync(this.fd, chunk, at, chunk.length - at);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** Runs a job, writing its files as the run goes (timeline) and after it (containers). */
async function runJob(job: WorkerJob) {
  const [named] = await resolvePolicies([job.policy]);
  const inputs = revive(job.inputs);
  // The timeline is formatted batch by batch as the run hands it over, so it is never held whole.
  const timeline = job.timelinePath !== undefined && job.options.timeline !== false ? new SyncFile(job.timelinePath) : undefined;
  const rows = new ByteChunks(undefined, true);
  try {
    if (timeline) rows.text(TIMELINE_HEADER);
    const onTimeline = timeline && ((batch: TimelineRows) => {
      for (const chunk of timelineRowsCsv(batch, rows)) timeline.write(chunk);
    });
    const result = simulate(inputs, { ...job.options, policy: named!.source, clock: () => performance.now(), onTimeline });
    if (timeline && rows.length > 0) timeline.write(rows.take());
    if (job.containersPath !== undefined) {
      const file = new SyncFile(job.containersPath);
      try {
        for (const chunk of containersCsv(result, inputs.workload, inputs.cluster)) file.write(chunk);
      } finally {
        file.close();
      }
    }
    return result.summary;
  } finally {
    timeline?.close();
  }
}

parentPort!.on("message", async (job: WorkerJob) => {
  try {
    parentPort!.postMessage({ id: job.id, summary: await runJob(job) });
  } catch (err) {
    parentPort!.postMessage({
      id: job.id,
      error: err instanceof Error ? err.message : String(err),
      policyError: err instanceof PolicyError ? { policy: err.policy, container: err.container, time: err.time, problem: err.problem } : undefined,
    });
  }
});
