#pragma once
// The terminal's SQLite database.
//
// Opened once per thread that needs it (SQLite connections are not shared
// between threads here). WAL mode, synchronous=FULL (a committed record of
// money or attendance survives a power cut), foreign keys on, a busy timeout.
// Numbered migrations run at open; a database written by a newer version is
// refused untouched.
//
// Checkpoints (copying the WAL back into the database file) are the owner's
// to run, with checkpoint(), at a moment when nobody waits on the terminal:
// SQLite's own auto-checkpoint runs inside whichever commit crosses its
// threshold, and on a big database that one commit takes several times an
// ordinary one (an order's p99 was the checkpoint's). The auto-checkpoint is
// kept only as a safety net at kWalAutoCheckpointPages.
#include <filesystem>
#include <memory>

#include "kiosk/core/result.hpp"

namespace kiosk::store {

// What one checkpoint() did. Frames are WAL pages (4 KiB).
struct CheckpointResult {
    int wal_frames = 0;  // frames in the WAL when it ran
    // Of those, the ones the database file no longer needs from the WAL (it
    // holds them, or a later frame of the same page will be copied instead):
    // all of them up to the oldest reader's snapshot.
    int checkpointed = 0;
    // Another connection was checkpointing: nothing was done; try later.
    bool busy = false;
    // Nothing was left behind (a reader on an older snapshot holds back the
    // frames it may still need; they go at a later checkpoint).
    [[nodiscard]] bool complete() const { return !busy && checkpointed == wal_frames; }
};

struct OpenOptions {
    // Migrate up to this version (tests build old databases); 0 = latest.
    int migrate_to = 0;
};

class Database {
public:
    // Creates the file (mode 0600) and its directory (0700) when missing.
    // Errors: "store.open" (cannot create or open), "store.newer_schema",
    // "store.migration" (a migration failed; the database is left as it was).
    static Result<std::unique_ptr<Database>> open(const std::filesystem::path& file, OpenOptions options = {});
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    [[nodiscard]] int schema_version() const;
    [[nodiscard]] static int latest_schema_version();
    [[nodiscard]] const std::filesystem::path& path() const;

    // SQLite's auto-checkpoint threshold on every connection, in WAL pages:
    // ~31 MiB, some 700 canteen orders (an order writes ~11 pages). Far above
    // SQLite's default of 1,000 so that it does not fire inside a commit
    // while the owner checkpoints at quiet moments; still there so that a
    // terminal that never has a quiet moment (or an owner that never calls
    // checkpoint(), like the command-line tools) keeps its WAL bounded.
    static constexpr int kWalAutoCheckpointPages = 8000;

    // A PASSIVE checkpoint: copies what it can from the WAL into the database
    // file without waiting for any reader or writer, and syncs it. It takes
    // time in proportion to the pages to copy, on this thread: call it when
    // nobody is being served. Never inside a transaction of this connection.
    // Errors: "store.checkpoint" (an I/O error, or a transaction is open on
    // this connection). Another connection checkpointing is not an error:
    // the result says busy.
    Result<CheckpointResult> checkpoint();
    // Whether checkpoint() may have something to do: false only when the last
    // one left nothing behind and no commit has been seen on this connection
    // since (its own, or another connection's once this one has read after
    // it). Costs no I/O, so an idle loop may ask as often as it likes.
    [[nodiscard]] bool wal_pending() const;

    struct Impl;  // private to the store (src/sqlite.hpp)
    Impl& impl() { return *impl_; }

private:
    explicit Database(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace kiosk::store
