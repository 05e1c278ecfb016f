// A sorted, plain view of the contract that every emitter reads, so output order never depends on
// object key order in the contract file.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { z } from 'zod';
import { contract } from '../contract/gateway.contract.js';
import type { EventSpec, HttpEndpointSpec, MethodSpec } from '../contract/define.js';

export interface MethodModel {
  readonly name: string;
  readonly group: string;
  readonly spec: MethodSpec;
  /** `{}` satisfies the params schema, so SDK callers may omit params. */
  readonly paramsOptional: boolean;
}

export interface EventModel {
  readonly name: string;
  readonly spec: EventSpec;
}

export interface HttpModel {
  readonly name: string;
  readonly spec: HttpEndpointSpec;
  /** Names of the `{param}` segments of its paths (every path of an endpoint has the same ones). */
  readonly params: readonly string[];
}

const PATH_PARAM = /\{([a-z][A-Za-z0-9]*)\}/g;

/** `/v1/models/{id}` → `['id']`. */
export function pathParamsOf(path: string): string[] {
  return [...path.matchAll(PATH_PARAM)].map((m) => m[1]!);
}

/** The Hono pattern of a contract path: a `{param}` matches the rest of the path, slashes included. */
export function honoPathOf(path: string): string {
  return path.replace(PATH_PARAM, ':$1{.+}');
}

/** A RegExp source matching the concrete paths of a contract path (for 405 answers). */
export function pathPatternOf(path: string): string {
  // Braces are not escaped, so the params are still there to replace.
  const escaped = path.replace(/[.*+?^$()|[\]\\/]/g, '\\$&');
  return `^${escaped.replace(PATH_PARAM, '.+')}$`;
}

export interface ContractModel {
  readonly hash: string;
  readonly methods: readonly MethodModel[];
  readonly events: readonly EventModel[];
  readonly http: readonly HttpModel[];
  readonly groups: readonly string[];
  /** Methods handled by the transport itself, not by a handler. */
  readonly coreMethods: readonly string[];
  readonly browserMethods: readonly string[];
  readonly browserEvents: readonly string[];
}

const CORE_METHODS = ['connect'];

const byName = <T extends { name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** `chat.send` → `chat`; a dot-less method that is not also a namespace prefix belongs to `system`. */
export function groupOf(name: string, allNames: readonly string[]): string {
  const dot = name.indexOf('.');
  if (dot > 0) return name.slice(0, dot);
  return allNames.some((other) => other.startsWith(`${name}.`)) ? name : 'system';
}

export function hashContractSources(contractDir: string): string {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry.endsWith('.ts')) files.push(full);
    }
  };
  walk(contractDir);
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(relative(contractDir, file).replaceAll('\\', '/'));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

export function buildContractModel(contractDir: string): ContractModel {
  const methodEntries = Object.entries(contract.methods) as [string, MethodSpec][];
  const allNames = methodEntries.map(([name]) => name);
  const methods = methodEntries
    .map(([name, spec]) => ({
      name,
      group: groupOf(name, allNames),
      spec,
      paramsOptional: (spec.params as z.ZodType).safeParse({}).success,
    }))
    .sort(byName);
  const events = (Object.entries(contract.events) as [string, EventSpec][])
    .map(([name, spec]) => ({ name, spec }))
    .sort(byName);
  const http = (Object.entries(contract.http) as [string, HttpEndpointSpec][])
    .map(([name, spec]) => ({ name, spec, params: pathParamsOf(spec.paths[0] ?? '') }))
    .sort(byName);
  const groups = [...new Set(methods.filter((m) => !CORE_METHODS.includes(m.name)).map((m) => m.group))].sort();
  return {
    hash: hashContractSources(contractDir),
    methods,
    events,
    http,
    groups,
    coreMethods: CORE_METHODS,
    browserMethods: [...contract.browser.methods].sort(),
    browserEvents: [...contract.browser.events].sort(),
  };
}

export function pascal(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}
