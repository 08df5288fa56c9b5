/**
 * Network latency between zones, seconds. A pair listed in one direction serves both; listed in
 * both, each direction has its own; the same zone is 0 unless listed. Zones are interned to small
 * integers; "no zone" is -1 and has latency 0 to everything.
 */
export class ZoneTable {
  /** Zone names by index. */
  readonly names: string[] = [];
  private readonly index = new Map<string, number>();
  /** Listed latency in seconds by "from→to" index pair; NaN where not listed. */
  private listed: number[][] = [];
  /** True when latencies come from a zones file (then every zone must be known). */
  readonly strict: boolean;

  constructor(strict: boolean) {
    this.strict = strict;
  }

  /** Index of a zone, interning it. */
  intern(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.names.push(name);
      this.index.set(name, i);
      for (const row of this.listed) row.push(NaN);
      this.listed.push(new Array<number>(this.names.length).fill(NaN));
    }
    return i;
  }

  /** Index of a known zone, or undefined. */
  find(name: string): number | undefined {
    return this.index.get(name);
  }

  /** Records a latency from → to, in milliseconds as in the zones file. */
  set(from: string, to: string, latencyMs: number): void {
    const a = this.intern(from), b = this.intern(to);
    this.listed[a]![b] = latencyMs / 1000;
  }

  /** Latency in seconds from a container's zone to a node's zone; undefined where unresolved. */
  resolve(from: number, to: number): number | undefined {
    if (from < 0 || to < 0) return 0;
    const direct = this.listed[from]?.[to];
    if (direct !== undefined && !Number.isNaN(direct)) return direct;
    const reverse = this.listed[to]?.[from];
    if (reverse !== undefined && !Number.isNaN(reverse)) return reverse;
    if (from === to) return 0;
    return this.strict ? undefined : 0;
  }
}
