// Two parts of pg that pgdba never runs stay out of its node bundles: the connection-string
// parser (pgdba hands pg the parts of one connection model, never a conninfo string — a name is
// never parsed as options) and the native client (pg-native is not shipped). Each is replaced by
// a stub that says so if it is ever reached.
/** @type {import('esbuild').Plugin} */
export const pgUnusedParts = {
  name: 'pg-unused-parts',
  setup(build) {
    build.onResolve({ filter: /^pg-connection-string$/ }, () => ({ path: 'pg-connection-string', namespace: 'pgdba-stub' }));
    build.onResolve({ filter: /^\.\/native$/ }, (args) =>
      /[\\/]node_modules[\\/]pg[\\/]lib$/.test(args.resolveDir) ? { path: 'pg-native', namespace: 'pgdba-stub' } : undefined,
    );
    build.onLoad({ filter: /^pg-connection-string$/, namespace: 'pgdba-stub' }, () => ({
      contents: "exports.parse = () => { throw new Error('pgdba passes pg the parts of a connection, never a connection string'); };",
      loader: 'js',
    }));
    build.onLoad({ filter: /^pg-native$/, namespace: 'pgdba-stub' }, () => ({
      contents: "const e = new Error('pg-native is not bundled with pgdba'); e.code = 'MODULE_NOT_FOUND'; throw e;",
      loader: 'js',
    }));
  },
};
