/** Sets the exit status and makes sure the process ends even if some handle lingers. */
export function exitWith(status: number): void {
  process.exitCode = status;
  setTimeout(() => {
    console.error('warning: the benchmark left handles open; exiting anyway');
    process.exit(status);
  }, 5000).unref();
}
