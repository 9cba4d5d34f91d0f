using Microsoft.Extensions.Logging;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Hosting;
using Aetherflow.Tui.Ui.Attach;
using Aetherflow.Tui.Ui.Loop;
using Terminal.Gui.App;

namespace Aetherflow.Tui.Ui;

/// <summary>
/// Runs the dashboard in the real terminal. Disposing the application always restores the terminal — on quit, on
/// SIGTERM, on an exception, and (best effort) on a crash. For an attach the dashboard is taken down, opencode gets
/// the terminal, and the dashboard comes back where it was.
/// </summary>
internal static class DashboardRunner
{
    public static void Run(IEngine engine, Theme theme, TimeProvider clock, DashboardOptions options, HostEnvironment environment, CancellationToken cancellationToken)
    {
        var state = new DashboardState();
        var attacher = new SessionAttacher(options.OpencodeBin, environment, options.Logger);
        string? firstFrameFile = environment.Variables.GetValueOrDefault(FirstFrameVariable) is { Length: > 0 } file ? file : null;
        try
        {
            RunAll(engine, theme, clock, options, state, attacher, firstFrameFile, cancellationToken);
        }
        finally
        {
            // Drawn or not (no terminal, an error, a stop before the first frame), whatever waits for it goes on.
            options.FirstFrame?.TrySetResult();
        }
    }

    private static void RunAll(IEngine engine, Theme theme, TimeProvider clock, DashboardOptions options, DashboardState state, SessionAttacher attacher, string? firstFrameFile, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            RunOnce(engine, theme, clock, options, state, firstFrameFile, cancellationToken);
            firstFrameFile = null;
            if (state.Attach is not { } request || cancellationToken.IsCancellationRequested)
            {
                return;
            }

            state.Attach = null;
            state.Flash = attacher.Run(request, cancellationToken);
        }
    }

    /// <summary>
    /// When set, the dashboard writes the time of its first drawn frame (ISO 8601, UTC) to this file: the benchmarks'
    /// start-up measure reads it (docs/benchmarks.md). Nothing else uses it.
    /// </summary>
    internal const string FirstFrameVariable = "AETHERFLOW_FIRST_FRAME_FILE";

    private static void RunOnce(IEngine engine, Theme theme, TimeProvider clock, DashboardOptions options, DashboardState state, string? firstFrameFile, CancellationToken cancellationToken)
    {
        using DashboardTerminal terminal = DashboardTerminal.Open(clock, why => options.Logger.LogWarning("{Reason}", why));
        IApplication app = terminal.App;
        // Only the first run draws a first frame: later runs (after an attach) find the file cleared and the task done.
        if (firstFrameFile is not null || options.FirstFrame is { Task.IsCompleted: false })
        {
            EventHandler<EventArgs>? onFrame = null;
            onFrame = (_, _) =>
            {
                app.LayoutAndDrawComplete -= onFrame;
                if (firstFrameFile is not null)
                {
                    WriteFirstFrame(firstFrameFile, clock, options);
                }

                options.FirstFrame?.TrySetResult();
            };
            app.LayoutAndDrawComplete += onFrame;
        }

        // A crash on another thread would end the process with the terminal in raw mode on the alternate screen.
        UnhandledExceptionEventHandler restore = (_, _) => terminal.Dispose();
        AppDomain.CurrentDomain.UnhandledException += restore;
        try
        {
            using var dashboard = new DashboardApp(app, engine, theme, clock, options, state);
            dashboard.Run(cancellationToken);
        }
        finally
        {
            AppDomain.CurrentDomain.UnhandledException -= restore;
        }
    }

    private static void WriteFirstFrame(string file, TimeProvider clock, DashboardOptions options)
    {
        try
        {
            File.WriteAllText(file, clock.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture) + "\n");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            options.Logger.LogWarning("Could not write the first-frame time to {File} ({Variable}): {Error}", file, FirstFrameVariable, ex.Message);
        }
    }
}
