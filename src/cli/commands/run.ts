import type { Argv, CommandModule } from "yargs";
import { loadInputs } from "../../workload/load.ts";
import { OptionError, resolvePolicies } from "../../policy/loader.ts";
import { createOutcomes } from "../../sim/simulate.ts";
import { PolicyError } from "../../policy/types.ts";
import { ON_FAILURE, QUEUE_DISCIPLINES, type FailureModel, type OnFailure, type QueueDiscipline } from "../../sim/types.ts";
import type { Summary } from "../../metrics/summary.ts";
import { DEFAULT_MAX_RESTARTS, randomFailuresProblem } from "../../sim/failures.ts";
import { decisionLimit } from "../../sim/placement.ts";
import { readFailures } from "../../workload/failures-file.ts";
import { nodeCells, summaryCsv } from "../../report/csv.ts";
import { summaryTable } from "../../report/table.ts";
import { ResultsFolder, defaultOutputPath } from "../output.ts";
import { progressReporter } from "../progress.ts";
import { WorkerStopped, defaultWorkers, runInWorkers } from "../parallel.ts";
import { runPolicy, type PolicyFiles } from "../policy-run.ts";
import { OutputWriter } from "../output-writer.ts";
import { UsageError } from "../main.ts";

interface RunArgs {
  workload: string;
  cluster?: string;
  nodes?: number;
  "node-cpu"?: number;
  "node-mem"?: number;
  "node-gpu"?: number;
  zones?: string;
  policy: string[];
  queue: QueueDiscipline;
  seed: number;
  horizon?: number;
  out?: string;
  sort: boolean;
  timeline: boolean;
  containers: boolean;
  force: boolean;
  parallel: boolean;
  workers?: number;
  "decision-timeout"?: number;
  failures?: string;
  mtbf?: number;
  mttr?: number;
  "on-failure"?: OnFailure;
  "max-restarts"?: number;
}

/** Runs of at most this many containers draw no progress bar for their policies. */
const PROGRESS_ABOVE = 200_000;

export const runCommand: CommandModule<object, RunArgs> = {
  command: "run",
  describe: "replay a workload on a cluster under one or more policies",
  builder: (y: Argv) =>
    y
      .option("workload", { type: "string", demandOption: true, describe: "native workload CSV (.csv or .csv.gz)" })
      .option("cluster", { type: "string", describe: "cluster CSV: id,cpu,mem[,gpu][,speed][,zone][,startup]" })
      .option("nodes", { type: "number", describe: "instead of --cluster: N identical nodes n0..n{N-1}" })
      .option("node-cpu", { type: "number", describe: "cores per node (with --nodes)" })
      .option("node-mem", { type: "number", describe: "GiB per node (with --nodes)" })
      .option("node-gpu", { type: "number", describe: "GPUs per node (with --nodes; default 0)" })
      .option("zones", { type: "string", describe: "zones CSV: from,to,latency_ms" })
      .option("policy", { type: "string", array: true, demandOption: true, describe: "built-in name, 'all', or a .ts/.js policy file; repeatable" })
      .option("queue", { choices: QUEUE_DISCIPLINES, default: "fifo" as QueueDiscipline, describe: "queue discipline" })
      .option("seed", { type: "number", default: 1, describe: "seed of the run's random generator" })
      .option("horizon", { type: "number", describe: "stop after the events at this time (s)" })
      .option("out", { type: "string", describe: "results folder (default: a new folder under results/)" })
      .option("sort", { type: "boolean", default: false, describe: "sort the workload by arrival instead of refusing out-of-order rows" })
      .option("timeline", { type: "boolean", default: true, describe: "write <policy>/timeline.csv (--no-timeline to skip)" })
      .option("containers", { type: "boolean", default: true, describe: "write <policy>/containers.csv (--no-containers to skip)" })
      .option("parallel", { type: "boolean", default: false, describe: "run the policies in worker threads (same results): one per two cores, each writing its files through a thread of its own; one per core with --no-containers --no-timeline" })
      .option("workers", { type: "number", describe: "worker threads for --parallel, which it implies (default: half the cores, all of them with --no-containers --no-timeline; below 2, the policies run one after the other)" })
      .option("force", { type: "boolean", default: false, describe: "replace a non-empty --out folder" })
      .option("failures", { type: "string", describe: "node failures CSV: node,down,up (seconds; empty up: never back)" })
      .option("mtbf", { type: "number", describe: "random node failures: mean time between failures, s (with --mttr; seeded from --seed)" })
      .option("mttr", { type: "number", describe: "random node failures: mean time to repair, s (with --mtbf)" })
      .option("on-failure", { choices: ON_FAILURE, describe: "a failed node's containers: restart from the beginning (requeue, the default), or drop as killed" })
      .option("max-restarts", { type: "number", describe: `a container killed more often than this is dropped as killed (default ${DEFAULT_MAX_RESTARTS})` })
      .option("decision-timeout", { type: "number", describe: "stop a policy whose single decision takes over MS milliseconds of wall-clock time, even one that never returns (policies then run in worker threads; off by default)" })
      .check((a) => {
        if (a.cluster !== undefined && a.nodes !== undefined) throw new UsageError("give either --cluster or --nodes, not both");
        for (const name of ["node-cpu", "node-mem", "node-gpu"] as const) {
          if (a.cluster !== undefined && a[name] !== undefined) throw new UsageError(`--${name} goes with --nodes, not with --cluster (the cluster file gives each node's capacity)`);
        }
        if (a.cluster === undefined && a.nodes === undefined) throw new UsageError("give the cluster: --cluster FILE, or --nodes N --node-cpu C --node-mem M");
        if (a.nodes !== undefined && (a["node-cpu"] === undefined || a["node-mem"] === undefined)) throw new UsageError("--nodes needs --node-cpu and --node-mem");
        if (a.horizon !== undefined && !(a.horizon >= 0)) throw new UsageError(`--horizon must be a number ≥ 0 (got ${a.horizon})`);
        if (!Number.isFinite(a.seed)) throw new UsageError("--seed must be a number");
        if ((a.mtbf === undefined) !== (a.mttr === undefined)) throw new UsageError("--mtbf and --mttr go together");
        if (a.mtbf !== undefined && a.failures !== undefined) throw new UsageError("give either --failures or --mtbf/--mttr, not both");
        for (const name of ["mtbf", "mttr"] as const) {
          const v = a[name];
          if (v !== undefined && !(v > 0 && v < Infinity)) throw new UsageError(`--${name} must be a number of seconds > 0 (got ${v})`);
        }
        const restarts = a["max-restarts"];
        if (restarts !== undefined && !(Number.isInteger(restarts) && restarts >= 0)) throw new UsageError(`--max-restarts must be a whole number ≥ 0 (got ${restarts})`);
        // What failed nodes do means nothing without failures: refused rather than ignored.
        for (const name of ["on-failure", "max-restarts"] as const) {
          if (a[name] !== undefined && a.failures === undefined && a.mtbf === undefined) throw new UsageError(`--${name} goes with node failures (--failures, or --mtbf and --mttr): without them it would change nothing`);
        }
        const limit = a["decision-timeout"];
        if (limit !== undefined && !(limit >= 0 && limit < Infinity)) throw new UsageError(`--decision-timeout must be a number of milliseconds ≥ 0 (got ${limit})`);
        if (a.workers !== undefined && !(Number.isInteger(a.workers) && a.workers >= 1)) throw new UsageError(`--workers must be a whole number ≥ 1 (got ${a.workers})`);
        return true;
      }) as unknown as Argv<RunArgs>,
  handler: async (args) => {
    const started = Date.now();
    // Policies run here one after the other: their timelines and containers.csv are written by a
    // thread of their own while they run (started now, so that it is ready when the inputs are;
    // while they are read, it maps their memory). With --parallel, each worker has its own.
    const writer = args.timeline || args.containers ? new OutputWriter() : undefined;
    try {
      await runPolicies(args, started, writer);
    } finally {
      await writer?.stop();
    }
  },
};

async function runPolicies(args: RunArgs, started: number, writer: OutputWriter | undefined): Promise<void> {
  const loading = progressReporter("reading", process.stderr, "bytes");
  const { inputs, warnings } = await loadInputs({
    workload: args.workload,
    cluster: args.cluster ?? { nodes: args.nodes!, cpu: args["node-cpu"]!, mem: args["node-mem"]!, gpu: args["node-gpu"] },
    zones: args.zones,
    sort: args.sort,
    onProgress: loading.update,
    onColumnMemory: writer?.touch,
  }).finally(() => loading.done());
  let failures: FailureModel | undefined;
  if (args.failures !== undefined) {
    const f = await readFailures(args.failures, inputs.cluster);
    warnings.push(...f.warnings);
    failures = { kind: "trace", trace: f.trace };
  } else if (args.mtbf !== undefined && args.mttr !== undefined) {
    const problem = randomFailuresProblem(args.mtbf, args.mttr, inputs.cluster.ids.length, inputs.workload, args.horizon);
    if (problem !== undefined) throw new OptionError(`--mtbf ${args.mtbf} --mttr ${args.mttr} would make ${problem}`);
    failures = { kind: "random", mtbf: args.mtbf, mttr: args.mttr };
  }
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  const policies = await resolvePolicies(args.policy);
  const loadedMs = Date.now() - started;

  const read = [args.workload, args.cluster, args.zones, args.failures, ...policies.map((p) => p.file)].filter((f): f is string => f !== undefined);
  const folder = await ResultsFolder.open(args.out ?? defaultOutputPath(args.workload), args.force, read);
  // Only the summaries are kept across policies: each run's per-container columns and timeline
  // are written, then dropped, so memory does not grow with the number of policies.
  const summaries: Summary[] = [];
  const failed: { policy: string; error: string }[] = [];
  const timings: Record<string, number> = {};
  const runOptions = {
    queue: args.queue, seed: args.seed, horizon: args.horizon, timeline: args.timeline,
    decisionTimeoutMs: args["decision-timeout"], failures, onFailure: args["on-failure"] ?? "requeue", maxRestarts: args["max-restarts"] ?? DEFAULT_MAX_RESTARTS,
  };
  /**
   * A policy that failed leaves no files; a PolicyError (or, in a worker, the worker stopping under
   * it) is reported and the run goes on.
   */
  const policyFailed = async (name: string, err: unknown) => {
    await folder.remove(name);
    if (!(err instanceof PolicyError || err instanceof WorkerStopped)) throw err;
    failed.push({ policy: name, error: err.message });
    process.stderr.write(`schedsim: ${err.message}\n`);
  };
  const prepareFiles = async (name: string): Promise<PolicyFiles> => ({
    timeline: args.timeline ? await folder.prepare(`${name}/timeline.csv`) : undefined,
    containers: args.containers ? await folder.prepare(`${name}/containers.csv`) : undefined,
  });
  const workers = args.parallel || args.workers !== undefined
    ? Math.min(policies.length, args.workers ?? defaultWorkers(args.containers || args.timeline)) : 1;
  // Short runs end before a bar would tell anything.
  const showProgress = inputs.workload.length > PROGRESS_ABOVE;
  // A decision limit runs the policies in a worker thread even one at a time: a decision that
  // never returns (an endless loop) can only be stopped from another thread.
  const limited = decisionLimit({ decisionTimeoutMs: args["decision-timeout"] }) !== undefined;
  /** Stops the workers of a run that gives up, before its folder goes. */
  let cancelWorkers: (() => Promise<void>) | undefined;
  try {
    if (workers >= 2 || limited) {
      // Each worker writes its policies' files (see runInWorkers); this thread only collects.
      const jobs = await Promise.all(policies.map(async (p) => ({ policy: p.file ?? p.name, name: p.name, file: p.file !== undefined, files: await prepareFiles(p.name) })));
      // The writer thread of this one only served the reading (it mapped the columns' memory).
      await writer?.stop();
      // One bar for all the policies: the arrivals their runs have processed, summed.
      const n = inputs.workload.length, progress = progressReporter(`${policies.length} ${policies.length === 1 ? "policy" : "policies"}`);
      const processed = new Float64Array(policies.length);
      let sum = 0;
      const advance = (i: number, done: number) => {
        sum += done - processed[i]!;
        processed[i] = done;
        progress.update(sum, n * policies.length);
      };
      const inWorkers = runInWorkers(inputs, jobs, runOptions, workers, showProgress ? advance : undefined);
      cancelWorkers = inWorkers.cancel;
      // A policy that failed counts as done.
      if (showProgress) inWorkers.results.forEach((r, i) => void r.then(() => advance(i, n), () => advance(i, n)));
      try {
        for (const [i, p] of policies.entries()) {
          try {
            summaries.push(await inWorkers.results[i]!);
          } catch (err) {
            progress.done(); // its message on a line of its own; the bar comes back at the next percent
            await policyFailed(p.name, err);
          }
          // The worker's own time, not this thread's wait (null in run.json when its worker died).
          timings[p.name] = inWorkers.spent[i]!;
        }
      } finally {
        progress.done();
      }
    } else {
      const cells = nodeCells(inputs.cluster.ids);
      // One set of outcome columns serves every policy in turn (each is written before the next runs).
      const outcomes = writer && args.containers ? createOutcomes(inputs.workload.length, true) : undefined;
      for (const p of policies) {
        const t0 = Date.now();
        const progress = progressReporter(p.name);
        try {
          summaries.push(await runPolicy(inputs, {
            ...runOptions, policy: p.source, clock: () => performance.now(),
            onProgress: showProgress ? progress.update : undefined,
          }, await prepareFiles(p.name), writer && { writer, outcomes, nodeCells: cells }));
          progress.done();
        } catch (err) {
          progress.done();
          await policyFailed(p.name, err);
        }
        timings[p.name] = Date.now() - t0;
      }
    }
    await folder.writeText("summary.csv", summaryCsv(summaries, failed));
    await folder.writeText("summary.json", JSON.stringify({
      schedsim: "0.1.0",
      inputs: {
        workload: args.workload,
        cluster: args.cluster ?? { nodes: args.nodes, cpu: args["node-cpu"], mem: args["node-mem"], gpu: args["node-gpu"] ?? 0 },
        zones: args.zones ?? null,
        containers: inputs.workload.length,
        nodes: inputs.cluster.ids.length,
      },
      options: { queue: args.queue, seed: args.seed, horizon: args.horizon ?? null, sort: args.sort, ...(args["decision-timeout"] === undefined ? {} : { decision_timeout_ms: args["decision-timeout"] }),
        ...(failures === undefined ? {} : {
          failures: args.failures ?? { mtbf: args.mtbf, mttr: args.mttr }, on_failure: args["on-failure"] ?? "requeue", max_restarts: args["max-restarts"] ?? DEFAULT_MAX_RESTARTS,
        }) },
      policies: summaries.map((s) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v ?? null]))),
      failed,
    }, null, 2) + "\n");
    await folder.writeText("run.json", JSON.stringify({
      started: new Date(started).toISOString(),
      wall_ms: { total: Date.now() - started, load: loadedMs, ...timings },
      node: process.version,
      // Policies run at once: 1 one after the other, else the worker threads of --parallel.
      workers: workers >= 2 ? workers : 1,
      argv: process.argv.slice(2),
    }, null, 2) + "\n");
    await folder.commit();
  } catch (err) {
    await cancelWorkers?.();
    await folder.abandon();
    throw err;
  }
  process.stdout.write(summaryTable(summaries, failed));
  process.stdout.write(`\n${inputs.workload.length.toLocaleString("en-US")} containers, ${inputs.cluster.ids.length} nodes, queue ${args.queue}; results in ${folder.finalPath}/\n`);
  if (failed.length > 0) process.exitCode = 1;
}
