#pragma once
// Runs the kiosk binary as a child process for integration tests: real
// processes, real files, bounded waits.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace test {

struct Finished {
    int exit_code = -1;  // -1 when killed by a signal or timed out
    std::string out, err;
};

// Runs to completion (bounded by `timeout`, then killed).
Finished run(const std::vector<std::string>& args, std::chrono::milliseconds timeout = std::chrono::seconds{60});

// A running child whose stdout can be waited on line by line.
class Child {
public:
    explicit Child(const std::vector<std::string>& args);
    ~Child();
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;
    // Reads stdout until a line equal to `line` arrives; false on timeout or exit.
    bool wait_for_line(const std::string& line, std::chrono::milliseconds timeout);
    void kill_hard();  // SIGKILL, as a power cut would
    int wait();
    [[nodiscard]] const std::string& output() const { return out_; }

private:
    pid_t pid_ = -1;
    int out_fd_ = -1;
    std::string out_;
};

// A fresh temporary directory, removed with its contents at scope exit.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const std::filesystem::path& path() const { return path_; }
    std::filesystem::path write(const std::string& name, const std::string& text) const;

private:
    std::filesystem::path path_;
};

std::string read_file(const std::filesystem::path& p);

// `kiosk export --format jsonl` of DIR/data, one parsed fact a line; throws
// (a failed test) when the export fails.
std::vector<nlohmann::json> export_facts(const TempDir& dir);

// `kiosk --headless --demo --data-dir DIR --script FILE [extra...]`
std::vector<std::string> kiosk_script_args(const TempDir& dir, const std::filesystem::path& script,
                                           std::vector<std::string> extra = {});

}  // namespace test
