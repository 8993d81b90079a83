/** The tensor IR: network rules lowered to programs, their interpreter, and the runs they start from. */
export {
  classifyBindings,
  declaredNames,
  evaluateScalar,
  MAX_SIZE,
  type RuleBindings,
  resolveChoices,
  resolveParams,
  resolveSizes,
} from "./bind.ts";
export { drawRun, type RunData } from "./draw.ts";
export { applyUnary, integerPower, UNARY } from "./elementwise.ts";
export { formatProgram } from "./format.ts";
export { entriesOf, type PreparedProgram, type ProgramInputs, prepareProgram } from "./interpret.ts";
export { type CompileOptions, compileRule, MAX_ENTRIES, operands } from "./lower.ts";
export { compileModel, drawRuns, type NetworkModel, type RunRequest } from "./model.ts";
export type {
  BinaryFn,
  CompiledRule,
  FixedInfo,
  IrNode,
  IrOp,
  IrProgram,
  IrType,
  SampleSet,
  StateInfo,
  TensorInfo,
  UnaryFn,
} from "./program.ts";
