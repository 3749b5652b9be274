#include "support/files.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace oqnn {
namespace fs = std::filesystem;

namespace {

class MappedBlob final : public Blob {
 public:
  MappedBlob(void* addr, size_t size) : addr_(addr), size_(size) {}
  ~MappedBlob() override {
    if (addr_ != nullptr && size_ > 0) munmap(addr_, size_);
  }
  const std::byte* data() const override { return static_cast<const std::byte*>(addr_); }
  size_t size() const override { return size_; }

 private:
  void* addr_;
  size_t size_;
};

std::string errno_text() {
  return std::strerror(errno);
}

}  // namespace

std::shared_ptr<Blob> make_owned_blob(std::vector<std::byte> bytes) {
  return std::make_shared<OwnedBlob>(std::move(bytes));
}

std::shared_ptr<Blob> make_owned_blob(const void* data, size_t size) {
  std::vector<std::byte> bytes(size);
  if (size > 0) std::memcpy(bytes.data(), data, size);
  return make_owned_blob(std::move(bytes));
}

Expected<std::shared_ptr<const Blob>> map_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return bad_input(path + ": cannot open: " + errno_text());
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return bad_input(path + ": not a regular file");
  }
  size_t size = static_cast<size_t>(st.st_size);
  if (size == 0) {
    ::close(fd);
    return std::shared_ptr<const Blob>(std::make_shared<OwnedBlob>(std::vector<std::byte>{}));
  }
  void* addr = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (addr == MAP_FAILED) return bad_input(path + ": cannot map: " + errno_text());
  return std::shared_ptr<const Blob>(std::make_shared<MappedBlob>(addr, size));
}

Expected<std::string> read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return bad_input(path + ": cannot open: " + errno_text());
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return bad_input(path + ": read failed");
  return ss.str();
}

bool file_exists(const std::string& path) {
  std::error_code ec;
  return fs::exists(path, ec);
}

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)) {}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_ && !tmp_.empty()) ::unlink(tmp_.c_str());
}

Status AtomicFile::open() {
  std::string dir = dirname_of(path_);
  std::string templ = join_path(dir, "." + basename_of(path_) + ".tmpXXXXXX");
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  fd_ = mkstemp(buf.data());
  if (fd_ < 0) return bad_input(path_ + ": cannot create: " + errno_text());
  tmp_ = buf.data();
  fchmod(fd_, 0644);
  return Status::ok();
}

Status AtomicFile::write(const void* data, size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t n = ::write(fd_, p, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return bad_input(path_ + ": write failed: " + errno_text());
    }
    p += n;
    size -= static_cast<size_t>(n);
    offset_ += static_cast<uint64_t>(n);
  }
  return Status::ok();
}

Status AtomicFile::commit() {
  if (::close(fd_) != 0) {
    fd_ = -1;
    return bad_input(path_ + ": close failed: " + errno_text());
  }
  fd_ = -1;
  if (::rename(tmp_.c_str(), path_.c_str()) != 0)
    return bad_input(path_ + ": cannot rename into place: " + errno_text());
  committed_ = true;
  return Status::ok();
}

Status write_file_atomic(const std::string& path, std::span<const std::byte> bytes) {
  AtomicFile f(path);
  OQNN_RETURN_IF_ERROR(f.open());
  OQNN_RETURN_IF_ERROR(f.write(bytes.data(), bytes.size()));
  return f.commit();
}

Status write_text_atomic(const std::string& path, const std::string& text) {
  return write_file_atomic(path, std::as_bytes(std::span(text.data(), text.size())));
}

OutputGuard::~OutputGuard() {
  if (keep_) return;
  std::error_code ec;
  for (const auto& f : files_) fs::remove(f, ec);
  for (auto it = dirs_.rbegin(); it != dirs_.rend(); ++it) fs::remove_all(*it, ec);
}

Status OutputGuard::make_dirs(const std::string& dir) {
  if (dir.empty()) return Status::ok();
  fs::path p(dir);
  std::vector<fs::path> missing;
  for (fs::path q = p; !q.empty() && !fs::exists(q); q = q.parent_path()) {
    missing.push_back(q);
    if (q == q.parent_path()) break;
  }
  std::error_code ec;
  fs::create_directories(p, ec);
  if (ec) return bad_input(dir + ": cannot create folder: " + ec.message());
  if (!fs::is_directory(p)) return bad_input(dir + ": exists and is not a folder");
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) dirs_.push_back(it->string());
  // Keep only the outermost created folder: removing it removes the rest.
  if (!missing.empty()) {
    dirs_.erase(dirs_.end() - static_cast<long>(missing.size()) + 1, dirs_.end());
  }
  return Status::ok();
}

std::string dirname_of(const std::string& path) {
  fs::path p = fs::path(path).parent_path();
  return p.empty() ? std::string(".") : p.string();
}
std::string basename_of(const std::string& path) {
  return fs::path(path).filename().string();
}
std::string stem_of(const std::string& path) {
  return fs::path(path).stem().string();
}
std::string join_path(const std::string& a, const std::string& b) {
  return (fs::path(a) / fs::path(b)).string();
}

std::string executable_dir() {
  std::error_code ec;
  fs::path p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(".") : p.parent_path().string();
}

}  // namespace oqnn
