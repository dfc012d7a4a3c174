#pragma once
// The running kiosk: SDL window and renderer, Dear ImGui, fonts, devices,
// the store and the controller, and the event-driven loop that ties them.
//
// Threads: this object lives on the main thread. Device readers deliver on
// their own threads into `device_queue_`, and wake the loop with an SDL user
// event; nothing else crosses threads.
#include <SDL.h>

#include <array>
#include <atomic>
#include <chrono>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "device_manager.hpp"
#include "drivers/sim/sim_card_reader.hpp"
#include "kiosk/app/app.hpp"
#include "kiosk/app/clock.hpp"
#include "kiosk/app/controller.hpp"
#include "kiosk/store/database.hpp"
#include "kiosk/store/facts.hpp"
#include "kiosk/store/notices.hpp"
#include "kiosk/store/roster.hpp"
#include "kiosk/ui/audio.hpp"
#include "kiosk/ui/fonts.hpp"
#include "kiosk/ui/frame_log.hpp"
#include "kiosk/ui/i18n.hpp"
#include "imgui_render.hpp"
#include "photo_cache.hpp"
#include "touch_input.hpp"

namespace kiosk::app {

class KioskApp {
public:
    KioskApp(const Config& config, const RunOptions& options);
    ~KioskApp();
    KioskApp(const KioskApp&) = delete;
    KioskApp& operator=(const KioskApp&) = delete;

    Result<void> init();
    // Runs until the window is closed (interactive use).
    int run_interactive();

    // --- one step of the loop -------------------------------------------
    // Waits up to `max_wait` for an event (less when something is due),
    // handles what arrived and redraws if anything changed.
    void iterate(std::chrono::milliseconds max_wait);
    // Iterates until no input is queued, no device event is waiting and the
    // frame on screen is current. Bounded.
    void settle();
    [[nodiscard]] bool quit_requested() const { return quit_; }

    // --- hooks for scripted runs -----------------------------------------
    [[nodiscard]] drivers::SimCardReader* sim_reader() { return devices_ ? devices_->sim_reader() : nullptr; }
    // Waits (bounded) until `count` device events have been handled in total.
    bool wait_device_events(std::uint64_t count, std::chrono::milliseconds timeout);
    [[nodiscard]] std::uint64_t device_events_handled() const { return events_handled_; }
    [[nodiscard]] TouchInput& input() { return input_; }
    [[nodiscard]] const ui::FrameLog& frame_log() const { return last_log_; }
    [[nodiscard]] KioskClock& clock() { return clock_; }
    [[nodiscard]] int width() const { return width_; }
    [[nodiscard]] int height() const { return height_; }
    void push_sdl_event(SDL_Event e) { SDL_PushEvent(&e); }
    // Renders a fresh frame and writes it as PNG.
    Result<void> screenshot(const std::filesystem::path& file);
    void request_redraw() { redraw_ = true; }
    bool set_sim_paper(bool present) { return devices_ && devices_->set_sim_paper(present); }

    // --- hooks for benchmarks ----------------------------------------------
    // Renders and presents `view` instead of the controller's, as a real
    // frame (photos filled in, the frame log kept); its intent is dropped.
    // Returns false while photos on screen are still to be loaded (the next
    // frame loads more).
    bool render_view(ui::FrameView view);
    [[nodiscard]] const PhotoCache* photos() const { return photos_.get(); }

private:
    Result<void> open_store();
    Result<void> open_window();
    Result<void> rebuild_fonts();
    void handle(const SDL_Event& e);
    void drain_devices();
    void render(const std::filesystem::path* capture);
    // Draws `view` (again while the atlas grows or photos arrive) and presents it.
    std::optional<ui::Intent> present(ui::FrameView& view, const std::filesystem::path* capture);
    void write_audit();
    [[nodiscard]] double px_per_mm() const;

    const Config& config_;
    RunOptions options_;
    KioskClock clock_;

    // store
    std::unique_ptr<store::Database> db_;
    std::unique_ptr<store::IdHasher> hasher_;
    std::unique_ptr<store::RosterRepository> roster_;
    std::unique_ptr<store::FactStore> facts_;
    std::unique_ptr<store::NoticeRepository> notices_;
    std::unique_ptr<store::CanteenStore> canteen_store_;
    core::PolicySet policies_;
    MenuTemplate menu_;
    std::filesystem::path menu_dir_;  // photos in the menu are relative to it
    std::unique_ptr<Canteen> canteen_;
    Result<void> load_canteen();

    // devices
    std::unique_ptr<DeviceManager> devices_;
    std::mutex device_mu_;
    std::deque<drivers::CardEvent> device_queue_;
    std::uint32_t wake_event_ = 0;
    std::uint64_t events_handled_ = 0;

    // presentation
    SDL_Window* window_ = nullptr;
    SDL_Renderer* renderer_ = nullptr;
    std::unique_ptr<ImGuiRenderer> imgui_renderer_;
    bool imgui_ready_ = false;
    int width_ = 0, height_ = 0;
    std::unique_ptr<ui::FontManager> fonts_;
    std::array<SDL_Texture*, ui::kTextRoleCount> font_textures_{};
    // Pictures of printed receipts for staff, by job id (a few at most).
    struct Preview {
        SDL_Texture* texture = nullptr;
        int w = 0, h = 0;
    };
    std::map<std::uint64_t, Preview> previews_;
    void fill_preview(ui::StaffReceiptView& view);
    // Meal photos on the menu tiles and the quote (photo_cache.hpp).
    std::unique_ptr<PhotoCache> photos_;
    bool photos_pending_ = false;  // photos on screen still to load: another frame follows
    void peek_photos(ui::FrameView& view);
    bool load_shown_photos(ui::FrameView& view, std::chrono::steady_clock::time_point deadline);
    ui::I18n i18n_;
    std::unique_ptr<ui::Audio> audio_;
    std::unique_ptr<Controller> controller_;
    TouchInput input_;
    ui::FrameLog log_, last_log_;
    std::set<std::string> audited_;

    bool redraw_ = true;
    bool quit_ = false;
    bool first_frame_done_ = false;
    std::uint64_t drawn_generation_ = 0;
    core::MonoTime next_change_{};
    std::chrono::steady_clock::time_point last_frame_{};

    // WAL checkpoints at quiet moments (store::Database::checkpoint), so that
    // SQLite's own auto-checkpoint (a safety net) need not run inside an
    // order's commit while a diner waits for the pickup number.
    bool idle_drawn_ = false;           // the frame last presented is the idle screen
    core::MonoTime next_checkpoint_{};  // none before this
    // When a checkpoint is due, if one could run: the idle screen is up and
    // current, and something was committed since the last one.
    [[nodiscard]] std::optional<core::MonoTime> checkpoint_due() const;
    void checkpoint_if_due();
};

}  // namespace kiosk::app
