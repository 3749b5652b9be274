#include "backends/gpu/gpu_plan.h"

#include <algorithm>
#include <chrono>
#include <cstring>

#include "backends/gpu/buffer_plan.h"
#include "backends/gpu/half.h"
#include "backends/gpu/plan_format.h"

namespace oqnn::gpu {

Expected<std::unique_ptr<GpuPlan>> GpuPlan::create(std::shared_ptr<ClProgram> program,
                                                   std::shared_ptr<ClProgram> program_f32,
                                                   GpuConfig config, ir::Graph graph) {
  auto plan = std::unique_ptr<GpuPlan>(new GpuPlan());
  plan->program_ = std::move(program);
  plan->program_f32_ = std::move(program_f32);
  if (!plan->program_f32_ || plan->program_f32_->fp16())
    return internal_error("gpu backend: a plan needs a float32 program");
  plan->config_ = std::move(config);
  plan->config_.fp16 = plan->program_->fp16();
  plan->graph_ = std::move(graph);
  OQNN_RETURN_IF_ERROR(plan->build());
  return plan;
}

Expected<std::vector<std::byte>> GpuPlan::serialize() const {
  return serialize_plan(*this);
}

size_t GpuPlan::num_launches() const {
  size_t n = 0;
  for (const auto& l : launches_) n += l.size();
  return n;
}

Expected<int> GpuPlan::add_buffer(size_t bytes, const void* host_data) {
  // Tiny tensors (one half) still get a 4-byte buffer; pad the copied data to match.
  const size_t size = std::max<size_t>(bytes, 4);
  std::vector<std::byte> padded;
  if (host_data && size != bytes) {
    padded.assign(size, std::byte{0});
    std::memcpy(padded.data(), host_data, bytes);
    host_data = padded.data();
  }
  cl_int rc = CL_SUCCESS;
  cl_mem_flags flags = CL_MEM_READ_WRITE | (host_data ? CL_MEM_COPY_HOST_PTR : 0);
  ClMem m(
      clCreateBuffer(program_->device().context(), flags, size, const_cast<void*>(host_data), &rc));
  if (rc != CL_SUCCESS)
    return cl_error("gpu backend: allocating " + std::to_string(bytes) + " bytes", rc);
  buffers_.push_back(std::move(m));
  return static_cast<int>(buffers_.size() - 1);
}

Expected<int> GpuPlan::upload_floats(const std::vector<float>& values) {
  if (!config_.fp16) return upload_f32(values);
  std::vector<uint16_t> halves(values.size());
  floats_to_halves(values.data(), halves.data(), values.size());
  return add_buffer(halves.size() * 2, halves.data());
}

Expected<int> GpuPlan::upload_f32(const std::vector<float>& values) {
  return add_buffer(values.size() * 4, values.data());
}

Expected<int> GpuPlan::static_weight(ir::TensorId t) {
  int& cached = weight_buffer_[static_cast<size_t>(t)];
  if (cached < 0) {
    OQNN_ASSIGN_OR_RETURN(cached, upload_f32(static_floats(graph_.tensor(t))));
  }
  return cached;
}

Status GpuPlan::build() {
  const ir::Graph& g = graph_;
  for (ir::TensorId t : g.inputs) inputs_.push_back(g.tensor(t));
  for (ir::TensorId t : g.outputs) outputs_.push_back(g.tensor(t));
  for (auto* io : {&inputs_, &outputs_})
    for (ir::Tensor& t : *io) {
      t.data.reset();
      t.encoding.reset();  // float execution: I/O stays float32, encodings do not apply
    }
  auto r = program_->device().make_queue();
  if (!r) return r.error();
  queue_ = std::move(*r);
  OQNN_RETURN_IF_ERROR(allocate_buffers());
  return lower_nodes();
}

Status GpuPlan::allocate_buffers() {
  const ir::Graph& g = graph_;
  const DeviceInfo& dev = program_->device().info();
  BufferPlan bp = plan_buffers(g, elem_size(), dev.base_align);
  arena_size_ = bp.arena_size;
  is_float_.assign(g.tensors.size(), false);
  for (size_t t = 0; t < g.tensors.size(); ++t) is_float_[t] = bp.is_float[bp.root[t]];
  if (dev.max_alloc && arena_size_ > dev.max_alloc)
    return unsupported("gpu backend: graph '" + g.name + "' needs " + std::to_string(arena_size_) +
                       " bytes of activations in one buffer; '" + dev.name + "' allows " +
                       std::to_string(dev.max_alloc));
  cl_int rc = CL_SUCCESS;
  if (arena_size_) {
    arena_ = ClMem(
        clCreateBuffer(program_->device().context(), CL_MEM_READ_WRITE, arena_size_, nullptr, &rc));
    if (rc != CL_SUCCESS) return cl_error("gpu backend: allocating the activation arena", rc);
  }

  // Buffers for every tensor a node or the graph I/O touches; aliases share their root's.
  // Static weights read only as float32 (is_weight_input) are uploaded by lowering instead.
  std::vector<bool> used(g.tensors.size(), false);
  for (const ir::Node& n : g.nodes) {
    for (size_t i = 0; i < n.inputs.size(); ++i) {
      ir::TensorId t = n.inputs[i];
      if (t >= 0 && !(g.tensor(t).is_static() && is_weight_input(n, i))) used[t] = true;
    }
    for (ir::TensorId t : n.outputs) used[t] = true;
  }
  for (ir::TensorId t : g.inputs) used[t] = true;
  for (ir::TensorId t : g.outputs) used[t] = true;
  tensor_buffer_.assign(g.tensors.size(), -1);
  for (size_t t = 0; t < g.tensors.size(); ++t) {
    if (!used[t] || bp.root[t] != static_cast<ir::TensorId>(t)) continue;
    const ir::Tensor& ten = g.tensors[t];
    size_t bytes = static_cast<size_t>(ir::num_elements(ten.shape)) *
                   device_elem_size(ten.dtype, is_float_[t], elem_size());
    Expected<int> idx = -1;
    if (ten.is_static() && !ir::is_float(ten.dtype)) {
      idx = add_buffer(bytes, ten.data->data());  // integer and bool values as they are
    } else if (ten.is_static()) {
      // float32 when a graph output aliases it (a constant output behind a Reshape)
      idx = is_float_[t] ? upload_f32(static_floats(ten)) : upload_floats(static_floats(ten));
    } else if (bp.offset[t] >= 0) {
      cl_buffer_region region{static_cast<size_t>(bp.offset[t]), bytes};
      ClMem sub(clCreateSubBuffer(arena_.get(), CL_MEM_READ_WRITE, CL_BUFFER_CREATE_TYPE_REGION,
                                  &region, &rc));
      if (rc != CL_SUCCESS) return cl_error("gpu backend: placing '" + ten.name + "'", rc);
      buffers_.push_back(std::move(sub));
      idx = static_cast<int>(buffers_.size() - 1);
    } else {
      idx = add_buffer(bytes, nullptr);
    }
    if (!idx) return idx.error();
    tensor_buffer_[t] = *idx;
  }
  for (size_t t = 0; t < g.tensors.size(); ++t)
    if (used[t]) tensor_buffer_[t] = tensor_buffer_[bp.root[t]];
  return Status::ok();
}

Status GpuPlan::lower_nodes() {
  const ir::Graph& g = graph_;
  launches_.resize(g.nodes.size());
  kernels_.resize(g.nodes.size());
  weight_buffer_.assign(g.tensors.size(), -1);
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const ir::Node& n = g.nodes[i];
    LowerFn lower = find_lowering(n.op);
    if (!lower)
      return unsupported("node '" + n.name + "': op '" + n.op +
                         "' is not supported by the gpu backend");
    // A node that reads or writes a float32 tensor (graph I/O) runs the float32 kernels on
    // float copies of its other activations; its storage-precision outputs are rounded
    // back after it.
    bool f32 =
        !config_.fp16 || runs_float32_kernels(g, n, [this](ir::TensorId t) { return is_float(t); });
    std::vector<std::pair<ir::TensorId, int>> remap;  // tensor → its float copy
    std::vector<Launch> before, after;
    // A Reshape launches nothing and aliases its input's buffer, which is already float32
    // when it touches graph I/O: it needs no float copies (a copy would break the alias).
    if (f32 && config_.fp16 && n.op != "Reshape") {
      auto convert = [](const char* kernel, int from, int to, int64_t count) {
        Launch k;
        k.kernel = kernel;
        k.args = {arg_buffer(from), arg_buffer(to), arg_int(count)};
        k.global = {static_cast<size_t>(count), 1, 1};
        return k;
      };
      auto copy_of = [&](ir::TensorId t, bool output) -> Status {
        if (!ir::is_float(g.tensor(t).dtype)) return Status::ok();  // same in both programs
        for (const auto& r : remap)
          if (r.first == t) return Status::ok();
        int idx = -1;
        if (g.tensor(t).is_static()) {
          OQNN_ASSIGN_OR_RETURN(idx, static_weight(t));
        } else if (!is_float(t)) {
          int64_t count = elements(g, t);
          OQNN_ASSIGN_OR_RETURN(idx, add_buffer(static_cast<size_t>(count) * 4, nullptr));
          if (output)
            after.push_back(convert("from_float", idx, tensor_buffer_[t], count));
          else
            before.push_back(convert("to_float", tensor_buffer_[t], idx, count));
        } else {
          return Status::ok();
        }
        remap.emplace_back(t, idx);
        return Status::ok();
      };
      for (ir::TensorId t : n.inputs)
        if (t >= 0) OQNN_RETURN_IF_ERROR(copy_of(t, false));
      for (ir::TensorId t : n.outputs) OQNN_RETURN_IF_ERROR(copy_of(t, true));
    }
    NodeLowering l{g,
                   config_,
                   f32,
                   [this, &remap](ir::TensorId t) {
                     for (const auto& r : remap)
                       if (r.first == t) return r.second;
                     return tensor_buffer_[t];
                   },
                   [this](ir::TensorId t) { return static_weight(t); },
                   [this](std::vector<float> v) { return upload_f32(v); },
                   [this](size_t elements) { return add_buffer(elements * 4, nullptr); },
                   {},
                   [this]() -> Expected<int> {
                     if (index_flag_ < 0) {
                       OQNN_ASSIGN_OR_RETURN(index_flag_, add_buffer(sizeof(int32_t), nullptr));
                     }
                     return index_flag_;
                   },
                   static_cast<int>(i)};
    OQNN_RETURN_IF_ERROR(lower(l, n));
    for (Launch& launch : l.launches) launch.f32 = f32;
    launches_[i] = std::move(before);
    for (Launch& launch : l.launches) launches_[i].push_back(std::move(launch));
    for (Launch& launch : after) launches_[i].push_back(std::move(launch));
    for (const Launch& launch : launches_[i]) {
      auto k = bind(launch, n.name);
      if (!k) return k.error();
      kernels_[i].push_back(std::move(*k));
    }
  }
  return Status::ok();
}

Expected<ClKernel> GpuPlan::bind(const Launch& launch, const std::string& node_name) {
  auto k = (launch.f32 ? program_f32_ : program_)->kernel(launch.kernel);
  if (!k) return k.error();
  cl_kernel kernel = k->get();
  for (size_t a = 0; a < launch.args.size(); ++a) {
    const KernelArg& arg = launch.args[a];
    cl_uint idx = static_cast<cl_uint>(a);
    cl_int rc = CL_SUCCESS;
    switch (arg.kind) {
      case KernelArg::Kind::kBuffer: {
        cl_mem m = arg.buffer >= 0 ? buffers_[static_cast<size_t>(arg.buffer)].get() : nullptr;
        rc = clSetKernelArg(kernel, idx, sizeof(cl_mem), &m);
        break;
      }
      case KernelArg::Kind::kInt:
        rc = clSetKernelArg(kernel, idx, sizeof(cl_int), &arg.ints[0]);
        break;
      case KernelArg::Kind::kFloat:
        rc = clSetKernelArg(kernel, idx, sizeof(cl_float), &arg.f);
        break;
      case KernelArg::Kind::kInts:
        rc = clSetKernelArg(kernel, idx, sizeof(cl_int) * arg.count, arg.ints.data());
        break;
    }
    if (rc != CL_SUCCESS)
      return cl_error("node '" + node_name + "': argument " + std::to_string(a) + " of kernel '" +
                          launch.kernel + "'",
                      rc);
  }
  return std::move(*k);
}

Status GpuPlan::write_tensor(ir::TensorId t, const void* data) {
  const ir::Tensor& ten = graph_.tensor(t);
  size_t n = static_cast<size_t>(ir::num_elements(ten.shape));
  cl_mem m = buffers_[static_cast<size_t>(tensor_buffer_[t])].get();
  const void* src = data;
  const bool half = ir::is_float(ten.dtype) && !is_float(t);
  if (half) {
    staging_.resize(n);
    floats_to_halves(static_cast<const float*>(data), staging_.data(), n);
    src = staging_.data();
  }
  const size_t bytes = n * device_elem_size(ten.dtype, is_float(t), elem_size());
  cl_int rc = clEnqueueWriteBuffer(queue_.get(), m, CL_TRUE, 0, bytes, src, 0, nullptr, nullptr);
  if (rc != CL_SUCCESS) return cl_error("uploading input '" + graph_.tensor(t).name + "'", rc);
  return Status::ok();
}

Status GpuPlan::read_tensor(ir::TensorId t, void* data) {
  const ir::Tensor& ten = graph_.tensor(t);
  size_t n = static_cast<size_t>(ir::num_elements(ten.shape));
  cl_mem m = buffers_[static_cast<size_t>(tensor_buffer_[t])].get();
  void* dst = data;
  const bool half = ir::is_float(ten.dtype) && !is_float(t);
  if (half) {
    staging_.resize(n);
    dst = staging_.data();
  }
  const size_t bytes = n * device_elem_size(ten.dtype, is_float(t), elem_size());
  cl_int rc = clEnqueueReadBuffer(queue_.get(), m, CL_TRUE, 0, bytes, dst, 0, nullptr, nullptr);
  if (rc != CL_SUCCESS) return cl_error("downloading '" + ten.name + "'", rc);
  if (half) halves_to_floats(staging_.data(), static_cast<float*>(data), n);
  return Status::ok();
}

Status GpuPlan::execute(std::span<const OqnnTensorView> inputs, std::span<OqnnTensorView> outputs,
                        const OqnnExecuteOptions* opts) {
  std::lock_guard<std::mutex> lock(mutex_);
  OQNN_RETURN_IF_ERROR(rt::check_io(inputs, inputs_, "inputs"));
  OQNN_RETURN_IF_ERROR(rt::check_io(outputs, outputs_, "outputs"));
  auto no_data = [](const OqnnTensorView& v) { return v.data == nullptr; };
  if (std::any_of(inputs.begin(), inputs.end(), no_data) ||
      std::any_of(outputs.begin(), outputs.end(), no_data))
    return bad_input("graph '" + graph_.name + "': an input or output buffer is NULL");
  const ir::Graph& g = graph_;
  for (size_t i = 0; i < g.inputs.size(); ++i)
    OQNN_RETURN_IF_ERROR(write_tensor(g.inputs[i], inputs[i].data));
  OQNN_RETURN_IF_ERROR(index_flag_io(true));
  const bool timed = opts && opts->on_node_time;
  const bool dump = opts && opts->on_tensor;
  std::vector<std::byte> host;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const ir::Node& n = g.nodes[i];
    if (timed) clFinish(queue_.get());  // time this node alone
    auto t0 = std::chrono::steady_clock::now();
    for (size_t k = 0; k < kernels_[i].size(); ++k) {
      const Launch& l = launches_[i][k];
      cl_int rc = clEnqueueNDRangeKernel(queue_.get(), kernels_[i][k].get(), l.dims, nullptr,
                                         l.global.data(), nullptr, 0, nullptr, nullptr);
      if (rc != CL_SUCCESS)
        return cl_error("node '" + n.name + "' (" + n.op + "): launching " + l.kernel, rc);
    }
    if (timed) {
      cl_int rc = clFinish(queue_.get());
      if (rc != CL_SUCCESS) return cl_error("node '" + n.name + "' (" + n.op + ")", rc);
      auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                    std::chrono::steady_clock::now() - t0)
                    .count();
      opts->on_node_time(opts->user, n.name.c_str(), n.op.c_str(), static_cast<uint64_t>(ns));
    }
    if (dump) {
      for (ir::TensorId t : n.outputs) {
        const ir::Tensor& ten = g.tensor(t);
        // Float tensors as float32, integer and bool ones in their own type.
        const ir::DataType dt = ir::is_float(ten.dtype) ? ir::DataType::kFloat32 : ten.dtype;
        host.resize(static_cast<size_t>(ir::num_elements(ten.shape)) * ir::dtype_size(dt));
        OQNN_RETURN_IF_ERROR(read_tensor(t, host.data()));
        OqnnTensorView v{ten.name.c_str(),
                         static_cast<int32_t>(dt),
                         static_cast<uint32_t>(ten.shape.size()),
                         ten.shape.data(),
                         host.data(),
                         host.size(),
                         nullptr};
        opts->on_tensor(opts->user, &v);
      }
    }
  }
  OQNN_RETURN_IF_ERROR(index_flag_io(false));
  for (size_t i = 0; i < g.outputs.size(); ++i)
    OQNN_RETURN_IF_ERROR(read_tensor(g.outputs[i], outputs[i].data));
  return Status::ok();
}

// Clears the index-error flag before a run (reset) or checks it after one.
Status GpuPlan::index_flag_io(bool reset) {
  if (index_flag_ < 0) return Status::ok();
  int32_t flag = 0;
  cl_mem m = buffers_[static_cast<size_t>(index_flag_)].get();
  cl_int rc = reset ? clEnqueueWriteBuffer(queue_.get(), m, CL_TRUE, 0, sizeof flag, &flag, 0,
                                           nullptr, nullptr)
                    : clEnqueueReadBuffer(queue_.get(), m, CL_TRUE, 0, sizeof flag, &flag, 0,
                                          nullptr, nullptr);
  if (rc != CL_SUCCESS) return cl_error("graph '" + graph_.name + "': the index-error flag", rc);
  if (flag <= 0 || static_cast<size_t>(flag) > graph_.nodes.size()) return Status::ok();
  const ir::Node& n = graph_.nodes[static_cast<size_t>(flag - 1)];
  return bad_input("node '" + n.name + "' (" + n.op + "): an index is out of range");
}

}  // namespace oqnn::gpu
