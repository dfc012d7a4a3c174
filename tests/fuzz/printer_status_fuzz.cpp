// Fuzz target: everything a printer can send back. The first byte picks the
// DLE EOT request the rest answers; the whole input is also fed, split at
// varying points, to the stream splitter. Invariants are checked with
// __builtin_trap so a broken one is a crash libFuzzer keeps.
#include <cstddef>
#include <cstdint>
#include <span>

#include "drivers/printer/escpos_status.hpp"

using namespace drivers::escpos;

namespace {
void require(bool ok) {
    if (!ok) __builtin_trap();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::span<const std::uint8_t> all(data, size);
    const auto n = static_cast<StatusQuery>(1 + data[0] % 4);

    // Single replies: accepted exactly when the fixed bits are right; a
    // rejected byte changes nothing.
    PrinterStatus s;
    for (const std::uint8_t b : all.subspan(1)) {
        const PrinterStatus before = s;
        const auto r = apply_status_reply(n, b, s);
        require(r.ok() == is_status_reply(b));
        if (!r.ok()) require(s == before);
        if (r.ok() && n == StatusQuery::PaperSensor) require(s.paper_out == ((b & 0x60) != 0));
    }
    (void)describe(s);
    for (const auto& p : status_problems(s)) require(!p.code.empty() && !p.message.empty());
    require(status_problems(s).empty() == (describe(s) == "ready"));

    // Packets: four bytes or nothing.
    for (std::size_t i = 0; i + 4 <= size; i += 4) (void)parse_auto_status(all.subspan(i, 4));
    require(!parse_auto_status(all.subspan(0, size < 4 ? size : 3)));

    // The stream: the same items however the bytes are split.
    StatusStream whole;
    const auto items = whole.feed(all);
    require(items.size() <= size);
    StatusStream pieces;
    std::size_t count = 0, at = 0, step = 1 + data[0] % 7;
    while (at < size) {
        const std::size_t len = step < size - at ? step : size - at;
        for (const auto& item : pieces.feed(all.subspan(at, len))) {
            require(count < items.size());
            require(item.kind == items[count].kind && item.reply == items[count].reply &&
                    item.status == items[count].status);
            if (item.kind == StatusStream::Item::Kind::Reply) require(is_status_reply(item.reply));
            ++count;
        }
        at += len;
        step = step % 5 + 1;
    }
    require(count == items.size());
    require(pieces.dropped() == whole.dropped());
    return 0;
}
