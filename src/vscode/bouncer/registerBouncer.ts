// Wires PgBouncer into the tree: a "PgBouncer" branch under each server whose profile names a
// pgbouncerPort. The admin commands are in the command table.
import type { Ctx } from '../ctx';
import { BouncerNode } from './bouncerNodes';

export function registerBouncer(ctx: Ctx): void {
  ctx.explorer.addServerBranches((session, serverId) =>
    Promise.resolve(session.profile.pgbouncerPort === undefined ? [] : [new BouncerNode(serverId, ctx, session)]),
  );
}
