// Owns running another RayOS program in the foreground (the runtime, the image program): inherited stdio, Ctrl-C left to the terminal's process group, TERM/HUP passed on, its exit code returned.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { EXIT } from '../contracts/exit-codes.js';

export function runForegroundChild(entry: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const child = spawn(process.execPath, [entry, ...args], { stdio: 'inherit', env });
  // Ctrl-C reaches the whole foreground group, so the child already has it; forwarding would make it a second,
  // "stop now" signal. SIGTERM and SIGHUP are usually sent to this process alone, so they are passed on.
  const ignore = () => {};
  const forward = (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  process.on('SIGINT', ignore);
  process.on('SIGTERM', forward);
  process.on('SIGHUP', forward);
  return new Promise((resolve) => {
    const done = (code: number) => {
      process.off('SIGINT', ignore);
      process.off('SIGTERM', forward);
      process.off('SIGHUP', forward);
      resolve(code);
    };
    child.on('error', (error) => {
      process.stderr.write(`Cannot start ${process.execPath} ${entry}: ${error.message}\n`);
      done(EXIT.FAILURE);
    });
    // A child killed by a signal exits like a shell reports it: 128 + the signal number.
    child.on('exit', (code, signal) => done(code ?? 128 + (signal === null ? 0 : (constants.signals[signal] ?? 0))));
  });
}
