node_modules/
dist/
.streamwise-state/
