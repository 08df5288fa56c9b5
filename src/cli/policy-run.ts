import { setImmediate as turn } from "node:timers/promises";
import { startSimulation } from "../sim/simulate.ts";
import type { OutputWriter } from "./output-writer.ts";
import type { Summary } from "../metrics/summary.ts";
import type { ContainerOutcomes, SimInputs, SimOptions } from "../sim/types.ts";

/** Where a policy's files go (paths whose folder exists); a file left out is not written. */
export interface PolicyFiles {
  containers?: string;
  timeline?: string;
}

/** A writer thread for the files, the shared outcome columns it reads, and the node id cells. */
export interface PolicyOutput {
  writer: OutputWriter;
  /** Made by createOutcomes(n, true); required for containers.csv. */
  outcomes?: ContainerOutcomes;
  nodeCells: string[];
}

/** Events simulated between two turns of the event loop: a few tens of milliseconds. */
const SLICE = 1 << 16;

/**
 * Runs one policy and writes its files through the writer thread while the run goes on (the
 * timeline in batches, each containers.csv row as soon as it and every row before it are final).
 * When the run fails, both files are closed before the error goes on (the caller removes them).
 * Used by `run` for each policy in turn, and by each worker thread of `run --parallel` for its own.
 * `output` may be left out only when there is no file to write.
 */
export async function runPolicy(inputs: SimInputs, options: SimOptions, files: PolicyFiles, output?: PolicyOutput): Promise<Summary> {
  const streamTimeline = files.timeline !== undefined && options.timeline !== false;
  const streamContainers = files.containers !== undefined;
  const writer = output?.writer;
  if ((streamTimeline || streamContainers) && !writer) throw new Error("runPolicy: files are written through a writer thread (output)");
  if (streamContainers && !output!.outcomes) throw new Error("runPolicy: a containers.csv written by the writer thread needs shared outcome columns");
  if (streamTimeline) writer!.openTimeline(files.timeline!);
  if (streamContainers) writer!.openContainers(files.containers!, inputs.workload, output!.nodeCells);
  // allSettled: both files are closed before anything goes on, whichever failed.
  const closeStreams = () => Promise.allSettled([
    streamTimeline ? writer!.close("timeline") : undefined,
    streamContainers ? writer!.close("containers") : undefined,
  ]).then((results) => {
    for (const r of results) if (r.status === "rejected") throw r.reason;
  });
  let result;
  try {
    const run = startSimulation(inputs, {
      ...options,
      onTimeline: streamTimeline ? writer!.timeline : undefined,
      onSettled: streamContainers ? writer!.settled : undefined,
      outcomes: streamContainers ? output!.outcomes : undefined,
    });
    // A turn of the event loop between slices: a Ctrl-C (or a kill) is heard within two slices
    // rather than at the end of the policy's run, which on 10M containers is 20 s away.
    while (run.advance(SLICE)) await turn();
    result = run.finish();
  } catch (err) {
    await closeStreams().catch(() => {});
    throw err;
  }
  await closeStreams();
  return result.summary;
}
