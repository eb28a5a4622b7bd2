// Stands in for fc2's ali-oss, axios and ws in the caller's bundle: fc2 loads them at import, but invoking a
// function never uses them. Any use fails loudly instead of silently misbehaving.
module.exports = new Proxy(function unused() {}, {
  get(_target, prop) {
    if (prop === '__esModule' || prop === 'default' || typeof prop === 'symbol') return undefined;
    throw new Error(`${String(prop)}: this fc2 dependency is not bundled (only InvokeFunction is)`);
  },
  apply() {
    throw new Error('this fc2 dependency is not bundled (only InvokeFunction is)');
  },
  construct() {
    throw new Error('this fc2 dependency is not bundled (only InvokeFunction is)');
  },
});
