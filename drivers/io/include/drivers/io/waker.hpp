#pragma once
// Wakes a thread blocked in poll(): reader threads wait on their device and
// on a Waker, so stop() returns promptly instead of after a read timeout.
//   wake(): any thread, never blocks. fd(): poll it for POLLIN. clear(): the
//   owning thread, after it has seen the wake-up.
namespace drivers::io {

class Waker {
public:
    Waker();
    ~Waker();
    Waker(const Waker&) = delete;
    Waker& operator=(const Waker&) = delete;
    void wake();
    void clear();
    [[nodiscard]] int fd() const { return fd_; }

private:
    int fd_ = -1;
};

}  // namespace drivers::io
