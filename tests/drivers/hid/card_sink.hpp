#pragma once
// Collects CardEvents from a reader's thread for a test to wait on, with
// bounded waits only.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <thread>
#include <vector>

#include "drivers/card/card_event.hpp"

namespace test_support {

class CardSinkProbe {
public:
    drivers::CardSink sink() {
        return [this](drivers::CardEvent e) {
            std::lock_guard lock(mu_);
            events_.push_back(std::move(e));
            cv_.notify_all();
        };
    }
    // Waits until at least `n` events arrived; false after `within`.
    bool wait_for(std::size_t n, std::chrono::milliseconds within = std::chrono::seconds(5)) {
        std::unique_lock lock(mu_);
        return cv_.wait_for(lock, within, [&] { return events_.size() >= n; });
    }
    std::vector<drivers::CardEvent> events() {
        std::lock_guard lock(mu_);
        return events_;
    }
    std::size_t count() {
        std::lock_guard lock(mu_);
        return events_.size();
    }

private:
    std::mutex mu_;
    std::condition_variable cv_;
    std::vector<drivers::CardEvent> events_;
};

// Polls `pred` until it holds; false after `within`.
template <typename Pred>
bool eventually(Pred pred, std::chrono::milliseconds within = std::chrono::seconds(5)) {
    const auto until = std::chrono::steady_clock::now() + within;
    while (std::chrono::steady_clock::now() < until) {
        if (pred()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return pred();
}

}  // namespace test_support
