// The `debug` package as the deployed function uses it: always off. httpx and fc2 only log through it when the
// DEBUG variable names them, which never happens on FC, and the real package loads tty and supports-color at
// start, which every cold start would pay for.
module.exports = function createDebug() {
  function debug() {}
  debug.enabled = false;
  debug.extend = createDebug;
  return debug;
};
