#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx, so there is no build step between a clone and `npx loadgen`.
require('tsx/cjs');
require('../loadgen/cli/entry.ts');
