import { readFileSync } from 'node:fs';
import os from 'node:os';

/**
 * What the figures were measured on. Benchmarks mean little without the machine, and on a shared
 * machine the load average matters as much as the CPU: it is recorded before and after each run.
 */
export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  nodePath: string;
  platform: string;
  date: string;
}

function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match?.[1]) return match[1].trim();
  } catch {
    // Not Linux: fall back on what Node knows.
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

export function describeMachine(): Machine {
  return {
    cpu: cpuModel(),
    // What this process may use (cgroup / affinity aware), not the host's core count.
    cores: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    nodePath: process.execPath,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString(),
  };
}

/** The 1, 5 and 15 minute load averages, as `uptime` shows them. */
export function loadAverage(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

export function currentLoad(): number {
  return os.loadavg()[0] ?? 0;
}
