/**
 * Small inputs written in the test as CSV text, read through the same pure builders the file
 * readers use, so a test reads like its hand computation.
 */
import { parse } from "csv-parse/sync";
import {
  BUILTIN_POLICIES, FINISHED, REASON_NAMES, REJECTED, STATE_NAMES,
  WorkloadBuilder, ZoneTable, checkZonePairs, containersCsv, parseCluster, parseZones, simulate,
  type PolicySource, type SimInputs, type SimOptions, type SimResult,
} from "../src/index.ts";

/** CSV text → records with 1-based line numbers, as the streaming reader yields them. */
export function records(text: string): { fields: string[]; line: number }[] {
  const rows = parse(dedent(text), { bom: true, skip_empty_lines: true, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
  return rows.map((r) => ({ fields: r.record, line: r.info.lines }));
}

/**
 * Removes the indentation of a template literal so CSV can be written indented in a test; the
 * first line of text after the opening backtick is line 1.
 */
export function dedent(text: string): string {
  return text.replace(/^\s*\n/, "").split("\n").map((l) => l.trim()).join("\n").trimEnd() + "\n";
}

export interface CsvInputs {
  workload: string;
  cluster: string;
  zones?: string;
}

/** Builds SimInputs from CSV text: zones first (strict when given), then the cluster, then the workload. */
export function inputs(text: CsvInputs): SimInputs {
  const zones = text.zones === undefined ? new ZoneTable(false) : parseZones(records(text.zones), "zones.csv").zones;
  const { cluster } = parseCluster(records(text.cluster), zones, "cluster.csv");
  const builder = new WorkloadBuilder(zones, "workload.csv");
  for (const r of records(text.workload)) builder.add(r.fields, r.line);
  const workload = builder.finish();
  checkZonePairs(zones, cluster, workload.zone.subarray(0, workload.length), "zones.csv");
  return { workload, cluster, zones };
}

/**
 * One line per container in trace order, easy to compare as a whole list:
 * `c0@n1 0-4` (finished), `c0@n1 3-` (started, unfinished), `c0 unfinished`, `c0 rejected no-fit`.
 */
export function outcomes(result: SimResult, inp: SimInputs): string[] {
  const o = result.containers, w = inp.workload;
  return Array.from({ length: w.length }, (_, i) => {
    const id = w.ids[i]!;
    if (o.state[i] === REJECTED) return `${id} rejected ${REASON_NAMES[o.reason[i]!]}`;
    if (o.node[i]! < 0) return `${id} ${STATE_NAMES[o.state[i]!]}`;
    const where = `${id}@${inp.cluster.ids[o.node[i]!]} ${o.start[i]}-`;
    return o.state[i] === FINISHED ? `${where}${o.end[i]}` : where;
  });
}

/** Simulates CSV inputs and returns the result, the inputs and the outcome lines. */
export function run(text: CsvInputs, options: SimOptions) {
  const inp = inputs(text);
  const result = simulate(inp, options);
  return { inputs: inp, result, lines: outcomes(result, inp), summary: result.summary };
}

/** Parses CSV text with a header into objects (for checking written files). */
export function csvObjects(text: string): Record<string, string>[] {
  return parse(text, { columns: true, bom: true }) as Record<string, string>[];
}

/** The header of CSV text, as a list of column names. */
export function csvHeader(text: string): string[] {
  return (parse(text, { to_line: 1 }) as string[][])[0] ?? [];
}

/** Every chunk of a chunked CSV writer (UTF-8 bytes), joined into one text. */
export function joined(chunks: Iterable<Uint8Array>): string {
  const decoder = new TextDecoder();
  let text = "";
  for (const chunk of chunks) text += decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

/** containers.csv of a run, parsed back into objects keyed by column name (every value a string). */
export function containerRows(r: { inputs: SimInputs; result: SimResult }): Record<string, string>[] {
  return csvObjects(joined(containersCsv(r.result, r.inputs.workload, r.inputs.cluster)));
}

/** A built-in policy by name. */
export function builtin(name: string): PolicySource {
  const p = BUILTIN_POLICIES.get(name);
  if (!p) throw new Error(`no built-in policy ${name}`);
  return p;
}
