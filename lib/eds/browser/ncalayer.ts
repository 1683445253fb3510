/**
 * The browser side of NCALayer, the desktop signer every Kazakh user has (wss://127.0.0.1:13579), through
 * ncalayer-js-client's `basics` module: a detached CMS over base64 data with the user's AUTH key (sign-in) or
 * SIGN key (actions and documents). Browser-only (no node: imports). Failures carry a stable `code`:
 * 'ncalayer_missing' (not running or not installed), 'cancelled' (the user closed the dialog),
 * 'ncalayer_error' (anything else NCALayer reported).
 */
export class NcaLayerProblem extends Error {
  constructor(readonly code: 'ncalayer_missing' | 'cancelled' | 'ncalayer_error') {
    super(code);
  }
}

export async function signWithNcaLayer(dataB64: string, purpose: 'auth' | 'sign', locale: string): Promise<string> {
  const { NCALayerClient } = await import('ncalayer-js-client');
  const client = new NCALayerClient('wss://127.0.0.1:13579', false);
  try {
    await client.connect();
  } catch {
    throw new NcaLayerProblem('ncalayer_missing');
  }
  // The d.ts lists only the AUTH signer filter; the library has the SIGN one too.
  const signer =
    purpose === 'auth'
      ? NCALayerClient.basicsSignerAuthAny
      : (NCALayerClient as unknown as { basicsSignerSignAny: Record<string, unknown> }).basicsSignerSignAny;
  try {
    const cms = await client.basicsSignCMS(
      NCALayerClient.basicsStorageAll,
      dataB64,
      NCALayerClient.basicsCMSParamsDetached,
      signer,
      locale === 'kk' ? 'kk' : locale === 'en' ? 'en' : 'ru',
    );
    return Array.isArray(cms) ? cms[0] : cms;
  } catch (e) {
    if ((e as { canceledByUser?: boolean }).canceledByUser) throw new NcaLayerProblem('cancelled');
    throw new NcaLayerProblem('ncalayer_error');
  }
}
