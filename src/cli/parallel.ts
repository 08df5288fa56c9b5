import { Worker } from "node:worker_threads";
import { availableParallelism } from "node:os";
import { PolicyError } from "../policy/types.ts";
import type { Summary } from "../metrics/summary.ts";
import type { SimInputs } from "../sim/types.ts";
import type { WorkerJob } from "./policy-worker.ts";

/** A policy for a worker to run, and where it writes its files (none when a path is absent). */
export interface PolicyJob {
  /** Built-in name or file path. */
  policy: string;
  containersPath?: string;
  timelinePath?: string;
}

/**
 * Runs several policies on the same parsed inputs in worker threads (`run --parallel`), at most
 * one worker per core. Each worker writes its policy's containers.csv and timeline.csv itself, so
 * formatting runs in parallel too and no result comes back but the summary. Returns one promise
 * per policy, in the order given, so the caller can go on in that order while later policies
 * still run. Each worker gets a copy of the inputs (structured clone; the columns in
 * SharedArrayBuffers are shared, not copied); the files and summaries are the same as a
 * sequential run's, since `simulate` is pure and the same functions format them.
 */
export function runInWorkers(inputs: SimInputs, jobs: readonly PolicyJob[], options: WorkerJob["options"]): Promise<Summary>[] {
  const size = Math.max(1, Math.min(jobs.length, availableParallelism()));
  const settle: { resolve: (s: Summary) => void; reject: (e: Error) => void }[] = [];
  const promises = jobs.map((_, i) => new Promise<Summary>((resolve, reject) => { settle[i] = { resolve, reject }; }));
  // The caller awaits them in order; a rejection that arrives earlier is not "unhandled".
  for (const p of promises) p.catch(() => {});
  let next = 0;
  const feed = (worker: Worker) => {
    if (next >= jobs.length) {
      void worker.terminate();
      return;
    }
    const id = next++;
    worker.postMessage({ id, ...jobs[id]!, inputs, options } satisfies WorkerJob);
  };
  for (let w = 0; w < size; w++) {
    const worker = new Worker(new URL("./policy-worker.mjs", import.meta.url));
    worker.on("message", (msg: { id: number; summary?: Summary; error?: string; policyError?: { policy: string; container: string; time: number; problem: string } }) => {
      const s = settle[msg.id]!;
      if (msg.summary) s.resolve(msg.summary);
      else if (msg.policyError) s.reject(new PolicyError(msg.policyError.policy, msg.policyError.container, msg.policyError.time, msg.policyError.problem));
      else s.reject(new Error(msg.error));
      feed(worker);
    });
    worker.on("error", (err) => {
      for (const s of settle) s.reject(err);
    });
    feed(worker);
  }
  return promises;
}
