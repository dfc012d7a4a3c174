// The PC/SC reader when libpcsclite-dev was missing at build time: it reads
// nothing and says so in its health.
#include "drivers/pcsc/pcsc_card_reader.hpp"

namespace drivers::pcsc {

struct PcscCardReader::Impl {
    explicit Impl(PcscReaderConfig c)
        : config(std::move(c)), health("pcsc " + (config.reader.empty() ? std::string("all readers") : config.reader)) {
        health.set(DeviceState::Fault, "PC/SC support was not built (libpcsclite-dev was missing)");
    }
    PcscReaderConfig config;
    HealthCell health;
};

bool pcsc_support_built() { return false; }

PcscCardReader::PcscCardReader(PcscReaderConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {}
PcscCardReader::~PcscCardReader() = default;
void PcscCardReader::start(CardSink) {}
void PcscCardReader::stop() {}
std::string PcscCardReader::name() const {
    return impl_->config.reader.empty() ? std::string("pcsc") : "pcsc:" + impl_->config.reader;
}
DeviceHealth PcscCardReader::health() const { return impl_->health.get(); }

}  // namespace drivers::pcsc
