// podman's k8s-file log driver writes `<RFC 3339 time> <stdout|stderr> <F|P> <text>` per line,
// P marking a line the driver split: the next record continues it.
const RECORD = /^\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:\d\d) (?:stdout|stderr) ([FP]) ?(.*)$/;

/** True when `text` starts with a k8s-file record: a container's log rather than a process's. */
export function isContainerLog(text: string): boolean {
  const first = text.slice(0, text.indexOf('\n') + 1 || undefined).replace(/\n$/, '');
  return RECORD.test(first);
}

/**
 * The app's own output from a k8s-file log: records unwrapped, split lines joined. Lines that
 * are not records are kept as they are. `text` must hold whole lines.
 */
export function unwrapContainerLog(text: string): string {
  const out: string[] = [];
  let partial = '';
  for (const line of text.split('\n')) {
    const record = RECORD.exec(line);
    if (!record) {
      if (line !== '') out.push(partial + line);
      partial = '';
      continue;
    }
    const [, flag, content] = record;
    if (flag === 'P') {
      partial += content;
      continue;
    }
    out.push(partial + content);
    partial = '';
  }
  if (partial !== '') out.push(partial);
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

/** `text` as the app wrote it, whichever runner's log it comes from. */
export function plainLog(text: string): string {
  return isContainerLog(text) ? unwrapContainerLog(text) : text;
}
