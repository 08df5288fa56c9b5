import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { fromMicro } from "../../model/resources.ts";
import { ZoneTable } from "../../model/zones.ts";
import { InputError } from "../errors.ts";
import { readWorkload } from "../native.ts";
import type { Samples } from "./generate.ts";
import type { GeneratorSpec, ResampleSpec } from "./spec.ts";

/** SHA-256 of a file's bytes (the file as stored, compressed or not), streamed. */
export async function fileSha256(path: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(createReadStream(path), hash);
  return hash.digest("hex");
}

/**
 * Loads what the spec resamples from: each `from` file is read once as a native workload (the same
 * reader and checks as `schedsim run`), its durations and (cpu, mem, gpu) kept in typed arrays (the
 * memory is the source's size, not the output's; rows need not be sorted, a draw picks any row). Checks each file against a `sha256` the spec
 * carries, and returns the spec with every `sha256` filled in, so that the saved spec names exactly
 * the bytes it was drawn from. Unknown columns of a source are returned as warnings.
 */
export async function loadSamples(spec: GeneratorSpec): Promise<{ spec: GeneratorSpec; samples: Samples; warnings: string[] }> {
  const samples: Samples = {};
  const warnings: string[] = [];
  const read = new Map<string, Promise<{ durations: Float64Array; requests: Float64Array; sha256: string }>>();
  const load = (path: string) => {
    let p = read.get(path);
    if (!p) read.set(path, (p = readSource(path, warnings)));
    return p;
  };
  const check = async (part: ResampleSpec, name: string): Promise<ResampleSpec> => {
    const source = await load(part.from);
    if (part.sha256 !== undefined && part.sha256 !== source.sha256) {
      throw new InputError(
        `${name}.sha256: the file has changed since the spec was written (its sha256 is now ${source.sha256})`,
        part.from,
      );
    }
    return { ...part, sha256: source.sha256 };
  };
  let resolved = spec;
  if (spec.durations.kind === "resample") {
    resolved = { ...resolved, durations: await check(spec.durations, "durations") };
    samples.durations = (await load(spec.durations.from)).durations;
  }
  if (spec.requests.kind === "resample") {
    resolved = { ...resolved, requests: await check(spec.requests, "requests") };
    samples.requests = (await load(spec.requests.from)).requests;
  }
  return { spec: resolved, samples, warnings };
}

async function readSource(path: string, warnings: string[]) {
  const { workload, warnings: w } = await readWorkload(path, new ZoneTable(false), { sort: true });
  warnings.push(...w);
  const n = workload.length;
  const requests = new Float64Array(3 * n);
  for (let i = 0; i < 3 * n; i++) requests[i] = fromMicro(workload.request[i]!);
  return { durations: workload.duration.slice(0, n), requests, sha256: await fileSha256(path) };
}
