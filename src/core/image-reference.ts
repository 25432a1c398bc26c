/**
 * An image reference as `podman pull` reads one: `[host[:port]/]repository[:tag][@digest]`. The
 * first component is a host when it has a `.` or a `:` or is `localhost`; without one, cutover
 * looks in the environment's own registry (and never assumes Docker Hub: write `docker.io/…`).
 */
export interface ImageReference {
  host?: string;
  repository: string;
  tag?: string;
  digest?: string;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]{1,5})?$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** The reference, or the reason it is not one (a schema message). */
export function parseImageReference(text: string): ImageReference | string {
  const at = text.indexOf('@');
  const digest = at >= 0 ? text.slice(at + 1) : undefined;
  if (digest !== undefined && !DIGEST.test(digest)) return 'its digest must be sha256:<64 hex digits>';
  const name = at >= 0 ? text.slice(0, at) : text;
  const slash = name.indexOf('/');
  const first = slash >= 0 ? name.slice(0, slash) : '';
  const hasHost = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasHost && !HOST.test(first)) return `${first} is not a registry host[:port]`;
  const rest = hasHost ? name.slice(slash + 1) : name;
  const colon = rest.lastIndexOf(':');
  const tag = colon >= 0 ? rest.slice(colon + 1) : undefined;
  const repository = colon >= 0 ? rest.slice(0, colon) : rest;
  if (tag !== undefined && !TAG.test(tag)) return `${tag} is not a tag (letters, digits, _ . -, at most 128)`;
  if (repository === '' || !repository.split('/').every((c) => COMPONENT.test(c)))
    return 'must be an image reference: [host[:port]/]repository[:tag][@sha256:…], repository in lowercase';
  return {
    ...(hasHost ? { host: first } : {}),
    repository,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/** What to ask the registry for: the digest when there is one, else the tag (`latest` by default). */
export function referenceOf(ref: ImageReference): string {
  return ref.digest ?? ref.tag ?? 'latest';
}
