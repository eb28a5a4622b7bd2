// The OpenAPI document as the build embeds it (scripts/build.mjs): minified, deflated, base64.
declare module 'openapi:deflated' {
  const base64: string;
  export default base64;
}
