#include "runtime/thread_pool.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <utility>
#include <vector>

namespace oqnn::rt {
namespace {

TEST(ThreadPool, AvailableCoresIsPositive) {
  EXPECT_GE(available_cores(), 1);
}

// Every index is visited exactly once, over many back-to-back jobs of varying size (the
// workers spin between jobs and must never run one twice or miss one), for several pool
// sizes, including jobs smaller than the pool and jobs run inline.
TEST(ThreadPool, ParallelForCoversEachIndexOnceAcrossManyJobs) {
  for (int threads : {1, 2, 3, 5}) {
    ThreadPool pool(threads);
    EXPECT_EQ(pool.size(), threads);
    for (int64_t job = 0; job < 2000; ++job) {
      int64_t n = 1 + (job * 37) % 97;
      std::vector<std::atomic<int>> hits(static_cast<size_t>(n));
      pool.parallel_for(n, 1 + job % 5, [&](int64_t b, int64_t e) {
        ASSERT_LE(0, b);
        ASSERT_LE(b, e);
        ASSERT_LE(e, n);
        for (int64_t i = b; i < e; ++i) hits[static_cast<size_t>(i)].fetch_add(1);
      });
      for (int64_t i = 0; i < n; ++i)
        ASSERT_EQ(hits[static_cast<size_t>(i)].load(), 1) << threads << " threads, job " << job;
    }
  }
}

// After the workers have gone to sleep (longer than the spin), a job still wakes them.
TEST(ThreadPool, WakesSleepingWorkers) {
  ThreadPool pool(3);
  for (int round = 0; round < 3; ++round) {
    std::this_thread::sleep_for(ThreadPool::kSpin * 5);
    std::atomic<int64_t> sum{0};
    pool.parallel_for(300, 1, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) sum += i;
    });
    EXPECT_EQ(sum.load(), 299 * 300 / 2);
  }
}

// The ranges depend only on n, grain and the pool size (ceil(n / parts) each), never on
// which thread claimed them, so kernels give the same bytes on every run.
TEST(ThreadPool, RangesAreTheFixedSplitWhoeverRunsThem) {
  ThreadPool pool(3);
  for (int64_t n : {2, 7, 100, 1001}) {
    for (int round = 0; round < 50; ++round) {
      std::mutex mu;
      std::vector<std::pair<int64_t, int64_t>> got;
      pool.parallel_for(n, 1, [&](int64_t b, int64_t e) {
        std::lock_guard<std::mutex> lk(mu);
        got.emplace_back(b, e);
      });
      std::sort(got.begin(), got.end());
      int64_t parts = std::min<int64_t>(3, n), chunk = (n + parts - 1) / parts;
      std::vector<std::pair<int64_t, int64_t>> want;
      for (int64_t b = 0; b < n; b += chunk) want.emplace_back(b, std::min(n, b + chunk));
      ASSERT_EQ(got, want) << n;
    }
  }
}

TEST(ThreadPool, EmptyRangeCallsNothing) {
  ThreadPool pool(2);
  bool called = false;
  pool.parallel_for(0, 1, [&](int64_t, int64_t) { called = true; });
  EXPECT_FALSE(called);
}

}  // namespace
}  // namespace oqnn::rt
