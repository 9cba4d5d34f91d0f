using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aetherflow.Tui.Ui;

/// <summary>How the dashboard behaves: set from the command line at the edge (<c>--readonly</c>, <c>--no-confirm</c>).</summary>
internal sealed record DashboardOptions
{
    /// <summary>Which engine the header names: <c>local engine</c>, or the socket the dashboard is attached to.</summary>
    public string EngineLabel { get; init; } = "local engine";

    /// <summary>Every key and command that changes the swarm is disabled (<c>--readonly</c>).</summary>
    public bool ReadOnly { get; init; }

    /// <summary>Quit and stop without asking (<c>--no-confirm</c>).</summary>
    public bool NoConfirm { get; init; }

    /// <summary>True when the engine runs in this process, so quitting stops its agents (and quitting asks first).</summary>
    public bool QuitStopsAgents { get; init; }

    /// <summary>Who steering messages and stop requests come from, e.g. <c>dashboard (alice)</c>.</summary>
    public string Sender { get; init; } = "dashboard";

    /// <summary>The <see cref="Sender"/> for the person running this process: <c>dashboard (&lt;USER&gt;)</c>.</summary>
    public static string SenderOf(Aetherflow.Engine.Hosting.HostEnvironment environment) =>
        $"dashboard ({environment.Get("USER") ?? "unknown user"})";

    /// <summary>The opencode program for <c>a</c> (attach): <c>opencode_bin</c> from the configuration.</summary>
    public string OpencodeBin { get; init; } = "opencode";

    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>
    /// Completed (on the UI thread) once the first frame is on the screen, or when the dashboard ends without drawing
    /// one. The engine's start waits for it, so the two do not compete for the processor before the first frame.
    /// </summary>
    public TaskCompletionSource? FirstFrame { get; init; }
}
