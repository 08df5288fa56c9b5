import type { SimInputs, SimOptions } from "./types.ts";
import { ON_FAILURE, QUEUE_DISCIPLINES } from "./types.ts";
import { MICRO } from "../model/resources.ts";
import { MAX_AMOUNT, MAX_TIME, MIN_SPEED } from "../workload/fields.ts";
import { policyShapeProblem, type Policy } from "../policy/types.ts";

/**
 * Refuses, with a RangeError naming the option or the container or node, what `simulate` cannot
 * run exactly. The readers (readWorkload, parseCluster, the CLI) refuse all of it with file and
 * line first; this catches inputs and options a library caller built by hand, which would
 * otherwise run to a silently wrong result (a NaN arrival leaving every later container
 * unfinished, an unknown queue discipline starting nothing). One pass over the columns: about
 * 2 ms per million containers.
 */
export function checkSimulation(inputs: SimInputs, options: SimOptions): void {
  checkOptions(options);
  const { workload: w, cluster } = inputs;
  const maxMicro = MAX_AMOUNT * MICRO;
  let previous = -Infinity;
  for (let i = 0; i < w.length; i++) {
    const a = w.arrival[i]!, d = w.duration[i]!;
    if (!(Math.abs(a) <= MAX_TIME)) throw new RangeError(`container ${i} ("${w.ids[i]}"): arrival ${a} is not a time within ±${MAX_TIME} s`);
    if (a < previous) throw new RangeError(`container ${i} ("${w.ids[i]}"): arrival ${a} comes before the previous one (${previous}): sort the workload by arrival`);
    previous = a;
    if (!(d >= 0 && d <= MAX_TIME)) throw new RangeError(`container ${i} ("${w.ids[i]}"): duration ${d} is not within 0..${MAX_TIME} s`);
    for (let k = 0; k < 3; k++) {
      const r = w.request[3 * i + k]!;
      if (!(r >= 0 && r <= maxMicro)) throw new RangeError(`container ${i} ("${w.ids[i]}"): request ${r} micro-units of resource ${k} is not within 0..${maxMicro}`);
    }
  }
  const totals = new Float64Array(3);
  for (let node = 0; node < cluster.ids.length; node++) {
    for (let k = 0; k < 3; k++) {
      const c = cluster.capacity[3 * node + k]!;
      if (!(c >= 0 && c <= maxMicro)) throw new RangeError(`node ${node} ("${cluster.ids[node]}"): capacity ${c} micro-units of resource ${k} is not within 0..${maxMicro}`);
      totals[k] = totals[k]! + c;
      if (totals[k]! > maxMicro) throw new RangeError(`node ${node} ("${cluster.ids[node]}"): the cluster's total of resource ${k} passes ${maxMicro} micro-units`);
    }
    const speed = cluster.speed[node]!, startup = cluster.startup[node]!;
    if (!(speed >= MIN_SPEED && speed < Infinity)) throw new RangeError(`node ${node} ("${cluster.ids[node]}"): speed ${speed} is not a number ≥ ${MIN_SPEED}`);
    if (!(startup >= 0 && startup <= MAX_TIME)) throw new RangeError(`node ${node} ("${cluster.ids[node]}"): startup ${startup} is not within 0..${MAX_TIME} s`);
  }
}

function checkOptions(o: SimOptions): void {
  if (o.queue !== undefined && !QUEUE_DISCIPLINES.includes(o.queue)) throw new RangeError(`queue must be one of ${QUEUE_DISCIPLINES.join(", ")} (got ${JSON.stringify(o.queue)})`);
  if (o.horizon !== undefined && !(o.horizon >= 0)) throw new RangeError(`horizon must be a number ≥ 0 (got ${o.horizon})`);
  if (o.seed !== undefined && !(typeof o.seed === "string" || Number.isFinite(o.seed))) throw new RangeError(`seed must be a finite number or a string (got ${String(o.seed)})`);
  if (o.onFailure !== undefined && !ON_FAILURE.includes(o.onFailure)) throw new RangeError(`onFailure must be one of ${ON_FAILURE.join(", ")} (got ${JSON.stringify(o.onFailure)})`);
  if (o.maxRestarts !== undefined && !(Number.isInteger(o.maxRestarts) && o.maxRestarts >= 0)) throw new RangeError(`maxRestarts must be a whole number ≥ 0 (got ${o.maxRestarts})`);
  if (o.decisionTimeoutMs !== undefined && !(o.decisionTimeoutMs >= 0 && o.decisionTimeoutMs < Infinity)) throw new RangeError(`decisionTimeoutMs must be a number of milliseconds ≥ 0 (got ${o.decisionTimeoutMs})`);
  if (o.decisionWatch !== undefined && !(o.decisionWatch instanceof Float64Array && o.decisionWatch.length >= 3)) throw new RangeError("decisionWatch must be a Float64Array of at least 3 cells");
  if (o.policy === undefined || o.policy === null) throw new RangeError("policy is required: a policy object, or a function returning one");
}

/** A policy as simulate() needs it: the loader's rules (policyShapeProblem), as a RangeError. */
export function checkPolicy(p: unknown): asserts p is Policy {
  if (!p || typeof p !== "object") throw new RangeError(`policy: not a policy object (got ${String(p)})`);
  const problem = policyShapeProblem(p, false);
  if (problem !== undefined) throw new RangeError(`policy${typeof (p as Policy).name === "string" ? ` "${(p as Policy).name}"` : ""}: ${problem}`);
}
