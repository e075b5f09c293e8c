/** Entry point of bin/loadgen.js. */
import { isClosedPipe } from '../shared/closed-pipe';
import { main } from './main';

// A reader that closed stdout (`loadgen ... | head`) asked for no more output: never crash on it. The parts that
// write data to stdout (the stdout sink, the metrics stream) see the same error and end the run quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (!isClosedPipe(error)) throw error;
  });
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  // Anything still holding the event loop (a stray socket) must not keep a finished run alive.
  setTimeout(() => process.exit(code), 1000).unref();
});
