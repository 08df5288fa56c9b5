/** A one-line progress indicator on standard error, only when it is a terminal. */
export function progressReporter(label: string, stream: NodeJS.WriteStream = process.stderr) {
  if (!stream.isTTY) return { update: (_done: number, _total: number) => {}, done: () => {} };
  let shown = false;
  const width = 30;
  return {
    update(done: number, total: number) {
      const frac = total > 0 ? done / total : 1;
      const bar = "#".repeat(Math.round(frac * width)).padEnd(width, ".");
      stream.write(`\r${label} [${bar}] ${(frac * 100).toFixed(0).padStart(3)}% ${done.toLocaleString("en-US")}/${total.toLocaleString("en-US")}`);
      shown = true;
    },
    done() {
      if (shown) stream.write("\r\x1b[K");
    },
  };
}
