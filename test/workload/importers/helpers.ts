/** Shared by the importer tests: fixture paths, a scratch folder, running an import, reading its CSV back. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import { afterAll } from "vitest";
import { importTrace, type ImportSummary } from "../../../src/workload/importers/index.ts";
import { TraceRecord, type ColumnSite } from "../../../src/workload/importers/types.ts";

/** A file under test/fixtures/traces/. */
export function fixture(path: string): string {
  return fileURLToPath(new URL(`../../fixtures/traces/${path}`, import.meta.url));
}

/** A scratch folder removed after the test file. */
export function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), "schedsim-import-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes a small input file into a folder and returns its path. */
export function write(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** A CSV file (gunzipped when .gz) as rows of strings, header first. */
export function readRows(path: string): string[][] {
  const bytes = readFileSync(path);
  return parse(path.endsWith(".gz") ? gunzipSync(bytes) : bytes) as string[][];
}

let counter = 0;

/** Imports `input` with `format` into the scratch folder; returns the summary and the rows written (header first). */
export async function runImport(
  dir: string,
  format: string,
  input: string,
  options: Record<string, unknown> = {},
  extra: { nodes?: string; cluster?: boolean; out?: string; from?: number; to?: number } = {},
): Promise<{ summary: ImportSummary; rows: string[][]; nodes?: string[][] }> {
  const n = ++counter;
  const output = join(dir, extra.out ?? `${format}-${n}.csv`);
  const clusterOutput = extra.cluster || extra.nodes ? join(dir, `${format}-${n}-cluster.csv`) : undefined;
  const summary = await importTrace({ format, input, nodes: extra.nodes, output, clusterOutput, options, from: extra.from, to: extra.to });
  return { summary, rows: readRows(output), nodes: clusterOutput ? readRows(clusterOutput) : undefined };
}

/** A record of a CSV with these column names (as a header would give them), for testing a row mapper alone. */
export function record(columns: readonly string[], fields: readonly string[], line = 2): TraceRecord {
  const sites = new Map<string, ColumnSite>(columns.map((name, index) => [name, { index, label: name }]));
  return new TraceRecord(fields, line, "trace.csv", sites);
}

/** A native row as the CSV cells the importer writes (numbers in shortest round-trip form). */
export function cells(id: string, arrival: number, duration: number, cpu: number, mem: number, gpu: number, ...extra: (number | string)[]): string[] {
  return [id, String(arrival), String(duration), String(cpu), String(mem), String(gpu), ...extra.map(String)];
}

/** Skip counts of a summary as { reason: [count, first line] }. */
export function skips(s: ImportSummary["skipped"]): Record<string, [number, number | null]> {
  return Object.fromEntries(Object.entries(s.by_reason).map(([k, v]) => [k, [v.count, v.first_line]]));
}
