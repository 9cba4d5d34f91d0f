using Aetherflow.Tui.Tests.Support;

namespace Aetherflow.Tui.Tests.Ui;

/// <summary>The real executable in a real terminal (tmux): it draws, quits, and gives the terminal back intact.</summary>
[NonParallelizable]
public sealed class DashboardTerminalTests
{
    [TestCase("q")]
    [TestCase("C-c")]
    public async Task The_dashboard_draws_and_quits_cleanly(string quitKey)
    {
        using var home = new TestHome("tmux-demo");
        (string file, string[] prefix) = TestProcess.Executable();
        string command = $"{file} {string.Join(' ', prefix)}; echo \"AF-EXIT:$?\"; stty -a | tr ' ' '\\n' | grep -x -- '-\\?icanon'; echo AF-DONE; sleep 60";
        using TmuxSession terminal = TmuxSession.Start(command, home.ProjectDirectory, home.Variables);

        string screen = await terminal.WaitForAsync("No agents running — 3 slots idle");
        Assert.That(screen, Does.Contain("tmux-demo").And.Contain("[active]"));

        terminal.SendKeys(quitKey);
        string after = await terminal.WaitForAsync("AF-DONE");

        Assert.That(after, Does.Contain("AF-EXIT:0"));
        Assert.That(after, Does.Not.Contain("No agents running"), "the alternate screen is gone");
        Assert.That(after.Split('\n').Select(l => l.Trim()), Does.Contain("icanon"), "the terminal is back in cooked mode");
    }

    [Test]
    public async Task SIGTERM_stops_the_dashboard_and_restores_the_terminal()
    {
        using var home = new TestHome("tmux-term");
        (string file, string[] prefix) = TestProcess.Executable();
        string command = $"{file} {string.Join(' ', prefix)}; echo \"AF-EXIT:$?\"; stty -a | tr ' ' '\\n' | grep -x -- '-\\?icanon'; echo AF-DONE; sleep 60";
        using TmuxSession terminal = TmuxSession.Start(command, home.ProjectDirectory, home.Variables);
        await terminal.WaitForAsync("No agents running");
        string pidFile = Path.Combine(home.Root, "run", "aetherflow", "tmux-term.pid");
        int pid = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);

        Assert.That(Kill(pid, 15), Is.Zero);
        string after = await terminal.WaitForAsync("AF-DONE");

        Assert.That(after, Does.Contain("AF-EXIT:0"));
        Assert.That(after.Split('\n').Select(l => l.Trim()), Does.Contain("icanon"));
    }

    [Test]
    public async Task With_AETHERFLOW_FIRST_FRAME_FILE_set_the_time_of_the_first_drawn_frame_is_written_there_and_the_engine_starts_after_it()
    {
        using var home = new TestHome("tmux-frame");
        string file = Path.Combine(home.Root, "first-frame.txt");
        var environment = new Dictionary<string, string>(home.Variables) { ["AETHERFLOW_FIRST_FRAME_FILE"] = file };
        (string program, string[] prefix) = TestProcess.Executable();
        DateTimeOffset started = DateTimeOffset.UtcNow;
        using TmuxSession terminal = TmuxSession.Start($"{program} {string.Join(' ', prefix)}; sleep 60", home.ProjectDirectory, environment);

        await terminal.WaitForAsync("No agents running");
        string log = Path.Combine(home.Root, "state", "aetherflow", "projects", "tmux-frame", "engine.log");
        await Wait.UntilAsync(() => File.Exists(file) && File.ReadAllText(file).EndsWith('\n') && File.Exists(log) && File.ReadAllText(log).Length > 0, "the first-frame file and the engine log");
        DateTimeOffset drawn = DateTimeOffset.Parse(File.ReadAllText(file).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        string firstLine = File.ReadLines(log).First();
        DateTimeOffset engineLogged = DateTimeOffset.Parse(firstLine[..firstLine.IndexOf(' ', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);

        Assert.That(drawn, Is.GreaterThan(started).And.LessThanOrEqualTo(DateTimeOffset.UtcNow));

        // The log's stamps have milliseconds; the frame's time is cut to them for the comparison.
        Assert.That(engineLogged, Is.GreaterThanOrEqualTo(drawn.AddTicks(-(drawn.Ticks % TimeSpan.TicksPerMillisecond))), "the engine starts once the first frame is drawn: " + firstLine);
        terminal.SendKeys("q");
    }

    [Test]
    public async Task An_engine_that_fails_to_start_closes_the_dashboard_and_is_reported_in_one_line()
    {
        using var home = new TestHome("tmux-fail");
        home.WriteConfig("prompt_dir: no-such-folder\n");
        (string file, string[] prefix) = TestProcess.Executable();
        string command = $"{file} {string.Join(' ', prefix)}; echo \"AF-EXIT:$?\"; stty -a | tr ' ' '\\n' | grep -x -- '-\\?icanon'; echo AF-DONE; sleep 60";
        using TmuxSession terminal = TmuxSession.Start(command, home.ProjectDirectory, home.Variables, width: 400);

        string after = await terminal.WaitForAsync("AF-DONE");

        string[] lines = after.Split('\n').Select(l => l.Trim()).ToArray();
        Assert.That(lines.Where(l => l.StartsWith("aetherflow: cannot start the engine: prompt_dir", StringComparison.Ordinal)).ToArray(), Has.Length.EqualTo(1), after);
        Assert.That(after, Does.Contain("no-such-folder' does not exist").And.Contain("AF-EXIT:1"));
        Assert.That(lines, Does.Contain("icanon"), "the terminal is back in cooked mode");
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
