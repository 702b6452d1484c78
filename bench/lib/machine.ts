/**
 * @module bench/lib/machine — what machine a figure came from: CPU model, cores, memory, Node,
 * kernel, and how the processes were placed on the CPUs.
 */
import { cpus, release, totalmem } from 'node:os';

/** The machine of a run. */
export interface Machine {
  readonly cpuModel: string;
  readonly cores: number;
  readonly cpuMhz: number;
  readonly memoryGb: number;
  readonly node: string;
  readonly kernel: string;
  readonly platform: string;
}

/** machine describes this machine. */
export function machine(): Machine {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    cpuMhz: list[0]?.speed ?? 0,
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    kernel: release(),
    platform: `${process.platform}/${process.arch}`,
  };
}
