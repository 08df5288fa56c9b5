/**
 * A one-line progress indicator on standard error, only when it is a terminal. It is redrawn only
 * when the whole percentage changes, however often it is told. `unit` formats the counts (items
 * by default; `"bytes"` shows MiB).
 */
export function progressReporter(label: string, stream: NodeJS.WriteStream = process.stderr, unit: "items" | "bytes" = "items") {
  if (!stream.isTTY) return { update: (_done: number, _total: number) => {}, done: () => {} };
  let shown = -1;
  const width = 30;
  const count = unit === "bytes" ? (n: number) => `${(n / 1048576).toFixed(0)} MiB` : (n: number) => n.toLocaleString("en-US");
  return {
    update(done: number, total: number) {
      total = Math.max(total, done); // a .gz trailer's size is modulo 4 GiB
      const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
      if (percent === shown) return;
      const bar = "#".repeat(Math.round((percent / 100) * width)).padEnd(width, ".");
      stream.write(`\r${label} [${bar}] ${String(percent).padStart(3)}% ${count(done)}/${count(total)}`);
      shown = percent;
    },
    done() {
      if (shown >= 0) stream.write("\r\x1b[K");
    },
  };
}
