import { MemoryKeyValueStore } from './memory-store.ts';
import { describeKeyValueStoreContract } from '../../../test/support/store-contract.ts';

describeKeyValueStoreContract('in-memory', () => new MemoryKeyValueStore());
