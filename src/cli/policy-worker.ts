import { parentPort } from "node:worker_threads";
import { createOutcomes } from "../sim/simulate.ts";
import { resolvePolicies } from "../policy/loader.ts";
import { PolicyError } from "../policy/types.ts";
import { describeUncaught } from "../sim/placement.ts";
import { Workload } from "../model/workload.ts";
import { ZoneTable } from "../model/zones.ts";
import { nodeCells } from "../report/csv.ts";
import { OutputWriter } from "./output-writer.ts";
import { runPolicy, type PolicyFiles, type PolicyOutput } from "./policy-run.ts";
import type { SimInputs, SimOptions } from "../sim/types.ts";

/**
 * One job: a policy (built-in name or file path) to run on the inputs with the options, and its
 * files. The inputs come with a worker's first job only (one structured clone per worker).
 */
export interface WorkerJob {
  id: number;
  policy: string;
  inputs?: SimInputs;
  options: Omit<SimOptions, "policy" | "clock" | "decisionWatch" | "onProgress" | "observer" | "onTimeline" | "onSettled" | "outcomes">;
  files: PolicyFiles;
  /** The cells this job's decisions write their start into, for the main thread to watch (with a decision limit). */
  watch?: Float64Array;
  /** Whether to post the run's progress (arrivals processed) to the main thread now and then. */
  progress?: boolean;
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
 * What this worker writes its files through, made at its first job: a writer thread of its own,
 * as a sequential run has (so a worker is two threads, and `run --parallel` makes one worker per
 * two cores), and one set of shared outcome columns for its jobs in turn.
 */
let output: PolicyOutput | undefined;
let inputs: SimInputs | undefined;

/** The job under way (its id), or undefined between jobs. */
let current: number | undefined;

// An uncaught error (thrown from a policy's timer, say) is reported through the same port as the
// jobs' answers, so that the main thread hears it after any answer posted before it: an error that
// comes after a job's answer is not put on that job. Then this worker ends, as it would have.
process.on("uncaughtException", (err: unknown) => {
  parentPort!.postMessage({ id: current ?? -1, crashed: describeUncaught(err) });
  process.exit(1);
});

parentPort!.on("message", async (job: WorkerJob) => {
  const started = Date.now();
  current = job.id;
  try {
    // The inputs first: they come with the first job only, whatever becomes of it.
    if (job.inputs) inputs = revive(job.inputs);
    if (!inputs) throw new Error("policy worker: a job came before the inputs");
    const [named] = await resolvePolicies([job.policy]);
    // Every job of a run asks for the same files.
    if (job.files.containers !== undefined || job.files.timeline !== undefined) {
      output ??= {
        writer: new OutputWriter(),
        outcomes: job.files.containers !== undefined ? createOutcomes(inputs.workload.length, true) : undefined,
        nodeCells: nodeCells(inputs.cluster.ids),
      };
    }
    // With a watch, the clock is the epoch's in ms, which the main thread reads too (each thread's
    // performance.now() counts from its own time origin).
    const clock = job.watch ? () => performance.timeOrigin + performance.now() : () => performance.now();
    const onProgress = job.progress ? (done: number) => parentPort!.postMessage({ id: job.id, progress: done }) : undefined;
    const summary = await runPolicy(inputs, { ...job.options, policy: named!.source, clock, decisionWatch: job.watch, onProgress }, job.files, output);
    // Timers the policy set (setTimeout(f) from a decision) fire now, while this is still its job:
    // one that throws stops this worker under this policy's name, not under the next one's.
    await new Promise((resolve) => setTimeout(resolve, 0));
    current = undefined;
    parentPort!.postMessage({ id: job.id, summary, ms: Date.now() - started });
  } catch (err) {
    current = undefined;
    parentPort!.postMessage({
      id: job.id,
      ms: Date.now() - started,
      error: err instanceof Error ? err.message : String(err),
      policyError: err instanceof PolicyError ? { policy: err.policy, container: err.container, time: err.time, problem: err.problem } : undefined,
    });
  }
});
