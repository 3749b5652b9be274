// Streams a POSIX ustar archive (X.bin) into an AtomicFile, one member at a time, so that
// a 100 MB model never needs a 100 MB buffer. Members are written as QNN expects and
// `tar tvf` lists them: mode 0644, mtime 0, uid/gid 0, no user or group names. A name
// longer than the 100-byte ustar field (or a member of 8 GiB or more) gets a pax extended
// header in front of it.
#pragma once

#include <cstddef>
#include <span>
#include <string>

#include "support/files.h"
#include "support/status.h"

namespace oqnn::codegen {

class UstarWriter {
 public:
  explicit UstarWriter(AtomicFile& out) : out_(out) {}
  Status add(const std::string& name, std::span<const std::byte> data);
  Status finish();  // the two zero blocks that end an archive

 private:
  Status write_header(const std::string& name, uint64_t size, char typeflag);
  Status pad_to_block(uint64_t size);
  AtomicFile& out_;
};

}  // namespace oqnn::codegen
