/**
 * Whether a process with this id exists on this host (signal 0 probes without sending anything).
 * @param pid - process id
 * @returns false only when the process certainly does not exist
 */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
