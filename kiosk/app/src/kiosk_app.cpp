// The running kiosk.
//
// [SECTION] Start-up: store, devices, window, Dear ImGui, fonts
// [SECTION] The loop: events, devices, timeouts, frames
// [SECTION] Frames: render, screenshots, audit
#include "kiosk_app.hpp"

#include <imgui.h>
#include <imgui_impl_sdlrenderer.h>
#include <spdlog/spdlog.h>
#include <stb/stb_image_write.h>

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <unordered_set>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <vector>

#include "drivers/sim/escpos_preview.hpp"
#include "kiosk/core/demo_roster.hpp"
#include "kiosk/store/meta.hpp"
#include "kiosk/store/secret.hpp"
#include "kiosk/ui/audit.hpp"
#include "kiosk/ui/view.hpp"
#include "kiosk/ui/widgets.hpp"

namespace kiosk::app {

namespace embedded {
std::string_view get(std::string_view name);
}

using std::chrono::milliseconds;

namespace {
// Bump when demo_roster() or demo_notices() change, so a demo database is refreshed.
constexpr std::string_view kDemoDataVersion = "demo-3";

// What a resident ID card would carry, for the development shortcuts.
drivers::IdCardText demo_id_card(std::string number, std::string name) {
    drivers::IdCardText t;
    t.id_number = std::move(number);
    t.name = std::move(name);
    t.gender = "1";
    t.birth = t.id_number.substr(6, 8);
    return t;
}

// How often the idle screen may checkpoint the WAL. Between diners the WAL
// then holds a few orders' pages, which one checkpoint copies in a few
// milliseconds; and an idle kiosk wakes for it at most twice a minute, only
// after something was committed (idle CPU stays as it was).
constexpr std::chrono::seconds kCheckpointEvery{30};
// After a failed checkpoint (a disk error, which the store's writes will
// report too): try again later without filling the log.
constexpr std::chrono::minutes kCheckpointRetry{5};

std::int64_t monotonic_ns() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}
}  // namespace

KioskApp::KioskApp(const Config& config, const RunOptions& options) : config_(config), options_(options) {}

KioskApp::~KioskApp() {
    if (devices_) devices_->stop();
    controller_.reset();
    devices_.reset();
    audio_.reset();
    for (auto* t : font_textures_)
        if (t != nullptr) SDL_DestroyTexture(t);
    for (auto& [id, p] : previews_)
        if (p.texture != nullptr) SDL_DestroyTexture(p.texture);
    photos_.reset();  // its textures go before the renderer
    imgui_renderer_.reset();
    fonts_.reset();
    if (imgui_ready_) {
        ImGui_ImplSDLRenderer_Shutdown();
        ImGui::DestroyContext();
    }
    if (renderer_ != nullptr) SDL_DestroyRenderer(renderer_);
    if (window_ != nullptr) SDL_DestroyWindow(window_);
    SDL_Quit();
}

// ---------------------------------------------------------------------------
// [SECTION] Start-up
// ---------------------------------------------------------------------------

Result<void> KioskApp::open_store() {
    const std::filesystem::path dir = config_.data.dir;
    // Personal data lives here: the kiosk user's alone.
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return Error{"store.open", "cannot create the data directory " + dir.string() + ": " + ec.message()};
    if (::chmod(dir.c_str(), 0700) != 0)
        return Error{"store.open", "cannot restrict the data directory " + dir.string() + " to the kiosk user"};
    auto key = store::load_or_create_secret(dir / "secret.key");
    if (!key) return key.error();
    auto db = store::Database::open(dir / "kiosk.db");
    if (!db) return db.error();
    db_ = std::move(*db);
    hasher_ = std::make_unique<store::IdHasher>(*key);
    roster_ = std::make_unique<store::RosterRepository>(*db_, *hasher_);
    facts_ = std::make_unique<store::FactStore>(*db_, config_.terminal.id);
    notices_ = std::make_unique<store::NoticeRepository>(*db_);
    canteen_store_ = std::make_unique<store::CanteenStore>(*db_, config_.terminal.id);

    if (options_.demo) {
        auto source = store::get_meta(*db_, "roster_source");
        if (!source) return source.error();
        if (*source != std::optional<std::string>(kDemoDataVersion)) {
            const auto roster = core::demo_roster();
            if (auto r = roster_->replace_all(roster); !r) return r.error();
            const auto notices = core::demo_notices();
            if (auto r = notices_->replace_all(notices); !r) return r.error();
            if (auto r = store::set_meta(*db_, "roster_source", kDemoDataVersion); !r) return r.error();
            spdlog::info("store: demo roster of {} residents loaded", roster.size());
        }
    }
    return {};
}

Result<void> KioskApp::open_window() {
    if (options_.headless) {
        // No display: render in memory. Silent unless asked otherwise.
        setenv("SDL_VIDEODRIVER", "offscreen", 0);
        setenv("SDL_AUDIODRIVER", "dummy", 0);
    }
    SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "1");
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        if (!options_.headless)
            return Error{"display.none", std::string("no display could be opened (") + SDL_GetError() +
                                             "). Run with --headless --script FILE, or start it in a graphical session."};
        setenv("SDL_VIDEODRIVER", "dummy", 1);
        if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0)
            return Error{"display.none", std::string("the headless video driver failed: ") + SDL_GetError()};
    }
    const std::string driver = SDL_GetCurrentVideoDriver();
    // On X11 and offscreen SDL would back a software window with an OpenGL
    // texture, loading Mesa and LLVM: +100 MB and +250 ms (stack-notes.md).
    // Wayland and KMSDRM need that path for software rendering: leave them.
    if (driver == "x11" || driver == "offscreen" || driver == "dummy")
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");

    Uint32 flags = SDL_WINDOW_SHOWN;
    const bool fullscreen = config_.display.fullscreen && !options_.headless;
    if (fullscreen) flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    window_ = SDL_CreateWindow(config_.site.name.c_str(), SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                               config_.display.window_width, config_.display.window_height, flags);
    if (window_ == nullptr) return Error{"display.window", std::string("the window could not be created: ") + SDL_GetError()};
    renderer_ = SDL_CreateRenderer(window_, -1, SDL_RENDERER_SOFTWARE);
    if (renderer_ == nullptr)
        return Error{"display.renderer", std::string("the renderer could not be created: ") + SDL_GetError()};
    imgui_renderer_ = std::make_unique<ImGuiRenderer>(renderer_, window_);
    PhotoCache::Options photo_options;
    if (const Uint32 f = imgui_renderer_->direct_format(); f != SDL_PIXELFORMAT_UNKNOWN) photo_options.opaque_format = f;
    photos_ = std::make_unique<PhotoCache>(renderer_, photo_options);
    if (fullscreen) SDL_ShowCursor(SDL_DISABLE);  // a touch kiosk shows no mouse pointer
    SDL_GetRendererOutputSize(renderer_, &width_, &height_);
    spdlog::info("display: {} {}x{} px, {:.2f} px/mm{}", driver, width_, height_, px_per_mm(),
                 fullscreen ? ", full screen" : "");

    wake_event_ = SDL_RegisterEvents(1);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // a kiosk has no layout to remember
    io.LogFilename = nullptr;
    io.BackendPlatformName = "kiosk-touch";
    TouchInput::map_keys(io);
    ImGui::GetStyle().AntiAliasedFill = true;
    // ImGui's own atlas only backs its internals (the white pixel for shapes);
    // our text comes from the FontManager's per-role atlases.
    io.Fonts->AddFontDefault();
    if (!ImGui_ImplSDLRenderer_Init(renderer_)) return Error{"display.renderer", "the ImGui renderer could not start"};
    imgui_ready_ = true;
    return {};
}

double KioskApp::px_per_mm() const {
    // The window stands for the whole terminal screen. Take the larger ratio
    // so that a mismatched configuration errs on the side of larger text.
    return std::max(width_ / config_.display.width_mm, height_ / config_.display.height_mm);
}

Result<void> KioskApp::rebuild_fonts() {
    auto r = fonts_->rebuild([this](ui::TextRole role, const unsigned char* rgba, int w, int h, void* previous) -> void* {
        if (previous != nullptr) {
            imgui_renderer_->forget(static_cast<SDL_Texture*>(previous));
            SDL_DestroyTexture(static_cast<SDL_Texture*>(previous));
        }
        SDL_Texture* t = SDL_CreateTexture(renderer_, SDL_PIXELFORMAT_RGBA32, SDL_TEXTUREACCESS_STATIC, w, h);
        if (t == nullptr) {
            spdlog::error("fonts: no texture for the {} atlas: {}", ui::text_role_name(role), SDL_GetError());
            return nullptr;
        }
        SDL_UpdateTexture(t, nullptr, rgba, 4 * w);
        SDL_SetTextureBlendMode(t, SDL_BLENDMODE_BLEND);
        imgui_renderer_->add_glyph_atlas(t, rgba, w, h);
        font_textures_[static_cast<std::size_t>(role)] = t;
        return t;
    });
    if (!r) return r;
    spdlog::debug("fonts: {} glyphs, {} texture pixels, {:.1f} ms", fonts_->stats().glyphs,
                  fonts_->stats().texture_pixels, fonts_->stats().last_build_ms);
    return {};
}

Result<void> KioskApp::load_canteen() {
    // The menu and the subsidy policies: files named in [canteen], else the built-in demo ones.
    ConfigSource menu{"<built-in menu>", std::string(embedded::get("config/menu/demo.toml"))};
    if (!config_.canteen.menu.empty()) {
        auto file = read_config_file(config_.canteen.menu);
        if (!file) return file.error();
        menu = std::move(*file);
        // Absolute, so photos still resolve if the working directory changes.
        std::error_code ec;
        menu_dir_ = std::filesystem::absolute(std::filesystem::path(config_.canteen.menu), ec).parent_path();
        if (ec) menu_dir_ = std::filesystem::path(config_.canteen.menu).parent_path();
    }
    auto m = load_menu(menu);
    if (!m) return m.error();
    menu_ = std::move(*m);

    std::vector<ConfigSource> policies;
    if (config_.canteen.policies.empty()) {
        policies.push_back({"<built-in subsidy policy>", std::string(embedded::get("config/subsidy/demo.toml"))});
    } else {
        std::error_code ec;
        std::vector<std::filesystem::path> files;
        for (const auto& e : std::filesystem::directory_iterator(config_.canteen.policies, ec))
            if (e.path().extension() == ".toml") files.push_back(e.path());
        if (ec) return Error{"canteen.invalid", "cannot read the policy folder " + config_.canteen.policies + ": " + ec.message()};
        std::sort(files.begin(), files.end());
        for (const auto& f : files) {
            auto file = read_config_file(f.string());
            if (!file) return file.error();
            policies.push_back(std::move(*file));
        }
        if (policies.empty())
            return Error{"canteen.invalid", "the policy folder " + config_.canteen.policies + " holds no .toml file"};
    }
    auto p = load_policies(policies);
    if (!p) return p.error();
    policies_ = std::move(*p);
    canteen_ = std::make_unique<Canteen>(Canteen{*canteen_store_, policies_, menu_});
    return {};
}

Result<void> KioskApp::init() {
    if (auto r = open_store(); !r) return r;
    if (auto r = load_canteen(); !r) return r;
    if (auto r = open_window(); !r) return r;

    auto fonts = ui::FontManager::open({config_.ui.font, config_.ui.font_index});
    if (!fonts) return fonts.error();
    fonts_ = std::move(*fonts);
    fonts_->set_theme(ui::Theme(px_per_mm(), config_.ui.large_text));
    if (auto r = rebuild_fonts(); !r) return r;

    audio_ = std::make_unique<ui::Audio>(
        ui::AudioOptions{config_.voice.sounds, config_.voice.enabled, config_.voice.volume, config_.voice.rate});
    devices_ = std::make_unique<DeviceManager>(config_, options_.demo);
    devices_->set_notify([this] {
        SDL_Event wake{};
        wake.type = wake_event_;
        SDL_PushEvent(&wake);  // a job changed: staff screens redraw
    });
    controller_ = std::make_unique<Controller>(config_, Stores{*roster_, *facts_, *notices_}, clock_, audio_.get(),
                                               devices_.get(), canteen_.get());
    auto started = devices_->start([this](drivers::CardEvent e) {
        {
            std::lock_guard lock(device_mu_);
            device_queue_.push_back(std::move(e));
        }
        SDL_Event wake{};
        wake.type = wake_event_;
        SDL_PushEvent(&wake);  // thread-safe: wakes SDL_WaitEventTimeout
    });
    if (!started) return started;
    controller_->resume();
    return {};
}

// ---------------------------------------------------------------------------
// [SECTION] The loop
// ---------------------------------------------------------------------------

void KioskApp::handle(const SDL_Event& e) {
    if (e.type == SDL_QUIT) {
        quit_ = true;
        return;
    }
    if (e.type == wake_event_) {  // devices are drained after the events
        redraw_ = true;
        return;
    }
    if (e.type == SDL_WINDOWEVENT) {
        SDL_GetRendererOutputSize(renderer_, &width_, &height_);
        redraw_ = true;
        return;
    }
    if (e.type == SDL_KEYDOWN && !config_.display.fullscreen && e.key.keysym.sym == SDLK_ESCAPE) {
        quit_ = true;  // development windows only; a kiosk has no way out by keyboard
        return;
    }
    if (e.type == SDL_KEYDOWN && options_.demo && sim_reader() != nullptr) {
        // Development shortcuts: present the demo cards without a reader.
        switch (e.key.keysym.sym) {
            case SDLK_F1: sim_reader()->tap_card("0004215869"); return;
            case SDLK_F2: sim_reader()->place_id_card(demo_id_card("130730194111020017", "王德福")); return;
            case SDLK_F3: sim_reader()->tap_card(core::kDemoUnknownCard); return;
            case SDLK_F4: sim_reader()->place_id_card(demo_id_card("130730194111020018", "王德福")); return;
            default: break;
        }
    }
    if (input_.handle(e, width_, height_)) {
        controller_->on_activity();
        redraw_ = true;
    }
}

void KioskApp::drain_devices() {
    std::deque<drivers::CardEvent> events;
    {
        std::lock_guard lock(device_mu_);
        events.swap(device_queue_);
    }
    for (const auto& e : events) {
        controller_->on_card(e);
        ++events_handled_;
    }
}

void KioskApp::iterate(milliseconds max_wait) {
    const auto now = clock_.now_mono();
    milliseconds wait = max_wait;
    if (redraw_ || input_.pending()) wait = milliseconds{0};
    else if (input_.held()) wait = std::min(wait, milliseconds{100});  // a long press is timed by frames
    else if (next_change_ > now)
        wait = std::min(wait, std::chrono::ceil<milliseconds>(next_change_ - now));
    else
        wait = milliseconds{0};
    // A due checkpoint wakes the loop once: then it is not due again for
    // kCheckpointEvery, nor at all until something new is committed.
    if (const auto due = checkpoint_due())
        wait = std::min(wait, *due > now ? std::chrono::ceil<milliseconds>(*due - now) : milliseconds{0});

    SDL_Event e;
    if (SDL_WaitEventTimeout(&e, static_cast<int>(wait.count())) != 0) {
        handle(e);
        while (SDL_PollEvent(&e) != 0) handle(e);
    }
    drain_devices();
    // A finger resting on the screen sends no events, but the person is there
    // (and a long press needs frames to be timed).
    if (input_.held()) {
        controller_->on_activity();
        redraw_ = true;
    }
    controller_->tick();
    if (controller_->generation() != drawn_generation_ || clock_.now_mono() >= next_change_) redraw_ = true;
    if (redraw_ || input_.pending()) render(nullptr);
    checkpoint_if_due();
}

std::optional<core::MonoTime> KioskApp::checkpoint_due() const {
    // Nobody is being served: the idle screen is on screen and is still what
    // the controller shows (no card, touch or timeout has changed it since
    // it was drawn). Every order and every check-in happens off the idle
    // screen, so a checkpoint never runs during one.
    if (!db_ || !controller_ || !idle_drawn_ || controller_->generation() != drawn_generation_) return std::nullopt;
    if (!db_->wal_pending()) return std::nullopt;  // no I/O: asking every iteration costs nothing
    return next_checkpoint_;
}

void KioskApp::checkpoint_if_due() {
    const auto due = checkpoint_due();
    const auto now = clock_.now_mono();
    if (!due || now < *due || quit_) return;
    // Whatever has arrived is served first, so a checkpoint never starts
    // between a card tap (or a touch) and the screen that answers it: a frame
    // still owed, a finger down, a card event queued by a reader's thread, or
    // any SDL event (the readers' wake-ups included) sends it back to the loop.
    if (redraw_ || input_.pending() || input_.held()) return;
    {
        std::lock_guard lock(device_mu_);
        if (!device_queue_.empty()) return;
    }
    SDL_PumpEvents();
    if (SDL_HasEvents(SDL_FIRSTEVENT, SDL_LASTEVENT)) return;

    const auto t0 = std::chrono::steady_clock::now();
    auto r = db_->checkpoint();
    const double took_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (!r) {
        spdlog::warn("store: the idle WAL checkpoint failed ({:.1f} ms): {}", took_ms, r.error().message);
        next_checkpoint_ = now + kCheckpointRetry;
        return;
    }
    next_checkpoint_ = now + kCheckpointEvery;
    spdlog::debug("store: idle WAL checkpoint: {} of {} frames in the database file{} in {:.1f} ms", r->checkpointed,
                  r->wal_frames, r->busy ? " (another connection was checkpointing)" : "", took_ms);
}

void KioskApp::settle() {
    for (int i = 0; i < 200; ++i) {
        bool queued = false;
        {
            std::lock_guard lock(device_mu_);
            queued = !device_queue_.empty();
        }
        if (!queued && !redraw_ && !input_.pending() && controller_->generation() == drawn_generation_) return;
        iterate(milliseconds{0});
    }
}

bool KioskApp::wait_device_events(std::uint64_t count, milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (events_handled_ < count) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        iterate(milliseconds{20});
    }
    return true;
}

int KioskApp::run_interactive() {
    while (!quit_) iterate(milliseconds{60'000});
    return 0;
}

// ---------------------------------------------------------------------------
// [SECTION] Frames
// ---------------------------------------------------------------------------

void KioskApp::render(const std::filesystem::path* capture) {
    ui::FrameView view = controller_->view();
    const std::uint64_t generation = controller_->generation();
    const std::optional<ui::Intent> intent = present(view, capture);

    redraw_ = photos_pending_;  // photos still loading: another frame follows at once
    drawn_generation_ = generation;
    idle_drawn_ = std::holds_alternative<ui::IdleView>(view.screen);
    next_change_ = controller_->next_change();
    last_log_ = log_;
    write_audit();

    if (!first_frame_done_) {
        first_frame_done_ = true;
        if (options_.report_first_frame) {
            std::printf("first_frame_ns=%lld\n", static_cast<long long>(monotonic_ns()));
            std::fflush(stdout);
        }
        if (options_.exit_after_first_frame) quit_ = true;
    }
    if (intent) controller_->on_intent(*intent);
}

bool KioskApp::render_view(ui::FrameView view) {
    present(view, nullptr);
    idle_drawn_ = false;  // not the controller's frame: no checkpoint under it
    last_log_ = log_;
    return !photos_pending_;
}

std::optional<ui::Intent> KioskApp::present(ui::FrameView& view, const std::filesystem::path* capture) {
    ImGuiIO& io = ImGui::GetIO();
    const auto now = std::chrono::steady_clock::now();
    io.DeltaTime = last_frame_.time_since_epoch().count() == 0
                       ? 1.0f / 60
                       : std::max(1e-4f, std::chrono::duration<float>(now - last_frame_).count());
    last_frame_ = now;
    io.DisplaySize = ImVec2(static_cast<float>(width_), static_cast<float>(height_));
    input_.apply(io);

    const ui::Theme theme(px_per_mm(), controller_->large_text());
    fonts_->set_theme(theme);
    i18n_.set_language(controller_->language());
    if (auto* r = std::get_if<ui::StaffReceiptView>(&view.screen)) fill_preview(*r);
    photos_->begin_frame();
    photos_pending_ = false;
    peek_photos(view);
    // Decoding photos may hold this frame up to here, then waits for the next.
    const auto photo_deadline = now + milliseconds{30};

    std::optional<ui::Intent> intent;
    // A frame that met glyphs not yet in the atlas is drawn again after the
    // atlas grows, and one that showed tiles whose photos were not loaded yet
    // is drawn again with them; only a complete frame is presented.
    for (int attempt = 0; attempt < 4; ++attempt) {
        if (fonts_->needs_rebuild())
            if (auto r = rebuild_fonts(); !r) spdlog::error("fonts: {}", r.error().message);
        ImGui_ImplSDLRenderer_NewFrame();
        ImGui::NewFrame();
        log_.clear();
        ui::Ui ui(*fonts_, theme, i18n_, log_);
        ui.begin_root(static_cast<float>(width_), static_cast<float>(height_));
        if (auto i = ui::draw_frame(view, ui)) intent = i;
        ui.end_root();
        ImGui::Render();
        fonts_->end_frame();
        const bool photos_arrived = load_shown_photos(view, photo_deadline);
        if (!fonts_->needs_rebuild() && !photos_arrived) break;
        if (photos_arrived && attempt == 3) photos_pending_ = true;  // drawn in the next frame
    }
    log_.spoken = controller_->prompt();

    const auto& bg = ui::Palette{}.background;
    imgui_renderer_->render(ImGui::GetDrawData(), SDL_Color{bg.r, bg.g, bg.b, 255});
    if (capture != nullptr) {
        std::vector<unsigned char> pixels(static_cast<std::size_t>(width_) * static_cast<std::size_t>(height_) * 4);
        if (SDL_RenderReadPixels(renderer_, nullptr, SDL_PIXELFORMAT_ABGR8888, pixels.data(), width_ * 4) != 0 ||
            stbi_write_png(capture->c_str(), width_, height_, 4, pixels.data(), width_ * 4) == 0)
            spdlog::error("screenshot: could not write {}", capture->string());
    }
    SDL_RenderPresent(renderer_);
    photos_->end_frame();  // textures evicted during the frame are no longer drawn
    return intent;
}

// Photos already loaded go on every tile before the frame is drawn (without
// counting as shown). Tiles whose photos are not loaded yet show the plate
// picture; the tiles the frame did show are then loaded and the frame is
// drawn again. Only tiles on screen are loaded and kept recent, so a long
// menu costs the textures of the pages looked at, not of every meal.
void KioskApp::peek_photos(ui::FrameView& view) {
    auto peek = [&](ui::MealTile& tile) {
        tile.picture = {};
        if (tile.photo.empty()) return;
        if (auto file = photos_->resolve(menu_dir_, tile.photo))
            if (auto picture = photos_->peek(*file)) tile.picture = *picture;
    };
    if (auto* m = std::get_if<ui::MenuView>(&view.screen))
        for (auto& tile : m->tiles) peek(tile);
    if (auto* q = std::get_if<ui::QuoteView>(&view.screen)) peek(q->meal);
}

// Marks the photos of the tiles in the frame just drawn as shown, loading
// those not tried yet while the deadline allows (at least one a frame; the
// rest set photos_pending_). True when a picture changed: draw again.
bool KioskApp::load_shown_photos(ui::FrameView& view, std::chrono::steady_clock::time_point deadline) {
    bool changed = false;
    int loaded = 0;
    auto show = [&](ui::MealTile& tile) {
        if (tile.photo.empty()) return;
        const auto file = photos_->resolve(menu_dir_, tile.photo);
        if (!file) return;
        if (!photos_->tried(*file) && loaded > 0 && std::chrono::steady_clock::now() >= deadline) {
            photos_pending_ = true;
            return;
        }
        if (!photos_->tried(*file)) ++loaded;
        const ui::Picture picture = photos_->get(*file);
        if (picture.texture != tile.picture.texture) changed = true;
        tile.picture = picture;
    };
    if (auto* m = std::get_if<ui::MenuView>(&view.screen)) {
        // The tiles on screen: the frame log names each one it drew.
        std::unordered_set<std::string_view> shown;
        for (const auto& w : log_.widgets)
            if (w.kind == ui::WidgetKind::ListItem) shown.insert(w.label);
        for (auto& tile : m->tiles)
            if (shown.contains(tile.name)) show(tile);
    }
    if (auto* q = std::get_if<ui::QuoteView>(&view.screen)) show(q->meal);
    return changed;
}

void KioskApp::fill_preview(ui::StaffReceiptView& view) {
    auto it = previews_.find(view.receipt.id);
    if (it == previews_.end()) {
        Preview p;
        // The receipt as the paper shows it, rendered from the job's own bytes.
        if (auto bytes = devices_->receipt_bytes(view.receipt.id)) {
            drivers::PreviewOptions o;
            o.paper_dots = devices_->receipt_paper_dots();
            if (auto image = drivers::render_preview(*bytes, o)) {
                std::vector<std::uint8_t> rgba(image->grey.size() * 4);
                for (std::size_t i = 0; i < image->grey.size(); ++i) {
                    rgba[4 * i] = rgba[4 * i + 1] = rgba[4 * i + 2] = image->grey[i];
                    rgba[4 * i + 3] = 255;
                }
                p.texture = SDL_CreateTexture(renderer_, SDL_PIXELFORMAT_RGBA32, SDL_TEXTUREACCESS_STATIC, image->width,
                                              image->height);
                if (p.texture != nullptr) {
                    SDL_UpdateTexture(p.texture, nullptr, rgba.data(), image->width * 4);
                    SDL_SetTextureScaleMode(p.texture, SDL_ScaleModeLinear);
                    p.w = image->width;
                    p.h = image->height;
                }
            }
        }
        if (previews_.size() >= 8) {  // a handful is all a staff member pages through
            if (previews_.begin()->second.texture != nullptr) SDL_DestroyTexture(previews_.begin()->second.texture);
            previews_.erase(previews_.begin());
        }
        it = previews_.emplace(view.receipt.id, p).first;
    }
    view.preview = it->second.texture;
    view.preview_w = it->second.w;
    view.preview_h = it->second.h;
}

Result<void> KioskApp::screenshot(const std::filesystem::path& file) {
    settle();
    std::error_code ec;
    if (!file.parent_path().empty()) std::filesystem::create_directories(file.parent_path(), ec);
    render(&file);
    if (!std::filesystem::exists(file)) return Error{"screenshot.write", "could not write " + file.string()};
    return {};
}

void KioskApp::write_audit() {
    if (!options_.audit_file) return;
    const std::string key = last_log_.screen + "|" + std::string(ui::language_code(controller_->language())) + "|" +
                            (controller_->large_text() ? "L" : "N");
    if (!audited_.insert(key).second) return;
    const ui::Theme theme(px_per_mm(), controller_->large_text());
    const auto record = ui::audit_record(last_log_, theme, {width_, height_, controller_->language()});
    std::ofstream out(*options_.audit_file, std::ios::app);
    out << record.dump() << '\n';
}

}  // namespace kiosk::app
