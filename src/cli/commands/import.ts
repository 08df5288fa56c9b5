import type { Argv, CommandModule, Options } from "yargs";
import { FORMATS, describeImport, importTrace, type OptionSpec } from "../../workload/importers/index.ts";

interface ImportArgs {
  format: string;
  in: string;
  nodes?: string;
  out: string;
  "cluster-out"?: string;
  [option: string]: unknown;
}

/** Every format option once, with the formats that take it; a flag shared by formats must have one type. */
function formatOptions(): Map<string, { spec: OptionSpec; owners: string[]; describe: string }> {
  const all = new Map<string, { spec: OptionSpec; owners: string[]; texts: Map<string, string[]> }>();
  for (const f of FORMATS.values()) {
    for (const [name, spec] of Object.entries(f.options)) {
      const entry = all.get(name) ?? { spec, owners: [], texts: new Map<string, string[]>() };
      if (entry.spec.type !== spec.type) throw new Error(`format option --${name} has two types`);
      entry.owners.push(f.name);
      const text = `${spec.describe}${spec.default === undefined || spec.default === "" ? "" : ` (default ${spec.default})`}`;
      entry.texts.set(text, [...(entry.texts.get(text) ?? []), f.name]);
      all.set(name, entry);
    }
  }
  // Formats that describe a flag alike share one sentence: "alibaba-dlrm, google-2011: …".
  return new Map([...all].map(([name, e]) => [name, {
    spec: e.spec,
    owners: e.owners,
    describe: [...e.texts].map(([text, formats]) => `${formats.join(", ")}: ${text}`).join("; "),
  }]));
}

export const importCommand: CommandModule<object, ImportArgs> = {
  command: "import",
  describe: "convert a public trace (openb, alibaba-dlrm, alibaba-2017, swf, google-2011) into the native workload CSV",
  builder: (y: Argv) => {
    let b = y
      .usage(
        "$0 import --format FORMAT --in FILE [--nodes FILE] --out FILE [--cluster-out FILE] [format options]\n\n" +
        "Examples:\n" +
        "  $0 import --format openb --in openb_pod_list_default.csv --nodes openb_node_list_all_node.csv --out openb.csv --cluster-out openb-cluster.csv\n" +
        "  $0 import --format swf --in NASA-iPSC-1993-3.1-cln.swf.gz --out nasa.csv.gz --cluster-out nasa-cluster.csv\n" +
        "What was kept and skipped (per reason) is printed and saved as <out stem>.import.json. See workloads/README.md.",
      )
      .option("format", { type: "string", choices: [...FORMATS.keys()], demandOption: true, describe: "the trace's format" })
      .option("in", { type: "string", demandOption: true, describe: "the trace file (.gz is gunzipped)" })
      .option("nodes", { type: "string", describe: "the trace's node list (openb node list, alibaba-2017 server_event.csv, google-2011 machine_events)" })
      .option("out", { type: "string", demandOption: true, describe: "native workload CSV to write (.csv or .csv.gz)" })
      .option("cluster-out", { type: "string", describe: "native cluster CSV to write (from --nodes, or from an SWF header)" })
      .option("from", { type: "number", describe: "keep only containers arriving at or after this time, s (as written)" })
      .option("to", { type: "number", describe: "keep only containers arriving before this time, s (as written)" });
    const groups = new Map<string, string[]>();
    for (const [name, { spec, owners, describe }] of formatOptions()) {
      const o: Options = { type: spec.type, describe };
      b = b.option(name, o);
      const group = owners.length === 1 ? `${owners[0]} options:` : "Options of several formats:";
      groups.set(group, [...(groups.get(group) ?? []), name]);
    }
    for (const [group, names] of groups) b = b.group(names, group);
    return b as unknown as Argv<ImportArgs>;
  },
  handler: async (args) => {
    const options: Record<string, unknown> = {};
    for (const name of formatOptions().keys()) if (args[name] !== undefined) options[name] = args[name];
    const summary = await importTrace({
      format: args.format,
      input: args.in,
      nodes: args.nodes,
      output: args.out,
      clusterOutput: args["cluster-out"],
      from: args.from as number | undefined,
      to: args.to as number | undefined,
      options,
    });
    process.stdout.write(describeImport(summary));
  },
};
