// File helpers shared by every layer: read-only mapping, atomic writes (temp file in the
// same folder, then rename, so a failed run leaves nothing for make to trust), and the
// output-set guard that removes everything a failed command started to write.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "support/status.h"

namespace oqnn {

// Immutable bytes that stay valid as long as any copy of the shared_ptr lives.
class Blob {
 public:
  virtual ~Blob() = default;
  virtual const std::byte* data() const = 0;
  virtual size_t size() const = 0;
  std::span<const std::byte> span() const { return {data(), size()}; }
};

class OwnedBlob final : public Blob {
 public:
  explicit OwnedBlob(std::vector<std::byte> bytes) : bytes_(std::move(bytes)) {}
  const std::byte* data() const override { return bytes_.data(); }
  size_t size() const override { return bytes_.size(); }
  std::vector<std::byte>& bytes() { return bytes_; }

 private:
  std::vector<std::byte> bytes_;
};

// A window into another blob (keeps the parent alive).
class SubBlob final : public Blob {
 public:
  SubBlob(std::shared_ptr<const Blob> parent, size_t offset, size_t size)
      : parent_(std::move(parent)), offset_(offset), size_(size) {}
  const std::byte* data() const override { return parent_->data() + offset_; }
  size_t size() const override { return size_; }

 private:
  std::shared_ptr<const Blob> parent_;
  size_t offset_, size_;
};

// Bytes owned elsewhere, kept alive by an opaque keeper (e.g. a dlopen handle).
class ExternalBlob final : public Blob {
 public:
  ExternalBlob(const std::byte* data, size_t size, std::shared_ptr<void> keeper)
      : data_(data), size_(size), keeper_(std::move(keeper)) {}
  const std::byte* data() const override { return data_; }
  size_t size() const override { return size_; }

 private:
  const std::byte* data_;
  size_t size_;
  std::shared_ptr<void> keeper_;
};

std::shared_ptr<Blob> make_owned_blob(std::vector<std::byte> bytes);
std::shared_ptr<Blob> make_owned_blob(const void* data, size_t size);

// Maps a whole file read-only. Errors name the file.
Expected<std::shared_ptr<const Blob>> map_file(const std::string& path);
Expected<std::string> read_text_file(const std::string& path);
bool file_exists(const std::string& path);

// Writes `bytes` to `path` atomically.
Status write_file_atomic(const std::string& path, std::span<const std::byte> bytes);
Status write_text_atomic(const std::string& path, const std::string& text);

// Streams into a temp file beside `path`; commit() renames it into place, the destructor
// removes the temp file if commit() was never reached.
class AtomicFile {
 public:
  explicit AtomicFile(std::string path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  Status open();
  Status write(const void* data, size_t size);
  uint64_t offset() const { return offset_; }
  Status commit();
  const std::string& path() const { return path_; }

 private:
  std::string path_, tmp_;
  int fd_ = -1;
  uint64_t offset_ = 0;
  bool committed_ = false;
};

// Remembers every output a command writes; unless keep() is called, the destructor
// deletes them (and folders it created), so a failed command leaves nothing behind.
class OutputGuard {
 public:
  OutputGuard() = default;
  ~OutputGuard();
  OutputGuard(const OutputGuard&) = delete;
  OutputGuard& operator=(const OutputGuard&) = delete;
  void add_file(const std::string& path) { files_.push_back(path); }
  // Creates `dir` and its parents if missing, remembering those it made.
  Status make_dirs(const std::string& dir);
  void keep() { keep_ = true; }

 private:
  std::vector<std::string> files_, dirs_;
  bool keep_ = false;
};

std::string dirname_of(const std::string& path);
std::string basename_of(const std::string& path);
std::string stem_of(const std::string& path);  // basename without its last extension
std::string join_path(const std::string& a, const std::string& b);
// Folder holding the running executable (for finding sibling lib/ and include/).
std::string executable_dir();

}  // namespace oqnn
