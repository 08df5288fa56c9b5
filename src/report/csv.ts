import { stringify } from "csv-stringify/sync";
import { MICRO } from "../model/resources.ts";
import type { Workload } from "../model/workload.ts";
import type { ClusterSpec } from "../model/cluster.ts";
import { FIG_D, FIG_P, FIG_R, FIG_WAIT, SUMMARY_COLUMNS, containerFigures, type Summary } from "../metrics/summary.ts";
import { FINISHED, REASON_NAMES, STATE_NAMES, type ContainerOutcomes, type SimResult } from "../sim/types.ts";
import type { TimelineRows } from "../metrics/timeline.ts";
import { ByteChunks } from "./bytes.ts";

/**
 * Pure writers: results → CSV, the large files as chunks of UTF-8 bytes (src/report/bytes.ts) so
 * that a million rows never form one string. Numbers are written in full precision (shortest round
 * trip, exactly `String(x)`), absent values as empty cells. Text that needs quoting, or that a
 * spreadsheet would take for a formula (=, +, -, @, tab, CR at the start), goes through
 * csv-stringify with `escape_formulas`; plain text and numbers are written directly.
 */

export const CONTAINER_COLUMNS = ["id", "node", "arrival", "start", "end", "wait", "net", "r", "p", "d", "state", "reason"] as const;
export const TIMELINE_COLUMNS = ["time", "cpu", "mem", "gpu", "running", "queued"] as const;

const COMMA = 44;
const NEWLINE = 10;
const STRINGIFY_OPTIONS = { escape_formulas: true, cast: { number: (x: number) => String(x) } } as const;
// Plain: starts with none of csv-stringify's formula characters (any non-ASCII start goes to it, as
// it also escapes the full-width ＝ ＋ － ＠) and holds no quote, comma or line break.
// (src/report/id-cells.ts tests the same on UTF-8 bytes: change both together.)
const PLAIN_TEXT = /^(?:[^=+\-@\t\r,"\n\u0080-\uffff][^,"\r\n]*)?$/;

/** One text cell, quoted and formula-escaped by csv-stringify when it is not plain. */
export function textCell(s: string): string {
  return PLAIN_TEXT.test(s) ? s : stringify([[s]], STRINGIFY_OPTIONS).slice(0, -1);
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

/** containers.csv in trace order, as successive chunks of whole rows (the first has the header). */
export function* containersCsv(result: SimResult, workload: Workload, cluster: ClusterSpec): Generator<Uint8Array> {
  const out = new ByteChunks();
  out.text(CONTAINERS_HEADER);
  const ids = workload.ids;
  const writeId = (chunks: ByteChunks, i: number) => chunks.text(textCell(ids[i]!));
  yield* containerRowsCsv(containerColumns(workload, result.containers), nodeCells(cluster.ids), 0, workload.length, writeId, out);
  if (out.length > 0) yield out.take();
}

export const CONTAINERS_HEADER = CONTAINER_COLUMNS.join(",") + "\n";

/** The columns a containers.csv row is made of: the workload's (trace order) and the run's outcomes. */
export interface ContainerColumns {
  readonly arrival: Float64Array;
  readonly duration: Float64Array;
  /** [cpu, mem, gpu] per container, micro-units (only cpu is read). */
  readonly request: Float64Array;
  readonly outcomes: ContainerOutcomes;
}

export function containerColumns(workload: Workload, outcomes: ContainerOutcomes): ContainerColumns {
  return { arrival: workload.arrival, duration: workload.duration, request: workload.request, outcomes };
}

/** The node column's cell of each node. */
export function nodeCells(ids: readonly string[]): string[] {
  return ids.map(textCell);
}

/**
 * Rows from … to − 1 of containers.csv, without the header (for a file written in pieces, as the
 * rows become final): yields each full chunk and leaves the last, partly filled one in `out` for
 * the caller. `writeId` writes container i's id cell.
 */
export function* containerRowsCsv(
  cols: ContainerColumns, nodeCells: readonly string[], from: number, to: number,
  writeId: (out: ByteChunks, i: number) => void, out: ByteChunks,
): Generator<Uint8Array> {
  const o = cols.outcomes;
  const stateCells = STATE_NAMES.map((s) => `,${s},`);
  const f = new Float64Array(5);
  for (let i = from; i < to; i++) {
    const node = o.node[i]!;
    const arrival = cols.arrival[i]!;
    writeId(out, i);
    out.byte(COMMA);
    if (node < 0) {
      out.byte(COMMA);
      out.number(arrival);
      out.text(",,,,,,,"); // start, end, wait, net, r, p, d
    } else {
      out.text(nodeCells[node]!);
      out.byte(COMMA);
      const start = o.start[i]!, net = o.net[i]!;
      const wait = start - arrival;
      if (o.state[i] === FINISHED) {
        const end = o.end[i]!;
        containerFigures(cols.duration[i]!, arrival, start, end, net, cols.request[i * 3]!, f);
        const fWait = f[FIG_WAIT]!, fD = f[FIG_D]!;
        // Most containers start on arrival and have no network delay: equal cells are copied.
        const arrivalAt = out.length;
        out.number(arrival);
        const arrivalEnd = out.length;
        out.byte(COMMA);
        if (start === arrival) out.again(arrivalAt, arrivalEnd);
        else out.number(start);
        out.byte(COMMA);
        out.number(end);
        out.byte(COMMA);
        const waitAt = out.length;
        out.number(fWait);
        const waitEnd = out.length;
        out.byte(COMMA);
        out.number(net);
        out.byte(COMMA);
        out.number(f[FIG_R]!);
        out.byte(COMMA);
        out.number(f[FIG_P]!);
        out.byte(COMMA);
        if (fD === fWait) out.again(waitAt, waitEnd);
        else out.number(fD);
      } else {
        out.number(arrival);
        out.byte(COMMA);
        out.number(start);
        out.text(",,");
        out.number(wait);
        out.byte(COMMA);
        out.number(net);
        out.text(",,,");
        out.number(wait + net);
      }
    }
    out.text(stateCells[o.state[i]!]!);
    out.text(REASON_NAMES[o.reason[i]!]!);
    out.byte(NEWLINE);
    if (out.ready) yield out.take();
  }
}

/** timeline.csv: the allocation after each timestamp's events, in units; running and queued counts. */
export function* timelineCsv(timeline: TimelineRows): Generator<Uint8Array> {
  const out = new ByteChunks();
  out.text(TIMELINE_HEADER);
  yield* timelineRowsCsv(timeline, out);
  if (out.length > 0) yield out.take();
}

export const TIMELINE_HEADER = TIMELINE_COLUMNS.join(",") + "\n";

/**
 * Rows of timeline.csv without the header (for a timeline that arrives in batches): yields each
 * full chunk, and leaves the last, partly filled one in `out` for the caller.
 */
export function* timelineRowsCsv(rows: TimelineRows, out: ByteChunks): Generator<Uint8Array> {
  for (let i = 0; i < rows.length; i++) {
    out.number(rows.time[i]!);
    out.byte(COMMA);
    out.number(rows.cpu[i]! / MICRO);
    out.byte(COMMA);
    out.number(rows.mem[i]! / MICRO);
    out.byte(COMMA);
    out.number(rows.gpu[i]! / MICRO);
    out.byte(COMMA);
    out.int(rows.running[i]!);
    out.byte(COMMA);
    out.int(rows.queued[i]!);
    out.byte(NEWLINE);
    if (out.ready) yield out.take();
  }
}
