// The hardware profile from what the person said (CLI flags, pgdba.hardware.* settings), the
// rest taken from this machine; or this machine alone when nothing was said and the file is local.
import { detectHardware, type HardwareProfile, type Storage, type Workload } from './hardware';

export interface HardwareInput {
  ramBytes?: number;
  cpus?: number;
  storage?: Storage;
  workload?: Workload;
  maxConnections?: number;
  pgVersion?: number;
}

/** undefined when nothing was said and `detectWhenUnset` is false: no hardware recommendations. */
export function resolveHardware(input: HardwareInput, detectWhenUnset: boolean): HardwareProfile | undefined {
  const said = input.ramBytes !== undefined || input.cpus !== undefined || input.storage !== undefined || input.workload !== undefined;
  if (!said && !detectWhenUnset) return undefined;
  const here = detectHardware({ workload: input.workload, maxConnections: input.maxConnections, pgVersion: input.pgVersion });
  return { ...here, ramBytes: input.ramBytes ?? here.ramBytes, cpus: input.cpus ?? here.cpus, storage: input.storage ?? here.storage };
}
