/**
 * Stand-in for @veramo/core-types' `plugin.schema.js` in the extension build: the
 * JSON schemas of every Veramo plugin method (the largest file Veramo ships). They
 * only serve schema validation, which our agent turns off. Every plugin still gets a
 * well-formed, empty schema (some plugins spread `schema.X.components.*`).
 */
const emptyPluginSchema = () => ({ components: { schemas: {}, methods: {} } });

export const schema: Record<string, ReturnType<typeof emptyPluginSchema>> = new Proxy(
  {},
  { get: (_target, key) => (typeof key === 'string' ? emptyPluginSchema() : undefined) },
);
