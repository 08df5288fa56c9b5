/**
 * The naive baseline of the benchmark: what a straightforward Node implementation of the same
 * job looks like — one object per container, every arrival pushed into one binary heap of events,
 * first-fit by a linear scan over the nodes, one output line per container. Same semantics as
 * `schedsim run --policy first-fit --queue fifo` on a uniform cluster (its containers.csv matches
 * schedsim's, which bench/run.ts checks), written for clarity, not speed.
 *   npx tsx bench/naive.ts WORKLOAD.csv NODES CPU MEM OUT.csv
 */
import { readFileSync, writeFileSync } from "node:fs";

interface Item { id: string; arrival: number; duration: number; cpu: number; mem: number; node: number; start: number; end: number }
interface Ev { time: number; kind: number; seq: number; c: Item }

class Heap {
  items: Ev[] = [];
  less(a: Ev, b: Ev) { return a.time < b.time || (a.time === b.time && (a.kind < b.kind || (a.kind === b.kind && a.seq < b.seq))); }
  push(e: Ev) {
    const h = this.items; h.push(e);
    let i = h.length - 1;
    while (i > 0) { const p = (i - 1) >> 1; if (!this.less(h[i]!, h[p]!)) break; [h[i], h[p]] = [h[p]!, h[i]!]; i = p; }
  }
  pop(): Ev | undefined {
    const h = this.items; if (h.length === 0) return undefined;
    const top = h[0]!; const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last; let i = 0;
      for (;;) { const l = 2 * i + 1, r = l + 1; let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break; [h[i], h[m]] = [h[m]!, h[i]!]; i = m; }
    }
    return top;
  }
}

export function runNaive(workloadPath: string, nodes: number, nodeCpu: number, nodeMem: number, outPath: string): void {
  const lines = readFileSync(workloadPath, "utf8").trim().split("\n");
  const header = lines[0]!.split(",");
  const col = (name: string) => header.indexOf(name);
  const items: Item[] = lines.slice(1).map((l) => {
    const f = l.split(",");
    return { id: f[col("id")]!, arrival: Number(f[col("arrival")]), duration: Number(f[col("duration")]), cpu: Math.round(Number(f[col("cpu")]) * 1e6), mem: Math.round(Number(f[col("mem")]) * 1e6), node: -1, start: NaN, end: NaN };
  });
  const freeCpu = new Array(nodes).fill(Math.round(nodeCpu * 1e6));
  const freeMem = new Array(nodes).fill(Math.round(nodeMem * 1e6));
  const heap = new Heap();
  let seq = 0;
  items.forEach((c) => heap.push({ time: c.arrival, kind: 1, seq: seq++, c }));
  const queue: Item[] = [];
  const firstFit = (c: Item) => { for (let n = 0; n < nodes; n++) if (freeCpu[n] >= c.cpu && freeMem[n] >= c.mem) return n; return -1; };
  for (let e = heap.pop(); e; e = heap.pop()) {
    if (e.kind === 0) { freeCpu[e.c.node] += e.c.cpu; freeMem[e.c.node] += e.c.mem; e.c.end = e.time; }
    else queue.push(e.c);
    while (queue.length > 0) {
      const n = firstFit(queue[0]!);
      if (n < 0) break;
      const c = queue.shift()!;
      freeCpu[n] -= c.cpu; freeMem[n] -= c.mem; c.node = n; c.start = e.time;
      heap.push({ time: e.time + c.duration, kind: 0, seq: seq++, c });
    }
  }
  const out = ["id,node,arrival,start,end,wait,net,r,p,d,state,reason"];
  for (const c of items) {
    const wait = c.start - c.arrival, runtime = c.end - c.start;
    const p = wait + runtime === 0 ? 1 : c.duration / (wait + runtime);
    out.push(`${c.id},n${c.node},${c.arrival},${c.start},${c.end},${wait},0,${(c.cpu / 1e6) * runtime},${p},${wait},finished,`);
  }
  writeFileSync(outPath, out.join("\n") + "\n");
}

if (process.argv[1]?.endsWith("naive.ts")) {
  const [w, n, cpu, mem, out] = process.argv.slice(2);
  runNaive(w!, Number(n), Number(cpu), Number(mem), out!);
}
