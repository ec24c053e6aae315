// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title TesseraAnchor: public timestamps for Tessera's activity ledger and its revocations
/// @notice Anyone may anchor and anyone may revoke. Neither call checks who sends it:
///         the transaction's sender is the evidence. A verifier holding a receipt proof
///         (DESIGN.md §6) trusts an anchor only when it was sent by the proof's
///         anchoring account, and a revocation only when that same account sent it, so
///         a permissionless contract gives nobody power over another's records.
/// @dev No storage but the revocation map: an anchor lives only in its event log,
///      which keeps one anchor near the calldata floor (about 24,000 gas).
contract TesseraAnchor {
    /// @notice A wallet's ledger (named by its random `logId`) had the Merkle `root`
    ///         at `treeSize` entries no later than this block.
    /// @dev Only `logId` is indexed: verifiers look anchors up by log, while the size
    ///      and root are read from the transaction's own receipt.
    event Anchored(bytes32 indexed logId, uint64 treeSize, bytes32 root);

    /// @notice Account `by` revoked the grant whose receipt JWT has SHA-256 `receiptHash`.
    event Revoked(address indexed by, bytes32 indexed receiptHash);

    /// @dev Block number of the first revocation, per revoking account and receipt hash;
    ///      keyed by sender so that a third party shown a receipt cannot revoke it for
    ///      the holder (their entry is a different one). 0 means never revoked, which is
    ///      unambiguous because no transaction is mined in block 0.
    mapping(address by => mapping(bytes32 receiptHash => uint64 blockNumber)) private revokedBlock;

    /// @notice Publishes a ledger root. Emits Anchored and stores nothing.
    /// @dev No duplicate check: the wallet never sends a size twice, and a duplicate
    ///      sent by someone else is harmless because only the anchoring account's
    ///      transactions count.
    function anchor(bytes32 logId, uint64 treeSize, bytes32 root) external {
        emit Anchored(logId, treeSize, root);
    }

    /// @notice Records that the sender revoked `receiptHash`, once.
    /// @dev The first call records the block and emits Revoked; a repeat is a no-op
    ///      (no revert, no event), so a wallet resending after a lost answer neither
    ///      fails nor moves the recorded block.
    function revoke(bytes32 receiptHash) external {
        if (revokedBlock[msg.sender][receiptHash] != 0) return;
        revokedBlock[msg.sender][receiptHash] = uint64(block.number);
        emit Revoked(msg.sender, receiptHash);
    }

    /// @notice The block in which `by` first revoked `receiptHash`, or 0 if it never did.
    function revokedAt(address by, bytes32 receiptHash) external view returns (uint64) {
        return revokedBlock[by][receiptHash];
    }
}
