/** Vite bundles the shared stylesheet from a side-effect import; this tells TypeScript it exists. */
declare module '*.css';
