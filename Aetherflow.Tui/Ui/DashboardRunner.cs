using Aetherflow.Engine.Api;
using Aetherflow.Engine.Hosting;
using Aetherflow.Tui.Ui.Attach;
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
        while (!cancellationToken.IsCancellationRequested)
        {
            RunOnce(engine, theme, clock, options, state, cancellationToken);
            if (state.Attach is not { } request || cancellationToken.IsCancellationRequested)
            {
                return;
            }

            state.Attach = null;
            state.Flash = attacher.Run(request, cancellationToken);
        }
    }

    private static void RunOnce(IEngine engine, Theme theme, TimeProvider clock, DashboardOptions options, DashboardState state, CancellationToken cancellationToken)
    {
        using IApplication app = Application.Create().Init();

        // A crash on another thread would end the process with the terminal in raw mode on the alternate screen.
        UnhandledExceptionEventHandler restore = (_, _) => app.Dispose();
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
}
