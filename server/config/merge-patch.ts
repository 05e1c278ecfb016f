// RFC 7386 merge patch with upstream's one extension: arrays whose entries all carry a string `id`
// merge entry by entry (matching ids merge, new ids append).
type Json = unknown;

const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

const hasIds = (v: Json): v is Record<string, Json>[] =>
  Array.isArray(v) && v.length > 0 && v.every((e) => isObject(e) && typeof e.id === 'string');

export function applyMergePatch(target: Json, patch: Json): Json {
  if (hasIds(patch) && hasIds(target)) {
    const out = target.map((e) => ({ ...e }));
    for (const entry of patch) {
      const index = out.findIndex((e) => e.id === entry.id);
      if (index >= 0) out[index] = applyMergePatch(out[index], entry) as Record<string, Json>;
      else out.push(applyMergePatch({}, entry) as Record<string, Json>);
    }
    return out;
  }
  if (!isObject(patch)) return patch;
  const out: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = applyMergePatch(out[key], value);
  }
  return out;
}
