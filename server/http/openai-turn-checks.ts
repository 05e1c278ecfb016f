// Checks both OpenAI-compatible endpoints make before starting a run: the `x-openclaw-model`
// override, the request's images (bounds, and whether the turn's model can read them), and on
// /v1/responses how many parts are given by URL.
import { httpStatusOf } from '../../contract/schemas/errors.js';
import type { Context } from 'hono';
import { OFFLINE_PROVIDER_ID } from '../providers/offline-provider.js';
import { errorBody, jsonResponse } from './http-errors.js';
import { checkImages, imageSupportProblem, type ImageRef } from './image-limits.js';
import { fileUrlOf, type FilePart } from './input-files.js';
import { headerOf } from './node-request.js';
import type { OpenAiEndpoint } from './openai-endpoint-settings.js';
import type { OpenAiRunDeps } from './openai-run-deps.js';

export const MODEL_HEADER = 'x-openclaw-model';

export type ModelOverrideResult = { readonly ok: true; readonly model: string | undefined } | { readonly ok: false; readonly response: Response };

/** The checked `x-openclaw-model` ref (undefined when the header is absent or empty), or a 400 naming the model. */
export function modelOverrideOf(c: Context, deps: OpenAiRunDeps, agentId: string): ModelOverrideResult {
  const header = headerOf(c, MODEL_HEADER)?.trim();
  if (!header) return { ok: true, model: undefined };
  const override = deps.modelOverride(header, agentId);
  if (override.ok) return { ok: true, model: override.ref };
  return { ok: false, response: jsonResponse(httpStatusOf('INVALID_REQUEST'), errorBody('invalid_request_error', override.message, { param: MODEL_HEADER, code: 'model_not_found' })) };
}

/** A 400/413 when the images break the endpoint's limits or the turn's model cannot read images; else undefined. */
export function imagesRefused(
  deps: OpenAiRunDeps,
  endpoint: OpenAiEndpoint,
  images: readonly ImageRef[],
  turn: { readonly agentId: string; readonly sessionKey: string; readonly model: string | undefined },
): Response | undefined {
  if (images.length === 0) return undefined;
  const param = endpoint === 'chatCompletions' ? 'messages' : 'input';
  const checked = checkImages(images, deps.settings(endpoint).images, endpoint);
  if (!checked.ok) {
    const type = checked.status === 413 ? 'payload_too_large' : 'invalid_request_error';
    return jsonResponse(checked.status, errorBody(type, checked.message, { param }));
  }
  const model = deps.turnModel(turn.agentId, turn.sessionKey, turn.model);
  const problem = model ? imageSupportProblem(model, OFFLINE_PROVIDER_ID) : undefined;
  return problem ? jsonResponse(httpStatusOf('INVALID_REQUEST'), errorBody('invalid_request_error', problem, { param, code: 'images_not_supported' })) : undefined;
}

/** /v1/responses: a 400 when more image and file parts are given by URL than `maxUrlParts`; else undefined. */
export function urlPartsRefused(maxUrlParts: number, images: readonly ImageRef[], files: readonly FilePart[]): Response | undefined {
  let count = 0;
  for (const image of images) if ('url' in image && !/^data:/i.test(image.url)) count++;
  for (const file of files) if (fileUrlOf(file) !== undefined) count++;
  if (count <= maxUrlParts) return undefined;
  const message = `Too many parts given by URL: ${count}, at most ${maxUrlParts} per request (gateway.http.endpoints.responses.maxUrlParts).`;
  return jsonResponse(httpStatusOf('INVALID_REQUEST'), errorBody('invalid_request_error', message, { param: 'input' }));
}
