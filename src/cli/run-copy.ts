import type { CommandContext } from './command';
import { copyProgress } from './copy-progress';
import { type CopyOptions, type CopyResult, copyTopic } from './copy-topic';
import { printJson, wantsJson } from './json-output';

/**
 * Runs the copy engine for a command, with its progress on stderr and a summary on stdout.
 * JSON: {"from", "to", "group", "total", "read", "written"}.
 */
export async function runCopy(
  context: CommandContext,
  options: Omit<CopyOptions, 'onProgress'>,
  label: string,
): Promise<CopyResult> {
  const progress = copyProgress(context.io, label);
  let result: CopyResult;
  try {
    result = await copyTopic(await context.transport(), {
      ...options,
      onProgress: (done, total) => progress.update(done, total),
    });
  } finally {
    progress.stop();
  }
  const { from, to, group } = options;
  if (wantsJson(context.flags)) printJson(context.io, { from, to, group, ...result });
  else if (result.total === 0)
    context.io.out(
      `${to} is up to date with ${from}: nothing to copy (progress in group ${group}).`,
    );
  else
    context.io.out(
      `${label}: ${from} -> ${to}: read ${result.read}, wrote ${result.written}; ${to} now holds everything of ${from} up to where this run started (progress in group ${group}).`,
    );
  return result;
}

/** The group a copy commits its progress in: one per source and target, so reruns resume. */
export function copyGroup(command: string, from: string, to: string): string {
  return `streamwise-${command}.${from}.${to}`;
}
