// @esm-source node_modules/preact/dist/preact.mjs
