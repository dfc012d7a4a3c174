#pragma once
// The job spool: one directory per printer, two files per job.
//   <id>.job   written once (temp file, fsync, rename, fsync dir) at submit:
//              "ESCPOS-JOB 1", created, label, size, crc32, a blank line, bytes
//   <id>.done  written when the job is finished (same care): "printed <ms>",
//              "cancelled <ms>" or "failed <ms>"
// A .job without a .done is a job still to print. Pruning removes the .job
// first, so a crash in between leaves a lone .done (cleaned up), never a lone
// .job that would print again.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "drivers/common/expected.hpp"

namespace drivers::escpos::detail {

struct SpoolEntry {
    std::uint64_t id = 0;
    std::string label;
    std::size_t size = 0;
    std::chrono::system_clock::time_point created{};
    enum class End : std::uint8_t { None, Printed, Cancelled, Failed } end = End::None;
    std::chrono::system_clock::time_point ended{};
    bool damaged = false;  // header unreadable: the job cannot be printed
};

class Spool {
public:
    // Creates the directory, removes temp files left by interrupted writes,
    // and lists the jobs oldest first. Error "printer.spool".
    static Expected<Spool> open(const std::filesystem::path& dir);

    [[nodiscard]] const std::vector<SpoolEntry>& entries() const { return entries_; }
    [[nodiscard]] std::uint64_t next_id() const { return next_id_; }

    Expected<SpoolEntry> add(std::span<const std::uint8_t> bytes, const std::string& label,
                             std::chrono::system_clock::time_point created);
    // The job's bytes, checked against its crc32. "printer.spool" (cannot
    // read) or "printer.spool_corrupt" (read, but damaged).
    Expected<std::vector<std::uint8_t>> read(std::uint64_t id) const;
    Expected<void> finish(std::uint64_t id, SpoolEntry::End end, std::chrono::system_clock::time_point when);
    void remove(std::uint64_t id);

private:
    explicit Spool(std::filesystem::path dir) : dir_(std::move(dir)) {}
    [[nodiscard]] std::filesystem::path job_path(std::uint64_t id) const;
    [[nodiscard]] std::filesystem::path done_path(std::uint64_t id) const;

    std::filesystem::path dir_;
    std::vector<SpoolEntry> entries_;  // as found by open(), then as added (the printer keeps its own table)
    std::uint64_t next_id_ = 1;
};

std::uint32_t crc32(std::span<const std::uint8_t> bytes);

}  // namespace drivers::escpos::detail
