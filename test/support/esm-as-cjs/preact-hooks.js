// @esm-source node_modules/preact/hooks/dist/hooks.mjs
