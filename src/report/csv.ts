import { stringify } from "csv-stringify/sync";
import { MICRO } from "../model/resources.ts";
import type { Workload } from "../model/workload.ts";
import type { ClusterSpec } from "../model/cluster.ts";
import { SUMMARY_COLUMNS, containerFigures, type Summary } from "../metrics/summary.ts";
import { FINISHED, REASON_NAMES, STATE_NAMES, type SimResult } from "../sim/types.ts";
import type { Timeline } from "../metrics/usage.ts";

/** Pure writers: results → CSV text, in chunks so that a million rows never form one string. */

export const CONTAINER_COLUMNS = ["id", "node", "arrival", "start", "end", "wait", "net", "r", "p", "d", "state", "reason"] as const;
export const TIMELINE_COLUMNS = ["time", "cpu", "mem", "gpu", "running", "queued"] as const;

const CHUNK_ROWS = 16_384;
type Cell = string | number | undefined;

/** Numbers in full precision (shortest round trip), empty cells for absent values. */
const OPTIONS = { cast: { number: (x: number) => String(x) } } as const;

export function summaryCsv(rows: readonly Summary[]): string {
  return stringify(
    rows.map((s) => SUMMARY_COLUMNS.map((c) => s[c] as Cell)),
    { ...OPTIONS, header: true, columns: SUMMARY_COLUMNS as unknown as string[] },
  );
}

/** containers.csv in trace order, as successive chunks of text (the first has the header). */
export function* containersCsv(result: SimResult, workload: Workload, cluster: ClusterSpec): Generator<string> {
  const o = result.containers;
  let rows: Cell[][] = [];
  let header = true;
  for (let i = 0; i < workload.length; i++) {
    const node = o.node[i]!;
    const arrival = workload.arrival[i]!;
    const state = STATE_NAMES[o.state[i]!];
    const reason = REASON_NAMES[o.reason[i]!] || undefined;
    if (node < 0) {
      rows.push([workload.ids[i], undefined, arrival, undefined, undefined, undefined, undefined, undefined, undefined, undefined, state, reason]);
    } else if (o.state[i] === FINISHED) {
      const f = containerFigures(workload.duration[i]!, arrival, o.start[i]!, o.end[i]!, o.net[i]!, workload.request[i * 3]!);
      rows.push([workload.ids[i], cluster.ids[node], arrival, o.start[i], o.end[i], f.wait, o.net[i], f.r, f.p, f.d, state, reason]);
    } else {
      const wait = o.start[i]! - arrival;
      rows.push([workload.ids[i], cluster.ids[node], arrival, o.start[i], undefined, wait, o.net[i], undefined, undefined, wait + o.net[i]!, state, reason]);
    }
    if (rows.length === CHUNK_ROWS) {
      yield chunk(rows, header, CONTAINER_COLUMNS);
      rows = [];
      header = false;
    }
  }
  if (rows.length > 0 || header) yield chunk(rows, header, CONTAINER_COLUMNS);
}

/** timeline.csv: the allocation after each timestamp's events, in units; running and queued counts. */
export function* timelineCsv(timeline: Timeline): Generator<string> {
  let rows: Cell[][] = [];
  let header = true;
  for (let i = 0; i < timeline.length; i++) {
    rows.push([timeline.time[i], timeline.cpu[i]! / MICRO, timeline.mem[i]! / MICRO, timeline.gpu[i]! / MICRO, timeline.running[i], timeline.queued[i]]);
    if (rows.length === CHUNK_ROWS) {
      yield chunk(rows, header, TIMELINE_COLUMNS);
      rows = [];
      header = false;
    }
  }
  if (rows.length > 0 || header) yield chunk(rows, header, TIMELINE_COLUMNS);
}

function chunk(rows: Cell[][], header: boolean, columns: readonly string[]): string {
  return stringify(rows, { ...OPTIONS, header, columns: columns as string[] });
}
