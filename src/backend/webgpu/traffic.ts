/**
 * Analytic memory traffic of one SGD step of one simulation for the two variants of the fused
 * student-teacher kernel, in float32 words (x 4 for bytes). A model, not a measurement: it counts
 * each pass of a kernel over an array once (the S-fold re-reads of W1 in the streaming kernel's
 * forward pass, and the broadcast reads of x, d1 and e that every invocation makes of the same
 * address, are assumed to hit in cache), so for the streaming kernel it is a lower bound.
 *
 * Sizes: M inputs, N hidden units, S minibatch, D steps per dispatch, WG invocations per workgroup.
 * Every step also shuffles: Fisher-Yates over P indices once per epoch (P writes, then 2 reads and
 * 2 writes per swap: about 5 P words per epoch = 5 S per step, P / S steps per epoch).
 */

export interface TrafficShape {
  inputs: number;
  hidden: number;
  batchSize: number;
}

/**
 * Streaming kernel (student-teacher-step.wgsl.ts), words between the SMs and device memory per
 * step: W1 5 M N (forward read; update read and write; renormalization read and write); W2 6 N
 * (readout, feedback, update read/write, rescale read/write); d1, d2, B: M + 2 N; the minibatch
 * x S M, y S, its permutation indices 2 S; the shuffle 5 S.
 */
export function streamingDeviceWords({ inputs: M, hidden: N, batchSize: S }: TrafficShape): number {
  return 5 * M * N + 6 * N + M + 2 * N + S * M + 8 * S;
}

/**
 * On-chip kernel (student-teacher-onchip.wgsl.ts), words between the SMs and device memory per
 * step: x 2 S M (read in the forward pass and again for the gradient), y S, the permutation S,
 * d1 M, the shuffle 5 S; and, once per dispatch of D steps, W1 and W2 loaded and stored, d2 and B
 * loaded: (2 M N + 4 N) / D.
 */
export function onchipDeviceWords(shape: TrafficShape, stepsPerDispatch: number): number {
  const { inputs: M, hidden: N, batchSize: S } = shape;
  return 2 * S * M + M + 7 * S + (2 * M * N + 4 * N) / stepsPerDispatch;
}

/**
 * On-chip kernel, words moved in workgroup memory per step: W1 4 M N (read and rewrite in the
 * forward pass, fused with the pending renormalization; read and write in the update); S + 2 tree
 * reductions over WG floats, about 4 WG words each (WG stores, then per level 2 reads and 1 write
 * per pair); e written once and read by each of the N owners: S + N S.
 */
export function onchipWorkgroupWords(shape: TrafficShape, workgroupSize: number): number {
  const { inputs: M, hidden: N, batchSize: S } = shape;
  return 4 * M * N + 4 * workgroupSize * (S + 2) + S + N * S;
}
