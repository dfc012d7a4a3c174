#include "drivers/io/waker.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>

namespace drivers::io {

Waker::Waker() : fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {}

Waker::~Waker() {
    if (fd_ >= 0) ::close(fd_);
}

void Waker::wake() {
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto n = ::write(fd_, &one, sizeof one);
}

void Waker::clear() {
    std::uint64_t v = 0;
    [[maybe_unused]] const auto n = ::read(fd_, &v, sizeof v);
}

}  // namespace drivers::io
