import type { Summary } from "../metrics/summary.ts";

const BASE: [keyof Summary, string, number][] = [
  ["policy", "policy", -1],
  ["finished", "finished", 0],
  ["rejected", "rejected", 0],
  ["unfinished", "unfinished", 0],
  ["R", "R (core·s)", 1],
  ["P", "P", 2],
  ["D", "D (s)", 1],
  ["D_wait", "D_wait", 1],
  ["D_net", "D_net", 1],
  ["util_cpu", "util cpu", 3],
  ["util_mem", "util mem", 3],
  ["wait_mean", "wait mean", 2],
  ["wait_p95", "wait p95", 2],
  ["slowdown_mean", "slowdown", 3],
  ["nodes_used", "nodes", 0],
];

const KILLED: [keyof Summary, string, number] = ["killed", "killed", 0];

/** The terminal comparison table (rounded for reading; files keep full precision). */
export function summaryTable(rows: readonly Summary[], failed: readonly { policy: string; error: string }[] = []): string {
  // Containers dropped by node failures are none of finished, rejected or unfinished: shown when any
  // policy has them, or the counts would not add up to the workload.
  const COLUMNS = rows.some((s) => s.killed > 0) ? [...BASE.slice(0, 4), KILLED, ...BASE.slice(4)] : BASE;
  const cells = [COLUMNS.map(([, title]) => title)];
  for (const s of rows) {
    cells.push(COLUMNS.map(([key, , digits]) => {
      const v = s[key];
      if (v === undefined) return "-";
      if (typeof v === "string") return v;
      return digits < 0 ? String(v) : v.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
    }));
  }
  for (const f of failed) cells.push([f.policy, "FAILED", ...COLUMNS.slice(2).map(() => "")]);
  const widths = COLUMNS.map((_, j) => Math.max(...cells.map((r) => r[j]!.length)));
  const lines = cells.map((r) => r.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join("  ").trimEnd());
  lines.splice(1, 0, widths.map((w) => "-".repeat(w)).join("  "));
  return lines.join("\n") + "\n";
}
