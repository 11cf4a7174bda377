// The hardware profile from what the person said (CLI flags, pgdba.hardware.* settings), then
// what the server's machine said of itself (host facts), the rest taken from this machine; or
// this machine alone when nothing was said or known and the file is local.
import type { HostFacts } from '../host/facts';
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

/**
 * The settings over the host facts: RAM, CPUs and the data disk the server's machine reported
 * fill what the person left unset. A disk the facts could not tell is SSD, hardware.ts's default
 * (never this machine's disk, which is not the server's).
 */
export function withHostFacts(input: HardwareInput, host: Pick<HostFacts, 'ramBytes' | 'cpus' | 'rotational'> | undefined): HardwareInput {
  if (!host || (host.ramBytes === null && host.cpus === null)) return input;
  return {
    ...input,
    ramBytes: input.ramBytes ?? host.ramBytes ?? undefined,
    cpus: input.cpus ?? host.cpus ?? undefined,
    storage: input.storage ?? (host.rotational === true ? 'hdd' : 'ssd'),
  };
}
