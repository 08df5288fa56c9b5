/**
 * schedsim's library API. `simulate(inputs, options)` is pure (no I/O) and can run in a worker
 * thread or a browser; the readers below build its inputs from files.
 */
export { simulate, startSimulation, createOutcomes, type Simulation } from "./sim/simulate.ts";
export * from "./sim/types.ts";
export { Engine, type EventHandler, type EventStream } from "./engine/engine.ts";
export { EventQueue } from "./engine/event-queue.ts";
export * from "./policy/index.ts";
export { BUILTIN_POLICIES } from "./policy/builtins.ts";
export { resolvePolicies, loadPolicyFile, OptionError, type NamedPolicy } from "./policy/loader.ts";
export { Workload } from "./model/workload.ts";
export { makeCluster, totalCapacity, type ClusterSpec } from "./model/cluster.ts";
export { ZoneTable } from "./model/zones.ts";
export { WorkloadBuilder, readWorkload, WORKLOAD_COLUMNS } from "./workload/native.ts";
export { parseCluster, parseZones, readCluster, readZones, uniformCluster, checkZonePairs } from "./workload/cluster-file.ts";
export { loadInputs, type InputFiles } from "./workload/load.ts";
export { InputError } from "./workload/errors.ts";
export { summarise, SUMMARY_COLUMNS, type Summary } from "./metrics/summary.ts";
export { summaryCsv, containersCsv, timelineCsv, CONTAINER_COLUMNS, TIMELINE_COLUMNS } from "./report/csv.ts";
export { summaryTable } from "./report/table.ts";
export { generateRows, clusterRows, zonesRows } from "./workload/generator/generate.ts";
export { importTrace, FORMATS as TRACE_FORMATS, type ImportOptions, type ImportSummary } from "./workload/importers/index.ts";
export { resolveSpec, type GeneratorSpec } from "./workload/generator/spec.ts";
