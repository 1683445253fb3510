// Types for the parts of ncalayer-js-client (plain JS, no bundled types) that the sign-in page uses.
declare module 'ncalayer-js-client' {
  export class NCALayerError extends Error {
    canceledByUser?: boolean;
  }
  export class NCALayerClient {
    constructor(url?: string, allowKmdHttpApi?: boolean);
    connect(): Promise<string>;
    basicsSignCMS(
      allowedStorages: string[] | null,
      data: string | ArrayBuffer | Blob | File,
      signingParams: Record<string, unknown>,
      signerParams: Record<string, unknown>,
      locale?: string,
    ): Promise<string | string[]>;
    static readonly basicsStorageAll: string[] | null;
    static readonly basicsCMSParamsDetached: Record<string, unknown>;
    static readonly basicsSignerAuthAny: Record<string, unknown>;
  }
}
