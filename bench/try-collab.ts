import { collabBench } from './collab.ts';
const r = await collabBench({ editors: [20], updatesPerSecond: 10, warmupSeconds: 1, measuredSeconds: 3, openDocuments: 50, largeOperations: 20000 });
console.log(JSON.stringify(r, null, 1));
