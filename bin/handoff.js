#!/usr/bin/env node
import '../dist/handoff.js';
