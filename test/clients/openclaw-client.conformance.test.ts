// The shared conformance suite against OpenClawClient (Node, `ws`, reconnecting-websocket).
import { defineConformanceSuite } from './conformance.case.js';
import { openClawSdk } from './sdk-targets.js';

defineConformanceSuite(openClawSdk);
