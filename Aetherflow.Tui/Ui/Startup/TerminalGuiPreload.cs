using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Terminal.Gui.App;

namespace Aetherflow.Tui.Ui.Startup;

/// <summary>
/// Loads Terminal.Gui on a background thread while the command line is parsed and the configuration read, when the
/// command line asks for the dashboard. Loading the library runs its module initializer, which builds its settings
/// (parses the embedded 47 KB <c>config.json</c> twice and binds two dozen settings classes by reflection through
/// Microsoft.Extensions.Configuration); that and the type loads it drags in were the largest single part of the time to
/// the first frame. Nothing here touches the terminal: the dashboard still calls <c>Init</c> itself, and a thread that
/// needs Terminal.Gui before the preload is done simply waits for the module initializer to finish (the runtime runs it
/// once). The thread is a background thread, so a command that turns out not to need it never waits for it.
/// In the Native AOT build (the shipped one) there is nothing to preload: module initializers run before <c>Main</c>
/// and types need no loading, so no thread is started.
/// </summary>
internal static class TerminalGuiPreload
{
    /// <summary>Options that make the root command do something other than open the dashboard.</summary>
    private static readonly HashSet<string> NotDashboard = new(StringComparer.Ordinal)
    {
        "--headless", "--detach", "--help", "-h", "-?", "/?", "/h", "--version",
    };

    /// <summary>
    /// True when <paramref name="args"/> will open the dashboard: no subcommand (every argument before an option value
    /// is an option) and none of the options that print or run headless. A false positive only costs the background
    /// load; a false negative only loses the head start.
    /// </summary>
    public static bool OpensDashboard(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Count > 0 && !args[0].StartsWith('-'))
        {
            return false;
        }

        foreach (string arg in args)
        {
            if (NotDashboard.Contains(arg) || NotDashboard.Contains(arg.Split('=', 2)[0]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Starts loading Terminal.Gui on a background thread when <paramref name="args"/> open the dashboard and the runtime
    /// loads code as it goes (JIT, ReadyToRun).
    /// </summary>
    /// <returns>The loading thread, or null when nothing was started.</returns>
    public static Thread? StartIfDashboard(IReadOnlyList<string> args) =>
        RuntimeFeature.IsDynamicCodeSupported ? StartIfDashboard(args, Load) : null;

    /// <summary>Like <see cref="StartIfDashboard(IReadOnlyList{string})"/> with another loader (tests hold it open).</summary>
    internal static Thread? StartIfDashboard(IReadOnlyList<string> args, ThreadStart load)
    {
        if (!OpensDashboard(args))
        {
            return null;
        }

        var thread = new Thread(load) { IsBackground = true, Name = "Terminal.Gui preload" };
        thread.Start();
        return thread;
    }

    /// <summary>
    /// Runs Terminal.Gui's module initializer (once per process; later calls return at once), then loads the types the
    /// driver and the dashboard's views use, so the UI thread finds them loaded on its way to the first frame.
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2059", Justification = "Only called where code is loaded at run time (RuntimeFeature.IsDynamicCodeSupported), which a trimmed Native AOT build is not; and every type is named with typeof, so it exists")]
    public static void Load()
    {
        LoadModule();
        foreach (Type type in WarmTypes())
        {
            RuntimeHelpers.RunClassConstructor(type.TypeHandle);
        }

        _ = Theme.Create(color: true);
    }

    // What Init (the ANSI driver, its input and output), the dashboard's views and their first layout and draw use. A
    // method, not a static field: a field would be set up with the class, and naming Terminal.Gui's types there would
    // load Terminal.Gui on the thread that merely asks OpensDashboard.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Type[] WarmTypes() =>
    [
        typeof(System.Diagnostics.Process),
        typeof(Terminal.Gui.Drivers.AnsiComponentFactory),
        typeof(Terminal.Gui.Drivers.AnsiOutput),
        typeof(Terminal.Gui.Drivers.AnsiInput),
        typeof(Terminal.Gui.Drivers.AnsiInputProcessor),
        typeof(Terminal.Gui.Drivers.OutputBufferImpl),
        typeof(Terminal.Gui.App.ApplicationNavigation),
        typeof(Terminal.Gui.Input.KeyBindings),
        typeof(Terminal.Gui.ViewBase.View),
        typeof(Terminal.Gui.ViewBase.Border),
        typeof(Terminal.Gui.ViewBase.Margin),
        typeof(Terminal.Gui.ViewBase.Padding),
        typeof(Terminal.Gui.Views.Window),
        typeof(Terminal.Gui.Views.FrameView),
        typeof(Terminal.Gui.Text.TextFormatter),
        typeof(Terminal.Gui.Drawing.LineCanvas),
        typeof(Terminal.Gui.Drawing.Region),
        typeof(Keys.KeyMap),
        typeof(Shell.DashboardShell),
        typeof(Shell.StatusLine),
        typeof(Shell.Chrome),
        typeof(Views.DashboardView),
        typeof(Widgets.Pane),
        typeof(Widgets.RowTable),
        typeof(Widgets.PriorityLine),
        typeof(Widgets.TextWidth),
        typeof(Widgets.ColumnLayout),
        typeof(Tables.AgentRows),
        typeof(Tables.QueueRows),
    ];

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void LoadModule() => RuntimeHelpers.RunModuleConstructor(typeof(Application).Module.ModuleHandle);
}
