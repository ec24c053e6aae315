import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ARTIFACT_PATH, compileTesseraAnchor, renderArtifact } from '../../../scripts/compile-contract.ts';
import {
  TESSERA_ANCHOR_ABI,
  TESSERA_ANCHOR_BYTECODE,
  TESSERA_ANCHOR_EVM_VERSION,
  TESSERA_ANCHOR_SOLC_VERSION,
} from './tessera-anchor-artifact.ts';

/** DESIGN.md §6's interface, written as Solidity declares it (less `external`). */
const DESIGN_INTERFACE = [
  'event Anchored(bytes32 indexed logId, uint64 treeSize, bytes32 root)',
  'event Revoked(address indexed by, bytes32 indexed receiptHash)',
  'function anchor(bytes32 logId, uint64 treeSize, bytes32 root)',
  'function revoke(bytes32 receiptHash)',
  'function revokedAt(address by, bytes32 receiptHash) view returns (uint64)',
];

interface AbiParameterLike {
  type: string;
  name?: string;
  indexed?: boolean;
}
interface AbiItemLike {
  type: string;
  name?: string;
  anonymous?: boolean;
  stateMutability?: string;
  inputs?: readonly AbiParameterLike[];
  outputs?: readonly AbiParameterLike[];
}

/** One ABI item as a Solidity declaration: types, indexed flags, names, mutability and returns all show. */
function declaration(item: AbiItemLike): string {
  const parameters = (list: readonly AbiParameterLike[] = []) =>
    list.map((p) => [p.type, p.indexed ? 'indexed' : '', p.name ?? ''].filter(Boolean).join(' ')).join(', ');
  const mutability = item.stateMutability && item.stateMutability !== 'nonpayable' ? ` ${item.stateMutability}` : '';
  const returns = item.outputs && item.outputs.length > 0 ? ` returns (${parameters(item.outputs)})` : '';
  const anonymous = item.anonymous ? ' anonymous' : '';
  return `${item.type} ${item.name ?? ''}(${parameters(item.inputs)})${anonymous}${mutability}${returns}`;
}

describe('TesseraAnchor artifact', () => {
  const fresh = compileTesseraAnchor();

  it('is exactly what the compiler gives for contracts/TesseraAnchor.sol (not hand-edited, not stale)', () => {
    expect(readFileSync(ARTIFACT_PATH, 'utf8'), 'run `npm run compile-contract` and commit the artifact').toBe(renderArtifact(fresh));
    expect(TESSERA_ANCHOR_ABI).toEqual(fresh.abi);
    expect(TESSERA_ANCHOR_BYTECODE).toBe(fresh.bytecode);
  });

  it('was compiled by the bundled solc 0.8.30 for the explicit evmVersion cancun, without warnings', () => {
    expect(TESSERA_ANCHOR_SOLC_VERSION).toMatch(/^0\.8\.30\+commit\./);
    expect(TESSERA_ANCHOR_EVM_VERSION).toBe('cancun');
    expect(TESSERA_ANCHOR_BYTECODE).toMatch(/^0x(?:[0-9a-f]{2})+$/);
    expect(fresh.warnings).toEqual([]);
  });

  it('has exactly the events and functions of DESIGN.md §6, with those signatures', () => {
    expect(TESSERA_ANCHOR_ABI.map(declaration).sort()).toEqual([...DESIGN_INTERFACE].sort());
  });

  it('fails with the compiler message when the source does not compile', () => {
    expect(() => compileTesseraAnchor('pragma solidity 0.8.30;\ncontract Broken { function f( }\n')).toThrow(
      /solc could not compile contracts\/TesseraAnchor\.sol:\n.*ParserError/s,
    );
  });
});
