// Fuzz target: the ESC/POS preview interpreter (drivers/sim). Whatever the
// bytes, render_preview returns a consistent picture and never reads or
// allocates past its bounds. The height cap is lowered so each input runs fast.
#include <cstdint>
#include <cstdlib>
#include <span>

#include "drivers/sim/escpos_preview.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    drivers::PreviewOptions opt;
    opt.max_height_dots = 4000;
    // The first byte picks the paper, so both widths are explored.
    if (size > 0 && (data[0] & 1) != 0) opt.paper_dots = 576;
    auto r = drivers::render_preview(std::span<const std::uint8_t>(data, size), opt);
    if (!r.ok()) {
        // Only an unusable font may fail, and the fuzz machine has one.
        std::abort();
    }
    const auto& img = *r;
    if (img.width != opt.paper_dots + 2 * opt.margin_dots) std::abort();
    if (img.height > opt.max_height_dots + 2 * opt.margin_dots) std::abort();
    if (img.grey.size() != static_cast<std::size_t>(img.width) * static_cast<std::size_t>(img.height)) std::abort();
    return 0;
}
