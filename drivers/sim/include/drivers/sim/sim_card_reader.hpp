#pragma once
// The simulated card reader, for the demo and the scripted runs.
//
// Behaves like a real reader from the receiver's side: events arrive on the
// reader's own thread, in order, one per tap or placement.
//   tap_card(), place_id_card(), fail(): never block; callable from any thread.
//   stop(): joins the thread; queued events not yet delivered are dropped.
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "drivers/card/card_event.hpp"

namespace drivers {

class SimCardReader final : public CardReader {
public:
    SimCardReader() = default;
    ~SimCardReader() override;

    void start(CardSink sink) override;
    void stop() override;
    [[nodiscard]] std::string name() const override { return "sim"; }

    void tap_card(std::string card);
    void place_id_card(IdCardText text);
    void fail(std::string reason);

private:
    void post(CardEvent e);
    void run();

    CardSink sink_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<CardEvent> queue_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace drivers
