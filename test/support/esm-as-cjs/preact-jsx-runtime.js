// @esm-source node_modules/preact/jsx-runtime/dist/jsxRuntime.mjs
