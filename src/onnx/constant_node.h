// The value of an ONNX Constant node (value, value_float(s), value_int(s)); a tensor value's
// raw_data is taken from the proto like an initializer's.
#pragma once

#include <onnx/onnx_pb.h>

#include "onnx/const_tensor.h"
#include "onnx/onnx_node.h"
#include "onnx/tensor_proto.h"

namespace oqnn::onnx_import {
Expected<ConstTensor> constant_node_value(::onnx::NodeProto& proto, const OnnxNode& n,
                                          ExternalFiles& files);
}
