/**
 * Hardhat 2, used only for `hardhat node`: the development chain of DESIGN.md §6
 * (scripts/lib/dev-chain.ts, `npm run chain`). The contract is compiled by solc-js
 * (scripts/compile-contract.ts), never by `hardhat compile`. CommonJS because the
 * package is `"type": "module"` and Hardhat 2 loads its config with require().
 */
/** @type {import('hardhat/config').HardhatUserConfig} */
module.exports = {
  networks: {
    hardhat: {
      // The well-known development chain id that wallets and tests expect (DESIGN.md §6).
      chainId: 31337,
      // Each transaction is mined in its own block as soon as it arrives, so a test's
      // transaction has a receipt by the time the send returns.
      mining: { auto: true, interval: 0 },
    },
  },
};
