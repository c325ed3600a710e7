// Entry point of the WebAssembly kernels (compiled by scripts/build-wasm.mjs).
// Every export takes byte addresses into the (imported) linear memory, which
// the JS side manages; this module has no data segments and allocates nothing.
export { gemm, gemmWide, gemmSkinny, gemmScratchBytes, gemmInnerLoop, clockChain } from './gemm.asm';
export { prepackA, prepackB, prepackBGrad, prepackABytes, prepackBBytes } from './gemm.asm';
export {
  activationForward, biasActivation, activationBackward, columnSums,
  batchNormTrainForward, batchNormTrainBackward, batchNormInference, batchNormInferenceBackward,
} from './elementwise.asm';
export { scaledAdd, firstNonFinite, firstNonFiniteBlock } from './vector.asm';
export { im2col, col2im, pool2dForward, pool2dBackward } from './conv.asm';
export { lstmCell, lstmCellBackward, gruCell, gruCellBackward } from './recurrent.asm';
export { multiply, keepMask, adamUpdate, momentumUpdate, rmspropUpdate } from './vector.asm';
export { adagradUpdate, adadeltaUpdate, adamaxUpdate, lionUpdate, weightDecay } from './vector.asm';
export { nadamUpdate, emaUpdate } from './vector.asm';
