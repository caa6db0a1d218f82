#!/usr/bin/env node
// Committed launcher: the bin exists before the first build, so a fresh `pnpm install` links it without a warning.
import '../dist/cli.js';
