/** A parsed `dlq` command line. */
export interface DlqCommand {
  action: 'list' | 'count' | 'replay' | 'purge';
  queue: string;
  limit?: number;
  ids: string[];
}

/** Usage text of the `dlq` command. */
export const DLQ_USAGE = 'usage: dlq list|count|replay|purge <queue> [--limit N] [--id EVENT_ID ...]';

/** Parses `list|count|replay|purge <queue> [--limit N] [--id ID]...`; throws with the usage on anything else. */
export function parseDlqArguments(argv: readonly string[]): DlqCommand {
  const positional: string[] = [];
  const ids: string[] = [];
  let limit: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--limit') {
      limit = Number(argv[++i]);
      if (!Number.isInteger(limit) || limit < 1) throw new Error(`--limit needs a whole number >= 1\n${DLQ_USAGE}`);
    } else if (arg === '--id') {
      const id = argv[++i];
      if (!id) throw new Error(`--id needs an event id\n${DLQ_USAGE}`);
      ids.push(id);
    } else if (arg.startsWith('--')) {
      throw new Error(`unknown option ${arg}\n${DLQ_USAGE}`);
    } else positional.push(arg);
  }
  const [action, queue, ...extra] = positional;
  if (!['list', 'count', 'replay', 'purge'].includes(action) || !queue || extra.length > 0) throw new Error(DLQ_USAGE);
  return { action: action as DlqCommand['action'], queue, limit, ids };
}
