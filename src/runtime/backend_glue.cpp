#include "runtime/backend_glue.h"

#include <cstring>
#include <exception>

#include "ir/serialize.h"

namespace oqnn::rt {
namespace {

struct PlanHandle {
  std::unique_ptr<PlanImpl> impl;
  std::vector<std::vector<OqnnTensorView>> views;  // [0] inputs, [1] outputs
  std::vector<std::vector<OqnnEncoding>> encs;
};

int report(const Error& e, char* err, uint32_t len) {
  if (err && len) {
    std::string m = e.message;
    for (const auto& h : e.hints) m += "\n" + h;
    std::strncpy(err, m.c_str(), len - 1);
    err[len - 1] = '\0';
  }
  return static_cast<int>(e.code);
}

template <class F>
int guarded(char* err, uint32_t len, F&& f) {
  try {
    Status s = f();
    return s.is_ok() ? OQNN_OK : report(s.error(), err, len);
  } catch (const std::bad_alloc&) {
    return report(internal_error("out of memory"), err, len);
  } catch (const std::exception& ex) {
    return report(internal_error(std::string("internal error: ") + ex.what()), err, len);
  }
}

PlanHandle* wrap(std::unique_ptr<PlanImpl> impl) {
  auto* h = new PlanHandle{std::move(impl), {}, {}};
  h->views.resize(2);
  h->encs.resize(2);
  for (int io = 0; io < 2; ++io) {
    const auto& ts = io ? h->impl->outputs() : h->impl->inputs();
    h->encs[io].reserve(ts.size());
    for (const auto& t : ts) {
      OqnnTensorView v{};
      v.name = t.name.c_str();
      v.dtype = static_cast<int32_t>(t.dtype);
      v.rank = static_cast<uint32_t>(t.shape.size());
      v.dims = t.shape.data();
      if (t.encoding) {
        h->encs[io].push_back(encoding_to_c(*t.encoding));
        v.encoding = &h->encs[io].back();
      }
      h->views[io].push_back(v);
    }
  }
  return h;
}

int c_create(const char* config, void** backend, char* err, uint32_t len) {
  return guarded(err, len, [&]() -> Status {
    auto b = registered_factory()(config ? config : "{}");
    if (!b) return b.error();
    *backend = b->release();
    return Status::ok();
  });
}

void c_destroy(void* backend) {
  delete static_cast<BackendImpl*>(backend);
}

int c_finalize(void* backend, const void* graph, uint64_t size, void** plan, char* err,
               uint32_t len) {
  return guarded(err, len, [&]() -> Status {
    auto blob = std::make_shared<ExternalBlob>(static_cast<const std::byte*>(graph), size, nullptr);
    auto g = ir::deserialize_graph(blob, 0, size, "graph handed to the backend");
    if (!g) return g.error();
    // The caller's buffer is only valid during this call: give static data its own copy.
    for (auto& t : g->tensors)
      if (t.is_static()) t.data = make_owned_blob(t.data->data(), t.data->size());
    auto p = static_cast<BackendImpl*>(backend)->finalize(std::move(*g));
    if (!p) return p.error();
    *plan = wrap(std::move(*p));
    return Status::ok();
  });
}

int c_serialize(void* plan, OqnnWriteFn write, void* user, char* err, uint32_t len) {
  return guarded(err, len, [&]() -> Status {
    auto bytes = static_cast<PlanHandle*>(plan)->impl->serialize();
    if (!bytes) return bytes.error();
    if (write(user, bytes->data(), bytes->size()) != 0) return bad_input("writing the plan failed");
    return Status::ok();
  });
}

int c_deserialize(void* backend, const void* data, uint64_t size, void** plan, char* err,
                  uint32_t len) {
  return guarded(err, len, [&]() -> Status {
    auto blob = std::make_shared<ExternalBlob>(static_cast<const std::byte*>(data), size, nullptr);
    auto p = static_cast<BackendImpl*>(backend)->deserialize(blob);
    if (!p) return p.error();
    *plan = wrap(std::move(*p));
    return Status::ok();
  });
}

uint32_t c_num_io(void* plan, int is_output) {
  return static_cast<uint32_t>(static_cast<PlanHandle*>(plan)->views[is_output ? 1 : 0].size());
}

int c_io_info(void* plan, int is_output, uint32_t index, OqnnTensorView* out) {
  auto& v = static_cast<PlanHandle*>(plan)->views[is_output ? 1 : 0];
  if (index >= v.size()) return OQNN_ERR_USAGE;
  *out = v[index];
  return OQNN_OK;
}

int c_execute(void* plan, const OqnnTensorView* inputs, uint32_t n_in, OqnnTensorView* outputs,
              uint32_t n_out, const OqnnExecuteOptions* opts, char* err, uint32_t len) {
  return guarded(err, len, [&]() -> Status {
    return static_cast<PlanHandle*>(plan)->impl->execute({inputs, n_in}, {outputs, n_out}, opts);
  });
}

void c_free_plan(void* plan) {
  delete static_cast<PlanHandle*>(plan);
}

}  // namespace

BackendFactory& registered_factory() {
  static BackendFactory f = nullptr;
  return f;
}

void init_backend_interface(OqnnBackendInterface& i, BackendFactory factory) {
  registered_factory() = factory;
  i.abi_version = OQNN_BACKEND_ABI_VERSION;
  i.create = c_create;
  i.destroy = c_destroy;
  i.finalize = c_finalize;
  i.serialize = c_serialize;
  i.deserialize = c_deserialize;
  i.num_io = c_num_io;
  i.io_info = c_io_info;
  i.execute = c_execute;
  i.free_plan = c_free_plan;
}

OqnnEncoding encoding_to_c(const ir::Encoding& e) {
  OqnnEncoding c{};
  c.bitwidth = e.bitwidth;
  c.is_signed = e.is_signed;
  c.symmetric = e.symmetric;
  c.axis = e.axis;
  c.num_channels = static_cast<uint32_t>(e.scale.size());
  c.scales = e.scale.data();
  c.offsets = e.offset.data();
  return c;
}

Status check_io(std::span<const OqnnTensorView> given, const std::vector<ir::Tensor>& expected,
                const char* what) {
  if (given.size() != expected.size())
    return bad_input(std::string("expected ") + std::to_string(expected.size()) + " " + what +
                     ", got " + std::to_string(given.size()));
  for (size_t i = 0; i < given.size(); ++i) {
    const auto& t = expected[i];
    size_t want = static_cast<size_t>(ir::num_elements(t.shape)) * ir::dtype_size(t.dtype);
    if (given[i].size != want || given[i].dtype != static_cast<int32_t>(t.dtype))
      return bad_input(std::string(what) + " '" + t.name + "': expected " +
                       std::string(ir::dtype_name(t.dtype)) + ir::shape_str(t.shape) + " (" +
                       std::to_string(want) + " bytes), got " + std::to_string(given[i].size) +
                       " bytes");
  }
  return Status::ok();
}

}  // namespace oqnn::rt
