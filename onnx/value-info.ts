// The step and inference graphs' value_info: the shape of every value whose dimensions the
// primitives know (StepGraph.shaped says why ONNX Runtime needs them), added to an encoded model
// as a second occurrence of ModelProto.graph, which protobuf merges into the first (a message
// field seen twice is merged, its repeated fields appended), so onnx/proto.ts's encoder stays as
// the exporters use it.
import protobuf from 'protobufjs';
import type { ValueInfoMessage } from './proto.js';

const schema = {
  nested: {
    ModelShapes: { fields: { graph: { type: 'GraphShapes', id: 7 } } },
    GraphShapes: { fields: { value_info: { rule: 'repeated', type: 'ValueInfoProto', id: 13 } } },
    ValueInfoProto: { fields: { name: { type: 'string', id: 1 }, type: { type: 'TypeProto', id: 2 } } },
    TypeProto: { fields: { tensor_type: { type: 'TypeProtoTensor', id: 1 } } },
    TypeProtoTensor: { fields: { elem_type: { type: 'int32', id: 1 }, shape: { type: 'TensorShapeProto', id: 2 } } },
    TensorShapeProto: { fields: { dim: { rule: 'repeated', type: 'Dimension', id: 1 } } },
    Dimension: {
      oneofs: { value: { oneof: ['dim_value', 'dim_param'] } },
      fields: { dim_value: { type: 'int64', id: 1 }, dim_param: { type: 'string', id: 2 } },
    },
  },
};

const ModelShapes = protobuf.Root.fromJSON(schema).lookupType('ModelShapes');

/** `model` (an encoded ModelProto) with `valueInfo` as its graph's value_info. */
export function withValueInfo(model: Uint8Array, valueInfo: readonly ValueInfoMessage[]): Uint8Array {
  if (valueInfo.length === 0) return model;
  const patch = ModelShapes.encode(ModelShapes.fromObject({ graph: { value_info: valueInfo } })).finish();
  const out = new Uint8Array(model.length + patch.length);
  out.set(model);
  out.set(patch, model.length);
  return out;
}
