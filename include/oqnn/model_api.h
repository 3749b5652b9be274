/* OpenQNN model API — the stable C ABI that generated model code (model.cpp) calls to
 * compose a graph. A model library exports QnnModel_composeGraphs (or
 * <prefix>_composeGraphs) and OqnnModel_getWeights; the runtime passes in an
 * OqnnModelApi whose callbacks build the graph. Static tensor data is not in the code:
 * each static tensor names its member of the embedded model.bin (ustar) archive.
 * Version 1. Append-only: new fields go at the end of structs, guarded by `version`. */
#ifndef OQNN_MODEL_API_H
#define OQNN_MODEL_API_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define OQNN_MODEL_API_VERSION 1u

/* Element types; values match oqnn::ir::DataType. */
enum {
  OQNN_DTYPE_FLOAT32 = 0,
  OQNN_DTYPE_FLOAT16 = 1,
  OQNN_DTYPE_INT8 = 2,
  OQNN_DTYPE_UINT8 = 3,
  OQNN_DTYPE_INT16 = 4,
  OQNN_DTYPE_UINT16 = 5,
  OQNN_DTYPE_INT32 = 6,
  OQNN_DTYPE_INT64 = 7,
  OQNN_DTYPE_BOOL = 8
};

enum {
  OQNN_TENSOR_INPUT = 0,
  OQNN_TENSOR_OUTPUT = 1,
  OQNN_TENSOR_STATIC = 2,
  OQNN_TENSOR_INTERMEDIATE = 3
};

/* real = scale * (q + offset); num_channels == 1 and axis == -1 for per-tensor. */
typedef struct OqnnEncoding {
  int32_t bitwidth;
  int32_t is_signed;
  int32_t symmetric;
  int32_t axis;
  uint32_t num_channels;
  const double* scales;
  const int32_t* offsets;
} OqnnEncoding;

typedef struct OqnnTensorDesc {
  const char* name; /* original (unsanitized) tensor name */
  int32_t kind;     /* OQNN_TENSOR_* */
  int32_t dtype;    /* OQNN_DTYPE_* */
  uint32_t rank;
  const int64_t* dims;
  const OqnnEncoding* encoding; /* NULL when the tensor has none */
  const char* data_member;      /* static tensors: member of model.bin, e.g. "conv1_weight.raw" */
} OqnnTensorDesc;

enum {
  OQNN_PARAM_INT = 0,
  OQNN_PARAM_FLOAT = 1,
  OQNN_PARAM_STRING = 2,
  OQNN_PARAM_INTS = 3,
  OQNN_PARAM_FLOATS = 4
};

typedef struct OqnnParam {
  const char* name;
  int32_t type; /* OQNN_PARAM_* */
  int64_t i;
  double f;
  const char* s;
  uint32_t count; /* INTS / FLOATS */
  const int64_t* ints;
  const double* floats;
} OqnnParam;

typedef struct OqnnNodeDesc {
  const char* name;
  const char* package; /* "qti.aisw" for the built-in op set */
  const char* type;    /* QNN op type, e.g. "Conv2d" */
  uint32_t num_inputs;
  const char* const* inputs; /* tensor names; "" for an omitted optional input */
  uint32_t num_outputs;
  const char* const* outputs;
  uint32_t num_params;
  const OqnnParam* params;
} OqnnNodeDesc;

/* Every callback returns 0 on success, non-zero on error (the runtime keeps the message). */
typedef struct OqnnModelApi {
  uint32_t version;
  void* ctx;
  int (*create_graph)(void* ctx, const char* graph_name);
  int (*add_tensor)(void* ctx, const OqnnTensorDesc* desc);
  int (*add_node)(void* ctx, const OqnnNodeDesc* desc);
  int (*set_attribute)(void* ctx, const char* key, const char* value);
} OqnnModelApi;

typedef int (*OqnnComposeGraphsFn)(const OqnnModelApi* api);
typedef const unsigned char* (*OqnnGetWeightsFn)(uint64_t* size);

#define OQNN_DEFAULT_MODEL_PREFIX "QnnModel"
#define OQNN_WEIGHTS_SYMBOL "OqnnModel_getWeights"

#ifdef __cplusplus
}
#endif
#endif /* OQNN_MODEL_API_H */
