#!/usr/bin/env node
/** The published package's `dypls-query`: the deployed function only (no --local; the package has no dev code). */
import { processIo } from './io';
import { main } from './main';

void main(process.argv.slice(2), { io: processIo() }).then((status) => {
  process.exitCode = status;
});
