// Loads a node's children and turns any failure into an error node with words, so that one
// failing branch (a missing privilege, a lost connection) never breaks the rest of the tree.
import { toStatsError } from '../../core/stats/errors';
import { ConnectFailure, errorText } from '../../core/db/connectError';
import { VSCODE_ADVICE } from '../connectAdvice';
import { errorNode, type ExplorerNode } from './node';

export async function settledChildren(id: string, what: string, load: () => Promise<ExplorerNode[]>, retryArg?: unknown): Promise<ExplorerNode[]> {
  try {
    return await load();
  } catch (e) {
    const message = e instanceof ConnectFailure ? errorText(e, VSCODE_ADVICE) : toStatsError(e, what).message;
    return [errorNode(id, message, retryArg)];
  }
}
