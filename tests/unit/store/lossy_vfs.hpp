#pragma once
// A power cut for SQLite, for tests: an SQLite VFS over the real one that
// keeps every write to the database and its WAL in the process's memory
// until the file is synced. Kill the process and whatever it had not synced
// is gone, as the page cache is at a power cut; what it synced is on disk.
// A plain SIGKILL cannot show that, because the kernel still writes out
// what the process had written.
//
// install_lossy_vfs() makes it the default VFS of this process; call it in
// a forked child before opening the database.
#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
#include <vector>

namespace kiosk::test {

namespace lossy_detail {

constexpr sqlite3_int64 kBlock = 4096;

struct File {
    sqlite3_file base;                                   // must be first: SQLite sees this
    sqlite3_file* real;                                  // the real VFS's file
    bool lossy;                                          // the database and its WAL; other files pass through
    sqlite3_int64 size;                                  // as the process sees it, unsynced writes included
    bool truncated;                                      // a truncation not yet made on disk
    std::map<sqlite3_int64, std::vector<char>>* blocks;  // unsynced, by block number
};

inline sqlite3_vfs* real_vfs() {
    static sqlite3_vfs* v = sqlite3_vfs_find("unix");
    return v;
}

inline File* self(sqlite3_file* f) { return reinterpret_cast<File*>(f); }

inline int flush(File* f) {
    for (auto& [n, data] : *f->blocks) {
        const sqlite3_int64 off = n * kBlock;
        const auto len = static_cast<int>(std::min<sqlite3_int64>(kBlock, f->size - off));
        if (len <= 0) continue;
        if (int rc = f->real->pMethods->xWrite(f->real, data.data(), len, off); rc != SQLITE_OK) return rc;
    }
    f->blocks->clear();
    if (f->truncated) {
        f->truncated = false;
        return f->real->pMethods->xTruncate(f->real, f->size);
    }
    return SQLITE_OK;
}

inline int x_close(sqlite3_file* file) {
    File* f = self(file);
    // A clean close is not a power cut: what is left is written (unsynced).
    int rc = f->lossy ? flush(f) : SQLITE_OK;
    if (f->real->pMethods != nullptr) f->real->pMethods->xClose(f->real);
    sqlite3_free(f->real);
    delete f->blocks;
    return rc;
}

inline int x_read(sqlite3_file* file, void* buf, int amt, sqlite3_int64 off) {
    File* f = self(file);
    if (!f->lossy) return f->real->pMethods->xRead(f->real, buf, amt, off);
    int rc = f->real->pMethods->xRead(f->real, buf, amt, off);
    if (rc != SQLITE_OK && rc != SQLITE_IOERR_SHORT_READ) return rc;
    auto* out = static_cast<char*>(buf);
    for (sqlite3_int64 n = off / kBlock; n * kBlock < off + amt; ++n) {
        auto it = f->blocks->find(n);
        if (it == f->blocks->end()) continue;
        const sqlite3_int64 from = std::max(off, n * kBlock);
        const sqlite3_int64 to = std::min(off + amt, (n + 1) * kBlock);
        std::memcpy(out + (from - off), it->second.data() + (from - n * kBlock), static_cast<std::size_t>(to - from));
    }
    if (off + amt <= f->size) return SQLITE_OK;
    const sqlite3_int64 valid = std::max<sqlite3_int64>(0, f->size - off);
    std::memset(out + valid, 0, static_cast<std::size_t>(amt - valid));
    return SQLITE_IOERR_SHORT_READ;
}

inline int x_write(sqlite3_file* file, const void* buf, int amt, sqlite3_int64 off) {
    File* f = self(file);
    if (!f->lossy) return f->real->pMethods->xWrite(f->real, buf, amt, off);
    const auto* in = static_cast<const char*>(buf);
    for (sqlite3_int64 n = off / kBlock; n * kBlock < off + amt; ++n) {
        auto it = f->blocks->find(n);
        if (it == f->blocks->end()) {
            std::vector<char> block(static_cast<std::size_t>(kBlock), 0);
            const int rc = f->real->pMethods->xRead(f->real, block.data(), static_cast<int>(kBlock), n * kBlock);
            if (rc != SQLITE_OK && rc != SQLITE_IOERR_SHORT_READ) return rc;
            // Bytes past the process's size are not the file's, whatever
            // the disk still holds there.
            for (sqlite3_int64 i = std::max<sqlite3_int64>(0, f->size - n * kBlock); i < kBlock; ++i)
                block[static_cast<std::size_t>(i)] = 0;
            it = f->blocks->emplace(n, std::move(block)).first;
        }
        const sqlite3_int64 from = std::max(off, n * kBlock);
        const sqlite3_int64 to = std::min(off + amt, (n + 1) * kBlock);
        std::memcpy(it->second.data() + (from - n * kBlock), in + (from - off), static_cast<std::size_t>(to - from));
    }
    f->size = std::max(f->size, off + amt);
    return SQLITE_OK;
}

// A truncation, too, reaches the disk only with the next sync.
inline int x_truncate(sqlite3_file* file, sqlite3_int64 size) {
    File* f = self(file);
    if (!f->lossy) return f->real->pMethods->xTruncate(f->real, size);
    for (auto it = f->blocks->begin(); it != f->blocks->end();) {
        const sqlite3_int64 start = it->first * kBlock;
        if (start >= size) {
            it = f->blocks->erase(it);
            continue;
        }
        for (sqlite3_int64 i = size - start; i < kBlock; ++i) it->second[static_cast<std::size_t>(i)] = 0;
        ++it;
    }
    f->size = size;
    f->truncated = true;
    return SQLITE_OK;
}

inline int x_sync(sqlite3_file* file, int flags) {
    File* f = self(file);
    if (f->lossy)
        if (int rc = flush(f); rc != SQLITE_OK) return rc;
    return f->real->pMethods->xSync(f->real, flags);
}

inline int x_file_size(sqlite3_file* file, sqlite3_int64* size) {
    File* f = self(file);
    if (!f->lossy) return f->real->pMethods->xFileSize(f->real, size);
    *size = f->size;
    return SQLITE_OK;
}

inline int x_lock(sqlite3_file* f, int l) { return self(f)->real->pMethods->xLock(self(f)->real, l); }
inline int x_unlock(sqlite3_file* f, int l) { return self(f)->real->pMethods->xUnlock(self(f)->real, l); }
inline int x_check_reserved(sqlite3_file* f, int* out) {
    return self(f)->real->pMethods->xCheckReservedLock(self(f)->real, out);
}
inline int x_file_control(sqlite3_file* f, int op, void* arg) {
    return self(f)->real->pMethods->xFileControl(self(f)->real, op, arg);
}
inline int x_sector_size(sqlite3_file* f) { return self(f)->real->pMethods->xSectorSize(self(f)->real); }
inline int x_device(sqlite3_file* f) { return self(f)->real->pMethods->xDeviceCharacteristics(self(f)->real); }
inline int x_shm_map(sqlite3_file* f, int pg, int sz, int extend, void volatile** p) {
    return self(f)->real->pMethods->xShmMap(self(f)->real, pg, sz, extend, p);
}
inline int x_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
    return self(f)->real->pMethods->xShmLock(self(f)->real, offset, n, flags);
}
inline void x_shm_barrier(sqlite3_file* f) { self(f)->real->pMethods->xShmBarrier(self(f)->real); }
inline int x_shm_unmap(sqlite3_file* f, int del) { return self(f)->real->pMethods->xShmUnmap(self(f)->real, del); }

// Version 2: shared memory for WAL, but no xFetch, so SQLite never maps
// the file and reads past the unsynced blocks.
inline const sqlite3_io_methods kMethods = {
    2,          x_close,       x_read,           x_write,        x_truncate,    x_sync,   x_file_size,
    x_lock,     x_unlock,      x_check_reserved, x_file_control, x_sector_size, x_device, x_shm_map,
    x_shm_lock, x_shm_barrier, x_shm_unmap,      nullptr,        nullptr,
};

inline int x_open(sqlite3_vfs*, const char* name, sqlite3_file* file, int flags, int* out_flags) {
    File* f = self(file);
    f->base.pMethods = nullptr;
    f->real = static_cast<sqlite3_file*>(sqlite3_malloc(real_vfs()->szOsFile));
    if (f->real == nullptr) return SQLITE_NOMEM;
    std::memset(f->real, 0, static_cast<std::size_t>(real_vfs()->szOsFile));
    const int rc = real_vfs()->xOpen(real_vfs(), name, f->real, flags, out_flags);
    if (rc != SQLITE_OK) {
        if (f->real->pMethods != nullptr) f->real->pMethods->xClose(f->real);
        sqlite3_free(f->real);
        return rc;
    }
    f->lossy = (flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL)) != 0;
    f->size = 0;
    f->truncated = false;
    if (f->lossy) f->real->pMethods->xFileSize(f->real, &f->size);
    f->blocks = new std::map<sqlite3_int64, std::vector<char>>();
    f->base.pMethods = &kMethods;
    return SQLITE_OK;
}

inline int x_delete(sqlite3_vfs*, const char* name, int sync) { return real_vfs()->xDelete(real_vfs(), name, sync); }
inline int x_access(sqlite3_vfs*, const char* name, int flags, int* out) {
    return real_vfs()->xAccess(real_vfs(), name, flags, out);
}
inline int x_full_pathname(sqlite3_vfs*, const char* name, int n, char* out) {
    return real_vfs()->xFullPathname(real_vfs(), name, n, out);
}
inline void* x_dl_open(sqlite3_vfs*, const char* name) { return real_vfs()->xDlOpen(real_vfs(), name); }
inline void x_dl_error(sqlite3_vfs*, int n, char* out) { real_vfs()->xDlError(real_vfs(), n, out); }
inline void (*x_dl_sym(sqlite3_vfs*, void* h, const char* sym))(void) { return real_vfs()->xDlSym(real_vfs(), h, sym); }
inline void x_dl_close(sqlite3_vfs*, void* h) { real_vfs()->xDlClose(real_vfs(), h); }
inline int x_randomness(sqlite3_vfs*, int n, char* out) { return real_vfs()->xRandomness(real_vfs(), n, out); }
inline int x_sleep(sqlite3_vfs*, int us) { return real_vfs()->xSleep(real_vfs(), us); }
inline int x_current_time(sqlite3_vfs*, double* out) { return real_vfs()->xCurrentTime(real_vfs(), out); }
inline int x_last_error(sqlite3_vfs*, int n, char* out) { return real_vfs()->xGetLastError(real_vfs(), n, out); }
inline int x_current_time64(sqlite3_vfs*, sqlite3_int64* out) { return real_vfs()->xCurrentTimeInt64(real_vfs(), out); }

}  // namespace lossy_detail

// Makes the lossy VFS this process's default. Returns false if SQLite
// refused it.
inline bool install_lossy_vfs() {
    using namespace lossy_detail;
    static sqlite3_vfs vfs = {
        2,
        static_cast<int>(sizeof(File)),
        real_vfs()->mxPathname,
        nullptr,
        "lossy",
        nullptr,
        x_open,
        x_delete,
        x_access,
        x_full_pathname,
        x_dl_open,
        x_dl_error,
        x_dl_sym,
        x_dl_close,
        x_randomness,
        x_sleep,
        x_current_time,
        x_last_error,
        x_current_time64,
        nullptr,
        nullptr,
        nullptr,
    };
    return real_vfs() != nullptr && sqlite3_vfs_register(&vfs, 1) == SQLITE_OK;
}

}  // namespace kiosk::test
