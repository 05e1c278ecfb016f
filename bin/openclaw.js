#!/usr/bin/env node
import '../dist/openclaw.mjs';
