// A small fixed-size thread pool with a blocking parallel_for. Work is split into
// contiguous ranges; kernels must produce the same bytes whatever the split, so that
// outputs do not depend on the thread count. The split depends only on n, grain and the
// pool size; which thread runs each range does not matter: the caller and the workers
// claim ranges from one atomic word, so the caller never waits for a worker that has not
// woken up yet (it runs the unclaimed ranges itself) and only waits for ranges already
// running. Between jobs, workers spin for a short while (kSpin) before they sleep, so
// that the many small jobs of one inference do not each pay a wake-up. parallel_for does
// not allocate: the job is a pointer to the caller's callable.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <type_traits>
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
  template <class F>
  void parallel_for(int64_t n, int64_t grain, F&& fn) {
    using Fn = std::remove_reference_t<F>;
    run(
        n, grain, [](const void* f, int64_t b, int64_t e) { (*static_cast<const Fn*>(f))(b, e); },
        &fn);
  }

 private:
  using Call = void (*)(const void*, int64_t, int64_t);
  void run(int64_t n, int64_t grain, Call call, const void* fn);
  // Claims and runs ranges of the job published as generation `gen` until none is left;
  // returns how many it ran.
  int run_claims(uint32_t gen);
  void worker_loop();

  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable cv_, done_cv_;
  // The job: written by run() before it publishes a new generation in state_, read by a
  // thread only after it claimed one of the job's ranges (the job cannot end, and so
  // cannot be overwritten, before that range is done).
  Call call_ = nullptr;
  const void* fn_ = nullptr;
  int64_t job_n_ = 0, job_chunk_ = 0;
  // generation (high 32 bits) | parts (16 bits) | next unclaimed range (low 16 bits).
  std::atomic<uint64_t> state_{0};
  std::atomic<int> done_{0};      // ranges of the current job finished by workers
  std::atomic<int> sleepers_{0};  // workers waiting (or about to wait) on cv_
  std::atomic<bool> stop_{false};
};

}  // namespace oqnn::rt
