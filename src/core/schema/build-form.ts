import { z } from 'zod';
import { parseImageReference } from '../image-reference.js';

/** A path inside the image: absolute, no `.` or `..` component, no trailing `/`. */
const imagePath = z.string().superRefine((path, ctx) => {
  if (!/^(\/[A-Za-z0-9_.-]+)+$/.test(path))
    ctx.addIssue({ code: 'custom', message: 'must be an absolute path in the image, e.g. /app' });
  else if (path.split('/').some((c) => c === '.' || c === '..'))
    ctx.addIssue({ code: 'custom', message: 'must not contain . or .. components' });
});

const imageReference = z.string().superRefine((text, ctx) => {
  const parsed = parseImageReference(text);
  if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
});

/** The keys of `build` that make a runnable image (README "Runnable images"). */
export const imageBuildShape = {
  // append the app's layer to this image, daemonless
  base: imageReference.optional(),
  workdir: imagePath.optional(),
  port: z.number().int().min(1, 'must be at least 1').max(65535, 'must be at most 65535').optional(),
  source_url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  // or build it with podman from this file of the source directory
  containerfile: z.string().min(1).optional(),
};

interface BuildKeys {
  command?: string;
  output?: string;
  pass_env?: string[];
  base?: string;
  workdir?: string;
  port?: number;
  source_url?: string;
  containerfile?: string;
}

interface Problem {
  path: string[];
  message: string;
}

/**
 * What makes `source` and `build` an invalid combination, one problem per key to fix. The forms:
 * `source` alone; `build: {command, output}`; `build: {base}` on `source` or on `{command,
 * output}`; `build: {containerfile}` on `source` (the build context).
 */
export function buildFormProblems(source: string | undefined, build: BuildKeys | undefined): Problem[] {
  if (!build) {
    return source === undefined
      ? [{ path: ['source'], message: 'is required (or give build: {command, output})' }]
      : [];
  }
  const problems: Problem[] = [];
  const add = (key: string, message: string) => problems.push({ path: ['build', key], message });
  const command = build.command !== undefined || build.output !== undefined;
  if (build.command !== undefined && build.output === undefined)
    add('output', 'is required with build.command');
  if (build.output !== undefined && build.command === undefined)
    add('command', 'is required with build.output');
  if (build.pass_env !== undefined && build.command === undefined) add('pass_env', 'only with build.command');
  if (build.containerfile !== undefined) {
    if (build.base !== undefined) add('base', 'give either base or containerfile, not both');
    if (command) add('command', 'the Containerfile builds the image: give either containerfile or command');
    for (const key of ['workdir', 'port'] as const)
      if (build[key] !== undefined)
        add(key, `only with build.base (the Containerfile sets ${key === 'port' ? 'EXPOSE' : 'WORKDIR'})`);
    if (source === undefined)
      problems.push({
        path: ['source'],
        message: 'is required with build.containerfile (the build context)',
      });
    return problems;
  }
  if (build.base === undefined) {
    for (const key of ['workdir', 'port', 'source_url'] as const)
      if (build[key] !== undefined) add(key, 'only with build.base or build.containerfile');
    if (countKeys(build) === 0)
      problems.push({ path: ['build'], message: 'give command and output, base, or containerfile' });
  }
  if (source !== undefined && command)
    problems.push({ path: ['build'], message: 'give either source or build.command, not both' });
  if (source === undefined && !command && build.base !== undefined)
    problems.push({
      path: ['source'],
      message: 'is required with build.base (or give build.command and build.output)',
    });
  return problems;
}

function countKeys(build: BuildKeys): number {
  return Object.values(build).filter((v) => v !== undefined).length;
}
