import { Worker } from "node:worker_threads";
import { availableParallelism } from "node:os";
import { PolicyError } from "../policy/types.ts";
import type { SimInputs, SimResult } from "../sim/types.ts";
import type { WorkerJob } from "./policy-worker.ts";

/**
 * Runs several policies on the same parsed inputs in worker threads (`run --parallel`), at most
 * one worker per core. Returns one promise per policy, in the order given, so the caller can write
 * results in that order while later policies still run. Each worker gets a copy of the inputs
 * (structured clone); the results are the same as a sequential run's, since `simulate` is pure.
 */
export function simulateInWorkers(inputs: SimInputs, policies: readonly string[], options: WorkerJob["options"]): Promise<SimResult>[] {
  const size = Math.max(1, Math.min(policies.length, availableParallelism()));
  const settle: { resolve: (r: SimResult) => void; reject: (e: Error) => void }[] = [];
  const promises = policies.map((_, i) => new Promise<SimResult>((resolve, reject) => { settle[i] = { resolve, reject }; }));
  // The caller awaits them in order; a rejection that arrives earlier is not "unhandled".
  for (const p of promises) p.catch(() => {});
  let next = 0;
  const feed = (worker: Worker) => {
    if (next >= policies.length) {
      void worker.terminate();
      return;
    }
    const id = next++;
    worker.postMessage({ id, policy: policies[id]!, inputs, options } satisfies WorkerJob);
  };
  for (let w = 0; w < size; w++) {
    const worker = new Worker(new URL("./policy-worker.mjs", import.meta.url));
    worker.on("message", (msg: { id: number; result?: SimResult; error?: string; policyError?: { policy: string; container: string; time: number; problem: string } }) => {
      const s = settle[msg.id]!;
      if (msg.result) s.resolve(msg.result);
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
