/**
 * Every tfjs kernel that training the language's layers runs, forward and backward, plus the
 * optimisers' update ops. The first block was found by profiling test/backends/cases.ts on cpu
 * (test/backends/kernels.test.ts fails if a case starts using a kernel missing here); the second
 * holds kernels lowering and losses plausibly use that the cases do not reach.
 * registerMissingKernels makes sure each exists on the selected backend.
 */
export const TRAINING_KERNELS: readonly string[] = [
  // profiled
  'Abs', 'Add', 'ArgMin', 'BatchMatMul', 'Cast', 'ClipByValue', 'Concat', 'Conv2D',
  'Conv2DBackpropFilter', 'Conv2DBackpropInput', 'Elu', 'EluGrad', 'Equal', 'Erf', 'Exp',
  'ExpandDims', 'Floor', 'FusedBatchNorm', 'FusedConv2D', 'GatherV2', 'Greater', 'GreaterEqual',
  'Identity', 'LeakyRelu', 'LessEqual', 'Log', 'Log1p', 'LogicalAnd', 'LogicalNot', 'Max',
  'MaxPool', 'MaxPoolGrad', 'MaxPoolWithArgmax', 'Maximum', 'Mean', 'Multiply', 'Neg', 'Pow',
  'RealDiv', 'Relu', 'Reshape', 'ResizeNearestNeighbor', 'ResizeNearestNeighborGrad', 'Rsqrt',
  'Select', 'Sigmoid', 'Sign', 'Softmax', 'Softplus', 'SplitV', 'Sqrt', 'Square',
  'SquaredDifference', 'Step', 'Sub', 'Sum', 'Tanh', 'Tile', 'Transpose', 'UnsortedSegmentSum',
  'ZerosLike', '_FusedMatMul',
  // plausible in lowering, losses and metrics
  'AddN', 'ArgMax', 'AvgPool', 'AvgPoolGrad', 'Cumsum', 'Expm1', 'Fill', 'Less', 'Min', 'Minimum',
  'NotEqual', 'OneHot', 'OnesLike', 'Pack', 'PadV2', 'Prelu', 'Prod', 'Range', 'Reciprocal',
  'Relu6', 'Round', 'Selu', 'Slice', 'StridedSlice', 'Unpack',
];
