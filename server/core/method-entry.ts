import type { z } from 'zod';
import type { EventAccess, MethodAccess } from '../../contract/define.js';
import type { ErrorDetailCode } from '../../contract/schemas/errors.js';
import type { MethodContext } from './method-context.js';
import type { NotImplemented } from './not-implemented.js';

/** A row of the generated method table. */
export interface MethodEntry {
  readonly name: string;
  readonly group: string;
  readonly scope: MethodAccess;
  readonly errors: readonly ErrorDetailCode[];
  readonly aliases: readonly string[];
  readonly params: z.ZodType;
  readonly result: z.ZodType;
  readonly interim: z.ZodType | undefined;
  readonly paramsOptional: boolean;
}

/** A row of the generated event table. */
export interface EventEntry {
  readonly name: string;
  readonly scope: EventAccess;
  readonly droppable: boolean;
  readonly payload: z.ZodType;
}

export type HandlerFn = (params: unknown, ctx: MethodContext) => unknown;
export type HandlerSlotRuntime = HandlerFn | NotImplemented;

export interface BoundMethod {
  readonly entry: MethodEntry;
  readonly handler: HandlerSlotRuntime;
}
