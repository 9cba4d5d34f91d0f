using Aetherflow.Engine.Api;
using Aetherflow.Tui.Ui;
using Aetherflow.Tui.Ui.Shell;
using Aetherflow.Tui.Ui.Views;
using Microsoft.Extensions.Time.Testing;
using Terminal.Gui.Drawing;
using Terminal.Gui.App;
using Terminal.Gui.Drivers;
using Terminal.Gui.Input;
using Terminal.Gui.Testing;
using Terminal.Gui.Time;

namespace Aetherflow.Tui.Tests.Support;

/// <summary>
/// Runs the dashboard headless: Terminal.Gui's ANSI driver on a virtual UI clock, the engine on a fake clock, keys
/// injected, and the screen read back as text.
/// </summary>
internal sealed class DashboardHarness : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private readonly SessionToken session;

    public DashboardHarness(IEngine? engine = null, int width = 100, int height = 30, bool color = true, DashboardOptions? options = null, DashboardState? state = null)
    {
        Engine = engine ?? new StubEngine();
        UiTime = new VirtualTimeProvider();
        Clock = new FakeTimeProvider(Start);
        App = Application.Create(UiTime).Init(DriverRegistry.Names.ANSI);
        App.Driver!.SetScreenSize(width, height);
        Height = height;
        Dashboard = new DashboardApp(App, Engine, Theme.Create(color), Clock, options ?? new DashboardOptions { QuitStopsAgents = true, Sender = "dashboard (tester)" }, state);
        Dashboard.QuitRequested += (_, _) => QuitRequests++;
        session = App.Begin(Dashboard.Shell)!;
        Pump();
    }

    public IEngine Engine { get; }

    public StubEngine Stub => (StubEngine)Engine;

    public IApplication App { get; }

    public VirtualTimeProvider UiTime { get; }

    public FakeTimeProvider Clock { get; }

    public DashboardApp Dashboard { get; }

    public DashboardShell Shell => Dashboard.Shell;

    public DashboardController Controller => Dashboard.Controller;

    /// <summary>The view on top of the navigation stack.</summary>
    public Screen Current => Controller.Current;

    /// <summary>The text of the line under the panes (flash, question, input bar).</summary>
    public string StatusText => Shell.Status.PlainText;

    /// <summary>The footer's key hints as drawn.</summary>
    public string FooterText => Line(Height - 1);

    public int Height { get; private set; }

    /// <summary>One row of the screen.</summary>
    public string Line(int row) => Text.Split('\n')[row].TrimEnd('\r');

    public int QuitRequests { get; private set; }

    /// <summary>The screen as text, one line per row.</summary>
    public string Text => App.Driver!.ToString()!;

    /// <summary>Presses a key, then lets the UI thread run the work it caused (engine replies posted back).</summary>
    public void Press(Key key)
    {
        App.InjectKey(key);
        Pump();
    }

    /// <summary>Presses keys one after another: a string types its characters.</summary>
    public void Type(string text)
    {
        foreach (char c in text)
        {
            Press(new Key(c));
        }
    }

    /// <summary>Runs queued UI work and due timers (advancing the UI clock by <paramref name="elapsed"/>), then redraws.</summary>
    public void Pump(TimeSpan? elapsed = null)
    {
        if (elapsed is { } span)
        {
            UiTime.Advance(span);
        }

        App.TimedEvents!.RunTimers();
        App.TimedEvents!.RunTimers();
        Draw();
    }

    public void Resize(int width, int height)
    {
        App.Driver!.SetScreenSize(width, height);
        Height = height;
        Draw();
    }

    /// <summary>The cell at a position, for colour checks.</summary>
    public Cell CellAt(int row, int column) => App.Driver!.Contents![row, column];

    /// <summary>Finds where <paramref name="text"/> first appears on screen.</summary>
    public (int Row, int Column) Find(string text)
    {
        string[] lines = Text.Split('\n');
        for (int row = 0; row < lines.Length; row++)
        {
            int column = lines[row].IndexOf(text, StringComparison.Ordinal);
            if (column >= 0)
            {
                return (row, column);
            }
        }

        Assert.Fail($"'{text}' is not on screen:\n{Text}");
        return default;
    }

    public void Draw() => App.LayoutAndDraw(true);

    public void Dispose()
    {
        App.End(session);
        Dashboard.Dispose();
        App.Dispose();
    }
}
