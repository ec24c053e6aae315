import { RpcMethod } from '../../protocol/rpc.ts';
import type { MethodHandler } from './types.ts';
import { walletGetGrants } from './wallet_getGrants.ts';
import { walletRequestIdentity } from './wallet_requestIdentity.ts';
import { walletRevokeGrant } from './wallet_revokeGrant.ts';
import { walletOfferCredential } from './wallet_offerCredential.ts';
import { walletRequestCredentials } from './wallet_requestCredentials.ts';
import { tesseraDigitalCredentialsGet } from './tessera_digitalCredentialsGet.ts';
import { walletRequestDataAccess } from './wallet_requestDataAccess.ts';
import { walletAccessData } from './wallet_accessData.ts';

/** The methods this build answers; any other name gets 4200. */
export const methodHandlers: Readonly<Record<string, MethodHandler>> = Object.freeze({
  [RpcMethod.requestIdentity]: walletRequestIdentity,
  [RpcMethod.getGrants]: walletGetGrants,
  [RpcMethod.revokeGrant]: walletRevokeGrant,
  [RpcMethod.offerCredential]: walletOfferCredential,
  [RpcMethod.requestCredentials]: walletRequestCredentials,
  [RpcMethod.digitalCredentialsGet]: tesseraDigitalCredentialsGet,
  [RpcMethod.requestDataAccess]: walletRequestDataAccess,
  [RpcMethod.accessData]: walletAccessData,
});
