// A small fixed-size thread pool with a blocking parallel_for. Work is split into
// contiguous ranges; kernels must produce the same bytes whatever the split, so that
// outputs do not depend on the thread count. Between jobs, workers spin for a short while
// (kSpin) before they sleep, so that the many small jobs of one inference (a transformer's
// per-node GEMMs) do not each pay a sleep/wake-up; the caller spins the same way for its
// workers to finish.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace oqnn::rt {

// The CPUs this process may run on (sched_getaffinity), at least 1: the default thread
// count of the cpu and htp backends.
int available_cores();

class ThreadPool {
 public:
  static constexpr std::chrono::microseconds kSpin{100};

  explicit ThreadPool(int num_threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;
  int size() const { return static_cast<int>(workers_.size()) + 1; }
  // Calls fn(begin, end) over [0, n) in at most size() chunks of at least `grain` items.
  void parallel_for(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn);

 private:
  void worker_loop(int index);
  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable cv_, done_cv_;
  // The job: written by parallel_for before it publishes a new generation_, read by the
  // workers after they see it. Every worker acknowledges every job (pending_), so none is
  // overwritten while a worker may still read it.
  const std::function<void(int64_t, int64_t)>* job_ = nullptr;
  int64_t job_n_ = 0, job_chunk_ = 0;
  int job_parts_ = 0;
  std::atomic<int> pending_{0};
  std::atomic<uint64_t> generation_{0};
  std::atomic<bool> stop_{false};
};

}  // namespace oqnn::rt
