import { VibError } from '@vib/core/errors';

/**
 * Schema issues (zod's) on one line: `path: message; ...`, the path left out where it is empty.
 * @param issues - the issues
 * @returns the line
 */
export function issuesText(issues: readonly { readonly path?: unknown; readonly message?: unknown }[]): string {
  return issues
    .map((i) => {
      const path = Array.isArray(i.path) && i.path.length > 0 ? `${i.path.join('.')}: ` : '';
      return `${path}${String(i.message)}`;
    })
    .join('; ');
}

/**
 * The issues of a zod error (a schema a plugin or a library function parsed with) as {@link issuesText}; its own
 * message is a JSON array over many lines, whose first line is `[`.
 * @param e - the error
 * @returns the issues, or null when it is not a zod error
 */
function zodIssues(e: Error): string | null {
  const issues = (e as { issues?: unknown }).issues;
  return e.name === 'ZodError' && Array.isArray(issues) ? issuesText(issues) : null;
}

/**
 * Format any thrown value as the one line `vib` prints on failure, plus the stack when asked.
 * @param error - what was thrown
 * @param verbose - include the stack trace and causes
 * @returns text for stderr, ending in a newline
 */
export function formatError(error: unknown, verbose: boolean): string {
  const e = error instanceof Error ? error : new Error(String(error));
  const fromCommander = (e as { code?: string }).code?.startsWith('commander.') === true;
  // commander puts its suggestion on a second line ("(Did you mean train?)"): it joins the first
  const issues = zodIssues(e);
  let message = fromCommander
    ? e.message.replace(/^error: /, '').split('\n').map((l) => l.trim()).filter((l) => l !== '').join(' ').replace('(Did you mean', '(did you mean')
    : issues !== null
      ? `a value was refused by its schema: ${issues}`
      : e.message.replace(/^error: /, '').split('\n')[0]!.trim();
  if (!VibError.isInstance(e) && !fromCommander) {
    message = `${message} (${e.name})`;
  }
  let text = `vib: error: ${message}\n`;
  if (verbose) {
    text += `${e.stack ?? ''}\n`;
    let cause = (e as { cause?: unknown }).cause;
    while (cause instanceof Error) {
      text += `caused by: ${cause.stack ?? cause.message}\n`;
      cause = (cause as { cause?: unknown }).cause;
    }
  }
  return text;
}
