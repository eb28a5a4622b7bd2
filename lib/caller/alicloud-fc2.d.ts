// @alicloud/fc2 ships no typings; lib/caller/client.ts declares the part of its Client it uses and casts to it.
declare module '@alicloud/fc2' {
  const Client: unknown;
  export = Client;
}
