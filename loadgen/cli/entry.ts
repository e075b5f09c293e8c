/** Entry point of bin/loadgen.js. */
import { main } from './main';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  // Anything still holding the event loop (a stray socket) must not keep a finished run alive.
  setTimeout(() => process.exit(code), 1000).unref();
});
