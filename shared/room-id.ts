/**
 * A room's id: its group and port. Main and the core key rooms by it, and the command dispatcher
 * (which also runs in the renderer's fake main process) matches saved rooms by it, so it lives
 * here, free of the core's sockets.
 */
export function roomIdOf(group: string, port: number): string {
  return `${group}:${port}`;
}
