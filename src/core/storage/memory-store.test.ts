import { MemoryKeyValueStore } from './memory-store.ts';
import { describeKeyValueStoreContract } from './store-contract.ts';

describeKeyValueStoreContract('in-memory', () => new MemoryKeyValueStore());
