#include "ir/serialize.h"

#include <limits>

#include "ir/op_def.h"
#include "support/bytes.h"

namespace oqnn::ir {
namespace {

constexpr uint32_t kMagic = 0x5249514fu;  // "OQIR"
constexpr uint32_t kVersion = 1;
constexpr size_t kAlign = 64;

enum ParamTag : uint8_t {
  kTagInt = 0,
  kTagFloat = 1,
  kTagString = 2,
  kTagInts = 3,
  kTagFloats = 4
};

void put_ids(ByteWriter& w, const std::vector<TensorId>& ids) {
  w.put_u32(static_cast<uint32_t>(ids.size()));
  for (TensorId t : ids) w.put_u32(static_cast<uint32_t>(t));
}

void put_param(ByteWriter& w, const ParamValue& v) {
  if (auto* i = std::get_if<int64_t>(&v)) {
    w.put_u8(kTagInt);
    w.put_i64(*i);
  } else if (auto* d = std::get_if<double>(&v)) {
    w.put_u8(kTagFloat);
    w.put_f64(*d);
  } else if (auto* s = std::get_if<std::string>(&v)) {
    w.put_u8(kTagString);
    w.put_str(*s);
  } else if (auto* vi = std::get_if<std::vector<int64_t>>(&v)) {
    w.put_u8(kTagInts);
    w.put_u32(static_cast<uint32_t>(vi->size()));
    for (int64_t x : *vi) w.put_i64(x);
  } else if (auto* vd = std::get_if<std::vector<double>>(&v)) {
    w.put_u8(kTagFloats);
    w.put_u32(static_cast<uint32_t>(vd->size()));
    for (double x : *vd) w.put_f64(x);
  }
}

}  // namespace

std::vector<std::byte> serialize_graph(const Graph& g) {
  ByteWriter w;
  w.put_u32(kMagic);
  w.put_u32(kVersion);
  w.put_str(g.name);
  w.put_u32(static_cast<uint32_t>(g.attributes.size()));
  for (const auto& [k, v] : g.attributes) {
    w.put_str(k);
    w.put_str(v);
  }
  // Data offsets are relative to the start of the data section, which follows the
  // metadata at the next 64-byte boundary.
  uint64_t data_off = 0;
  std::vector<uint64_t> offsets(g.tensors.size(), 0);
  for (size_t i = 0; i < g.tensors.size(); ++i) {
    const Tensor& t = g.tensors[i];
    if (!t.is_static()) continue;
    offsets[i] = data_off;
    data_off += (t.data->size() + kAlign - 1) / kAlign * kAlign;
  }
  w.put_u32(static_cast<uint32_t>(g.tensors.size()));
  for (size_t i = 0; i < g.tensors.size(); ++i) {
    const Tensor& t = g.tensors[i];
    w.put_str(t.name);
    w.put_u8(static_cast<uint8_t>(t.dtype));
    w.put_u8(static_cast<uint8_t>(t.kind));
    w.put_u32(static_cast<uint32_t>(t.shape.size()));
    for (int64_t d : t.shape) w.put_i64(d);
    w.put_u8(t.encoding ? 1 : 0);
    if (t.encoding) {
      const Encoding& e = *t.encoding;
      w.put_u32(static_cast<uint32_t>(e.bitwidth));
      w.put_u8(e.is_signed);
      w.put_u8(e.symmetric);
      w.put_i64(e.axis);
      w.put_u32(static_cast<uint32_t>(e.scale.size()));
      for (size_t c = 0; c < e.scale.size(); ++c) {
        w.put_f64(e.scale[c]);
        w.put_i64(e.offset[c]);
      }
    }
    if (t.is_static()) {
      w.put_u64(offsets[i]);
      w.put_u64(t.data->size());
    }
  }
  w.put_u32(static_cast<uint32_t>(g.nodes.size()));
  for (const Node& n : g.nodes) {
    w.put_str(n.name);
    w.put_str(n.op);
    put_ids(w, n.inputs);
    put_ids(w, n.outputs);
    w.put_u32(static_cast<uint32_t>(n.params.all().size()));
    for (const auto& [k, v] : n.params.all()) {
      w.put_str(k);
      put_param(w, v);
    }
  }
  put_ids(w, g.inputs);
  put_ids(w, g.outputs);
  w.put_u64(data_off);
  w.align(kAlign);
  for (const Tensor& t : g.tensors) {
    if (!t.is_static()) continue;
    w.put_raw(t.data->data(), t.data->size());
    w.align(kAlign);
  }
  return std::move(w.bytes());
}

Expected<Graph> deserialize_graph(std::shared_ptr<const Blob> blob, size_t offset, size_t size,
                                  const std::string& origin) {
  auto fail = [&](const std::string& what) -> Error {
    return bad_input(origin + ": malformed graph section: " + what);
  };
  if (offset > blob->size() || size > blob->size() - offset) return fail("out of bounds");
  ByteReader r({blob->data() + offset, size});
  uint32_t magic = 0, version = 0;
  if (!r.get_u32(magic) || magic != kMagic) return fail("bad magic");
  if (!r.get_u32(version) || version != kVersion)
    return fail("unsupported version " + std::to_string(version));
  Graph g;
  uint32_t n_attr = 0;
  if (!r.get_str(g.name) || !r.get_u32(n_attr) || n_attr > r.remaining()) return fail("header");
  for (uint32_t i = 0; i < n_attr; ++i) {
    std::string k, v;
    if (!r.get_str(k) || !r.get_str(v)) return fail("attributes");
    g.attributes[k] = v;
  }
  uint32_t n_tensors = 0;
  if (!r.get_u32(n_tensors) || n_tensors > r.remaining()) return fail("tensor count");
  struct DataRef {
    uint64_t off, size;
  };
  std::vector<DataRef> refs(n_tensors, {0, 0});
  for (uint32_t i = 0; i < n_tensors; ++i) {
    Tensor t;
    uint8_t dt = 0, kind = 0, has_enc = 0;
    uint32_t rank = 0;
    if (!r.get_str(t.name) || !r.get_u8(dt) || !r.get_u8(kind) || !r.get_u32(rank) ||
        dt > static_cast<uint8_t>(DataType::kBool) || kind > 3 || rank > 8)
      return fail("tensor " + std::to_string(i));
    t.dtype = static_cast<DataType>(dt);
    t.kind = static_cast<TensorKind>(kind);
    t.shape.resize(rank);
    for (auto& d : t.shape)
      if (!r.get_i64(d)) return fail("shape of " + t.name);
    if (checked_num_elements(t.shape) < 0)
      return fail("shape of " + t.name + " " + shape_str(t.shape) + " (negative or too large)");
    if (!r.get_u8(has_enc)) return fail("tensor " + t.name);
    if (has_enc) {
      Encoding e;
      uint32_t bw = 0, n = 0;
      uint8_t s = 0, sym = 0;
      int64_t axis = 0;
      if (!r.get_u32(bw) || !r.get_u8(s) || !r.get_u8(sym) || !r.get_i64(axis) || !r.get_u32(n) ||
          bw == 0 || bw > 32 || n > r.remaining() || axis < -1 || axis > 8)
        return fail("encoding of " + t.name);
      e.bitwidth = static_cast<int>(bw);
      e.is_signed = s != 0;
      e.symmetric = sym != 0;
      e.axis = static_cast<int>(axis);
      e.scale.resize(n);
      e.offset.resize(n);
      for (uint32_t c = 0; c < n; ++c) {
        int64_t o = 0;
        if (!r.get_f64(e.scale[c]) || !r.get_i64(o)) return fail("encoding of " + t.name);
        e.offset[c] = static_cast<int32_t>(o);
      }
      t.encoding = std::move(e);
    }
    if (t.is_static()) {
      if (!r.get_u64(refs[i].off) || !r.get_u64(refs[i].size)) return fail("data of " + t.name);
      if (refs[i].size != static_cast<uint64_t>(num_elements(t.shape)) * dtype_size(t.dtype))
        return fail("data size of " + t.name);
    }
    g.tensors.push_back(std::move(t));
  }
  auto get_ids = [&](std::vector<TensorId>& ids) {
    uint32_t n = 0;
    if (!r.get_u32(n) || n > r.remaining()) return false;
    ids.resize(n);
    for (auto& id : ids) {
      uint32_t v = 0;
      if (!r.get_u32(v)) return false;
      id = static_cast<TensorId>(v);
      if (id != kNoTensor && (id < 0 || static_cast<uint32_t>(id) >= n_tensors)) return false;
    }
    return true;
  };
  uint32_t n_nodes = 0;
  if (!r.get_u32(n_nodes) || n_nodes > r.remaining()) return fail("node count");
  for (uint32_t i = 0; i < n_nodes; ++i) {
    Node n;
    uint32_t n_params = 0;
    if (!r.get_str(n.name) || !r.get_str(n.op) || !get_ids(n.inputs) || !get_ids(n.outputs) ||
        !r.get_u32(n_params) || n_params > r.remaining())
      return fail("node " + std::to_string(i));
    for (uint32_t p = 0; p < n_params; ++p) {
      std::string k;
      uint8_t tag = 0;
      if (!r.get_str(k) || !r.get_u8(tag)) return fail("params of " + n.name);
      bool ok = true;
      if (tag == kTagInt) {
        int64_t v = 0;
        ok = r.get_i64(v);
        n.params.set(k, v);
      } else if (tag == kTagFloat) {
        double v = 0;
        ok = r.get_f64(v);
        n.params.set(k, v);
      } else if (tag == kTagString) {
        std::string v;
        ok = r.get_str(v);
        n.params.set(k, v);
      } else if (tag == kTagInts || tag == kTagFloats) {
        uint32_t cnt = 0;
        ok = r.get_u32(cnt) && cnt <= r.remaining() / 8;
        if (ok && tag == kTagInts) {
          std::vector<int64_t> v(cnt);
          for (auto& x : v) ok = ok && r.get_i64(x);
          n.params.set(k, v);
        } else if (ok) {
          std::vector<double> v(cnt);
          for (auto& x : v) ok = ok && r.get_f64(x);
          n.params.set(k, v);
        }
      } else {
        ok = false;
      }
      if (!ok) return fail("params of " + n.name);
    }
    g.nodes.push_back(std::move(n));
  }
  uint64_t data_size = 0;
  if (!get_ids(g.inputs) || !get_ids(g.outputs) || !r.get_u64(data_size)) return fail("graph io");
  size_t data_start = (r.pos() + kAlign - 1) / kAlign * kAlign;
  if (data_start > size || data_size > size - data_start) return fail("data section truncated");
  for (uint32_t i = 0; i < n_tensors; ++i) {
    Tensor& t = g.tensors[i];
    if (!t.is_static()) continue;
    if (refs[i].off > data_size || refs[i].size > data_size - refs[i].off)
      return fail("data of " + t.name + " out of bounds");
    if (refs[i].off % kAlign != 0)  // kernels read the data in place as float/int32 arrays
      return fail("data of " + t.name + " is not 64-byte aligned");
    t.data = std::make_shared<SubBlob>(blob, offset + data_start + refs[i].off, refs[i].size);
  }
  g.rebuild_name_index();
  return g;
}

}  // namespace oqnn::ir
