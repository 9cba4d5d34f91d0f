using Aetherflow.Engine.Api;
using Terminal.Gui.App;

namespace Aetherflow.Tui.Ui;

/// <summary>Runs the dashboard in the real terminal; disposing the application always restores the terminal.</summary>
internal static class DashboardRunner
{
    public static void Run(IEngine engine, Theme theme, TimeProvider clock, string engineLabel, CancellationToken cancellationToken)
    {
        using IApplication app = Application.Create().Init();
        using var dashboard = new DashboardApp(app, engine, theme, clock, engineLabel);
        dashboard.Run(cancellationToken);
    }
}
