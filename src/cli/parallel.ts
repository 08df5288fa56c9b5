import { Worker } from "node:worker_threads";
import { availableParallelism } from "node:os";
import { PolicyError } from "../policy/types.ts";
import { decisionLimit, decisionTooLong, describeUncaught } from "../sim/placement.ts";
import type { Summary } from "../metrics/summary.ts";
import type { SimInputs } from "../sim/types.ts";
import type { PolicyFiles } from "./policy-run.ts";
import type { WorkerJob } from "./policy-worker.ts";

/** A policy for a worker to run (built-in name or file path), its name, and where it writes its files. */
export interface PolicyJob {
  policy: string;
  name: string;
  files: PolicyFiles;
  /** A user's policy (a file): its worker is not given another job after it (see runInWorkers). */
  file?: boolean;
}

/**
 * The worker thread running a policy stopped before the policy's run ended (process.exit in the
 * policy, an uncaught error): that policy failed, the others go on.
 */
export class WorkerStopped extends Error {
  override readonly name = "WorkerStopped";
  constructor(readonly policy: string, how: string) {
    super(`policy "${policy}": the worker thread running it stopped ${how}`);
  }
}

/** How long a stopped worker's job waits for the thread to end before it fails anyway. */
const STOP_GRACE_MS = 1000;

/** What a worker sends back for a job. */
interface JobMessage {
  id: number;
  summary?: Summary;
  /** Wall-clock time the worker spent on the job (simulation and files, or until it failed), ms. */
  ms?: number;
  error?: string;
  policyError?: { policy: string; container: string; time: number; problem: string };
  /** A progress report of a job still running: arrivals processed so far. */
  progress?: number;
  /** The worker hit an uncaught error (described) while running job `id` (−1: between jobs), and ends. */
  crashed?: string;
}

/**
 * Worker threads `run --parallel` uses by default. With per-policy files to write (containers.csv
 * or timeline.csv), one per two cores: each worker writes them through a thread of its own while it
 * simulates, as a sequential run does. With only the summaries (a sweep's --no-containers
 * --no-timeline) a worker is one thread: one per core. On 2 vCPUs four policies on 1M containers
 * took 4.84 s with two workers against 6.97 s one after the other (bench/run.ts --several).
 */
export function defaultWorkers(writesFiles: boolean): number {
  const cores = availableParallelism();
  return writesFiles ? Math.floor(cores / 2) : cores;
}

/**
 * Runs several policies on the same parsed inputs in `workers` worker threads (`run --parallel`),
 * each writing its policy's files itself, so that nothing comes back but the summary. `results`
 * holds one promise per policy (its summary), in the order given, so the caller can go on in that
 * order while later policies still run; `spent[i]` is then the wall-clock ms its worker spent on
 * policy i (simulation and files, or until it failed), NaN when its worker died. Each worker gets
 * one copy of the inputs (structured clone, with its first job; the columns in SharedArrayBuffers
 * are shared, not copied); the files and summaries are the same as a sequential run's, since
 * `simulate` is pure and the same code writes them.
 *
 * A worker that dies (an uncaught error, say thrown from a timer, or `process.exit` in a user's
 * policy) fails the job it was running with a WorkerStopped naming its policy, and a new worker
 * takes the jobs left: each death ends one job, so no promise waits forever. A worker that ran a
 * user's policy is stopped once the job is reported, and a new one takes the jobs left: a timer
 * that policy left behind can then neither fail the next policy's job nor run on unseen (the
 * worker lets the timers due at the end of the run fire first, and they count as the policy's).
 * `cancel()` stops every worker (and so their writer threads): for a caller that gives up.
 *
 * With `options.decisionTimeoutMs`, each worker's decisions write their start into cells this
 * thread reads every few ms (SimOptions.decisionWatch): a decision that has not returned within
 * the limit (an endless loop in a user's policy) gets its worker stopped, its job fails with the
 * PolicyError the worker itself gives a decision that returns too late, and a new worker takes
 * the jobs left.
 *
 * `onProgress`, when given, hears from each job now and then how many arrivals its run has
 * processed (simulate's onProgress, posted by the worker).
 */
export function runInWorkers(inputs: SimInputs, jobs: readonly PolicyJob[], options: WorkerJob["options"], workers: number,
  onProgress?: (job: number, arrivalsProcessed: number) => void): { results: Promise<Summary>[]; spent: Float64Array; cancel: () => Promise<void> } {
  const size = Math.max(1, Math.min(jobs.length, workers));
  const settle: { resolve: (r: Summary) => void; reject: (e: Error) => void }[] = [];
  const results = jobs.map((_, i) => new Promise<Summary>((resolve, reject) => { settle[i] = { resolve, reject }; }));
  const spent = new Float64Array(jobs.length).fill(NaN);
  // The caller awaits them in order; a rejection that arrives earlier is not "unhandled".
  for (const p of results) p.catch(() => {});
  let next = 0;
  /** The job each live worker is running; a worker has been sent the inputs once it is here. */
  const running = new Map<Worker, number>();
  const feed = (worker: Worker) => {
    if (next >= jobs.length) {
      running.delete(worker);
      void worker.terminate();
      return;
    }
    const id = next++;
    const job: WorkerJob = {
      id, policy: jobs[id]!.policy, files: jobs[id]!.files, options, watch: watches.get(worker), progress: onProgress !== undefined,
      ...(running.has(worker) ? {} : { inputs }),
    };
    running.set(worker, id);
    worker.postMessage(job);
  };
  const died = (worker: Worker, how: string) => {
    const id = running.get(worker);
    if (id === undefined) return; // done, or already reported
    // Failed once the thread (and its writer thread) is gone: the caller then removes its files.
    void retire(worker).then(() => settle[id]!.reject(new WorkerStopped(jobs[id]!.name, how)));
  };
  const all = new Set<Worker>();
  const limit = decisionLimit(options)?.ms;
  /** Each worker's decision cells (only with a decision limit). */
  const watches = new Map<Worker, Float64Array>();
  const spawn = () => {
    const worker = new Worker(new URL("./policy-worker.mjs", import.meta.url));
    all.add(worker);
    if (limit !== undefined) watches.set(worker, new Float64Array(new SharedArrayBuffer(3 * 8)).fill(NaN));
    worker.on("message", (msg: JobMessage) => {
      // A worker stopped for a decision over the limit may have answered meanwhile: its job is settled.
      if (running.get(worker) !== msg.id) return;
      if (msg.crashed !== undefined) {
        died(worker, `on an uncaught ${msg.crashed}`);
        return;
      }
      if (msg.progress !== undefined) {
        onProgress?.(msg.id, msg.progress);
        return;
      }
      const s = settle[msg.id]!;
      spent[msg.id] = msg.ms ?? NaN;
      if (msg.summary) s.resolve(msg.summary);
      else if (msg.policyError) s.reject(new PolicyError(msg.policyError.policy, msg.policyError.container, msg.policyError.time, msg.policyError.problem));
      else s.reject(new Error(msg.error));
      if (jobs[msg.id]!.file) retire(worker);
      else feed(worker);
    });
    // Node hands over whatever the policy threw, an Error or not.
    worker.on("error", (err: unknown) => died(worker, `on an uncaught ${describeUncaught(err)}`));
    worker.on("exit", (code) => {
      all.delete(worker);
      died(worker, `(exit code ${code})`);
    });
    feed(worker);
  };
  /**
   * Stops a worker whose job is over, and starts another for the jobs left. Resolves once it has
   * stopped, or after STOP_GRACE_MS: a thread blocked in a system call (a read of a pipe nobody
   * writes) cannot be stopped, and must not hold up the run's other results.
   */
  const retire = (worker: Worker): Promise<unknown> => {
    running.delete(worker);
    watches.delete(worker);
    const stopped = worker.terminate().catch(() => undefined);
    if (next < jobs.length) spawn();
    return Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref())]);
  };
  const stopStuck = () => {
    const now = performance.timeOrigin + performance.now();
    for (const [worker, watch] of watches) {
      const id = running.get(worker), started = watch[0]!;
      if (id === undefined || !(now - started > limit!)) continue;
      const c = inputs.workload.container(watch[1]!);
      const error = new PolicyError(jobs[id]!.name, c.id, watch[2]!, decisionTooLong(limit!));
      void retire(worker).then(() => settle[id]!.reject(error));
    }
  };
  // Checked a few times within the limit; unref'd: it never keeps the process alive by itself.
  const watcher = limit === undefined ? undefined : setInterval(stopStuck, Math.min(250, Math.max(5, limit / 4)));
  watcher?.unref();
  for (let w = 0; w < size; w++) spawn();
  const cancel = async () => {
    if (watcher) clearInterval(watcher);
    running.clear();
    await Promise.all([...all].map((w) => w.terminate()));
  };
  void Promise.allSettled(results).then(() => watcher && clearInterval(watcher));
  return { results, spent, cancel };
}
