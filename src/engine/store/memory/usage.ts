import { addTable, type UsagePersistence, type UsageTable } from '../../usage/persistence.js';

/** Usage counters kept in this process only (`memoryBackends()`), with the persistence port's add semantics. */
export class MemoryUsagePersistence implements UsagePersistence {
  private readonly table: UsageTable = new Map();

  async read(): Promise<UsageTable> {
    return copy(this.table);
  }

  async add(deltas: UsageTable): Promise<UsageTable> {
    addTable(this.table, deltas);
    return copy(this.table);
  }
}

function copy(table: UsageTable): UsageTable {
  return new Map([...table].map(([uid, rows]) => [uid, new Map([...rows].map(([id, row]) => [id, { ...row }]))]));
}
