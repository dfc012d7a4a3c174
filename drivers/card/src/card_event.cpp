#include "drivers/card/card_event.hpp"

namespace drivers {

std::string describe(const CardEvent& e) {
    switch (e.kind) {
        case CardEvent::Kind::Card: return "card from " + e.reader;
        case CardEvent::Kind::IdCard: return "id card from " + e.reader;
        case CardEvent::Kind::Error: return "read error from " + e.reader;
    }
    return "event from " + e.reader;
}

}  // namespace drivers
