#include "drivers/sim/sim_card_reader.hpp"

namespace drivers {

SimCardReader::~SimCardReader() { stop(); }

void SimCardReader::start(CardSink sink) {
    stop();
    sink_ = std::move(sink);
    {
        std::lock_guard lock(mu_);
        stopping_ = false;
    }
    thread_ = std::thread([this] { run(); });
}

void SimCardReader::stop() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
        queue_.clear();
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void SimCardReader::tap_card(std::string card) {
    CardEvent e;
    e.kind = CardEvent::Kind::Card;
    e.card = std::move(card);
    post(std::move(e));
}

void SimCardReader::place_id_card(IdCardText text) {
    CardEvent e;
    e.kind = CardEvent::Kind::IdCard;
    e.id = std::move(text);
    post(std::move(e));
}

void SimCardReader::fail(std::string reason) {
    CardEvent e;
    e.kind = CardEvent::Kind::Error;
    e.error = std::move(reason);
    post(std::move(e));
}

void SimCardReader::post(CardEvent e) {
    e.reader = name();
    e.at = std::chrono::steady_clock::now();
    {
        std::lock_guard lock(mu_);
        queue_.push_back(std::move(e));
    }
    cv_.notify_one();
}

void SimCardReader::run() {
    std::unique_lock lock(mu_);
    for (;;) {
        cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (stopping_) return;
        CardEvent e = std::move(queue_.front());
        queue_.pop_front();
        lock.unlock();
        sink_(std::move(e));
        lock.lock();
    }
}

}  // namespace drivers
