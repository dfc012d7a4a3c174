#pragma once
// Errors as values for the drivers library. The drivers know nothing of the
// kiosk, so they carry their own small result type: an error has a stable
// code for programs and a plain sentence for people.
#include <string>
#include <utility>
#include <variant>

namespace drivers {

struct DriverError {
    std::string code;     // stable: "serial.open", "ga467.checksum", "printer.paper_out"
    std::string message;  // plain words: what happened and, where it helps, what to do
};

template <typename T>
class [[nodiscard]] Expected {
public:
    Expected(T value) : v_(std::move(value)) {}             // NOLINT(google-explicit-constructor)
    Expected(DriverError error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)
    [[nodiscard]] bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    [[nodiscard]] const DriverError& error() const { return std::get<1>(v_); }

private:
    std::variant<T, DriverError> v_;
};

template <>
class [[nodiscard]] Expected<void> {
public:
    Expected() = default;
    Expected(DriverError error) : error_(std::move(error)), failed_(true) {}  // NOLINT(google-explicit-constructor)
    [[nodiscard]] bool ok() const { return !failed_; }
    explicit operator bool() const { return ok(); }
    [[nodiscard]] const DriverError& error() const { return error_; }

private:
    DriverError error_;
    bool failed_ = false;
};

}  // namespace drivers
