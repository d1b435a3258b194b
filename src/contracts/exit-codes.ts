// Owns the CLI's documented exit codes.
export const EXIT = {
  OK: 0,
  /** The runtime answered with an error, or the command failed. */
  FAILURE: 1,
  /** Unknown command or flag, or a bad argument. */
  USAGE: 2,
  /** No runtime answers on the data directory. */
  NOT_RUNNING: 3,
  /** `doctor` or `windows check` found something MISSING. */
  DOCTOR_MISSING: 4,
  /** Another runtime holds the data directory. */
  LOCKED: 5,
  /** The configuration is invalid. */
  CONFIG: 6,
  /** `do`: RayOS asks a question (or needs more) before it acts; nothing was done. */
  UNRESOLVED: 7,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
