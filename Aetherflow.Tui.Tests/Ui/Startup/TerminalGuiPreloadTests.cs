using Aetherflow.Tui.Ui.Startup;

namespace Aetherflow.Tui.Tests.Ui.Startup;

/// <summary>
/// Terminal.Gui is loaded on a background thread only when the command line opens the dashboard: a subcommand, a
/// headless engine, help or the version never pay for it.
/// </summary>
public sealed class TerminalGuiPreloadTests
{
    [TestCase]
    [TestCase("--no-confirm")]
    [TestCase("--readonly", "--connect", "/run/aetherflow/demo.sock")]
    [TestCase("--no-color", "--on-stop", "drain")]
    public void The_dashboard_command_line_preloads_Terminal_Gui(params string[] args)
    {
        Assert.That(TerminalGuiPreload.OpensDashboard(args), Is.True);
    }

    [TestCase("status")]
    [TestCase("task", "list")]
    [TestCase("--headless")]
    [TestCase("--headless", "--detach")]
    [TestCase("--no-color", "--help")]
    [TestCase("-h")]
    [TestCase("--version")]
    [TestCase("--headless=true")]
    public void Other_command_lines_do_not(params string[] args)
    {
        Assert.That(TerminalGuiPreload.OpensDashboard(args), Is.False);
        Assert.That(TerminalGuiPreload.StartIfDashboard(args), Is.Null, "no thread is started");
    }

    [Test]
    public void The_preload_runs_on_a_background_thread()
    {
        using var release = new ManualResetEventSlim();
        Thread? thread = TerminalGuiPreload.StartIfDashboard([], () => release.Wait());
        try
        {
            Assert.That(thread, Is.Not.Null);
            Assert.That(thread!.IsBackground, Is.True, "a process that ends early never waits for it");
        }
        finally
        {
            release.Set();
        }

        Assert.That(thread.Join(TimeSpan.FromSeconds(30)), Is.True);
    }

    [Test]
    public void The_preload_finishes()
    {
        Thread? thread = TerminalGuiPreload.StartIfDashboard([]);

        Assert.That(thread!.Join(TimeSpan.FromSeconds(30)), Is.True, "the preload ends (an exception in it would end the process)");
    }
}
