// What the handshake asks of device pairing (implemented by server/devices/): whether a device
// token authenticates a device, whether a proven device may connect in the role and scopes it
// asks for (or must wait for approval), and the token it gets when it may.
import type { OperatorScope } from '../../contract/define.js';
import type { ConnectParams, Role } from '../../contract/schemas/connect.js';

export interface DeviceClaim {
  readonly deviceId: string;
  readonly publicKey: string;
  readonly role: Role;
  /** Granted operator scopes (empty for nodes). */
  readonly scopes: readonly OperatorScope[];
  readonly client: ConnectParams['client'];
  readonly caps: readonly string[];
  readonly commands: readonly string[] | undefined;
  readonly remoteAddress: string;
  readonly isLoopback: boolean;
  /** How the connection authenticated: the shared secret, or this device's own token. */
  readonly authVia: 'shared-secret' | 'device-token' | 'none';
}

export type DeviceTokenCheck =
  | { readonly ok: true; readonly scopes: readonly OperatorScope[] }
  | { readonly ok: false; readonly reason: 'device-not-paired' | 'token-missing' | 'token-revoked' | 'token-mismatch' };

export type DeviceAdmission =
  | {
      readonly ok: true;
      /** The scopes the connection holds (never more than approved for the device). */
      readonly scopes: readonly OperatorScope[];
      /** Node role: the declared commands that are approved for this device. */
      readonly commands?: readonly string[];
      /** A token minted for this connect: sent once in hello-ok.auth. */
      readonly issued?: { readonly token: string; readonly issuedAtMs: number };
    }
  | {
      readonly ok: false;
      readonly requestId: string;
      readonly reason: 'not-paired' | 'role-upgrade' | 'scope-upgrade';
    };

export interface DeviceGate {
  verifyToken(deviceId: string, role: Role, token: string, requested: readonly OperatorScope[]): DeviceTokenCheck;
  admit(claim: DeviceClaim): DeviceAdmission;
}
