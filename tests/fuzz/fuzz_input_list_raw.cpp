// --input_list files and the .raw inputs they name. The front of each input is the list's
// text: parsed, then matched against two graph inputs. The last bytes describe the tensor
// a .raw file is read for (dtype, shape, encoding: what a plan's io_info reports) and the
// bytes between are that file, read as float32 or native data and converted both ways.
#include <fuzzer/FuzzedDataProvider.h>

#include <string>
#include <vector>

#include "fuzz_util.h"
#include "runtime/input_list.h"
#include "runtime/raw_io.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  oqnn::fuzz::init();
  return 0;
}

namespace {

oqnn::rt::TensorInfo consume_tensor(FuzzedDataProvider& fdp) {
  using namespace oqnn;
  rt::TensorInfo t;
  t.name = fdp.PickValueInArray({"input", "input:0", "in/1", "image.1"});
  t.dtype = static_cast<ir::DataType>(
      fdp.ConsumeIntegralInRange<int>(0, static_cast<int>(ir::DataType::kBool)));
  int rank = fdp.ConsumeIntegralInRange(0, 4);
  for (int i = 0; i < rank; ++i) t.shape.push_back(fdp.ConsumeIntegralInRange<int64_t>(0, 6));
  if (fdp.ConsumeBool()) {
    ir::Encoding e;
    e.bitwidth = fdp.PickValueInArray({4, 8, 16, 32});
    e.is_signed = fdp.ConsumeBool();
    e.symmetric = fdp.ConsumeBool();
    e.axis = fdp.ConsumeIntegralInRange(-1, rank - 1);
    size_t channels = e.axis >= 0 ? static_cast<size_t>(t.shape[e.axis]) : 1;
    for (size_t c = 0; c < channels; ++c) {
      e.scale.push_back(fdp.ConsumeFloatingPointInRange<double>(1e-9, 1e3));
      e.offset.push_back(fdp.ConsumeIntegral<int32_t>());
    }
    t.encoding = std::move(e);
  }
  return t;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace oqnn;
  FuzzedDataProvider fdp(data, size);
  rt::TensorInfo tensor = consume_tensor(fdp);
  bool native = fdp.ConsumeBool();
  std::string text =
      fdp.ConsumeBytesAsString(fdp.ConsumeIntegralInRange<size_t>(0, fdp.remaining_bytes()));
  std::vector<uint8_t> raw = fdp.ConsumeRemainingBytes<uint8_t>();

  auto list = rt::parse_input_list(text, "fuzz_input_list.txt");
  fuzz::check_result(list, "parse_input_list");
  if (list) {
    rt::TensorInfo second{"input_2", ir::DataType::kFloat32, {1, 2}, std::nullopt, ""};
    std::vector<rt::TensorInfo> inputs{tensor, second};
    for (const rt::InputLine& line : list->lines)
      fuzz::check_result(rt::assign_inputs(*list, line, inputs), "assign_inputs");
  }

  std::string path = fuzz::write_temp("input.raw", raw.data(), raw.size());
  auto bytes = rt::read_raw_input(path, tensor, native);
  fuzz::check_result(bytes, "read_raw_input");
  if (bytes) {
    std::vector<float> values = rt::native_to_float(*bytes, tensor);
    std::vector<std::byte> back = rt::float_to_native(values, tensor);
    if (back.size() != bytes->size()) __builtin_trap();
  }
  return 0;
}
