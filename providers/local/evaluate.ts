// Script: prints the intent model's held-out evaluation as one JSON object.
// Run: bun providers/local/evaluate.ts [path/to/bitext-train.csv]
import { evaluateIntentModel } from './evaluation.ts'

console.log(JSON.stringify(evaluateIntentModel(process.argv[2]), null, 2))
