// The shared conformance suite against BrowserGatewayClient, through a real GatewayProxy.
import { defineConformanceSuite } from './conformance.case.js';
import { browserSdk } from './sdk-targets.js';

defineConformanceSuite(browserSdk);
