import { InputError } from "../errors.ts";

/**
 * The generator's spec: what `schedsim generate` draws, as the JSON file a user writes (or the
 * command-line options build) and as the resolved copy saved beside the output. `resolveSpec` checks
 * an untrusted JSON value and returns it with every default filled in, keys in a fixed order, so
 * that the saved copy reproduces the same bytes.
 */
export interface GeneratorSpec {
  version: 1;
  /** Seeds every random stream (see rng.ts); numbers are taken as their decimal string. */
  seed: string;
  /** How many containers; with `until`, whichever ends first. At least one of the two is given. */
  count?: number;
  /** No arrival after this time (s). */
  until?: number;
  /** Time origin of the arrival process (s). */
  start: number;
  /** Container ids are idPrefix + 0, 1, 2, … */
  idPrefix: string;
  arrivals: ArrivalSpec;
  durations: DurationSpec;
  requests: RequestSpec;
  /** Zones of the containers (the `zone` column is written only when given). */
  zones?: ChoiceSpec<string>;
  /** Priorities of the containers (the `priority` column is written only when given). */
  priorities?: ChoiceSpec<number>;
  cluster?: ClusterSpec;
  network?: NetworkSpec;
}

export type ArrivalSpec =
  | { kind: "poisson"; rate: number }
  | { kind: "constant"; rate: number }
  /** A 2-state Markov-modulated Poisson process; offRate 0 makes it on/off. */
  | { kind: "bursty"; rate: number; offRate: number; onMean: number; offMean: number }
  /** rate(t) = rate · (1 + amplitude · cos(2π (hour(t) − peakHour) / 24)), hour(t) = (t mod 86400) / 3600. */
  | { kind: "diurnal"; rate: number; amplitude: number; peakHour: number };

export type DurationSpec =
  | { kind: "fixed"; value: number }
  | { kind: "exponential"; mean: number }
  | { kind: "lognormal"; mu: number; sigma: number }
  | { kind: "lognormal"; mean: number; cv: number }
  | { kind: "pareto"; shape: number; scale: number }
  | ResampleSpec;

export interface ResampleSpec {
  kind: "resample";
  /** A native workload CSV (plain or .gz); relative to the spec file's folder. */
  from: string;
  /** SHA-256 of the file's bytes; checked when given, recorded in the saved spec. */
  sha256?: string;
}

/** One resource's request: a fixed amount, a uniform range (on a grid when step is given), or weighted choices. */
export type AmountSpec =
  | number
  | { kind: "uniform"; min: number; max: number; step?: number }
  | ({ kind: "choice" } & ChoiceSpec<number>);

export interface RequestChoice {
  cpu: number;
  mem: number;
  gpu: number;
  weight: number;
}

export type RequestSpec =
  | { kind: "choice"; choices: RequestChoice[] }
  | { kind: "independent"; cpu: AmountSpec; mem: AmountSpec; gpu: AmountSpec }
  | ResampleSpec;

export interface ChoiceSpec<T> {
  values: T[];
  weights: number[];
}

export interface NodeClass {
  count: number;
  cpu: number;
  mem: number;
  gpu: number;
  speed: number;
  zone?: string;
  startup: number;
  /** Node ids are prefix + a counter kept per prefix across classes. */
  prefix: string;
}

export interface ClusterSpec {
  classes: NodeClass[];
}

export interface LatencyPair {
  from: string;
  to: string;
  ms: number;
}

/** The zones latency matrix: sameMs within a zone, otherMs between two zones, unless a pair says otherwise. */
export interface NetworkSpec {
  sameMs: number;
  otherMs: number;
  pairs: LatencyPair[];
}

export const DEFAULT_SEED = "1";
/** A bound on the generated cluster's size (its node ids are checked for repeats in memory). */
export const MAX_NODES = 10_000_000;

/** Where a spec came from, for error messages and for resolving relative `from` paths. */
export interface SpecOrigin {
  /** The file named in errors; none for a spec built from command-line options. */
  label?: string;
  /** Resolves a `from` path as written in the spec (relative to the spec file's folder, or the working folder). */
  resolvePath?: (path: string) => string;
  /** How an error names a field (default: its JSON path), e.g. with the command-line option that set it. */
  describePath?: (path: string) => string;
}

type Json = Record<string, unknown>;

/** Checks a parsed JSON value and returns the full spec with defaults; InputError naming the JSON path otherwise. */
export function resolveSpec(raw: unknown, origin: SpecOrigin): GeneratorSpec {
  return new Checker(origin).spec(raw);
}

/** Shows a bad value in an error: JSON form, strings quoted, long ones cut. */
function show(value: unknown): string {
  const text = value === undefined ? "nothing" : typeof value === "number" ? String(value) : JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

interface NumberRule {
  /** value > gt */
  gt?: number;
  /** value ≥ min */
  min?: number;
  /** value ≤ max */
  max?: number;
  /** value < lt */
  lt?: number;
  integer?: boolean;
}

class Checker {
  constructor(private readonly origin: SpecOrigin) {}

  /** Throws the InputError; a value, when given (even undefined), is shown as `(got …)`. */
  fail(path: string, reason: string, ...value: [] | [unknown]): never {
    const got = value.length > 0 ? ` (got ${show(value[0])})` : "";
    const where = this.origin.describePath ? this.origin.describePath(path) : path;
    throw new InputError(`${where}: ${reason}${got}`, this.origin.label);
  }

  /** A plain object; with `known`, every key must be one of them. */
  object(value: unknown, path: string, known?: readonly string[]): Json {
    if (typeof value !== "object" || value === null || Array.isArray(value)) this.fail(path || "spec", "must be an object", value);
    const o = value as Json;
    for (const key of known ? Object.keys(o) : []) {
      if (!known!.includes(key)) this.fail(join(path, key), `unknown field (known here: ${known!.join(", ")})`);
    }
    return o;
  }

  /** The `kind` of an object that must have one; its other fields are checked by the caller. */
  kind<K extends string>(raw: unknown, path: string, kinds: readonly K[]): K {
    const o = this.object(raw, path);
    const p = join(path, "kind");
    const v = o.kind;
    if (v === undefined) this.fail(p, `is required (one of ${kinds.join(", ")})`);
    if (typeof v !== "string" || !(kinds as readonly string[]).includes(v)) this.fail(p, `must be one of ${kinds.join(", ")}`, v);
    return v as K;
  }

  array(value: unknown, path: string, nonEmpty = true): unknown[] {
    if (!Array.isArray(value)) this.fail(path, "must be an array", value);
    if (nonEmpty && value.length === 0) this.fail(path, "must not be empty");
    return value;
  }

  number(o: Json, key: string, path: string, rule: NumberRule, fallback?: number): number {
    const p = join(path, key);
    const v = o[key];
    if (v === undefined) {
      if (fallback !== undefined) return fallback;
      this.fail(p, "is required");
    }
    return this.numberValue(v, p, rule);
  }

  numberValue(v: unknown, p: string, rule: NumberRule): number {
    if (typeof v !== "number" || !Number.isFinite(v)) this.fail(p, "must be a finite number", v);
    if (rule.integer && !Number.isSafeInteger(v)) this.fail(p, "must be an integer", v);
    if (rule.gt !== undefined && !(v > rule.gt)) this.fail(p, `must be > ${rule.gt}`, v);
    if (rule.min !== undefined && !(v >= rule.min)) this.fail(p, `must be ≥ ${rule.min}`, v);
    if (rule.max !== undefined && !(v <= rule.max)) this.fail(p, `must be ≤ ${rule.max}`, v);
    if (rule.lt !== undefined && !(v < rule.lt)) this.fail(p, `must be < ${rule.lt}`, v);
    return v;
  }

  string(o: Json, key: string, path: string, fallback?: string): string {
    const p = join(path, key);
    const v = o[key];
    if (v === undefined) {
      if (fallback !== undefined) return fallback;
      this.fail(p, "is required");
    }
    return this.stringValue(v, p);
  }

  stringValue(v: unknown, p: string): string {
    if (typeof v !== "string" || v === "") this.fail(p, "must be a non-empty string", v);
    // Readers trim fields: a name with outer spaces would not match itself once read back.
    if (v.trim() !== v) this.fail(p, "must not begin or end with white space", v);
    return v;
  }

  spec(raw: unknown): GeneratorSpec {
    const o = this.object(raw, "", [
      "version", "seed", "count", "until", "start", "idPrefix", "arrivals", "durations", "requests",
      "zones", "priorities", "cluster", "network",
    ]);
    if (o.version !== undefined && o.version !== 1) this.fail("version", "must be 1", o.version);
    let seed = DEFAULT_SEED;
    if (o.seed !== undefined) {
      if (typeof o.seed === "number" && Number.isSafeInteger(o.seed)) seed = String(o.seed);
      else if (typeof o.seed === "string" && o.seed !== "") seed = o.seed;
      else this.fail("seed", "must be a non-empty string or an integer", o.seed);
    }
    const count = o.count === undefined ? undefined : this.number(o, "count", "", { min: 0, integer: true });
    const until = o.until === undefined ? undefined : this.number(o, "until", "", {});
    if (count === undefined && until === undefined) this.fail("count", "is required unless until is given (generation stops at whichever comes first)");
    const start = this.number(o, "start", "", {}, 0);
    if (until !== undefined && until < start) this.fail("until", `must be ≥ start (${start})`, until);
    const spec: GeneratorSpec = {
      version: 1,
      seed,
      ...(count === undefined ? {} : { count }),
      ...(until === undefined ? {} : { until }),
      start,
      idPrefix: o.idPrefix === undefined ? "c" : this.stringValue(o.idPrefix, "idPrefix"),
      arrivals: this.arrivals(o.arrivals),
      durations: this.durations(o.durations),
      requests: this.requests(o.requests),
    };
    if (o.zones !== undefined) spec.zones = this.choice(o.zones, "zones", (v, p) => this.stringValue(v, p), true);
    if (o.priorities !== undefined) {
      spec.priorities = this.choice(o.priorities, "priorities", (v, p) => this.numberValue(v, p, { integer: true }), true);
    }
    if (o.cluster !== undefined) spec.cluster = this.cluster(o.cluster);
    if (o.network !== undefined) spec.network = this.network(o.network, spec);
    return spec;
  }

  arrivals(raw: unknown): ArrivalSpec {
    const path = "arrivals";
    if (raw === undefined) this.fail(path, "is required");
    const kind = this.kind(raw, path, ["poisson", "constant", "bursty", "diurnal"] as const);
    switch (kind) {
      case "poisson":
      case "constant": {
        const o = this.object(raw, path, ["kind", "rate"]);
        return { kind, rate: this.number(o, "rate", path, { gt: 0 }) };
      }
      case "bursty": {
        const o = this.object(raw, path, ["kind", "rate", "offRate", "onMean", "offMean"]);
        return {
          kind,
          rate: this.number(o, "rate", path, { gt: 0 }),
          offRate: this.number(o, "offRate", path, { min: 0 }, 0),
          onMean: this.number(o, "onMean", path, { gt: 0 }),
          offMean: this.number(o, "offMean", path, { gt: 0 }),
        };
      }
      case "diurnal": {
        const o = this.object(raw, path, ["kind", "rate", "amplitude", "peakHour"]);
        return {
          kind,
          rate: this.number(o, "rate", path, { gt: 0 }),
          amplitude: this.number(o, "amplitude", path, { min: 0, max: 1 }),
          peakHour: this.number(o, "peakHour", path, { min: 0, lt: 24 }, 12),
        };
      }
    }
  }

  durations(raw: unknown): DurationSpec {
    const path = "durations";
    if (raw === undefined) this.fail(path, "is required");
    const kinds = ["fixed", "exponential", "lognormal", "pareto", "resample"] as const;
    const kind = this.kind(raw, path, kinds);
    switch (kind) {
      case "fixed": {
        const o = this.object(raw, path, ["kind", "value"]);
        return { kind, value: this.number(o, "value", path, { min: 0 }) };
      }
      case "exponential": {
        const o = this.object(raw, path, ["kind", "mean"]);
        return { kind, mean: this.number(o, "mean", path, { gt: 0 }) };
      }
      case "lognormal": {
        const o = this.object(raw, path, ["kind", "mu", "sigma", "mean", "cv"]);
        if (o.mu !== undefined || o.sigma !== undefined) {
          if (o.mean !== undefined || o.cv !== undefined) this.fail(path, "give either mu and sigma, or mean and cv, not both");
          return { kind, mu: this.number(o, "mu", path, {}), sigma: this.number(o, "sigma", path, { gt: 0 }) };
        }
        if (o.mean === undefined && o.cv === undefined) this.fail(path, "give either mu and sigma, or mean and cv");
        return { kind, mean: this.number(o, "mean", path, { gt: 0 }), cv: this.number(o, "cv", path, { gt: 0 }) };
      }
      case "pareto": {
        const o = this.object(raw, path, ["kind", "shape", "scale"]);
        return { kind, shape: this.number(o, "shape", path, { gt: 0 }), scale: this.number(o, "scale", path, { gt: 0 }) };
      }
      case "resample":
        return this.resample(raw, path);
    }
  }

  resample(raw: unknown, path: string): ResampleSpec {
    const o = this.object(raw, path, ["kind", "from", "sha256"]);
    const from = this.string(o, "from", path);
    const spec: ResampleSpec = { kind: "resample", from: this.origin.resolvePath ? this.origin.resolvePath(from) : from };
    if (o.sha256 !== undefined) {
      const p = join(path, "sha256");
      if (typeof o.sha256 !== "string" || !/^[0-9a-f]{64}$/.test(o.sha256)) this.fail(p, "must be 64 lowercase hex digits", o.sha256);
      spec.sha256 = o.sha256;
    }
    return spec;
  }

  requests(raw: unknown): RequestSpec {
    const path = "requests";
    if (raw === undefined) this.fail(path, "is required");
    const kinds = ["choice", "independent", "resample"] as const;
    const kind = this.kind(raw, path, kinds);
    switch (kind) {
      case "choice": {
        const o = this.object(raw, path, ["kind", "choices"]);
        const p = join(path, "choices");
        const choices = this.array(o.choices, p).map((c, i): RequestChoice => {
          const q = `${p}[${i}]`;
          const co = this.object(c, q, ["cpu", "mem", "gpu", "weight"]);
          return {
            cpu: this.number(co, "cpu", q, { min: 0 }),
            mem: this.number(co, "mem", q, { min: 0 }),
            gpu: this.number(co, "gpu", q, { min: 0 }, 0),
            weight: this.number(co, "weight", q, { min: 0 }, 1),
          };
        });
        const sum = choices.reduce((s, c) => s + c.weight, 0);
        if (!(sum > 0)) this.fail(p, "the weights must not all be 0");
        // A sum that overflows would draw the last choice every time.
        if (!(sum < Infinity)) this.fail(p, "the weights add up to Infinity: use smaller ones (only their ratios count)");
        return { kind, choices };
      }
      case "independent": {
        const o = this.object(raw, path, ["kind", "cpu", "mem", "gpu"]);
        return {
          kind,
          cpu: this.amount(o.cpu, join(path, "cpu")),
          mem: this.amount(o.mem, join(path, "mem")),
          gpu: o.gpu === undefined ? 0 : this.amount(o.gpu, join(path, "gpu")),
        };
      }
      case "resample":
        return this.resample(raw, path);
    }
  }

  amount(raw: unknown, path: string): AmountSpec {
    if (raw === undefined) this.fail(path, "is required");
    if (typeof raw === "number") return this.numberValue(raw, path, { min: 0 });
    const kind = this.kind(raw, path, ["uniform", "choice"] as const);
    if (kind === "choice") {
      const c = this.choice(raw, path, (v, p) => this.numberValue(v, p, { min: 0 }), false, ["kind"]);
      return { kind, ...c };
    }
    const o = this.object(raw, path, ["kind", "min", "max", "step"]);
    const min = this.number(o, "min", path, { min: 0 });
    const max = this.number(o, "max", path, { min });
    if (o.step === undefined) return { kind, min, max };
    return { kind, min, max, step: this.number(o, "step", path, { gt: 0 }) };
  }

  choice<T>(raw: unknown, path: string, item: (v: unknown, p: string) => T, unique: boolean, extra: string[] = []): ChoiceSpec<T> {
    const o = this.object(raw, path, [...extra, "values", "weights"]);
    const vp = join(path, "values");
    const values = this.array(o.values, vp).map((v, i) => item(v, `${vp}[${i}]`));
    if (unique) {
      values.forEach((v, i) => {
        if (values.indexOf(v) !== i) this.fail(`${vp}[${i}]`, "repeats an earlier value", v);
      });
    }
    const wp = join(path, "weights");
    if (o.weights === undefined) return { values, weights: values.map(() => 1) };
    const weights = this.array(o.weights, wp).map((w, i) => this.numberValue(w, `${wp}[${i}]`, { min: 0 }));
    if (weights.length !== values.length) this.fail(wp, `must have one weight per value (${values.length})`, weights.length);
    const sum = weights.reduce((s, w) => s + w, 0);
    if (!(sum > 0)) this.fail(wp, "must not all be 0");
    if (!(sum < Infinity)) this.fail(wp, "add up to Infinity: use smaller ones (only their ratios count)");
    return { values, weights };
  }

  cluster(raw: unknown): ClusterSpec {
    const o = this.object(raw, "cluster", ["classes"]);
    const p = "cluster.classes";
    const classes = this.array(o.classes, p).map((c, i): NodeClass => {
      const q = `${p}[${i}]`;
      const co = this.object(c, q, ["count", "cpu", "mem", "gpu", "speed", "zone", "startup", "prefix"]);
      const node: NodeClass = {
        count: this.number(co, "count", q, { min: 1, integer: true }),
        cpu: this.number(co, "cpu", q, { min: 0 }),
        mem: this.number(co, "mem", q, { min: 0 }),
        gpu: this.number(co, "gpu", q, { min: 0 }, 0),
        speed: this.number(co, "speed", q, { gt: 0 }, 1),
        startup: this.number(co, "startup", q, { min: 0 }, 0),
        prefix: this.string(co, "prefix", q, "n"),
      };
      if (co.zone !== undefined) node.zone = this.stringValue(co.zone, join(q, "zone"));
      return node;
    });
    const total = classes.reduce((sum, c) => sum + c.count, 0);
    if (total > MAX_NODES) this.fail(p, `at most ${MAX_NODES} nodes in all`, total);
    const seen = new Set<string>();
    for (const [c, id] of nodeIds({ classes })) {
      if (seen.has(id)) this.fail(`${p}[${c}].prefix`, `gives the node id "${id}" again (choose prefixes that cannot collide)`);
      seen.add(id);
    }
    return { classes };
  }

  network(raw: unknown, spec: GeneratorSpec): NetworkSpec {
    const path = "network";
    const o = this.object(raw, path, ["sameMs", "otherMs", "pairs"]);
    const zones = zoneNames(spec);
    if (zones.length === 0) this.fail(path, "there are no zones to connect: give zones, or a zone to cluster classes");
    const pp = join(path, "pairs");
    const pairs = o.pairs === undefined ? [] : this.array(o.pairs, pp, false).map((x, i): LatencyPair => {
      const q = `${pp}[${i}]`;
      const po = this.object(x, q, ["from", "to", "ms"]);
      const pair = { from: this.string(po, "from", q), to: this.string(po, "to", q), ms: this.number(po, "ms", q, { min: 0 }) };
      for (const end of ["from", "to"] as const) {
        if (!zones.includes(pair[end])) this.fail(join(q, end), `is not a zone of the spec (${zones.join(", ")})`, pair[end]);
      }
      return pair;
    });
    pairs.forEach((a, i) => {
      if (pairs.findIndex((b) => b.from === a.from && b.to === a.to) !== i) this.fail(`${pp}[${i}]`, `repeats the pair ${a.from} → ${a.to}`);
    });
    return {
      sameMs: this.number(o, "sameMs", path, { min: 0 }, 0),
      otherMs: this.number(o, "otherMs", path, { min: 0 }),
      pairs,
    };
  }
}

/** The node ids, class after class, with their class index: the class prefix + a counter kept per prefix. */
export function* nodeIds(cluster: ClusterSpec): Generator<[classIndex: number, id: string]> {
  const next = new Map<string, number>();
  for (const [c, node] of cluster.classes.entries()) {
    for (let k = 0; k < node.count; k++) {
      const n = next.get(node.prefix) ?? 0;
      next.set(node.prefix, n + 1);
      yield [c, node.prefix + n];
    }
  }
}

/** Every zone of the spec, in order: the nodes' (class order), then the containers' not yet named. */
export function zoneNames(spec: Pick<GeneratorSpec, "cluster" | "zones">): string[] {
  const names: string[] = [];
  for (const c of spec.cluster?.classes ?? []) if (c.zone !== undefined && !names.includes(c.zone)) names.push(c.zone);
  for (const z of spec.zones?.values ?? []) if (!names.includes(z)) names.push(z);
  return names;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}
