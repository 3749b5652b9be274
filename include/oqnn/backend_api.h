/* OpenQNN backend ABI — what every backend library (libQnnCpu.so, libQnnHtp.so,
 * libQnnGpu.so) exports. A backend declares what it can run as data (the capability
 * table), finalizes a subgraph handed to it (serialized IR, see src/ir/serialize.h) into an
 * executable plan, serializes/deserializes plans (the payload of a context binary), and
 * executes them. Plans exchange tensors in the plan's own I/O dtypes (described by
 * io_info); the runtime converts float data to and from them with the I/O encodings.
 * Version 1. */
#ifndef OQNN_BACKEND_API_H
#define OQNN_BACKEND_API_H

#include <stdint.h>

#include "oqnn/model_api.h"

#ifdef __cplusplus
extern "C" {
#endif

#define OQNN_BACKEND_ABI_VERSION 1u

enum { OQNN_BACKEND_CPU = 1, OQNN_BACKEND_GPU = 2, OQNN_BACKEND_HTP = 3 };

/* Status codes match the command exit codes (DESIGN §7). */
enum {
  OQNN_OK = 0,
  OQNN_ERR_BAD_INPUT = 1,
  OQNN_ERR_USAGE = 2,
  OQNN_ERR_UNSUPPORTED = 3,
  OQNN_ERR_INTERNAL = 4
};

/* One row of the capability table: `op` runs with activations of `dtype` ("float32",
 * "float16", "uint8"); `constraints` is a human-readable note ("" when none). */
typedef struct OqnnOpCapability {
  const char* op;
  const char* dtype;
  const char* constraints;
} OqnnOpCapability;

typedef struct OqnnTensorView {
  const char* name;
  int32_t dtype; /* OQNN_DTYPE_* */
  uint32_t rank;
  const int64_t* dims;
  void* data;
  uint64_t size;                /* bytes */
  const OqnnEncoding* encoding; /* NULL for float tensors */
} OqnnTensorView;

typedef void (*OqnnTensorCallback)(void* user, const OqnnTensorView* tensor);
typedef void (*OqnnNodeTimeCallback)(void* user, const char* node_name, const char* op_type,
                                     uint64_t nanoseconds);
typedef int (*OqnnWriteFn)(void* user, const void* data, uint64_t size);

typedef struct OqnnExecuteOptions {
  /* Called with every intermediate and output tensor after it is computed (debug dumps,
   * calibration); NULL to skip. Slows execution. */
  OqnnTensorCallback on_tensor;
  /* Called once per node with its execution time (detailed profiling); NULL to skip. */
  OqnnNodeTimeCallback on_node_time;
  void* user;
} OqnnExecuteOptions;

typedef struct OqnnBackendInterface {
  uint32_t abi_version;
  const char* name; /* "cpu", "gpu", "htp" */
  uint32_t backend_id;
  const char* version;
  const OqnnOpCapability* capabilities;
  uint32_t num_capabilities;

  /* config_json: the backend's section of the user's config (may be "{}"). */
  int (*create)(const char* config_json, void** backend, char* err, uint32_t err_len);
  void (*destroy)(void* backend);
  int (*finalize)(void* backend, const void* graph, uint64_t graph_size, void** plan, char* err,
                  uint32_t err_len);
  int (*serialize)(void* plan, OqnnWriteFn write, void* user, char* err, uint32_t err_len);
  /* `data` stays valid (mapped) until free_plan. */
  int (*deserialize)(void* backend, const void* data, uint64_t size, void** plan, char* err,
                     uint32_t err_len);
  uint32_t (*num_io)(void* plan, int is_output);
  /* Fills name, dtype, rank, dims, encoding (data/size left NULL/0). Pointers stay valid
   * until free_plan. */
  int (*io_info)(void* plan, int is_output, uint32_t index, OqnnTensorView* out);
  int (*execute)(void* plan, const OqnnTensorView* inputs, uint32_t num_inputs,
                 OqnnTensorView* outputs, uint32_t num_outputs, const OqnnExecuteOptions* opts,
                 char* err, uint32_t err_len);
  void (*free_plan)(void* plan);
} OqnnBackendInterface;

typedef const OqnnBackendInterface* (*OqnnGetBackendInterfaceFn)(void);
#define OQNN_BACKEND_ENTRY_SYMBOL "OqnnBackend_getInterface"

#ifdef __cplusplus
}
#endif
#endif /* OQNN_BACKEND_API_H */
