// A pool of persistent worker threads for the addon's parallel loops (the GEMM, Adam, the EMA, the normal draws).
#pragma once
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define VIB_POOL_PAUSE() _mm_pause()
#else
#define VIB_POOL_PAUSE() std::this_thread::yield()
#endif

namespace pool {

// Persistent worker threads: starting a thread per call costs tens of microseconds, and a new thread's
// thread_local buffers (the GEMM's packed blocks) would be allocated and faulted in again on every call.
// Run(n, f) calls f(0) on the calling thread and f(1) .. f(n−1) on workers, and returns when all are done.
// After a call a worker watches for the next one for a while (SetSpin) before it sleeps on a condition variable: a
// training step makes a dozen calls a few hundred microseconds apart, and waking a sleeping thread took 0.1 ms on
// average over an epoch (measured), most of a small product's time. Workers are started on first use and never
// stopped; calls from more than one thread at a time are serialized.
class Pool {
 public:
  // How long a thread watches for the next call or for its workers before sleeping; 0 sleeps at once.
  void SetSpin(std::chrono::microseconds spin) { spin_.store(spin.count(), std::memory_order_relaxed); }

  // Whether a call of n threads now would find its n − 1 workers started and watching (none asleep): a short loop
  // that is worth splitting only when no worker has to be woken (0.1–0.3 ms) asks this first. (Workers a call does
  // not need go to sleep in time, so a count of sleepers would not do.) A hint: a worker may fall asleep right
  // after; the call is correct either way, only slower.
  bool WorkersAwake(int n) const {
    n = std::min(n, 255);
    if (started_.load(std::memory_order_relaxed) < n - 1) return false;
    for (int id = 1; id < n; ++id) {
      if (asleep_[id].load(std::memory_order_relaxed)) return false;
    }
    return true;
  }
  static Pool& Get() {
    static Pool* pool = new Pool();  // never destroyed: its detached workers sleep until the process exits
    return *pool;
  }

  void Run(int n, const std::function<void(int)>& f) {
    n = std::min(n, 255);
    if (n <= 1) {
      f(0);
      return;
    }
    std::lock_guard<std::mutex> serial(call_);
    while (started_ < n - 1) {
      const int id = ++started_;
      std::thread([this, id] { Work(id); }).detach();
    }
    job_ = &f;
    pending_.store(n - 1, std::memory_order_relaxed);
    // the call's count and its thread count in one word, so that a worker reads both at once
    const uint64_t count = (generation_.load(std::memory_order_relaxed) >> 8) + 1;
    generation_.store(count << 8 | static_cast<uint64_t>(n), std::memory_order_release);
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (sleepers_ > 0) wake_.notify_all();
    }
    f(0);
    // the workers' shares take about as long as ours: watch briefly, then sleep
    const auto until = std::chrono::steady_clock::now() + Spin();
    for (int i = 0; pending_.load(std::memory_order_acquire) != 0; ++i) {
      if ((i & 63) == 63 && std::chrono::steady_clock::now() > until) {
        std::unique_lock<std::mutex> lock(mu_);
        done_.wait(lock, [this] { return pending_.load(std::memory_order_acquire) == 0; });
        break;
      }
      VIB_POOL_PAUSE();
    }
  }

 private:
  std::chrono::microseconds Spin() const { return std::chrono::microseconds(spin_.load(std::memory_order_relaxed)); }

  void Work(int id) {
    uint64_t seen = 0;
    for (;;) {
      uint64_t now = generation_.load(std::memory_order_acquire);
      const auto until = std::chrono::steady_clock::now() + Spin();
      for (int i = 0; now == seen; ++i) {
        if ((i & 63) == 63 && std::chrono::steady_clock::now() > until) {
          std::unique_lock<std::mutex> lock(mu_);
          ++sleepers_;
          asleep_[id].store(true, std::memory_order_relaxed);
          wake_.wait(lock, [&] { return generation_.load(std::memory_order_acquire) != seen; });
          asleep_[id].store(false, std::memory_order_relaxed);
          --sleepers_;
        } else {
          VIB_POOL_PAUSE();
        }
        now = generation_.load(std::memory_order_acquire);
      }
      seen = now;
      if (id >= static_cast<int>(now & 0xFF)) continue;  // not needed this call: job_ may change under it
      (*job_)(id);
      if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        std::lock_guard<std::mutex> lock(mu_);
        done_.notify_one();
      }
    }
  }

  std::mutex call_, mu_;
  std::condition_variable wake_, done_;
  const std::function<void(int)>* job_ = nullptr;  // written before generation_ is advanced, read after
  std::atomic<int> started_{0};  // written under call_
  int sleepers_ = 0;
  std::atomic<bool> asleep_[256] = {};  // by worker id: waiting on wake_ (WorkersAwake)
  std::atomic<uint64_t> generation_{0};
  std::atomic<int> pending_{0};
  std::atomic<int64_t> spin_{0};
};

}  // namespace pool
