import { stringify } from "csv-stringify/sync";
import { MICRO } from "../model/resources.ts";
import type { Workload } from "../model/workload.ts";
import type { ClusterSpec } from "../model/cluster.ts";
import { SUMMARY_COLUMNS, containerFigures, type Summary } from "../metrics/summary.ts";
import { FINISHED, REASON_NAMES, STATE_NAMES, type SimResult } from "../sim/types.ts";
import type { Timeline } from "../metrics/usage.ts";

/**
 * Pure writers: results → CSV text, in chunks so that a million rows never form one string.
 * Numbers are written in full precision (shortest round trip, `String(x)`), absent values as empty
 * cells. Text that needs quoting, or that a spreadsheet would take for a formula (=, +, -, @, tab,
 * CR at the start), goes through csv-stringify with `escape_formulas`; plain text and numbers are
 * joined directly, which keeps writing a million rows well under a second.
 */

export const CONTAINER_COLUMNS = ["id", "node", "arrival", "start", "end", "wait", "net", "r", "p", "d", "state", "reason"] as const;
export const TIMELINE_COLUMNS = ["time", "cpu", "mem", "gpu", "running", "queued"] as const;

const CHUNK_ROWS = 16_384;
const STRINGIFY_OPTIONS = { escape_formulas: true, cast: { number: (x: number) => String(x) } } as const;
const PLAIN_TEXT = /^(?:[^=+\-@\t\r,"\n][^,"\r\n]*)?$/;

/** One text cell, quoted and formula-escaped by csv-stringify when it is not plain. */
export function textCell(s: string): string {
  return PLAIN_TEXT.test(s) ? s : stringify([[s]], STRINGIFY_OPTIONS).slice(0, -1);
}

/** One number cell: shortest round-trip form; NaN (absent) → empty. */
function numberCell(x: number): string {
  return Number.isNaN(x) ? "" : String(x);
}

/**
 * summary.csv: one row per policy. When some policy failed, its row follows with empty figures and
 * a last column `error` holding why (that column is there only then, so the file of a run where
 * every policy succeeded does not change).
 */
export function summaryCsv(rows: readonly Summary[], failed: readonly { policy: string; error: string }[] = []): string {
  const cells: unknown[][] = rows.map((s) => SUMMARY_COLUMNS.map((c) => s[c]));
  const columns = [...SUMMARY_COLUMNS] as string[];
  if (failed.length > 0) {
    columns.push("error");
    for (const row of cells) row.push("");
    for (const f of failed) cells.push([f.policy, ...SUMMARY_COLUMNS.slice(1).map(() => undefined), f.error]);
  }
  return stringify(cells, { ...STRINGIFY_OPTIONS, header: true, columns });
}

/** containers.csv in trace order, as successive chunks of text (the first has the header). */
export function* containersCsv(result: SimResult, workload: Workload, cluster: ClusterSpec): Generator<string> {
  const o = result.containers;
  const nodeCells = cluster.ids.map(textCell);
  let text = CONTAINER_COLUMNS.join(",") + "\n";
  for (let i = 0; i < workload.length; i++) {
    const node = o.node[i]!;
    const arrival = workload.arrival[i]!;
    const id = textCell(workload.ids[i]!);
    const tail = `,${STATE_NAMES[o.state[i]!]},${REASON_NAMES[o.reason[i]!]}\n`;
    if (node < 0) {
      text += `${id},,${numberCell(arrival)},,,,,,,${tail}`;
    } else if (o.state[i] === FINISHED) {
      const start = o.start[i]!, end = o.end[i]!, net = o.net[i]!;
      const f = containerFigures(workload.duration[i]!, arrival, start, end, net, workload.request[i * 3]!);
      // Most containers start on arrival and have no network delay: format each value once.
      const a = String(arrival);
      const startCell = start === arrival ? a : String(start);
      const endCell = end === start ? startCell : String(end);
      text += `${id},${nodeCells[node]},${a},${startCell},${endCell},${f.wait},${net},${f.r},${f.p},${f.d}${tail}`;
    } else {
      const wait = o.start[i]! - arrival;
      text += `${id},${nodeCells[node]},${arrival},${o.start[i]},,${wait},${o.net[i]},,,${wait + o.net[i]!}${tail}`;
    }
    if ((i + 1) % CHUNK_ROWS === 0) {
      yield text;
      text = "";
    }
  }
  if (text) yield text;
}

/** timeline.csv: the allocation after each timestamp's events, in units; running and queued counts. */
export function* timelineCsv(timeline: Timeline): Generator<string> {
  let text = TIMELINE_COLUMNS.join(",") + "\n";
  for (let i = 0; i < timeline.length; i++) {
    text += `${timeline.time[i]},${timeline.cpu[i]! / MICRO},${timeline.mem[i]! / MICRO},${timeline.gpu[i]! / MICRO},${timeline.running[i]},${timeline.queued[i]}\n`;
    if ((i + 1) % CHUNK_ROWS === 0) {
      yield text;
      text = "";
    }
  }
  if (text) yield text;
}
