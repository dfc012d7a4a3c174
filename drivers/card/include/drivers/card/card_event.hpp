#pragma once
// One event type for every card reader: a community card's number, a
// resident ID card's text, or a read that failed with a plain reason.
//
// The contents are personal data. Nothing here can be printed or logged:
// there is deliberately no operator<< and no to_string; use describe() for
// logs, which names the kind and the reader only.
#include <chrono>
#include <functional>
#include <string>

namespace drivers {

// The document types a GA 467 reader can return (hardware.md).
enum class IdDocument {
    ResidentIdCard,        // 居民身份证
    HkMacauTaiwanPermit,   // 港澳台居民居住证 ('J')
    ForeignPermanent,      // 外国人永久居留身份证 ('I')
    ForeignPermanent2023,  // 2023 版 ('Y')
};

struct IdCardText {
    IdDocument document = IdDocument::ResidentIdCard;
    std::string name;
    std::string gender;      // "1" male, "2" female, "0"/"9" other
    std::string ethnicity;   // GB 3304 code
    std::string birth;       // YYYYMMDD
    std::string address;
    std::string id_number;   // 18 characters for resident ID cards
    std::string authority;
    std::string valid_from;  // YYYYMMDD
    std::string valid_to;    // YYYYMMDD or 长期
    // Permits only (empty on resident ID cards):
    std::string english_name;  // 'I' and 'Y' cards
    std::string nationality;   // 'I' and 'Y' cards: ISO 3166 three-letter code
    std::string pass_number;   // 'J': the holder's travel permit number
    std::string issue_count;   // 'J': times issued; 'Y': times renewed
    std::string card_version;  // 'I': card version
    // Whether the reader checked id_number: GB 11643 check digit for resident
    // ID cards and 'J'/'Y' permits. Readers that do not check leave NotChecked.
    enum class NumberCheck { NotChecked, Valid, Invalid };
    NumberCheck id_number_check = NumberCheck::NotChecked;
};

struct CardEvent {
    enum class Kind {
        Card,    // a community card (or any token read as a number)
        IdCard,  // a resident ID card or permit
        Error,   // a read that failed; `error` says why in plain words
    };
    Kind kind = Kind::Card;
    std::string reader;  // which reader saw it ("sim", "ga467:/dev/ttyUSB0", ...)
    std::string card;    // Kind::Card: the normalised card number
    IdCardText id;       // Kind::IdCard
    std::string error;   // Kind::Error
    std::chrono::steady_clock::time_point at{};
};

// Safe for logs: "id card from sim", never the contents.
[[nodiscard]] std::string describe(const CardEvent& e);

// Where readers deliver events. Readers call it from their own threads; the
// receiver must be thread-safe and must not block for long.
using CardSink = std::function<void(CardEvent)>;

// A reader that delivers CardEvents.
//   start(): begins delivering to `sink`; returns at once (readers own their threads).
//   stop():  stops and joins; no sink call happens after it returns. Idempotent.
class CardReader {
public:
    virtual ~CardReader() = default;
    virtual void start(CardSink sink) = 0;
    virtual void stop() = 0;
    [[nodiscard]] virtual std::string name() const = 0;
};

}  // namespace drivers
