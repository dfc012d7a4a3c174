#pragma once
// PC/SC contactless readers (driver = "pcsc"), through pcsc-lite
// (hardware.md section 4). Built when libpcsclite-dev is present; otherwise
// this same interface is a stub whose health says "PC/SC support was not
// built" (pcsc_support_built() tells which).
//
// The reader thread:
//   1. SCardEstablishContext. pcscd not running -> health Absent "the PC/SC
//      service (pcscd) is not running", retried every `retry_interval`.
//   2. SCardListReaders, keeping the configured reader (exact name, or a
//      prefix of it: "ACS ACR122U" matches "ACS ACR122U PICC Interface 00 00")
//      or, when none is configured, every reader. None -> Absent "no card
//      reader is connected" / "the card reader \"...\" is not connected".
//   3. SCardGetStatusChange on those readers plus "\\?PnP?\Notification", so
//      a reader plugged in or out is noticed without polling.
//   4. When a card arrives: SCardConnect (shared, T=0 or T=1), SCardTransmit
//      GET DATA FF CA 00 00 00, SCardDisconnect (leave card). The UID is
//      normalised with canonical_card_number() (card_number.hpp), so a card
//      seen here and through a keyboard-wedge reader is one identity.
//      One event per placement: the card must leave (or pcscd must count a
//      removal and a new insertion) before it is read again. A card already
//      on the reader when watching starts counts as placed.
//   5. The service going away (pcscd stopped or restarted) -> health Absent
//      "lost the PC/SC service (pcscd)", context released, back to 1.
//
// Events (reader = "pcsc:<reader name>"):
//   CardEvent{Card, card = canonical number}
//   CardEvent{Error, error = a plain reason} when a placed card could not be
//     read: 63 00 (the reader could not read it), 6A 81 (the reader cannot
//     report card numbers), another status word, a card taken away too soon,
//     a card that does not answer, or a reader held by another program.
//     The reason also goes to health().last_error. No card number ever appears
//     in health or in an error.
//
// Threading: start() spawns the thread and returns at once; the sink is called
// on that thread. stop() cancels a waiting SCardGetStatusChange with
// SCardCancel (repeated until the thread notices, since a cancel that arrives
// between two waits is lost), wakes a retry pause through a Waker, joins, and
// returns; no sink call after it. It is prompt unless pcscd itself hangs in the
// middle of a card read. Idempotent; start() after stop() starts again;
// start() while running does nothing. health() and name(): any thread.
#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "drivers/card/card_event.hpp"
#include "drivers/common/expected.hpp"
#include "drivers/common/health.hpp"

namespace drivers::pcsc {

struct PcscReaderConfig {
    std::string reader;                              // "" watches every reader
    std::chrono::milliseconds retry_interval{1000};  // pcscd or reader missing: look again after this
};

// Whether this build talks to pcsc-lite (false: the stub).
[[nodiscard]] bool pcsc_support_built();

// The canonical card number from a GET DATA (FF CA 00 00 00) response: the
// UID bytes followed by SW1 SW2. Pure. Errors (code "pcsc.get_data"):
// fewer than 2 bytes; 63 00 (the reader could not read the card); 6A 81 (the
// reader does not support GET DATA); any other status; 90 00 without a UID or
// with more than 10 bytes.
[[nodiscard]] Expected<std::string> card_number_from_get_data(std::span<const std::uint8_t> response);

class PcscCardReader final : public CardReader {
public:
    explicit PcscCardReader(PcscReaderConfig config);
    ~PcscCardReader() override;  // stop()
    PcscCardReader(const PcscCardReader&) = delete;
    PcscCardReader& operator=(const PcscCardReader&) = delete;

    void start(CardSink sink) override;
    void stop() override;
    // "pcsc" or "pcsc:<configured reader>".
    [[nodiscard]] std::string name() const override;
    [[nodiscard]] DeviceHealth health() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace drivers::pcsc
