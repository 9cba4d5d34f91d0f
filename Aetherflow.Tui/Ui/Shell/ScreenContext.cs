using Aetherflow.Engine.Api;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Tui.Ui.Shell;

/// <summary>What every view needs: the engine (only through <see cref="IEngine"/>), colours, the UI loop, the clock and the flash line.</summary>
internal sealed record ScreenContext(
    IEngine Engine,
    Theme Theme,
    UiLoop Loop,
    TimeProvider Clock,
    Action<string, FlashKind> Flash,
    ILogger Logger);
