// A pool of persistent worker threads for the addon's parallel loops (the GEMM, Adam, the EMA, the normal draws).
#pragma once
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

namespace pool {

// Persistent worker threads: starting a thread per call costs tens of microseconds, and a new thread's
// thread_local buffers (the GEMM's packed blocks) would be allocated and faulted in again on every call.
// Run(n, f) calls f(0) on the calling thread and f(1) .. f(n−1) on workers, and returns when all are done.
// Workers are started on first use and never stopped (they sleep on a condition variable between calls);
// calls from more than one thread at a time are serialized.
class Pool {
 public:
  static Pool& Get() {
    static Pool* pool = new Pool();  // never destroyed: its detached workers sleep until the process exits
    return *pool;
  }
  void Run(int n, const std::function<void(int)>& f) {
    if (n <= 1) {
      f(0);
      return;
    }
    std::lock_guard<std::mutex> serial(call_);
    {
      std::unique_lock<std::mutex> lock(mu_);
      while (static_cast<int>(started_) < n - 1) {
        const int id = static_cast<int>(++started_);
        std::thread([this, id] { Work(id); }).detach();
      }
      job_ = &f;
      active_ = n;
      pending_ = n - 1;
      ++generation_;
    }
    wake_.notify_all();
    f(0);
    std::unique_lock<std::mutex> lock(mu_);
    done_.wait(lock, [this] { return pending_ == 0; });
    job_ = nullptr;
  }

 private:
  void Work(int id) {
    uint64_t seen = 0;
    for (;;) {
      const std::function<void(int)>* job;
      {
        std::unique_lock<std::mutex> lock(mu_);
        wake_.wait(lock, [&] { return generation_ != seen; });
        seen = generation_;
        if (id >= active_) continue;
        job = job_;
      }
      (*job)(id);
      std::lock_guard<std::mutex> lock(mu_);
      if (--pending_ == 0) done_.notify_one();
    }
  }
  std::mutex call_, mu_;
  std::condition_variable wake_, done_;
  const std::function<void(int)>* job_ = nullptr;
  uint64_t generation_ = 0;
  int64_t started_ = 0;
  int active_ = 0, pending_ = 0;
};

}  // namespace pool
