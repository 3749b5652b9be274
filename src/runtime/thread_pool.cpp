#include "runtime/thread_pool.h"

#include <sched.h>

#include <algorithm>

namespace oqnn::rt {
namespace {

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

// Spins until done() or kSpin has passed; true when done() held.
template <typename Done>
bool spin_until(Done done) {
  auto deadline = std::chrono::steady_clock::now() + ThreadPool::kSpin;
  for (;;) {
    for (int i = 0; i < 64; ++i) {
      if (done()) return true;
      cpu_relax();
    }
    if (std::chrono::steady_clock::now() >= deadline) return done();
  }
}

}  // namespace

int available_cores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) return std::max(1, CPU_COUNT(&set));
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

ThreadPool::ThreadPool(int num_threads) {
  for (int i = 1; i < std::max(1, num_threads); ++i)
    workers_.emplace_back([this] { worker_loop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lk(mu_);
    stop_.store(true);
  }
  cv_.notify_all();
  for (auto& t : workers_) t.join();
}

int ThreadPool::run_claims(uint32_t gen) {
  int ran = 0;
  uint64_t s = state_.load(std::memory_order_acquire);
  for (;;) {
    if (static_cast<uint32_t>(s >> 32) != gen) return ran;
    uint64_t parts = (s >> 16) & 0xffff, next = s & 0xffff;
    if (next >= parts) return ran;
    if (!state_.compare_exchange_weak(s, s + 1, std::memory_order_acq_rel,
                                      std::memory_order_acquire))
      continue;
    int64_t b = static_cast<int64_t>(next) * job_chunk_, e = std::min(job_n_, b + job_chunk_);
    if (b < e) call_(fn_, b, e);
    ++ran;
    s = state_.load(std::memory_order_acquire);
  }
}

void ThreadPool::worker_loop() {
  uint32_t seen = 0;
  auto gen_now = [&] { return static_cast<uint32_t>(state_.load() >> 32); };
  for (;;) {
    auto fresh = [&] { return stop_.load() || gen_now() != seen; };
    if (!spin_until(fresh)) {
      std::unique_lock<std::mutex> lk(mu_);
      sleepers_.fetch_add(1);
      cv_.wait(lk, fresh);
      sleepers_.fetch_sub(1);
    }
    if (stop_.load(std::memory_order_acquire)) return;
    seen = gen_now();
    if (int ran = run_claims(seen); ran > 0) {
      // The caller waits for done_ to reach the ranges it did not run itself.
      done_.fetch_add(ran, std::memory_order_acq_rel);
      std::lock_guard<std::mutex> lk(mu_);
      done_cv_.notify_one();
    }
  }
}

void ThreadPool::run(int64_t n, int64_t grain, Call call, const void* fn) {
  if (n <= 0) return;
  int64_t parts = std::min<int64_t>(
      {size(), int64_t{0xffff}, std::max<int64_t>(1, n / std::max<int64_t>(1, grain))});
  if (parts <= 1) {
    call(fn, 0, n);
    return;
  }
  call_ = call;
  fn_ = fn;
  job_n_ = n;
  job_chunk_ = (n + parts - 1) / parts;
  done_.store(0, std::memory_order_relaxed);
  uint32_t gen = static_cast<uint32_t>(state_.load(std::memory_order_relaxed) >> 32) + 1;
  state_.store((static_cast<uint64_t>(gen) << 32) | (static_cast<uint64_t>(parts) << 16));
  if (sleepers_.load() > 0) {
    { std::lock_guard<std::mutex> lk(mu_); }
    cv_.notify_all();
  }
  const int by_workers = static_cast<int>(parts) - run_claims(gen);
  auto finished = [&] { return done_.load(std::memory_order_acquire) >= by_workers; };
  if (!spin_until(finished)) {
    std::unique_lock<std::mutex> lk(mu_);
    done_cv_.wait(lk, finished);
  }
}

}  // namespace oqnn::rt
